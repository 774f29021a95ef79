// The administrative use cases of devices, users and service windows on a real installation:
// what they store, what they refuse, and that each is recorded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pkcs12.h>

#include "koseki/app/device_admin.h"
#include "koseki/app/koseki.h"
#include "koseki/app/tenant_settings.h"
#include "koseki/app/user_admin.h"
#include "koseki/app/window_admin.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/fake_clock.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/crypto/password_hash.h"
#include "koseki/workflow/case_pictures.h"
#include "koseki/workflow/certificates.h"

namespace koseki::app {
namespace {

using ::koseki::testing::IsOk;
using ::testing::Contains;

constexpr char kTenant[] = "999997";
const access::Actor kAdmin{.user_id = "uid:0", .role = access::Role::kAdmin};
const access::Actor kClerk{.user_id = "clerk01", .role = access::Role::kClerk};
const crypto::PasswordHashParams kFastHash{.ops_limit = 1, .mem_limit = 8192};

class IdentityAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ =
        Location{dir_.path() / "data", dir_.path() / "master.key", dir_.path() / "witness.log"};
    ASSERT_THAT(Koseki::Init(location_, kAdmin, Passphrase(), crypto::KdfParams::Minimal()),
                IsOk());
    Reopen();
    ASSERT_THAT(koseki_->AddTenant(kAdmin, kTenant, "青葉県みなと市"), IsOk());
  }

  static SecretBytes Passphrase() { return SecretBytes::FromString("identity admin test"); }
  void Reopen() {
    koseki_.reset();
    auto koseki = Koseki::Open(location_, kAdmin, Passphrase(), {}, &clock_);
    ASSERT_THAT(koseki, IsOk());
    koseki_ = *std::move(koseki);
  }
  std::vector<std::string> Recorded() {
    auto entries = audit::FindEntries(koseki_->installation().backend(), kTenant, {});
    EXPECT_THAT(entries, IsOk());
    std::vector<std::string> out;
    for (const audit::Entry& e : *entries) {
      out.push_back(e.event().action + ":" + std::string(audit::OutcomeName(e.event().outcome)) +
                    ":" + e.event().error_id);
    }
    return out;
  }

  koseki::testing::TempDir dir_;
  Location location_;
  koseki::testing::FakeClock clock_{std::chrono::sys_days(std::chrono::year(2026) / 12 / 4)};
  std::unique_ptr<Koseki> koseki_;
};

TEST_F(IdentityAdminTest, AnEnrolledDeviceGetsABundleThatOpensWithThePasswordShownOnce) {
  auto enrolled = EnrollDevice(
      *koseki_, kAdmin, {.tenant = kTenant, .zone = access::Zone::kVendor, .name = "room-1"});
  ASSERT_THAT(enrolled, IsOk());
  const unsigned char* p = enrolled->pkcs12.data();
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(enrolled->pkcs12.size()));
  ASSERT_NE(p12, nullptr);
  const std::string password(reinterpret_cast<const char*>(enrolled->password.data()),
                             enrolled->password.size());
  EXPECT_EQ(PKCS12_verify_mac(p12, password.c_str(), -1), 1);
  PKCS12_free(p12);
  auto devices = ListDevices(*koseki_, kAdmin, kTenant);
  ASSERT_THAT(devices, IsOk());
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ((*devices)[0].serial_hex, enrolled->device.serial_hex);
  EXPECT_EQ((*devices)[0].zone, access::Zone::kVendor);
  EXPECT_THAT(Recorded(), Contains("admin.device_enroll:ok:"));
}

TEST_F(IdentityAdminTest, ANameIsTakenUntilItsDeviceIsRevoked) {
  const DeviceEnrolment request{.tenant = kTenant, .zone = access::Zone::kCity, .name = "desk"};
  ASSERT_THAT(EnrollDevice(*koseki_, kAdmin, request), IsOk());
  auto taken = EnrollDevice(*koseki_, kAdmin, request);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().id, "KSK-DEVICE-003");
  auto revoked = RevokeDevice(*koseki_, kAdmin, kTenant, "desk");
  ASSERT_THAT(revoked, IsOk());
  EXPECT_NE(revoked->revoked_at, 0);
  EXPECT_THAT(EnrollDevice(*koseki_, kAdmin, request), IsOk());
  EXPECT_EQ(RevokeDevice(*koseki_, kAdmin, kTenant, "nowhere").error().id, "KSK-DEVICE-005");
}

TEST_F(IdentityAdminTest, OnlyAnAdministratorAdministersAndTheRefusalIsRecorded) {
  auto refused = EnrollDevice(*koseki_, kClerk,
                              {.tenant = kTenant, .zone = access::Zone::kCity, .name = "desk"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().id, "KSK-ADMIN-001");
  EXPECT_EQ(AddUser(*koseki_, kClerk, {.tenant = kTenant, .login = "x1"}, kFastHash).error().id,
            "KSK-ADMIN-001");
  EXPECT_THAT(Recorded(), Contains("admin.device_enroll:refused:KSK-ADMIN-001"));
  EXPECT_THAT(Recorded(), Contains("admin.user_add:refused:KSK-ADMIN-001"));
}

TEST_F(IdentityAdminTest, AUserStartsWithAOneTimePasswordThatResetReplaces) {
  auto password =
      AddUser(*koseki_, kAdmin,
              {.tenant = kTenant, .login = "clerk01", .role = access::Role::kClerk}, kFastHash);
  ASSERT_THAT(password, IsOk());
  auto stored = koseki_->directory().FindUser(kTenant, "clerk01");
  ASSERT_THAT(stored, IsOk());
  EXPECT_TRUE((*stored)->value.must_change_password);
  EXPECT_TRUE(crypto::VerifyPassword(*password, (*stored)->value.password_hash));
  EXPECT_EQ(
      AddUser(*koseki_, kAdmin, {.tenant = kTenant, .login = "clerk01"}, kFastHash).error().id,
      "KSK-AUTH-020");
  auto listed = ListUsers(*koseki_, kAdmin, kTenant);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].password_hash.empty());  // credentials never leave the use case

  auto reset = ResetUser(*koseki_, kAdmin, kTenant, "clerk01", kFastHash);
  ASSERT_THAT(reset, IsOk());
  stored = koseki_->directory().FindUser(kTenant, "clerk01");
  EXPECT_FALSE(crypto::VerifyPassword(*password, (*stored)->value.password_hash));
  EXPECT_TRUE(crypto::VerifyPassword(*reset, (*stored)->value.password_hash));
  EXPECT_EQ(ResetUser(*koseki_, kAdmin, kTenant, "nobody", kFastHash).error().id, "KSK-AUTH-021");
}

