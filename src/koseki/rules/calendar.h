// Office calendar: the days a municipal office is closed (土日, 国民の祝日 and 振替休日 and 国民の
// 休日, and the year-end closure 12月29日–1月3日), for deadline extension (民法142条, 戸籍法43条).
// The holiday rules are data (holiday table in calendar.cc) so that a new law is one edit.
#pragma once

#include <chrono>

namespace koseki::rules {

class Calendar {
 public:
  virtual ~Calendar() = default;
  virtual bool IsClosed(std::chrono::year_month_day day) const = 0;
};

// The Japanese national calendar for municipal offices, 1948 onward.
class JapaneseOfficeCalendar final : public Calendar {
 public:
  bool IsClosed(std::chrono::year_month_day day) const override;
  // True if `day` is a 国民の祝日, 振替休日 or 国民の休日.
  static bool IsNationalHoliday(std::chrono::year_month_day day);
};

// A filing period: N days, or N months, counted from the day of the event (初日算入,
// 戸籍法43条), extended to the next open day when its last day is a closed day.
struct FilingPeriod {
  int days = 0;
  int months = 0;
};

// Returns the last day on which a filing is on time.
std::chrono::year_month_day LastFilingDay(std::chrono::year_month_day event_day,
                                          FilingPeriod period, const Calendar& calendar);

}  // namespace koseki::rules
