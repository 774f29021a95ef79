#include "koseki/access/service_window.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::access {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::sys_days;
using ::testing::HasSubstr;
using ::testing::Optional;

// Returns the instant of a wall-clock time in Japan.
Instant Jst(int y, unsigned m, unsigned d, int h, int mi) {
  const sys_days day{std::chrono::year{y} / m / d};
  return day + hours{h} + minutes{mi} - hours{9};
}

// Returns a window open 00:00-24:00 every day, holidays included: only closures close it.
ServiceWindow AlwaysOpen() {
  ServiceWindow window;
  window.hours.by_weekday.fill(DailyHours{minutes{0}, minutes{24 * 60}});
  window.closed_on_office_holidays = false;
  return window;
}

TEST(ZoneTest, EveryZoneNameParsesBackToItsZone) {
  EXPECT_EQ(ParseZone(ZoneName(Zone::kCity)), Zone::kCity);
  EXPECT_EQ(ParseZone(ZoneName(Zone::kVendor)), Zone::kVendor);
  EXPECT_EQ(ParseZone("City"), std::nullopt);
  EXPECT_EQ(ParseZone(""), std::nullopt);
}

TEST(ServiceWindowTest, CityIsOpenOnAWeekdayDuringHours) {
  EXPECT_TRUE(IsOpen(DefaultWindow(Zone::kCity), Jst(2027, 1, 13, 10, 0)));  // Wednesday
}

TEST(ServiceWindowTest, ClosedOnSaturdayAndSunday) {
  const ServiceWindow window = DefaultWindow(Zone::kCity);
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 16, 10, 0)));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 17, 10, 0)));
}

TEST(ServiceWindowTest, ClosedOnANationalHolidayOnAWeekday) {
  // 2027-01-11 is 成人の日, the second Monday of January.
  EXPECT_FALSE(IsOpen(DefaultWindow(Zone::kCity), Jst(2027, 1, 11, 10, 0)));
}

TEST(ServiceWindowTest, OpenOnAHolidayWhenTheTenantWorksOnHolidays) {
  ServiceWindow window = DefaultWindow(Zone::kCity);
  window.closed_on_office_holidays = false;
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 11, 10, 0)));
}

TEST(ServiceWindowTest, ClosedInTheYearEndClosureAndOpenAgainOnJanuaryFourth) {
  const ServiceWindow window = DefaultWindow(Zone::kCity);
  EXPECT_FALSE(IsOpen(window, Jst(2026, 12, 30, 10, 0)));  // Wednesday
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 1, 10, 0)));    // Friday, 元日
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 4, 10, 0)));     // Monday
}

TEST(ServiceWindowTest, OpensAtTheOpeningMinuteAndClosesAtTheClosingMinute) {
  const ServiceWindow window = DefaultWindow(Zone::kCity);
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 13, 8, 30) - microseconds{1}));
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 13, 8, 30)));
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 13, 17, 15) - microseconds{1}));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 13, 17, 15)));
}

TEST(ServiceWindowTest, VendorDefaultsToNineToFive) {
  const ServiceWindow window = DefaultWindow(Zone::kVendor);
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 13, 8, 59)));
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 13, 9, 0)));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 13, 17, 0)));
  EXPECT_TRUE(window.closed_on_office_holidays);
}

TEST(ServiceWindowTest, UsesJapanTimeNotUtc) {
  // Sunday 23:30 UTC is Monday 08:30 in Japan.
  const Instant sunday_utc = sys_days{std::chrono::year{2027} / 1 / 17} + hours{23} + minutes{30};
  EXPECT_TRUE(IsOpen(DefaultWindow(Zone::kCity), sunday_utc));
  EXPECT_FALSE(IsOpen(DefaultWindow(Zone::kCity), sunday_utc - minutes{1}));
}

TEST(ServiceWindowTest, AClosureCrossingMidnightClosesBothSides) {
  ServiceWindow window = AlwaysOpen();
  window.closures.push_back(
      Closure{Jst(2027, 1, 10, 22, 0), Jst(2027, 1, 11, 2, 0), "maintenance"});
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 10, 21, 59)));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 10, 22, 0)));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 11, 0, 0)));
  EXPECT_FALSE(IsOpen(window, Jst(2027, 1, 11, 2, 0) - microseconds{1}));
  EXPECT_TRUE(IsOpen(window, Jst(2027, 1, 11, 2, 0)));
  EXPECT_THAT(NextClose(window, Jst(2027, 1, 10, 21, 0)), Optional(Jst(2027, 1, 10, 22, 0)));
  EXPECT_THAT(NextOpen(window, Jst(2027, 1, 10, 23, 0)), Optional(Jst(2027, 1, 11, 2, 0)));
}

