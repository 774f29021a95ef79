#include "koseki/text/japanese_date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "koseki/base/testing/matchers.h"

namespace koseki::text {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using std::chrono::year;
using std::chrono::year_month_day;
using ::testing::Optional;

year_month_day Ymd(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Converts a Gregorian day to its certificate form; the test fails if the day is refused.
std::string WarekiOf(int y, unsigned m, unsigned d) {
  const Result<JapaneseDate> date = JapaneseDate::FromGregorian(Ymd(y, m, d));
  EXPECT_THAT(date, IsOk());
  return date ? date->ToWareki() : std::string();
}

struct EraBoundary {
  year_month_day last_day_of_old_era;
  std::string old_era_text;
  year_month_day first_day_of_new_era;
  std::string new_era_text;
};

// Names the era change in failure messages instead of dumping the struct's bytes.
void PrintTo(const EraBoundary& b, std::ostream* os) { *os << b.new_era_text; }

class EraBoundaryTest : public ::testing::TestWithParam<EraBoundary> {};

TEST_P(EraBoundaryTest, GregorianDaysOnEitherSideBelongToTheRightEra) {
  const EraBoundary& b = GetParam();
  const auto last = JapaneseDate::FromGregorian(b.last_day_of_old_era);
  const auto first = JapaneseDate::FromGregorian(b.first_day_of_new_era);
  ASSERT_THAT(last, IsOk());
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(last->ToWareki(), b.old_era_text);
  EXPECT_EQ(first->ToWareki(), b.new_era_text);
}

TEST_P(EraBoundaryTest, WarekiTextOnEitherSideGivesTheRightGregorianDay) {
  const EraBoundary& b = GetParam();
  const auto last = JapaneseDate::ParseWareki(b.old_era_text);
  const auto first = JapaneseDate::ParseWareki(b.new_era_text);
  ASSERT_THAT(last, IsOk());
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(last->day(), Optional(b.last_day_of_old_era));
  EXPECT_THAT(first->day(), Optional(b.first_day_of_new_era));
}

INSTANTIATE_TEST_SUITE_P(AllEraChanges, EraBoundaryTest,
                         ::testing::Values(EraBoundary{Ymd(1912, 7, 29), "明治４５年７月２９日",
                                                       Ymd(1912, 7, 30), "大正元年７月３０日"},
                                           EraBoundary{Ymd(1926, 12, 24), "大正１５年１２月２４日",
                                                       Ymd(1926, 12, 25), "昭和元年１２月２５日"},
                                           EraBoundary{Ymd(1989, 1, 7), "昭和６４年１月７日",
                                                       Ymd(1989, 1, 8), "平成元年１月８日"},
                                           EraBoundary{Ymd(2019, 4, 30), "平成３１年４月３０日",
                                                       Ymd(2019, 5, 1), "令和元年５月１日"}));

TEST(JapaneseDateTest, FirstYearOfAnEraPrintsAsGannen) {
  EXPECT_EQ(WarekiOf(2019, 5, 1), "令和元年５月１日");
  EXPECT_EQ(WarekiOf(1989, 1, 8), "平成元年１月８日");
  EXPECT_EQ(WarekiOf(1926, 12, 25), "昭和元年１２月２５日");
}

TEST(JapaneseDateTest, CertificateFormHasFullWidthDigitsWithoutZeroPadding) {
  EXPECT_EQ(WarekiOf(2024, 11, 20), "令和６年１１月２０日");
  EXPECT_EQ(WarekiOf(2020, 1, 5), "令和２年１月５日");
}

TEST(JapaneseDateTest, WarekiPartsReportEraAndEraYear) {
  const auto date = JapaneseDate::FromGregorian(Ymd(1989, 1, 8));
  ASSERT_THAT(date, IsOk());
  EXPECT_THAT(date->wareki(), Optional(WarekiParts{Era::kHeisei, 1, 1, 8}));
}

TEST(JapaneseDateTest, FromWarekiRefusesShowa64AfterItsLastDay) {
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kShowa, 64, 1, 7), IsOk());
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kShowa, 64, 1, 8), ErrorIdIs("KSK-DATE-002"));
}

TEST(JapaneseDateTest, FromWarekiRefusesHeisei32) {
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kHeisei, 31, 4, 30), IsOk());
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kHeisei, 31, 5, 1), ErrorIdIs("KSK-DATE-002"));
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kHeisei, 32, 1, 1), ErrorIdIs("KSK-DATE-002"));
}

TEST(JapaneseDateTest, FromWarekiRefusesYearZero) {
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, 0, 5, 1), ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, -1, 5, 1),
              ErrorIs(ErrorCode::kInvalidArgument));
}

TEST(JapaneseDateTest, FromWarekiRefusesADayBeforeTheEraBegan) {
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, 1, 4, 30), ErrorIdIs("KSK-DATE-002"));
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kTaisho, 1, 7, 29), ErrorIdIs("KSK-DATE-002"));
}

TEST(JapaneseDateTest, FromWarekiRefusesThirtiethOfFebruary) {
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, 6, 2, 30), ErrorIdIs("KSK-DATE-001"));
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, 6, 13, 1), ErrorIdIs("KSK-DATE-001"));
}