TEST_F(IdentityAdminTest, TheCliActsAsTheEnrolledUserWithTheRoleOfTheRecord) {
  ASSERT_THAT(AddUser(*koseki_, kAdmin,
                      {.tenant = kTenant,
                       .login = "exa01",
                       .role = access::Role::kExaminer,
                       .pledge_signed = std::chrono::year(2026) / 4 / 1,
                       .training_until = std::chrono::year(2027) / 3 / 31},
                      kFastHash),
              IsOk());
  auto actor = CliUserActor(*koseki_, kTenant, "exa01", "uid:1000");
  ASSERT_THAT(actor, IsOk());
  EXPECT_EQ(actor->role, access::Role::kExaminer);
  EXPECT_EQ(actor->device_id, "uid:1000");
  ASSERT_THAT(SetUserDisabled(*koseki_, kAdmin, kTenant, "exa01", true), IsOk());
  EXPECT_EQ(CliUserActor(*koseki_, kTenant, "exa01", "uid:1000").error().id, "KSK-AUTH-003");
  EXPECT_THAT(Recorded(), Contains("cli.user_refused:refused:KSK-AUTH-003"));
}

TEST_F(IdentityAdminTest, ATenantFromBeforeDevicesGetsItsCaAtOpen) {
  // Created as an older version did: the tenant's rows and their entry, but no device CA.
  audit::Event event;
  event.action = std::string(audit::actions::kCliTenantAdd);
  ASSERT_THAT(koseki_->audit().Record(audit::kSystemTenant, event,
                                      [&](audit::Event&) {
                                        return koseki_->installation().CreateTenant(
                                            "999989", "青葉県さくら町");
                                      }),
              IsOk());
  auto missing = koseki_->directory().FindDeviceCa("999989");
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
  Reopen();
  auto created = koseki_->directory().FindDeviceCa("999989");
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(created->has_value());
}

TEST_F(IdentityAdminTest, WindowsAreStoredAsSettingsAndBadHoursChangeNothing) {
  ASSERT_THAT(ChangeWindow(*koseki_, kAdmin,
                           {.tenant = kTenant, .zone = access::Zone::kVendor, .hours = "always"}),
              IsOk());
  auto settings = AccessSettingsOf(*koseki_, kTenant);
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(access::FormatWeeklyHours(settings->vendor.hours), "always");
  auto bad = ChangeWindow(*koseki_, kAdmin,
                          {.tenant = kTenant, .zone = access::Zone::kVendor, .hours = "someday"});
  ASSERT_FALSE(bad);
  settings = AccessSettingsOf(*koseki_, kTenant);
  EXPECT_EQ(access::FormatWeeklyHours(settings->vendor.hours), "always");
  EXPECT_THAT(Recorded(), Contains("admin.window:ok:"));
}

TEST_F(IdentityAdminTest, CertificateAndPictureSettingsAreStoredAndABadSealChangesNothing) {
  ASSERT_THAT(ChangeTenantSettings(*koseki_, kAdmin, kTenant,
                                   {.watermark_city = true, .mayor_name = "北村　誠"}),
              IsOk());
  auto settings = koseki_->installation().backend().GetTenantSettings(kTenant);
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(settings->at(std::string(workflow::kCityWatermarkSetting)), "on");
  EXPECT_EQ(settings->at(std::string(workflow::kMayorNameSetting)), "北村　誠");

  // A seal that is no picture refuses the whole change: the mayor's name stays as it was.
  EXPECT_THAT(ChangeTenantSettings(*koseki_, kAdmin, kTenant,
                                   {.mayor_name = "南田　進", .seal_png = "not a png"}),
              ::koseki::testing::ErrorIdIs("KSK-RENDER-011"));
  settings = koseki_->installation().backend().GetTenantSettings(kTenant);
  ASSERT_THAT(settings, IsOk());
  EXPECT_EQ(settings->at(std::string(workflow::kMayorNameSetting)), "北村　誠");
  auto seal = koseki_->objects().Get(kTenant, workflow::kSealObjectKind, workflow::kSealObjectId);
  ASSERT_THAT(seal, IsOk());
  EXPECT_FALSE(seal->has_value());
  // A name with a control character is no name.
  EXPECT_THAT(ChangeTenantSettings(*koseki_, kAdmin, kTenant, {.mayor_name = "北村\x01誠"}),
              ::koseki::testing::ErrorIdIs("KSK-TEXT-003"));
}

}  // namespace
}  // namespace koseki::app