TEST(ServiceWindowTest, AClosureInsideOfficeHoursClosesOnlyItsSpan) {
  ServiceWindow window = DefaultWindow(Zone::kCity);
  window.closures.push_back(Closure{Jst(2027, 1, 13, 12, 0), Jst(2027, 1, 13, 13, 0), "lunch"});
  EXPECT_THAT(NextClose(window, Jst(2027, 1, 13, 10, 0)), Optional(Jst(2027, 1, 13, 12, 0)));
  EXPECT_THAT(NextOpen(window, Jst(2027, 1, 13, 12, 30)), Optional(Jst(2027, 1, 13, 13, 0)));
  EXPECT_THAT(NextClose(window, Jst(2027, 1, 13, 13, 0)), Optional(Jst(2027, 1, 13, 17, 15)));
}

TEST(ServiceWindowTest, NextCloseIsTheEndOfTodaysHours) {
  EXPECT_THAT(NextClose(DefaultWindow(Zone::kCity), Jst(2027, 1, 13, 10, 0)),
              Optional(Jst(2027, 1, 13, 17, 15)));
}

TEST(ServiceWindowTest, NextCloseOfAClosedWindowIsNow) {
  const Instant saturday = Jst(2027, 1, 16, 10, 0);
  EXPECT_THAT(NextClose(DefaultWindow(Zone::kCity), saturday), Optional(saturday));
}

TEST(ServiceWindowTest, NextOpenOfAnOpenWindowIsNow) {
  const Instant wednesday = Jst(2027, 1, 13, 10, 0);
  EXPECT_THAT(NextOpen(DefaultWindow(Zone::kCity), wednesday), Optional(wednesday));
}

TEST(ServiceWindowTest, NextOpenSkipsTheWeekend) {
  EXPECT_THAT(NextOpen(DefaultWindow(Zone::kCity), Jst(2027, 1, 15, 17, 15)),
              Optional(Jst(2027, 1, 18, 8, 30)));
}

TEST(ServiceWindowTest, NextOpenSkipsTheWeekendAndAHolidayMonday) {
  EXPECT_THAT(NextOpen(DefaultWindow(Zone::kCity), Jst(2027, 1, 8, 18, 0)),
              Optional(Jst(2027, 1, 12, 8, 30)));
}

TEST(ServiceWindowTest, NextOpenSkipsTheYearEndClosure) {
  EXPECT_THAT(NextOpen(DefaultWindow(Zone::kVendor), Jst(2026, 12, 28, 17, 0)),
              Optional(Jst(2027, 1, 4, 9, 0)));
}

TEST(ServiceWindowTest, HoursUntilMidnightRunIntoTheNextDayWithoutClosing) {
  ServiceWindow window = AlwaysOpen();
  window.closures.push_back(Closure{Jst(2027, 1, 20, 3, 0), Jst(2027, 1, 20, 4, 0), "upgrade"});
  EXPECT_THAT(NextClose(window, Jst(2027, 1, 13, 10, 0)), Optional(Jst(2027, 1, 20, 3, 0)));
}

TEST(ServiceWindowTest, NextOpenOfAWindowThatNeverOpensIsNothing) {
  ServiceWindow window;  // no hours at all
  EXPECT_EQ(NextOpen(window, Jst(2027, 1, 13, 10, 0)), std::nullopt);
}

TEST(ServiceWindowTest, NextCloseOfAWindowThatNeverClosesIsNothing) {
  EXPECT_EQ(NextClose(AlwaysOpen(), Jst(2027, 1, 13, 10, 0)), std::nullopt);
}

TEST(ServiceWindowTest, NextOpenLooksNoFurtherThanFourHundredDays) {
  ServiceWindow window = AlwaysOpen();
  window.closures.push_back(Closure{Jst(2027, 1, 1, 0, 0), Jst(2028, 6, 1, 0, 0), "closed"});
  EXPECT_EQ(NextOpen(window, Jst(2027, 1, 1, 0, 0)), std::nullopt);
  window.closures.front().until = Jst(2027, 12, 1, 0, 0);
  EXPECT_THAT(NextOpen(window, Jst(2027, 1, 1, 0, 0)), Optional(Jst(2027, 12, 1, 0, 0)));
}

