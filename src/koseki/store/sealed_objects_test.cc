#include "koseki/store/sealed_objects.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/installation.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

using ::koseki::store::testing::FileContains;
using ::koseki::store::testing::HoldsValue;
using ::koseki::store::testing::RawExec;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::Pair;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";
constexpr std::string_view kUser = "user";
constexpr std::string_view kDevice = "device";

Bytes AsBytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

MATCHER_P3(IsObject, id, version, plaintext, "an opened object") {
  return arg.object_id == id && arg.version == static_cast<std::uint64_t>(version) &&
         arg.plaintext == AsBytes(plaintext);
}

class SealedObjectsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto installation = testing::OpenSqliteInstallation(db_file(), NewMasterKey(), clock_);
    ASSERT_THAT(installation, IsOk());
    installation_ = std::move(installation).value();
    ASSERT_THAT(installation_->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    ASSERT_THAT(installation_->CreateTenant(kTenantB, "青葉県やまびこ町"), IsOk());
    objects_ = std::make_unique<SealedObjects>(installation_->backend(), *installation_, clock_);
  }

  std::int64_t NowMicros() const { return UnixMicros(clock_.Now()); }
  // Runs raw SQL on the database file, as an administrator with the sqlite3 shell could.
  void Raw(const std::string& sql) {
    const testing::RawResult result = RawExec(db_file(), sql);
    ASSERT_EQ(result.rc, SQLITE_OK) << result.message;
  }

  std::unique_ptr<Installation> installation_;
  std::unique_ptr<SealedObjects> objects_;
};

// ---- objects ----------------------------------------------------------------------------------

TEST_F(SealedObjectsTest, PutThenGetReturnsTheHeadVersionsPlaintext) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("first")), HoldsValue(1u));
  clock_.Advance(std::chrono::seconds(5));

  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 1, AsBytes("second")), HoldsValue(2u));

  const auto opened = objects_->Get(kTenantA, kUser, "clerk-01");
  ASSERT_THAT(opened, HoldsValue(Optional(IsObject("clerk-01", 2, "second"))));
  EXPECT_EQ((*opened)->created_at, NowMicros());
  EXPECT_THAT(objects_->Get(kTenantA, kUser, "clerk-02"), HoldsValue(Eq(std::nullopt)));
}

TEST_F(SealedObjectsTest, ThePlaintextIsNeverStoredInTheDatabaseFiles) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("架空一郎 marker-8d1f")),
              IsOk());

  EXPECT_FALSE(FileContains(db_file(), "marker-8d1f"));
  EXPECT_FALSE(FileContains(db_file().string() + "-wal", "marker-8d1f"));
}

TEST_F(SealedObjectsTest, ListOpensEveryObjectOfTheKindAtItsHeadOrderedById) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-02", 0, AsBytes("b1")), IsOk());
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("a1")), IsOk());
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-02", 1, AsBytes("b2")), IsOk());
  ASSERT_THAT(objects_->Put(kTenantA, kDevice, "0a1b", 0, AsBytes("device")), IsOk());

  EXPECT_THAT(
      objects_->List(kTenantA, kUser),
      HoldsValue(ElementsAre(IsObject("clerk-01", 1, "a1"), IsObject("clerk-02", 2, "b2"))));
  EXPECT_THAT(objects_->List(kTenantA, "device_ca"), HoldsValue(IsEmpty()));
}

TEST_F(SealedObjectsTest, APutWithAStaleVersionIsAbortedAndWritesNothing) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("first")), IsOk());
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 1, AsBytes("second")), IsOk());

  const auto stale = objects_->Put(kTenantA, kUser, "clerk-01", 1, AsBytes("lost update"));
  const auto recreate = objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("again"));

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(stale, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(recreate, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(objects_->Get(kTenantA, kUser, "clerk-01"),
              HoldsValue(Optional(IsObject("clerk-01", 2, "second"))));
}

TEST_F(SealedObjectsTest, ObjectsOfOneTenantAreInvisibleToAnother) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("A")), IsOk());

  EXPECT_THAT(objects_->Get(kTenantB, kUser, "clerk-01"), HoldsValue(Eq(std::nullopt)));
  EXPECT_THAT(objects_->List(kTenantB, kUser), HoldsValue(IsEmpty()));
  ASSERT_THAT(objects_->Put(kTenantB, kUser, "clerk-01", 0, AsBytes("B")), HoldsValue(1u));
  EXPECT_THAT(objects_->Get(kTenantA, kUser, "clerk-01"),
              HoldsValue(Optional(IsObject("clerk-01", 1, "A"))));
}

