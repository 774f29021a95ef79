#include "koseki/store/installation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Optional;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";

const crypto::Bytes kPlaintext = {'p', 'l', 'a', 'i', 'n'};
const crypto::Bytes kAd = {'a', 'd'};

class InstallationTest : public testing::StoreTest {
 protected:
  std::unique_ptr<Installation> OpenWith(crypto::MasterKey key) {
    auto installation = testing::OpenSqliteInstallation(db_file(), std::move(key), clock_);
    EXPECT_THAT(installation, IsOk());
    return installation ? std::move(installation).value() : nullptr;
  }
};

TEST_F(InstallationTest, FirstOpenRecordsTheMasterKeyIdAndFormat) {
  crypto::MasterKey key = NewMasterKey();
  const std::string key_id = key.key_id();

  auto installation = OpenWith(std::move(key));

  ASSERT_NE(installation, nullptr);
  EXPECT_THAT(installation->backend().GetInstallationValue("master_key_id"),
              HoldsValue(Optional(key_id)));
  EXPECT_THAT(installation->backend().GetInstallationValue("format_version"),
              HoldsValue(Optional(std::string("1"))));
}

TEST_F(InstallationTest, AnotherKeyFileIsRefusedAsNotBelongingToTheDirectory) {
  ASSERT_NE(OpenWith(NewMasterKey("first.key")), nullptr);

  auto second = testing::OpenSqliteInstallation(db_file(), NewMasterKey("second.key"), clock_);

  EXPECT_THAT(second, ErrorIs(ErrorCode::kUnauthenticated));
  EXPECT_THAT(second, ErrorIdIs("KSK-STORE-015"));
}

TEST_F(InstallationTest, ReopeningWithTheSameKeyFileDecryptsWhatWasWritten) {
  crypto::Bytes ciphertext;
  {
    auto installation = OpenWith(NewMasterKey());
    ASSERT_NE(installation, nullptr);
    ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    auto cipher = installation->ForTenant(kTenantA);
    ASSERT_THAT(cipher, IsOk());
    auto encrypted = (*cipher)->aead().Encrypt(kPlaintext, kAd);
    ASSERT_THAT(encrypted, IsOk());
    ciphertext = *encrypted;
  }

  auto reopened = OpenWith(UnsealMasterKey());

  ASSERT_NE(reopened, nullptr);
  auto cipher = reopened->ForTenant(kTenantA);
  ASSERT_THAT(cipher, IsOk());
  EXPECT_THAT((*cipher)->aead().Decrypt(ciphertext, kAd), HoldsValue(kPlaintext));
}

TEST_F(InstallationTest, AnUnknownTenantIsNotFound) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);

  EXPECT_THAT(installation->ForTenant(kTenantB), ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(installation->GetTenant(kTenantB), ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(installation->ForTenant(kTenantB), ErrorIs(ErrorCode::kNotFound));
}

TEST_F(InstallationTest, TenantsAreListedAndCannotBeCreatedTwice) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);
  ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());

  EXPECT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"),
              ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(installation->GetTenant(kTenantA),
              HoldsValue(Field(&TenantRow::name, std::string("青葉県みなと市"))));
  EXPECT_THAT(installation->ListTenants(),
              HoldsValue(ElementsAre(Field(&TenantRow::tenant_code, std::string(kTenantA)))));
}