TEST(WeeklyHoursTest, CanonicalTextRoundTrips) {
  for (std::string_view text :
       {"mon-fri 08:30-17:15; sat 09:00-12:00", "none", "always", "mon,wed,fri 09:00-12:00",
        "mon-tue,thu 09:00-12:00; sun 10:00-24:00", "sat-sun 00:00-24:00"}) {
    const Result<WeeklyHours> weekly = ParseWeeklyHours(text);
    ASSERT_THAT(weekly, IsOk()) << text;
    EXPECT_EQ(FormatWeeklyHours(*weekly), text);
  }
}

TEST(WeeklyHoursTest, ParsesDaysIntoTheirWeekdays) {
  const Result<WeeklyHours> weekly = ParseWeeklyHours("mon-fri 08:30-17:15; sat 09:00-12:00");
  ASSERT_THAT(weekly, IsOk());
  const DailyHours office{minutes{8 * 60 + 30}, minutes{17 * 60 + 15}};
  EXPECT_EQ(weekly->by_weekday[std::chrono::Monday.c_encoding()], office);
  EXPECT_EQ(weekly->by_weekday[std::chrono::Friday.c_encoding()], office);
  EXPECT_EQ(weekly->by_weekday[std::chrono::Saturday.c_encoding()],
            (DailyHours{minutes{9 * 60}, minutes{12 * 60}}));
  EXPECT_EQ(weekly->by_weekday[std::chrono::Sunday.c_encoding()], std::nullopt);
}

TEST(WeeklyHoursTest, FormatsAnyWayOfWritingInCanonicalForm) {
  const Result<WeeklyHours> weekly =
      ParseWeeklyHours("  sat 09:00-12:00;mon,tue,wed-fri   08:30-17:15 ");
  ASSERT_THAT(weekly, IsOk());
  EXPECT_EQ(FormatWeeklyHours(*weekly), "mon-fri 08:30-17:15; sat 09:00-12:00");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("mon-sun 00:00-24:00")), "always");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("mon 09:00-12:00; tue 09:00-12:00")),
            "mon-tue 09:00-12:00");
}

TEST(WeeklyHoursTest, DefaultWindowsFormatAsDocumented) {
  EXPECT_EQ(FormatWeeklyHours(DefaultWindow(Zone::kCity).hours), "mon-fri 08:30-17:15");
  EXPECT_EQ(FormatWeeklyHours(DefaultWindow(Zone::kVendor).hours), "mon-fri 09:00-17:00");
}

