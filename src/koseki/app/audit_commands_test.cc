#include "koseki/app/audit_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::app {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

audit::Timestamp Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss, int us = 0) {
  return audit::Timestamp(std::chrono::sys_days(std::chrono::year(y) / m / d) +
                          std::chrono::hours(hh) + std::chrono::minutes(mm) +
                          std::chrono::seconds(ss) + std::chrono::microseconds(us));
}

TEST(ParseIsoTimeTest, ADateAloneIsMidnightInJapan) {
  auto t = ParseIsoTime("2026-11-26", false);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, Utc(2026, 11, 25, 15, 0, 0));
}

TEST(ParseIsoTimeTest, ADateAloneAsUpperBoundIncludesTheWholeDay) {
  auto t = ParseIsoTime("2026-11-26", true);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, Utc(2026, 11, 26, 15, 0, 0));
}

TEST(ParseIsoTimeTest, ZoneZIsUtc) {
  auto t = ParseIsoTime("2026-11-26T10:00:00Z", false);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, Utc(2026, 11, 26, 10, 0, 0));
}

TEST(ParseIsoTimeTest, OffsetsAndFractionsAreHonoured) {
  auto t = ParseIsoTime("2026-11-26T10:00:00.25-01:30", false);
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, Utc(2026, 11, 26, 11, 30, 0, 250000));
  auto end = ParseIsoTime("2026-11-26T10:00Z", true);
  ASSERT_THAT(end, IsOk());
  EXPECT_EQ(*end, Utc(2026, 11, 26, 10, 1, 0));
}

TEST(ParseIsoTimeTest, MalformedTimesAreRefused) {
  for (const char* bad : {"2026-02-30", "2026-11-26T25:00Z", "26-11-2026", "2026-11-26T10:00+9",
                          "2026-11-26T10:00:00.1234567Z", "2026-11-26 10:00", "yesterday"}) {
    EXPECT_THAT(ParseIsoTime(bad, false), ErrorIdIs("KSK-AUDIT-051")) << bad;
  }
}

TEST(FormatIsoTimeTest, PrintsUtcWithMicroseconds) {
  EXPECT_EQ(FormatIsoTime(Utc(2026, 11, 26, 10, 0, 0, 42)), "2026-11-26T10:00:00.000042Z");
}

}  // namespace
}  // namespace koseki::app
