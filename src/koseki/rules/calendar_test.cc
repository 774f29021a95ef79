#include "koseki/rules/calendar.h"

#include <gtest/gtest.h>

namespace koseki::rules {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr year_month_day D(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

TEST(JapaneseOfficeCalendarTest, KnowsTheFixedHolidaysOf2025) {
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 1, 1)));     // 元日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 2, 11)));    // 建国記念の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 2, 23)));    // 天皇誕生日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 4, 29)));    // 昭和の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 5, 3)));     // 憲法記念日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 5, 4)));     // みどりの日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 5, 5)));     // こどもの日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 8, 11)));    // 山の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 11, 3)));    // 文化の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 11, 23)));   // 勤労感謝の日
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 12, 23)));  // no longer since 2019
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 6, 2)));
}

TEST(JapaneseOfficeCalendarTest, KnowsTheHappyMondays) {
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 1, 13)));   // 成人の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 7, 21)));   // 海の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 9, 15)));   // 敬老の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 10, 13)));  // スポーツの日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2026, 1, 12)));   // 成人の日
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 1, 15)));  // before 2000 only
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1999, 1, 15)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 1, 6)));  // 1st Monday
}

TEST(JapaneseOfficeCalendarTest, ComputesTheEquinoxes) {
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2024, 3, 20)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2024, 9, 22)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 3, 20)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 9, 23)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2026, 3, 20)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2026, 9, 23)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2012, 3, 20)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1960, 3, 20)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1978, 3, 21)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 3, 21)));
}

TEST(JapaneseOfficeCalendarTest, KnowsSubstituteHolidays) {
  // 天皇誕生日 2025-02-23 and 山の日 2024-08-11 fell on Sundays.
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 2, 24)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2024, 8, 12)));
  // 2025-11-24: 勤労感謝の日 on a Sunday.
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2025, 11, 24)));
  // Since 2007 the next non-holiday: 憲法記念日 on Sunday 2026-05-03 → Wednesday 5/6.
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2026, 5, 6)));
  // Before 1973-04-12 there was no 振替休日: 元日 1967 fell on a Sunday.
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(1967, 1, 2)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1973, 4, 30)));  // the first one
}

TEST(JapaneseOfficeCalendarTest, KnowsTheCitizensHoliday) {
  // 2026-09-22 lies between 敬老の日 (9/21) and 秋分の日 (9/23).
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2026, 9, 22)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2015, 9, 22)));
  // 2019: the enthronement day made 4/30 and 5/2 holidays too.
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2019, 4, 30)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2019, 5, 1)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2019, 5, 2)));
  // Before 1985-12-27 a day between two holidays was a working day.
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(1985, 5, 4)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1988, 5, 4)));
}

TEST(JapaneseOfficeCalendarTest, KnowsTheOlympicMoves) {
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 7, 23)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 7, 24)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 8, 10)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 7, 20)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 8, 11)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2020, 10, 12)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2021, 7, 22)));
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(2021, 8, 9)));  // 8/8 on a Sunday
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(2021, 10, 11)));
}

TEST(JapaneseOfficeCalendarTest, KnowsHistoricHolidays) {
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1988, 4, 29)));   // 天皇誕生日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1989, 2, 24)));   // 大喪の礼
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1970, 10, 10)));  // 体育の日
  EXPECT_TRUE(JapaneseOfficeCalendar::IsNationalHoliday(D(1948, 11, 3)));
  EXPECT_FALSE(JapaneseOfficeCalendar::IsNationalHoliday(D(1948, 5, 5)));  // before the law
  EXPECT_FALSE(
      JapaneseOfficeCalendar::IsNationalHoliday(D(1966, 2, 11)));  // 建国記念の日 from 1967
}

