// SignIn on a real encrypted SQLite installation: the steps of a first login, the lock, the
// conditions of R13, the zone rules, device binding, idle and logout — and what each records.
#include "koseki/access/sign_in.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/password_hash.h"
#include "koseki/crypto/totp.h"
#include "koseki/store/installation.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::access {
namespace {

using ::koseki::testing::IsOk;
using ::testing::Contains;
using ::testing::Field;

constexpr char kTenant[] = "999997";
constexpr char kLogin[] = "clerk01";
const crypto::PasswordHashParams kFastHash{.ops_limit = 1, .mem_limit = 8192};

class SignInTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto installation = store::testing::OpenSqliteInstallation(db_file(), NewMasterKey(), clock_);
    ASSERT_THAT(installation, IsOk());
    installation_ = *std::move(installation);
    ASSERT_THAT(installation_->CreateTenant(kTenant, "青葉県みなと市"), IsOk());
    objects_ =
        std::make_unique<store::SealedObjects>(installation_->backend(), *installation_, clock_);
    directory_ = std::make_unique<Directory>(*objects_);
    auto audit = audit::AuditLog::Open(installation_->backend(), clock_, std::nullopt, {});
    ASSERT_THAT(audit, IsOk());
    audit_ = *std::move(audit);
    sign_in_ = std::make_unique<SignIn>(*directory_, *objects_, *audit_, clock_, NewKey());
    AddUser(kLogin, Role::kClerk);
  }

  // Stores a user whose one-time password is "first-password-0"; pledge signed, training current.
  void AddUser(const std::string& login, Role role) {
    UserRecord user{.login = login, .role = role};
    auto hash = crypto::HashPassword(SecretBytes::FromString("first-password-0"), kFastHash);
    ASSERT_THAT(hash, IsOk());
    user.password_hash = *hash;
    user.pledge_signed = std::chrono::year_month_day(std::chrono::year(2024) / 4 / 1);
    user.training_until = std::chrono::year_month_day(std::chrono::year(2025) / 3 / 31);
    ASSERT_THAT(directory_->PutUser(kTenant, {user, 0}), IsOk());
  }

  static crypto::BlindIndexer NewKey() {
    auto secret = crypto::RandomSecret(crypto::BlindIndexer::kKeySize);
    EXPECT_THAT(secret, IsOk());
    auto key = crypto::BlindIndexer::Create(std::move(*secret));
    EXPECT_THAT(key, IsOk());
    return std::move(*key);
  }

  // Returns how many rows the store's sessions table holds (read beside the installation).
  std::int64_t sessions_stored() {
    sqlite3* db = nullptr;
    std::int64_t count = -1;
    if (sqlite3_open_v2(db_file().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions", -1, &statement, nullptr) ==
              SQLITE_OK &&
          sqlite3_step(statement) == SQLITE_ROW) {
        count = sqlite3_column_int64(statement, 0);
      }
      sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return count;
  }

  UserRecord StoredUser(const std::string& login = kLogin) {
    auto user = directory_->FindUser(kTenant, login);
    EXPECT_THAT(user, IsOk());
    return (*user)->value;
  }

  RequestOrigin Origin(Zone zone = Zone::kCity, std::string serial = "0a01") {
    return RequestOrigin{.tenant = kTenant,
                         .zone = zone,
                         .device_serial = std::move(serial),
                         .device_fingerprint = "ab12",
                         .address = "192.0.2.10",
                         .idle_timeout = std::chrono::seconds(600)};
  }

  Session Anonymous(const RequestOrigin& origin) {
    auto session = sign_in_->StartAnonymous(origin);
    EXPECT_THAT(session, IsOk());
    return *std::move(session);
  }

  std::string CodeNow(const std::string& secret_base32) {
    auto secret = crypto::Base32Decode(secret_base32);
    EXPECT_THAT(secret, IsOk());
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    return crypto::TotpCode(*secret, seconds);
  }

  // Takes a new user through password change and TOTP enrolment; returns the active session.
  Session FirstLogin(const RequestOrigin& origin) { return FirstLogin(origin, Anonymous(origin)); }
  Session FirstLogin(const RequestOrigin& origin, Session session) {
    EXPECT_THAT(sign_in_->SubmitPassword(origin, session, kLogin,
                                         SecretBytes::FromString("first-password-0")),
                IsOk());
    EXPECT_EQ(session.record.stage, SessionStage::kChangePassword);
    EXPECT_THAT(sign_in_->ChangePassword(origin, session,
                                         SecretBytes::FromString("a new long passphrase 7")),
                IsOk());
    EXPECT_EQ(session.record.stage, SessionStage::kEnrolTotp);
    auto enrolment = sign_in_->BeginTotpEnrolment(origin, session, "青葉県みなと市");
    EXPECT_THAT(enrolment, IsOk());
    EXPECT_THAT(sign_in_->SubmitTotp(origin, session, CodeNow(enrolment->secret_base32)), IsOk());
    EXPECT_EQ(session.record.stage, SessionStage::kActive);
    return session;
  }

  std::vector<std::string> RecordedActions(audit::Outcome outcome) {
    auto entries = audit::FindEntries(installation_->backend(), kTenant, {});
    EXPECT_THAT(entries, IsOk());
    std::vector<std::string> out;
    for (const audit::Entry& entry : *entries) {
      if (entry.event().outcome == outcome) {
        out.push_back(entry.event().action + ":" + entry.event().error_id);
      }
    }
    return out;
  }

  std::unique_ptr<store::Installation> installation_;
  std::unique_ptr<store::SealedObjects> objects_;
  std::unique_ptr<Directory> directory_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<SignIn> sign_in_;
};