TEST_F(SealedObjectsTest, MalformedKeysAndUnknownTenantsAreRefused) {
  EXPECT_THAT(objects_->Put("", kUser, "clerk-01", 0, AsBytes("x")), ErrorIdIs("KSK-STORE-019"));
  EXPECT_THAT(objects_->Put(kTenantA, "User", "clerk-01", 0, AsBytes("x")),
              ErrorIdIs("KSK-STORE-032"));
  EXPECT_THAT(objects_->Put(kTenantA, kUser, "clerk/01", 0, AsBytes("x")),
              ErrorIdIs("KSK-STORE-032"));
  EXPECT_THAT(objects_->Get(kTenantA, kUser, std::string(129, 'a')), ErrorIdIs("KSK-STORE-032"));
  EXPECT_THAT(objects_->List(kTenantA, ""), ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(objects_->Put("990099", kUser, "clerk-01", 0, AsBytes("x")),
              ErrorIdIs("KSK-STORE-013"));
}

// A ciphertext is bound to its place: copied by hand to another object, kind, version or
// tenant, it does not open there.
TEST_F(SealedObjectsTest, ACiphertextCopiedToAnotherObjectIdDoesNotOpen) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("A")), IsOk());

  Raw("INSERT INTO object_versions SELECT tenant_code, kind, 'clerk-02', version, ciphertext, "
      "created_at FROM object_versions WHERE object_id = 'clerk-01'");

  const auto moved = objects_->Get(kTenantA, kUser, "clerk-02");
  EXPECT_THAT(moved, ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(moved, ErrorIdIs("KSK-STORE-033"));
  EXPECT_THAT(objects_->List(kTenantA, kUser), ErrorIdIs("KSK-STORE-033"));
  EXPECT_THAT(objects_->Get(kTenantA, kUser, "clerk-01"),
              HoldsValue(Optional(IsObject("clerk-01", 1, "A"))));
}

TEST_F(SealedObjectsTest, ACiphertextCopiedToAnotherKindDoesNotOpen) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("A")), IsOk());

  Raw("INSERT INTO object_versions SELECT tenant_code, 'device', object_id, version, ciphertext, "
      "created_at FROM object_versions WHERE kind = 'user'");

  EXPECT_THAT(objects_->Get(kTenantA, kDevice, "clerk-01"), ErrorIdIs("KSK-STORE-033"));
}

TEST_F(SealedObjectsTest, ACiphertextCopiedToAnotherVersionDoesNotOpen) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("revoked: no")), IsOk());
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 1, AsBytes("revoked: yes")), IsOk());

  // Replaying version 1 as the new head (as if the revocation had been undone).
  Raw("INSERT INTO object_versions SELECT tenant_code, kind, object_id, 3, ciphertext, "
      "created_at FROM object_versions WHERE version = 1");

  EXPECT_THAT(objects_->Get(kTenantA, kUser, "clerk-01"), ErrorIdIs("KSK-STORE-033"));
}

TEST_F(SealedObjectsTest, ACiphertextCopiedToAnotherTenantDoesNotOpen) {
  ASSERT_THAT(objects_->Put(kTenantA, kUser, "clerk-01", 0, AsBytes("A")), IsOk());

  Raw("INSERT INTO object_versions SELECT '990002', kind, object_id, version, ciphertext, "
      "created_at FROM object_versions WHERE tenant_code = '990001'");

  EXPECT_THAT(objects_->Get(kTenantB, kUser, "clerk-01"), ErrorIdIs("KSK-STORE-033"));
}

// ---- sessions ---------------------------------------------------------------------------------

const Bytes kTokenHash(kSessionTokenHashSize, 0x11);
const Bytes kOtherTokenHash(kSessionTokenHashSize, 0x22);

