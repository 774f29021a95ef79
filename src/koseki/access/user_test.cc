#include "koseki/access/user.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/clock.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::access {
namespace {

using ::koseki::testing::IsOk;
using std::chrono::year;

std::chrono::system_clock::time_point JapanNoon(std::chrono::year_month_day day) {
  return std::chrono::sys_days(day) + std::chrono::hours(3);  // 12:00 JST
}

UserRecord Current() {
  return UserRecord{.login = "clerk01",
                    .role = Role::kClerk,
                    .pledge_signed = year(2026) / 4 / 1,
                    .training_until = year(2027) / 3 / 31};
}

TEST(UserTest, LoginsAreShortLowercaseIds) {
  EXPECT_THAT(ValidateLogin("clerk01"), IsOk());
  EXPECT_THAT(ValidateLogin("op.k-2_b"), IsOk());
  for (const char* bad :
       {"", "a", "Clerk", "-op", ".op", "op 1", "op@city", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    auto refused = ValidateLogin(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().id, "KSK-AUTH-001");
  }
}

TEST(UserTest, JsonRoundTripsEveryField) {
  UserRecord user = Current();
  user.disabled = true;
  user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";
  user.must_change_password = false;
  user.totp_secret = "JBSWY3DPEHPK3PXP";
  user.totp_last_step = 123;
  user.failed_attempts = 2;
  user.locked_until = 99;
  user.created_at = 7;
  user.created_by = "uid:0";
  auto parsed = UserFromJson(UserToJson(user));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(UserToJson(*parsed), UserToJson(user));
  auto corrupt = UserFromJson("{\"login\":\"x\"}");
  ASSERT_FALSE(corrupt);
  EXPECT_EQ(corrupt.error().id, "KSK-AUTH-002");
}

TEST(UserTest, LoginNeedsAPledgeCurrentTrainingNoLockAndAnEnabledAccount) {
  const auto now = JapanNoon(year(2026) / 12 / 4);
  EXPECT_THAT(CheckMayLogIn(Current(), now), IsOk());
  UserRecord disabled = Current();
  disabled.disabled = true;
  EXPECT_EQ(CheckMayLogIn(disabled, now).error().id, "KSK-AUTH-003");
  UserRecord locked = Current();
  locked.locked_until = UnixMicros(now) + 1;
  EXPECT_EQ(CheckMayLogIn(locked, now).error().id, "KSK-AUTH-004");
  UserRecord no_pledge = Current();
  no_pledge.pledge_signed.reset();
  EXPECT_EQ(CheckMayLogIn(no_pledge, now).error().id, "KSK-AUTH-005");
  UserRecord untrained = Current();
  untrained.training_until.reset();
  EXPECT_EQ(CheckMayLogIn(untrained, now).error().id, "KSK-AUTH-006");
  // Training is valid through its last day, in Japan.
  EXPECT_THAT(CheckMayLogIn(Current(), JapanNoon(year(2027) / 3 / 31)), IsOk());
  EXPECT_EQ(CheckMayLogIn(Current(), JapanNoon(year(2027) / 4 / 1)).error().id, "KSK-AUTH-006");
}

TEST(UserTest, RolesWorkOnlyFromTheirZones) {
  const ZonePolicy defaults;
  EXPECT_TRUE(RoleAllowedInZone(Role::kOperator, Zone::kVendor, defaults));
  EXPECT_FALSE(RoleAllowedInZone(Role::kOperator, Zone::kCity, defaults));
  EXPECT_TRUE(RoleAllowedInZone(Role::kSupervisor, Zone::kVendor, defaults));
  EXPECT_FALSE(RoleAllowedInZone(Role::kSupervisor, Zone::kCity, defaults));
  for (Role city : {Role::kClerk, Role::kExaminer, Role::kApprover}) {
    EXPECT_TRUE(RoleAllowedInZone(city, Zone::kCity, defaults));
    EXPECT_FALSE(RoleAllowedInZone(city, Zone::kVendor, defaults));
  }
  EXPECT_FALSE(RoleAllowedInZone(Role::kAuditor, Zone::kVendor, defaults));
  ZonePolicy both;
  both.auditor_zones = {.city = true, .vendor = true};
  EXPECT_TRUE(RoleAllowedInZone(Role::kAuditor, Zone::kVendor, both));
  EXPECT_FALSE(RoleAllowedInZone(Role::kAdmin, Zone::kVendor, both));
  EXPECT_EQ(CheckRoleInZone(Role::kOperator, Zone::kCity, defaults).error().id, "KSK-AUTH-007");
}

TEST(UserTest, ZoneSetsAndDaysParseStrictly) {
  auto both = ParseZoneSet("city,vendor");
  ASSERT_THAT(both, IsOk());
  EXPECT_EQ(FormatZoneSet(*both), "city,vendor");
  EXPECT_EQ(ParseZoneSet("").error().id, "KSK-AUTH-009");
  EXPECT_EQ(ParseZoneSet("city,office").error().id, "KSK-AUTH-009");
  auto day = ParseIsoDay("2027-03-31");
  ASSERT_THAT(day, IsOk());
  EXPECT_EQ(FormatIsoDay(*day), "2027-03-31");
  for (const char* bad : {"2027-02-30", "2027-3-31", "20270331", "2027-03-31x"}) {
    EXPECT_EQ(ParseIsoDay(bad).error().id, "KSK-AUTH-008") << bad;
  }
}

}  // namespace
}  // namespace koseki::access