TEST(JapaneseDateTest, TwentyNinthOfFebruaryExistsOnlyInLeapYears) {
  EXPECT_THAT(JapaneseDate::FromGregorian(Ymd(2024, 2, 29)), IsOk());
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kReiwa, 6, 2, 29), IsOk());
  EXPECT_THAT(JapaneseDate::FromGregorian(Ymd(1900, 2, 29)), ErrorIdIs("KSK-DATE-001"));
  EXPECT_THAT(JapaneseDate::FromGregorian(Ymd(2023, 2, 29)), ErrorIdIs("KSK-DATE-001"));
  EXPECT_THAT(JapaneseDate::FromGregorian(Ymd(2000, 2, 29)), IsOk());
}

TEST(JapaneseDateTest, DaysBeforeTheSolarCalendarAreNotExact) {
  EXPECT_THAT(JapaneseDate::FromGregorian(Ymd(1872, 12, 31)), ErrorIdIs("KSK-DATE-001"));
  EXPECT_THAT(JapaneseDate::FromWareki(Era::kMeiji, 5, 12, 2), ErrorIdIs("KSK-DATE-001"));
  EXPECT_THAT(JapaneseDate::FromIso("1868-10-23"), ErrorIdIs("KSK-DATE-001"));
  const auto first = JapaneseDate::FromGregorian(Ymd(1873, 1, 1));
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->ToWareki(), "明治６年１月１日");
}

TEST(JapaneseDateTest, WritesTheWesternCalendarForAForeignNationalsDates) {
  const auto day = JapaneseDate::FromIso("1990-04-02");
  ASSERT_THAT(day, IsOk());
  EXPECT_EQ(day->ToSeireki(), "西暦１９９０年４月２日");
  EXPECT_EQ(day->ToWareki(), "平成２年４月２日");
  EXPECT_EQ(JapaneseDate::Inexact("西暦１９９０年頃").ToSeireki(), "西暦１９９０年頃");
}

TEST(JapaneseDateTest, InexactDateKeepsItsOriginalText) {
  const JapaneseDate old = JapaneseDate::Inexact("明治五年拾月弐日");
  EXPECT_FALSE(old.is_exact());
  EXPECT_EQ(old.ToWareki(), "明治五年拾月弐日");
  EXPECT_EQ(old.ToIso(), "明治五年拾月弐日");
  EXPECT_EQ(old.day(), std::nullopt);
  EXPECT_EQ(old.wareki(), std::nullopt);
}

TEST(JapaneseDateTest, InexactDateKeepsItsEstimateForOrdering) {
  const JapaneseDate estimated =
      JapaneseDate::Inexact("推定昭和２０年３月１０日", Ymd(1945, 3, 10));
  EXPECT_FALSE(estimated.is_exact());
  EXPECT_THAT(estimated.day(), Optional(Ymd(1945, 3, 10)));
  EXPECT_EQ(estimated.ToWareki(), "推定昭和２０年３月１０日");
  EXPECT_EQ(estimated.wareki(), std::nullopt);
}

TEST(JapaneseDateTest, InexactDateDiffersFromTheExactDay) {
  const auto exact = JapaneseDate::FromGregorian(Ymd(1945, 3, 10));
  ASSERT_THAT(exact, IsOk());
  EXPECT_NE(*exact, JapaneseDate::Inexact("推定昭和２０年３月１０日", Ymd(1945, 3, 10)));
}

TEST(JapaneseDateTest, ParseWarekiAcceptsFullAndHalfWidthDigitsAndGannen) {
  const auto full = JapaneseDate::ParseWareki("令和６年１１月２０日");
  const auto half = JapaneseDate::ParseWareki("令和6年11月20日");
  const auto gannen = JapaneseDate::ParseWareki("令和元年5月1日");
  const auto one = JapaneseDate::ParseWareki("令和１年５月１日");
  ASSERT_THAT(full, IsOk());
  ASSERT_THAT(half, IsOk());
  ASSERT_THAT(gannen, IsOk());
  ASSERT_THAT(one, IsOk());
  EXPECT_THAT(full->day(), Optional(Ymd(2024, 11, 20)));
  EXPECT_EQ(*half, *full);
  EXPECT_THAT(gannen->day(), Optional(Ymd(2019, 5, 1)));
  EXPECT_EQ(*one, *gannen);
}

TEST(JapaneseDateTest, ParseWarekiRefusesMalformedText) {
  for (const char* text : {"", "令和", "令和６年", "令和６年１１月", "令和６年１１月２０",
                           "西暦6年1月1日", "令和６年１１月２０日。", "令和年1月1日",
                           "令和12345年1月1日", "令和6年123月1日", "令和６ 年１１月２０日"}) {
    EXPECT_THAT(JapaneseDate::ParseWareki(text), ErrorIdIs("KSK-DATE-003")) << text;
  }
}