TEST_F(SealedObjectsTest, ASessionIsStoredReplacedAndDeleted) {
  const std::int64_t expires = NowMicros() + 60'000'000;
  ASSERT_THAT(objects_->PutSession(kTenantA, kTokenHash, AsBytes("anonymous"), expires), IsOk());
  EXPECT_THAT(objects_->GetSession(kTokenHash),
              HoldsValue(Optional(Pair(std::string(kTenantA), AsBytes("anonymous")))));

  ASSERT_THAT(objects_->PutSession(kTenantA, kTokenHash, AsBytes("signed in"), expires + 1),
              IsOk());
  EXPECT_THAT(objects_->GetSession(kTokenHash),
              HoldsValue(Optional(Pair(std::string(kTenantA), AsBytes("signed in")))));
  EXPECT_THAT(objects_->GetSession(kOtherTokenHash), HoldsValue(Eq(std::nullopt)));

  ASSERT_THAT(objects_->DeleteSession(kTokenHash), IsOk());
  EXPECT_THAT(objects_->GetSession(kTokenHash), HoldsValue(Eq(std::nullopt)));
  EXPECT_THAT(objects_->DeleteSession(kTokenHash), IsOk());
}

TEST_F(SealedObjectsTest, ASessionExpiresAtItsExpiryAndIsThenDeleted) {
  const std::int64_t expires = NowMicros() + 60'000'000;
  ASSERT_THAT(objects_->PutSession(kTenantA, kTokenHash, AsBytes("short"), expires), IsOk());
  ASSERT_THAT(objects_->PutSession(kTenantB, kOtherTokenHash, AsBytes("long"), expires + 1),
              IsOk());

  clock_.Advance(std::chrono::seconds(60) - std::chrono::microseconds(1));
  EXPECT_THAT(objects_->GetSession(kTokenHash), HoldsValue(Optional(::testing::_)));
  EXPECT_THAT(objects_->DeleteExpiredSessions(), HoldsValue(0u));

  clock_.Advance(std::chrono::microseconds(1));
  EXPECT_THAT(objects_->GetSession(kTokenHash), HoldsValue(Eq(std::nullopt)));
  EXPECT_THAT(objects_->GetSession(kOtherTokenHash), HoldsValue(Optional(::testing::_)));
  EXPECT_THAT(objects_->DeleteExpiredSessions(), HoldsValue(1u));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM sessions"), 1);
}

TEST_F(SealedObjectsTest, ASessionRowMovedToAnotherTokenOrTenantOrExpiryDoesNotOpen) {
  const std::int64_t expires = NowMicros() + 60'000'000;
  ASSERT_THAT(objects_->PutSession(kTenantA, kTokenHash, AsBytes("signed in"), expires), IsOk());

  Raw("INSERT INTO sessions SELECT zeroblob(32), tenant_code, ciphertext, expires_at "
      "FROM sessions");
  EXPECT_THAT(objects_->GetSession(Bytes(kSessionTokenHashSize, 0)), ErrorIdIs("KSK-STORE-033"));

  Raw("UPDATE sessions SET expires_at = expires_at + 3600000000 WHERE token_hash = x'" +
      std::string(64, '1') + "'");
  EXPECT_THAT(objects_->GetSession(kTokenHash), ErrorIs(ErrorCode::kDataLoss));

  Raw("UPDATE sessions SET expires_at = expires_at - 3600000000, tenant_code = '990002' "
      "WHERE token_hash = x'" +
      std::string(64, '1') + "'");
  EXPECT_THAT(objects_->GetSession(kTokenHash), ErrorIdIs("KSK-STORE-033"));
}

TEST_F(SealedObjectsTest, SessionsOfUnknownTenantsOrWithAMalformedHashAreRefused) {
  const std::int64_t expires = NowMicros() + 60'000'000;

  EXPECT_THAT(objects_->PutSession("990099", kTokenHash, AsBytes("x"), expires),
              ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(objects_->PutSession(kTenantA, Bytes(31, 0x11), AsBytes("x"), expires),
              ErrorIdIs("KSK-STORE-028"));
  EXPECT_THAT(objects_->GetSession(Bytes(31, 0x11)), HoldsValue(Eq(std::nullopt)));
}

}  // namespace
}  // namespace koseki::store
