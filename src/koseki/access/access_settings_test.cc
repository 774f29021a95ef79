#include "koseki/access/access_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::access {
namespace {

using ::koseki::testing::IsOk;

Instant Jst(std::chrono::year_month_day day, int hour, int minute) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::sys_days(day) + std::chrono::hours(hour) + std::chrono::minutes(minute) -
      std::chrono::hours(9));
}

TEST(AccessSettingsTest, WithoutSettingsTheCityIsAlwaysOpenAndTheVendorKeepsOfficeHours) {
  auto settings = AccessSettingsFrom({});
  ASSERT_THAT(settings, IsOk());
  const auto saturday = std::chrono::year(2026) / 12 / 5;
  EXPECT_TRUE(IsOpen(settings->city, Jst(saturday, 22, 0)));
  EXPECT_FALSE(IsOpen(settings->vendor, Jst(saturday, 10, 0)));
  EXPECT_TRUE(IsOpen(settings->vendor, Jst(std::chrono::year(2026) / 12 / 4, 10, 0)));
  EXPECT_FALSE(settings->zones.auditor_zones.vendor);
}

TEST(AccessSettingsTest, StoredSettingsOverrideTheDefaults) {
  auto settings = AccessSettingsFrom({{WindowHoursSetting(Zone::kVendor), "always"},
                                      {WindowHolidaysSetting(Zone::kVendor), "off"},
                                      {std::string(kAuditorZonesSetting), "city,vendor"}});
  ASSERT_THAT(settings, IsOk());
  EXPECT_TRUE(IsOpen(settings->vendor, Jst(std::chrono::year(2026) / 12 / 5, 3, 0)));
  EXPECT_TRUE(settings->zones.auditor_zones.vendor);
}

TEST(AccessSettingsTest, AStoredValueThatDoesNotParseNamesTheSetting) {
  auto bad = AccessSettingsFrom({{WindowHoursSetting(Zone::kCity), "someday 9-5"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, "KSK-ACCESS-020");
  EXPECT_THAT(bad.error().internal_detail, ::testing::HasSubstr("window.city.hours"));
}

}  // namespace
}  // namespace koseki::access