TEST(JapaneseDateTest, ParseWarekiRefusesADayOutsideTheEra) {
  EXPECT_THAT(JapaneseDate::ParseWareki("昭和64年1月8日"), ErrorIdIs("KSK-DATE-002"));
  EXPECT_THAT(JapaneseDate::ParseWareki("令和0年5月1日"), ErrorIdIs("KSK-DATE-002"));
  EXPECT_THAT(JapaneseDate::ParseWareki("令和６年２月３０日"), ErrorIdIs("KSK-DATE-001"));
}

TEST(JapaneseDateTest, IsoRoundTrips) {
  const auto date = JapaneseDate::FromIso("2019-05-01");
  ASSERT_THAT(date, IsOk());
  EXPECT_THAT(date->day(), Optional(Ymd(2019, 5, 1)));
  EXPECT_EQ(date->ToIso(), "2019-05-01");
  EXPECT_EQ(date->ToWareki(), "令和元年５月１日");
}

TEST(JapaneseDateTest, FromIsoRefusesMalformedText) {
  for (const char* text : {"", "2019-5-1", "2019/05/01", "20190501", "2019-05-01 ",
                           "２０１９-05-01", "-019-05-01", "2019-02-30"}) {
    EXPECT_THAT(JapaneseDate::FromIso(text), ErrorIs(ErrorCode::kInvalidArgument)) << text;
  }
}

TEST(JapaneseDateTest, EraNamesAreKanji) {
  EXPECT_EQ(EraName(Era::kMeiji), "明治");
  EXPECT_EQ(EraName(Era::kTaisho), "大正");
  EXPECT_EQ(EraName(Era::kShowa), "昭和");
  EXPECT_EQ(EraName(Era::kHeisei), "平成");
  EXPECT_EQ(EraName(Era::kReiwa), "令和");
}

TEST(FormatTimeOfDayTest, MidnightIsGozenZero) {
  EXPECT_THAT(FormatTimeOfDay(0, 0), ::koseki::testing::IsOkAndHolds(std::string("午前０時０分")));
}

TEST(FormatTimeOfDayTest, HalfPastNoonIsGogoZero) {
  EXPECT_THAT(FormatTimeOfDay(12, 30),
              ::koseki::testing::IsOkAndHolds(std::string("午後０時３０分")));
}

TEST(FormatTimeOfDayTest, LastMinuteOfTheDayIsGogoEleven) {
  EXPECT_THAT(FormatTimeOfDay(23, 59),
              ::koseki::testing::IsOkAndHolds(std::string("午後１１時５９分")));
  EXPECT_THAT(FormatTimeOfDay(11, 59),
              ::koseki::testing::IsOkAndHolds(std::string("午前１１時５９分")));
}

TEST(FormatTimeOfDayTest, RefusesOutOfRangeValues) {
  EXPECT_THAT(FormatTimeOfDay(24, 0), ErrorIdIs("KSK-DATE-004"));
  EXPECT_THAT(FormatTimeOfDay(0, 60), ErrorIdIs("KSK-DATE-004"));
  EXPECT_THAT(FormatTimeOfDay(-1, 0), ErrorIdIs("KSK-DATE-004"));
  EXPECT_THAT(FormatTimeOfDay(0, -1), ErrorIdIs("KSK-DATE-004"));
}

TEST(FullWidthTest, DigitsBecomeFullWidthAndOtherTextIsKept) {
  EXPECT_EQ(ToFullWidthDigits("第12号 a"), "第１２号 a");
  EXPECT_EQ(FullWidthNumber(0), "０");
  EXPECT_EQ(FullWidthNumber(2136), "２１３６");
  EXPECT_EQ(FullWidthNumber(-5), "－５");
}

TEST(AgeOnTest, OrdinaryBirthdayAddsAYearOnTheBirthdayItself) {
  EXPECT_EQ(AgeOn(Ymd(2006, 4, 2), Ymd(2024, 4, 1)), 17);
  EXPECT_EQ(AgeOn(Ymd(2006, 4, 2), Ymd(2024, 4, 2)), 18);
}

TEST(AgeOnTest, LeapDayBirthAddsAYearOnFirstMarchInCommonYears) {
  EXPECT_EQ(AgeOn(Ymd(2004, 2, 29), Ymd(2022, 2, 28)), 17);
  EXPECT_EQ(AgeOn(Ymd(2004, 2, 29), Ymd(2022, 3, 1)), 18);
}

TEST(AgeOnTest, LeapDayBirthAddsAYearOnTwentyNinthInLeapYears) {
  EXPECT_EQ(AgeOn(Ymd(2004, 2, 29), Ymd(2024, 2, 28)), 19);
  EXPECT_EQ(AgeOn(Ymd(2004, 2, 29), Ymd(2024, 2, 29)), 20);
}

TEST(AgeOnTest, AgeIsNegativeBeforeBirth) {
  EXPECT_EQ(AgeOn(Ymd(2024, 6, 1), Ymd(2024, 1, 1)), -1);
}

TEST(AgeOnTest, DayOfBirthIsAgeZero) { EXPECT_EQ(AgeOn(Ymd(2024, 1, 1), Ymd(2024, 1, 1)), 0); }

}  // namespace
}  // namespace koseki::text