TEST(WeeklyHoursTest, RejectsAnUnknownDayNamingIt) {
  const Result<WeeklyHours> weekly = ParseWeeklyHours("mon-fry 08:30-17:15");
  EXPECT_THAT(weekly, ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(weekly.error().public_message, HasSubstr("mon-fry"));
  EXPECT_THAT(ParseWeeklyHours("Mon 09:00-10:00"), ErrorIdIs("KSK-ACCESS-001"));
}

TEST(WeeklyHoursTest, RejectsMalformedGroups) {
  EXPECT_THAT(ParseWeeklyHours(""), ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(ParseWeeklyHours("mon09:00-10:00"), ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(ParseWeeklyHours("mon-fri 09:00-17:00;"), ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(ParseWeeklyHours("fri-mon 09:00-10:00"), ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(ParseWeeklyHours("mon, 09:00-10:00"), ErrorIdIs("KSK-ACCESS-001"));
  EXPECT_THAT(ParseWeeklyHours("none; mon 09:00-10:00"), ErrorIdIs("KSK-ACCESS-001"));
}

TEST(WeeklyHoursTest, RejectsBadTimesNamingThem) {
  const Result<WeeklyHours> reversed = ParseWeeklyHours("mon 17:00-09:00");
  EXPECT_THAT(reversed, ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(reversed.error().public_message, HasSubstr("17:00-09:00"));
  EXPECT_THAT(ParseWeeklyHours("mon 08:30"), ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(ParseWeeklyHours("mon 09:00-09:00"), ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(ParseWeeklyHours("mon 25:00-26:00"), ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(ParseWeeklyHours("mon 09:60-10:00"), ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(ParseWeeklyHours("mon 9:00-10:00"), ErrorIdIs("KSK-ACCESS-002"));
  EXPECT_THAT(ParseWeeklyHours("mon 23:00-24:01"), ErrorIdIs("KSK-ACCESS-002"));
}

TEST(WeeklyHoursTest, RejectsADayGivenTwiceNamingIt) {
  const Result<WeeklyHours> weekly = ParseWeeklyHours("mon-fri 09:00-17:00; fri 18:00-19:00");
  EXPECT_THAT(weekly, ErrorIdIs("KSK-ACCESS-003"));
  EXPECT_THAT(weekly.error().public_message, HasSubstr("fri"));
  EXPECT_THAT(ParseWeeklyHours("mon,mon 09:00-17:00"), ErrorIdIs("KSK-ACCESS-003"));
}

TEST(ClosuresTest, ParsesALineInJapanTime) {
  const Result<std::vector<Closure>> closures =
      ParseClosures("2027-01-10T09:00+09:00/2027-01-10T18:00+09:00 maintenance");
  ASSERT_THAT(closures, IsOk());
  ASSERT_EQ(closures->size(), 1U);
  EXPECT_EQ(closures->front(),
            (Closure{Jst(2027, 1, 10, 9, 0), Jst(2027, 1, 10, 18, 0), "maintenance"}));
}

TEST(ClosuresTest, CanonicalTextRoundTrips) {
  const std::string text =
      "2027-01-10T09:00+09:00/2027-01-10T18:00+09:00 maintenance\n"
      "2027-03-01T22:00+09:00/2027-03-02T06:30:15.250000+09:00\n";
  const Result<std::vector<Closure>> closures = ParseClosures(text);
  ASSERT_THAT(closures, IsOk());
  EXPECT_EQ(FormatClosures(*closures), text);
  EXPECT_EQ(FormatClosures({}), "");
}

TEST(ClosuresTest, AcceptsOtherOffsetsAndWritesJapanTime) {
  const Result<std::vector<Closure>> closures = ParseClosures(
      "# planned\n\n  2027-01-10T00:00Z/2027-01-10T09:00:30.5Z incident-7  \n"
      "2027-01-09T19:00-05:00/2027-01-10T10:00:01+09:00\n");
  ASSERT_THAT(closures, IsOk());
  EXPECT_EQ(FormatClosures(*closures),
            "2027-01-10T09:00+09:00/2027-01-10T18:00:30.500000+09:00 incident-7\n"
            "2027-01-10T09:00+09:00/2027-01-10T10:00:01+09:00\n");
}

TEST(ClosuresTest, RejectsMalformedLinesNamingLineAndPart) {
  const Result<std::vector<Closure>> no_slash =
      ParseClosures("\n2027-01-10T09:00+09:00 maintenance");
  EXPECT_THAT(no_slash, ErrorIdIs("KSK-ACCESS-004"));
  EXPECT_THAT(no_slash.error().public_message, HasSubstr("2 行目"));
  const Result<std::vector<Closure>> bad_day =
      ParseClosures("2027-02-30T09:00+09:00/2027-03-01T09:00+09:00");
  EXPECT_THAT(bad_day, ErrorIdIs("KSK-ACCESS-004"));
  EXPECT_THAT(bad_day.error().public_message, HasSubstr("2027-02-30T09:00+09:00"));
  EXPECT_THAT(ParseClosures("2027-01-10T09:00/2027-01-10T18:00+09:00"),
              ErrorIdIs("KSK-ACCESS-004"));  // no offset
  EXPECT_THAT(ParseClosures("2027-01-10T09:00+09:00/2027-01-10T18:00+09:00 Planned Work"),
              ErrorIdIs("KSK-ACCESS-004"));
  EXPECT_THAT(ParseClosures("2027-01-10T09:00:00.1234567Z/2027-01-10T18:00Z"),
              ErrorIdIs("KSK-ACCESS-004"));
  EXPECT_THAT(ParseClosures("2027-01-10T24:00Z/2027-01-11T18:00Z"), ErrorIdIs("KSK-ACCESS-004"));
}

TEST(ClosuresTest, RejectsAClosureThatEndsBeforeItBegins) {
  const Result<std::vector<Closure>> closures = ParseClosures(
      "2027-01-10T09:00+09:00/2027-01-10T18:00+09:00\n"
      "2027-01-10T18:00+09:00/2027-01-10T09:00Z");
  EXPECT_THAT(closures, ErrorIdIs("KSK-ACCESS-005"));
  EXPECT_THAT(closures.error().public_message, HasSubstr("2 行目"));
}

}  // namespace
}  // namespace koseki::access