TEST_F(SignInTest, AFirstLoginChangesThePasswordEnrolsTotpAndRotatesTheToken) {
  const RequestOrigin origin = Origin();
  Session anonymous = Anonymous(origin);
  const std::string planted = anonymous.token;
  Session session = FirstLogin(origin, std::move(anonymous));
  EXPECT_NE(session.token, planted);
  // The token known before the login is worthless after it: at most the login form again.
  auto old = sign_in_->Resume(origin, planted);
  ASSERT_THAT(old, IsOk());
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->record.stage, SessionStage::kAnonymous);
  EXPECT_FALSE((*old)->user.has_value());
  auto resumed = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(resumed, IsOk());
  ASSERT_TRUE(resumed->has_value());
  EXPECT_EQ((*resumed)->record.stage, SessionStage::kActive);
  EXPECT_FALSE(StoredUser().must_change_password);
  EXPECT_FALSE(StoredUser().totp_secret.empty());
  EXPECT_THAT(RecordedActions(audit::Outcome::kOk), Contains("auth.login:"));
}

TEST_F(SignInTest, FiveWrongPasswordsLockTheAccountEvenForTheRightOne) {
  const RequestOrigin origin = Origin();
  for (int i = 0; i < kMaxFailedAttempts; ++i) {
    Session session = Anonymous(origin);
    auto refused = sign_in_->SubmitPassword(origin, session, kLogin,
                                            SecretBytes::FromString("wrong password"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().id, "KSK-AUTH-010");
  }
  Session session = Anonymous(origin);
  auto locked = sign_in_->SubmitPassword(origin, session, kLogin,
                                         SecretBytes::FromString("first-password-0"));
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().id, "KSK-AUTH-004");
  clock_.Advance(kLockout + std::chrono::seconds(1));
  Session later = Anonymous(origin);
  EXPECT_THAT(
      sign_in_->SubmitPassword(origin, later, kLogin, SecretBytes::FromString("first-password-0")),
      IsOk());
  EXPECT_THAT(RecordedActions(audit::Outcome::kRefused), Contains("auth.password:KSK-AUTH-004"));
}

TEST_F(SignInTest, AWrongTotpCodeIsRefusedAndAUsedCodeIsNotAcceptedTwice) {
  const RequestOrigin origin = Origin();
  Session first = FirstLogin(origin);
  Session session = Anonymous(origin);
  ASSERT_THAT(sign_in_->SubmitPassword(origin, session, kLogin,
                                       SecretBytes::FromString("a new long passphrase 7")),
              IsOk());
  ASSERT_EQ(session.record.stage, SessionStage::kTotp);
  const std::string code = CodeNow(StoredUser().totp_secret);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto refused = sign_in_->SubmitTotp(origin, session, wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().id, "KSK-AUTH-013");
  // The code that completed enrolment a moment ago is spent.
  auto replayed = sign_in_->SubmitTotp(origin, session, code);
  ASSERT_FALSE(replayed);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_THAT(sign_in_->SubmitTotp(origin, session, CodeNow(StoredUser().totp_secret)), IsOk());
}