TEST(JapaneseOfficeCalendarTest, OfficeIsClosedOnWeekendsHolidaysAndAtYearEnd) {
  const JapaneseOfficeCalendar calendar;
  EXPECT_TRUE(calendar.IsClosed(D(2026, 4, 4)));    // Saturday
  EXPECT_TRUE(calendar.IsClosed(D(2026, 4, 5)));    // Sunday
  EXPECT_FALSE(calendar.IsClosed(D(2026, 4, 6)));   // Monday
  EXPECT_TRUE(calendar.IsClosed(D(2025, 12, 29)));  // Monday, year-end closure
  EXPECT_TRUE(calendar.IsClosed(D(2025, 12, 31)));
  EXPECT_TRUE(calendar.IsClosed(D(2026, 1, 2)));
  EXPECT_TRUE(calendar.IsClosed(D(2026, 1, 3)));
  EXPECT_FALSE(calendar.IsClosed(D(2025, 12, 26)));  // Friday
  EXPECT_FALSE(calendar.IsClosed(D(2026, 1, 5)));    // Monday
  EXPECT_TRUE(calendar.IsClosed(D(2025, 2, 24)));    // 振替休日
}

TEST(LastFilingDayTest, CountsTheFirstDay) {
  const JapaneseOfficeCalendar calendar;
  // A birth on 2026-04-01: the 14-day period ends on Tuesday 2026-04-14.
  EXPECT_EQ(LastFilingDay(D(2026, 4, 1), {.days = 14}, calendar), D(2026, 4, 14));
  // A death on 2026-04-01: the 7-day period ends on Tuesday 2026-04-07.
  EXPECT_EQ(LastFilingDay(D(2026, 4, 1), {.days = 7}, calendar), D(2026, 4, 7));
}

TEST(LastFilingDayTest, ExtendsAPeriodEndingOnASaturdayToMonday) {
  const JapaneseOfficeCalendar calendar;
  // 2026-04-05 + 13 days = Saturday 2026-04-18 → Monday 2026-04-20.
  EXPECT_EQ(LastFilingDay(D(2026, 4, 5), {.days = 14}, calendar), D(2026, 4, 20));
}

TEST(LastFilingDayTest, ExtendsOverTheYearEndClosure) {
  const JapaneseOfficeCalendar calendar;
  // Ends on Monday 2025-12-29 → the office reopens on Monday 2026-01-05 (1/4 is a Sunday).
  EXPECT_EQ(LastFilingDay(D(2025, 12, 16), {.days = 14}, calendar), D(2026, 1, 5));
  // Ends on Tuesday 2026-12-29 → Monday 2027-01-04.
  EXPECT_EQ(LastFilingDay(D(2026, 12, 16), {.days = 14}, calendar), D(2027, 1, 4));
}

TEST(LastFilingDayTest, ExtendsOverGoldenWeek) {
  const JapaneseOfficeCalendar calendar;
  // Ends on Sunday 2026-05-03; 5/4, 5/5, 5/6 are holidays → Thursday 2026-05-07.
  EXPECT_EQ(LastFilingDay(D(2026, 4, 20), {.days = 14}, calendar), D(2026, 5, 7));
}

TEST(LastFilingDayTest, CountsMonthsToTheDayBeforeTheCorrespondingDay) {
  const JapaneseOfficeCalendar calendar;
  // Born abroad on 2026-01-15: 3 months end on Tuesday 2026-04-14.
  EXPECT_EQ(LastFilingDay(D(2026, 1, 15), {.months = 3}, calendar), D(2026, 4, 14));
  // 2025-11-30 + 3 months: no 2/30, so the end of February (Saturday 2026-02-28) → Monday 3/2.
  EXPECT_EQ(LastFilingDay(D(2025, 11, 30), {.months = 3}, calendar), D(2026, 3, 2));
  // From the first of a month: to the end of the last month (Tuesday 2026-03-31).
  EXPECT_EQ(LastFilingDay(D(2026, 1, 1), {.months = 3}, calendar), D(2026, 3, 31));
}

}  // namespace
}  // namespace koseki::rules