TEST_F(InstallationTest, MalformedTenantCodesAreRefused) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);

  EXPECT_THAT(installation->CreateTenant("", "青葉県みなと市"),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(installation->CreateTenant("99 01", "青葉県みなと市"),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(installation->CreateTenant("990001'--", "青葉県みなと市"),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(installation->CreateTenant(kTenantA, ""), ErrorIs(ErrorCode::kInvalidArgument));
}

TEST_F(InstallationTest, TenantKeysCopiedToAnotherTenantDoNotUnwrap) {
  {
    auto installation = OpenWith(NewMasterKey());
    ASSERT_NE(installation, nullptr);
    ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    ASSERT_THAT(installation->CreateTenant(kTenantB, "青葉県やまびこ町"), IsOk());
  }
  // B's newest key row now holds A's wrapped keys.
  const testing::RawResult copied = testing::RawExec(
      db_file(),
      "INSERT INTO tenant_keys SELECT '990002', 2, wrapped, created_at FROM tenant_keys "
      "WHERE tenant_code = '990001'");
  ASSERT_EQ(copied.rc, SQLITE_OK) << copied.message;

  auto reopened = OpenWith(UnsealMasterKey());

  ASSERT_NE(reopened, nullptr);
  EXPECT_THAT(reopened->ForTenant(kTenantB), ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(reopened->ForTenant(kTenantB), ErrorIdIs("KSK-STORE-018"));
  EXPECT_THAT(reopened->ForTenant(kTenantA), IsOk());
}

TEST_F(InstallationTest, RotatedKeysStillDecryptOldCiphertexts) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);
  ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
  auto before = installation->ForTenant(kTenantA);
  ASSERT_THAT(before, IsOk());
  auto old_ciphertext = (*before)->aead().Encrypt(kPlaintext, kAd);
  ASSERT_THAT(old_ciphertext, IsOk());

  ASSERT_THAT(installation->RotateTenantKey(kTenantA), HoldsValue(2u));
  installation.reset();
  auto reopened = OpenWith(UnsealMasterKey());

  ASSERT_NE(reopened, nullptr);
  auto after = reopened->ForTenant(kTenantA);
  ASSERT_THAT(after, IsOk());
  EXPECT_THAT((*after)->aead().Decrypt(*old_ciphertext, kAd), HoldsValue(kPlaintext));
  auto new_ciphertext = (*after)->aead().Encrypt(kPlaintext, kAd);
  ASSERT_THAT(new_ciphertext, IsOk());
  // Key id (bytes 1..4 of the keyset layout) moved from 1 to 2.
  EXPECT_EQ((*new_ciphertext)[4], 2);
  EXPECT_EQ((*old_ciphertext)[4], 1);
}

// A rotation waits for the writer; the transaction holding it may first need a tenant's keys.
// (The rotation once held the key cache's lock while it waited: both threads then waited for
// each other for ever.)
TEST_F(InstallationTest, ARotationWaitingForTheWriterLetsTheWritingTransactionLoadKeys) {
  {
    auto created = OpenWith(NewMasterKey());
    ASSERT_NE(created, nullptr);
    ASSERT_THAT(created->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    ASSERT_THAT(created->CreateTenant(kTenantB, "青葉県やまべ町"), IsOk());
  }
  auto installation = OpenWith(UnsealMasterKey());  // nothing cached yet
  ASSERT_NE(installation, nullptr);
  auto* sqlite = dynamic_cast<SqliteBackend*>(&installation->backend());
  ASSERT_NE(sqlite, nullptr);

  Result<std::uint32_t> rotated = 0u;
  std::atomic<bool> rotation_returned = false;  // without waiting: it failed, reported below
  std::thread rotation;
  const Result<void> written = installation->backend().InTransaction([&]() -> Result<void> {
    rotation = std::thread([&] {
      rotated = installation->RotateTenantKey(kTenantB);
      rotation_returned = true;
    });
    while (sqlite->WritersWaiting() == 0 && !rotation_returned) std::this_thread::yield();
    KOSEKI_RETURN_IF_ERROR(installation->ForTenant(kTenantA));
    return Ok();
  });
  rotation.join();

  EXPECT_THAT(written, IsOk());
  EXPECT_THAT(rotated, HoldsValue(2u));
  EXPECT_THAT(installation->backend().GetLatestTenantKey(kTenantB),
              HoldsValue(Optional(Field(&TenantKeyRow::key_version, 2u))));
}

TEST_F(InstallationTest, ARotationInsideATransactionIsRefusedAndStoresNothing) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);
  ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());

  const Result<void> written = installation->backend().InTransaction([&]() -> Result<void> {
    auto rotated = installation->RotateTenantKey(kTenantA);
    if (!rotated) return std::move(rotated).error();
    return Ok();
  });

  EXPECT_THAT(written, ErrorIdIs("KSK-STORE-036"));
  EXPECT_THAT(installation->backend().GetLatestTenantKey(kTenantA),
              HoldsValue(Optional(Field(&TenantKeyRow::key_version, 1u))));
}

TEST_F(InstallationTest, BlindIndexesDifferBetweenTenants) {
  auto installation = OpenWith(NewMasterKey());
  ASSERT_NE(installation, nullptr);
  ASSERT_THAT(installation->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
  ASSERT_THAT(installation->CreateTenant(kTenantB, "青葉県やまびこ町"), IsOk());
  auto a = installation->ForTenant(kTenantA);
  auto b = installation->ForTenant(kTenantB);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());

  EXPECT_NE((*a)->BlindIndex("name+birth", "ヤマカワ"), (*b)->BlindIndex("name+birth", "ヤマカワ"));
}

}  // namespace
}  // namespace koseki::store
