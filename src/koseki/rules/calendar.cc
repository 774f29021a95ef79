// The office calendar. Every holiday rule of 国民の祝日に関する法律 (昭和23年法律第178号, in force
// 1948-07-20) and its amendments is a row in one of the tables below, with the years it applied;
// a new law is one more row (or an end year on an old one).
#include "koseki/rules/calendar.h"

#include <array>
#include <optional>

namespace koseki::rules {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr int kLawYear = 1948;  // 国民の祝日に関する法律, in force 1948-07-20
constexpr int kNoEnd = 9999;

// A holiday on a fixed month and day, in [from_year, to_year].
struct FixedHoliday {
  unsigned month;
  unsigned day;
  int from_year;
  int to_year;
  const char* name;
};

// Holidays on a fixed date (the law took effect on 1948-07-20, so 元日 and the spring holidays
// start in 1949). The 2020 and 2021 Olympic years moved 海の日, スポーツの日 and
// 山の日 (令和元年・令和2年 特措法): those years are excluded here and listed as one-off days.
constexpr std::array<FixedHoliday, 18> kFixed = {{
    {1, 1, 1949, kNoEnd, "元日"},
    {1, 15, 1949, 1999, "成人の日"},
    {2, 11, 1967, kNoEnd, "建国記念の日"},
    {2, 23, 2020, kNoEnd, "天皇誕生日"},
    {4, 29, 1949, 1988, "天皇誕生日"},
    {4, 29, 1989, 2006, "みどりの日"},
    {4, 29, 2007, kNoEnd, "昭和の日"},
    {5, 3, 1949, kNoEnd, "憲法記念日"},
    {5, 4, 2007, kNoEnd, "みどりの日"},
    {5, 5, 1949, kNoEnd, "こどもの日"},
    {7, 20, 1996, 2002, "海の日"},
    {8, 11, 2016, 2019, "山の日"},
    {8, 11, 2022, kNoEnd, "山の日"},
    {9, 15, 1966, 2002, "敬老の日"},
    {10, 10, 1966, 1999, "体育の日"},
    {11, 3, 1948, kNoEnd, "文化の日"},
    {11, 23, 1948, kNoEnd, "勤労感謝の日"},
    {12, 23, 1989, 2018, "天皇誕生日"},
}};

// Happy Monday (平成10年・13年改正): the nth Monday of a month.
struct MondayHoliday {
  unsigned month;
  unsigned nth;
  int from_year;
  int to_year;
  const char* name;
};

constexpr std::array<MondayHoliday, 6> kMondays = {{
    {1, 2, 2000, kNoEnd, "成人の日"},
    {7, 3, 2003, 2019, "海の日"},
    {7, 3, 2022, kNoEnd, "海の日"},
    {9, 3, 2003, kNoEnd, "敬老の日"},
    {10, 2, 2000, 2019, "体育の日"},
    {10, 2, 2022, kNoEnd, "スポーツの日"},
}};

// Holidays by a law of their own, and the Olympic moves.
struct OneOffHoliday {
  int year;
  unsigned month;
  unsigned day;
  const char* name;
};

constexpr std::array<OneOffHoliday, 12> kOneOff = {{
    {1959, 4, 10, "皇太子明仁親王の結婚の儀"},
    {1989, 2, 24, "昭和天皇の大喪の礼"},
    {1990, 11, 12, "即位礼正殿の儀"},
    {1993, 6, 9, "皇太子徳仁親王の結婚の儀"},
    {2019, 5, 1, "天皇の即位の日"},  // 4/30 and 5/2 follow as 国民の休日
    {2019, 10, 22, "即位礼正殿の儀"},
    {2020, 7, 23, "海の日"},
    {2020, 7, 24, "スポーツの日"},
    {2020, 8, 10, "山の日"},
    {2021, 7, 22, "海の日"},
    {2021, 7, 23, "スポーツの日"},
    {2021, 8, 8, "山の日"},
}};

// 春分の日 and 秋分の日 are fixed each February in the 官報 from astronomical data; this is the
// standard approximation, exact for 1900–2099 (constants by period; integer division
// truncates toward zero as in the published formula).
struct EquinoxRule {
  int from_year;
  int to_year;
  double base;    // day in the month of 1980's equinox plus the fraction
  int leap_base;  // the year from which leap days are counted
};

constexpr std::array<EquinoxRule, 2> kVernal = {{
    {1900, 1979, 20.8357, 1983},
    {1980, 2099, 20.8431, 1980},
}};
constexpr std::array<EquinoxRule, 2> kAutumnal = {{
    {1900, 1979, 23.2588, 1983},
    {1980, 2099, 23.2488, 1980},
}};
constexpr int kVernalFrom = 1949;    // 春分の日: the first one after the law was 1949
constexpr int kAutumnalFrom = 1948;  // 秋分の日: 1948-09-23 was already a holiday

// 振替休日: from 1973-04-12 (昭和48年改正); from 2007 the nearest following non-holiday.
constexpr year_month_day kFurikaeFrom{year{1973}, month{4}, day{12}};
constexpr int kFurikaeExtendedFrom = 2007;
// 国民の休日: from 1985-12-27 (昭和60年改正).
constexpr year_month_day kKokuminNoKyujitsuFrom{year{1985}, month{12}, day{27}};
constexpr year_month_day kLawInForce{year{kLawYear}, month{7}, day{20}};

std::optional<unsigned> EquinoxDay(const std::array<EquinoxRule, 2>& rules, int y) {
  for (const EquinoxRule& r : rules) {
    if (y < r.from_year || y > r.to_year) continue;
    const double value = r.base + 0.242194 * (y - 1980) - static_cast<int>((y - r.leap_base) / 4);
    return static_cast<unsigned>(static_cast<int>(value));
  }
  return std::nullopt;
}

bool IsSunday(year_month_day d) { return weekday{sys_days{d}} == std::chrono::Sunday; }

// True for a 国民の祝日 proper (not 振替休日 nor 国民の休日).
bool IsShukujitsu(year_month_day d) {
  if (sys_days{d} < sys_days{kLawInForce}) return false;
  const int y = static_cast<int>(d.year());
  const unsigned m = static_cast<unsigned>(d.month());
  const unsigned dd = static_cast<unsigned>(d.day());
  for (const FixedHoliday& h : kFixed) {
    if (h.month == m && h.day == dd && y >= h.from_year && y <= h.to_year) {
      return true;
    }
  }
  const weekday wd{sys_days{d}};
  if (wd == std::chrono::Monday) {
    const unsigned nth = (dd - 1) / 7 + 1;
    for (const MondayHoliday& h : kMondays) {
      if (h.month == m && h.nth == nth && y >= h.from_year && y <= h.to_year) return true;
    }
  }
  for (const OneOffHoliday& h : kOneOff) {
    if (h.year == y && h.month == m && h.day == dd) return true;
  }
  if (m == 3 && y >= kVernalFrom && EquinoxDay(kVernal, y) == dd) return true;
  if (m == 9 && y >= kAutumnalFrom && EquinoxDay(kAutumnal, y) == dd) return true;
  return false;
}

// 振替休日: the day after a Sunday 祝日 (1973-04-12 to 2006), or since 2007 the first day after
// a Sunday 祝日 that is not itself a 祝日.
bool IsFurikae(year_month_day d) {
  if (IsShukujitsu(d)) return false;
  sys_days prev = sys_days{d} - days{1};
  if (static_cast<int>(d.year()) >= kFurikaeExtendedFrom) {
    // Walk back over a run of 祝日; the run must start on a Sunday.
    while (IsShukujitsu(year_month_day{prev})) {
      if (IsSunday(year_month_day{prev})) return prev >= sys_days{kFurikaeFrom};
      prev -= days{1};
    }
    return false;
  }
  const year_month_day p{prev};
  return IsShukujitsu(p) && IsSunday(p) && prev >= sys_days{kFurikaeFrom};
}

// 国民の休日: a day between two 祝日 that is not a 祝日 itself. Before 2007 a Sunday or a 振替休日
// did not become one (it was already a day off).
bool IsKokuminNoKyujitsu(year_month_day d) {
  if (sys_days{d} < sys_days{kKokuminNoKyujitsuFrom}) return false;
  if (IsShukujitsu(d)) return false;
  if (static_cast<int>(d.year()) < kFurikaeExtendedFrom && (IsSunday(d) || IsFurikae(d))) {
    return false;
  }
  return IsShukujitsu(year_month_day{sys_days{d} - days{1}}) &&
         IsShukujitsu(year_month_day{sys_days{d} + days{1}});
}

bool IsYearEndClosure(year_month_day d) {
  const unsigned m = static_cast<unsigned>(d.month());
  const unsigned dd = static_cast<unsigned>(d.day());
  return (m == 12 && dd >= 29) || (m == 1 && dd <= 3);
}

}  // namespace

bool JapaneseOfficeCalendar::IsNationalHoliday(year_month_day day_value) {
  return IsShukujitsu(day_value) || IsFurikae(day_value) || IsKokuminNoKyujitsu(day_value);
}

bool JapaneseOfficeCalendar::IsClosed(year_month_day day_value) const {
  const weekday wd{sys_days{day_value}};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return true;
  return IsYearEndClosure(day_value) || IsNationalHoliday(day_value);
}

year_month_day LastFilingDay(year_month_day event_day, FilingPeriod period,
                             const Calendar& calendar) {
  sys_days last = sys_days{event_day};
  if (period.months > 0) {
    // 民法143条: the day before the corresponding day of the last month (the first day counts,
    // 戸籍法43条); without a corresponding day, the end of that month.
    const std::chrono::year_month_day target = event_day + std::chrono::months{period.months};
    if (target.ok()) {
      last = sys_days{target} - days{1};
    } else {
      last = sys_days{target.year() / target.month() / std::chrono::last};
    }
  }
  if (period.days > 0) last += days{period.days - 1};
  while (calendar.IsClosed(year_month_day{last})) last += days{1};
  return year_month_day{last};
}

}  // namespace koseki::rules