TEST_F(SignInTest, NoPledgeOrLapsedTrainingIsRefusedWithTheReason) {
  UserRecord user = StoredUser();
  user.pledge_signed.reset();
  auto stored = directory_->FindUser(kTenant, kLogin);
  ASSERT_THAT(directory_->PutUser(kTenant, {user, (*stored)->version}), IsOk());
  const RequestOrigin origin = Origin();
  Session session = Anonymous(origin);
  auto refused = sign_in_->SubmitPassword(origin, session, kLogin,
                                          SecretBytes::FromString("first-password-0"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().id, "KSK-AUTH-005");

  user.pledge_signed = std::chrono::year_month_day(std::chrono::year(2024) / 4 / 1);
  user.training_until = std::chrono::year_month_day(std::chrono::year(2024) / 3 / 31);
  stored = directory_->FindUser(kTenant, kLogin);
  ASSERT_THAT(directory_->PutUser(kTenant, {user, (*stored)->version}), IsOk());
  Session again = Anonymous(origin);
  auto lapsed =
      sign_in_->SubmitPassword(origin, again, kLogin, SecretBytes::FromString("first-password-0"));
  ASSERT_FALSE(lapsed);
  EXPECT_EQ(lapsed.error().id, "KSK-AUTH-006");
}

TEST_F(SignInTest, AnOperatorOnACityDeviceIsRefused) {
  AddUser("op01", Role::kOperator);
  const RequestOrigin city = Origin(Zone::kCity);
  Session session = Anonymous(city);
  auto refused =
      sign_in_->SubmitPassword(city, session, "op01", SecretBytes::FromString("first-password-0"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().id, "KSK-AUTH-007");
  const RequestOrigin vendor = Origin(Zone::kVendor);
  Session on_vendor = Anonymous(vendor);
  EXPECT_THAT(sign_in_->SubmitPassword(vendor, on_vendor, "op01",
                                       SecretBytes::FromString("first-password-0")),
              IsOk());
}

TEST_F(SignInTest, ASessionTokenFromAnotherDeviceIsRefusedAndEndsTheSession) {
  const RequestOrigin origin = Origin(Zone::kCity, "0a01");
  Session session = FirstLogin(origin);
  auto stolen = sign_in_->Resume(Origin(Zone::kCity, "0b02"), session.token);
  ASSERT_FALSE(stolen);
  EXPECT_EQ(stolen.error().id, "KSK-AUTH-011");
  auto afterwards = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(afterwards, IsOk());
  EXPECT_FALSE(afterwards->has_value());
  EXPECT_THAT(RecordedActions(audit::Outcome::kRefused),
              Contains("auth.session_refused:KSK-AUTH-011"));
}

TEST_F(SignInTest, AnIdleSessionIsMarkedOnceThenContinues) {
  const RequestOrigin origin = Origin();
  Session session = FirstLogin(origin);
  clock_.Advance(origin.idle_timeout + std::chrono::seconds(1));
  auto idle = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(idle, IsOk());
  ASSERT_TRUE(idle->has_value());
  EXPECT_TRUE((*idle)->idle_expired);
  ASSERT_THAT(sign_in_->Touch(**idle), IsOk());
  auto next = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(next, IsOk());
  EXPECT_FALSE((*next)->idle_expired);
}

TEST_F(SignInTest, ADisabledUserLosesTheSessionAndLogoutEndsIt) {
  const RequestOrigin origin = Origin();
  Session session = FirstLogin(origin);
  ASSERT_THAT(sign_in_->Logout(origin, session), IsOk());
  auto gone = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(gone, IsOk());
  EXPECT_FALSE(gone->has_value());

  clock_.Advance(std::chrono::seconds(30));
  Session again = Anonymous(origin);
  ASSERT_THAT(sign_in_->SubmitPassword(origin, again, kLogin,
                                       SecretBytes::FromString("a new long passphrase 7")),
              IsOk());
  UserRecord user = StoredUser();
  user.disabled = true;
  auto stored = directory_->FindUser(kTenant, kLogin);
  ASSERT_THAT(directory_->PutUser(kTenant, {user, (*stored)->version}), IsOk());
  auto refused = sign_in_->Resume(origin, again.token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().id, "KSK-AUTH-003");
}

TEST_F(SignInTest, TheCsrfTokenIsComparedExactly) {
  Session session = Anonymous(Origin());
  EXPECT_TRUE(SignIn::CsrfMatches(session, session.record.csrf));
  EXPECT_FALSE(SignIn::CsrfMatches(session, ""));
  std::string wrong = session.record.csrf;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(SignIn::CsrfMatches(session, wrong));
}

TEST_F(SignInTest, TheLoginFormsSessionIsNotStoredAndHoldsOnlyOnItsDeviceForItsLifetime) {
  const RequestOrigin origin = Origin(Zone::kCity, "0a01");
  Session session = Anonymous(origin);
  EXPECT_EQ(sessions_stored(), 0);
  auto resumed = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(resumed, IsOk());
  ASSERT_TRUE(resumed->has_value());
  EXPECT_EQ((*resumed)->record.stage, SessionStage::kAnonymous);
  EXPECT_EQ((*resumed)->record.csrf, session.record.csrf);
  // Another device, a changed character, or the end of the lifetime: no session.
  auto elsewhere = sign_in_->Resume(Origin(Zone::kCity, "0b02"), session.token);
  ASSERT_THAT(elsewhere, IsOk());
  EXPECT_FALSE(elsewhere->has_value());
  std::string altered = session.token;
  altered[5] = altered[5] == '0' ? '1' : '0';
  auto forged = sign_in_->Resume(origin, altered);
  ASSERT_THAT(forged, IsOk());
  EXPECT_FALSE(forged->has_value());
  // Under another installation's key it is nothing.
  SignIn elsewhere_installed(*directory_, *objects_, *audit_, clock_, NewKey());
  auto other_key = elsewhere_installed.Resume(origin, session.token);
  ASSERT_THAT(other_key, IsOk());
  EXPECT_FALSE(other_key->has_value());
  clock_.Advance(SignInOptions{}.lifetime);
  auto lapsed = sign_in_->Resume(origin, session.token);
  ASSERT_THAT(lapsed, IsOk());
  EXPECT_FALSE(lapsed->has_value());
  // The password step stores the session under a new token.
  Session next = Anonymous(origin);
  ASSERT_THAT(
      sign_in_->SubmitPassword(origin, next, kLogin, SecretBytes::FromString("first-password-0")),
      IsOk());
  EXPECT_NE(next.token, session.token);
  EXPECT_EQ(sessions_stored(), 1);
}

}  // namespace
}  // namespace koseki::access
