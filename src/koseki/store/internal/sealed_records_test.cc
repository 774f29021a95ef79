#include "koseki/store/internal/sealed_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/installation.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store::internal {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";

crypto::Bytes ToBytes(std::string_view text) { return crypto::Bytes(text.begin(), text.end()); }

class SealedRecordsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto installation = testing::OpenSqliteInstallation(db_file(), NewMasterKey(), clock_);
    ASSERT_THAT(installation, IsOk());
    installation_ = std::move(installation).value();
    ASSERT_THAT(installation_->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    ASSERT_THAT(installation_->CreateTenant(kTenantB, "青葉県やまびこ町"), IsOk());
    records_ = std::make_unique<SealedRecords>(installation_->backend(), *installation_, clock_);
  }

  std::unique_ptr<Installation> installation_;
  std::unique_ptr<SealedRecords> records_;
};

TEST_F(SealedRecordsTest, CreatedRecordOpensAsVersionOne) {
  auto id = records_->Create(kTenantA, ToBytes("first"), {});
  ASSERT_THAT(id, IsOk());
  EXPECT_THAT(ValidateRegisterId(*id), IsOk());

  auto opened = records_->Open(kTenantA, *id, std::nullopt);

  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(opened->version, 1u);
  EXPECT_EQ(opened->plaintext, ToBytes("first"));
}

TEST_F(SealedRecordsTest, EveryVersionStaysReadableAndTheHeadIsTheLast) {
  auto id = records_->Create(kTenantA, ToBytes("v1"), {});
  ASSERT_THAT(id, IsOk());
  ASSERT_THAT(records_->Append(kTenantA, *id, 1, ToBytes("v2"), {}), HoldsValue(2u));
  clock_.Advance(std::chrono::hours(1));
  ASSERT_THAT(records_->Append(kTenantA, *id, 2, ToBytes("v3"), {}), HoldsValue(3u));

  EXPECT_THAT(records_->Open(kTenantA, *id, 1),
              HoldsValue(Field(&OpenedVersion::plaintext, ToBytes("v1"))));
  EXPECT_THAT(records_->Open(kTenantA, *id, 2),
              HoldsValue(Field(&OpenedVersion::plaintext, ToBytes("v2"))));
  EXPECT_THAT(records_->Open(kTenantA, *id, std::nullopt),
              HoldsValue(Field(&OpenedVersion::plaintext, ToBytes("v3"))));
  EXPECT_THAT(
      records_->ListVersions(kTenantA, *id),
      HoldsValue(ElementsAre(Field(&VersionInfo::version, 1u), Field(&VersionInfo::version, 2u),
                             Field(&VersionInfo::created_at, (1732600000LL + 3600) * 1000000))));
  EXPECT_THAT(records_->Open(kTenantA, *id, 4), ErrorIdIs("KSK-STORE-012"));
}

TEST_F(SealedRecordsTest, CiphertextCopiedToAnotherRegisterOrVersionFailsWithDataLoss) {
  auto a = records_->Create(kTenantA, ToBytes("register a"), {});
  auto b = records_->Create(kTenantA, ToBytes("register b"), {});
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  // B's version 2 and A's version 2 get A's version-1 ciphertext, via plain SQL.
  for (const std::string& target : {*b, *a}) {
    const testing::RawResult copied = testing::RawExec(
        db_file(), "INSERT INTO register_versions SELECT tenant_code, '" + target +
                       "', 2, ciphertext, created_at FROM register_versions WHERE register_id = '" +
                       *a +
                       "' AND version = 1; UPDATE registers SET head_version = 2 WHERE "
                       "register_id = '" +
                       target + "';");
    ASSERT_EQ(copied.rc, SQLITE_OK) << copied.message;
  }

  EXPECT_THAT(records_->Open(kTenantA, *b, std::nullopt), ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(records_->Open(kTenantA, *b, std::nullopt), ErrorIdIs("KSK-STORE-016"));
  EXPECT_THAT(records_->Open(kTenantA, *a, 2), ErrorIdIs("KSK-STORE-016"));
  EXPECT_THAT(records_->Open(kTenantA, *a, 1),
              HoldsValue(Field(&OpenedVersion::plaintext, ToBytes("register a"))));
}

TEST_F(SealedRecordsTest, CiphertextCopiedToAnotherTenantFailsWithDataLoss) {
  auto a = records_->Create(kTenantA, ToBytes("register a"), {});
  ASSERT_THAT(a, IsOk());
  const testing::RawResult copied =
      testing::RawExec(db_file(),
                       "INSERT INTO registers SELECT '990002', register_id, 0, created_at FROM "
                       "registers; INSERT INTO register_versions SELECT '990002', register_id, 1, "
                       "ciphertext, created_at FROM register_versions; UPDATE registers SET "
                       "head_version = 1 WHERE tenant_code = '990002';");
  ASSERT_EQ(copied.rc, SQLITE_OK) << copied.message;

  EXPECT_THAT(records_->Open(kTenantB, *a, std::nullopt), ErrorIdIs("KSK-STORE-016"));
}

TEST_F(SealedRecordsTest, StaleAppendIsAbortedAndWritesNothing) {
  auto id = records_->Create(kTenantA, ToBytes("v1"), {});
  ASSERT_THAT(id, IsOk());
  ASSERT_THAT(records_->Append(kTenantA, *id, 1, ToBytes("v2 by clerk 1"), {}), IsOk());
  const LookupKey key{"name+birth", "stale-key"};

  auto stale = records_->Append(kTenantA, *id, 1, ToBytes("v2 by clerk 2"), {&key, 1});

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(records_->ListVersions(kTenantA, *id), HoldsValue(::testing::SizeIs(2)));
  EXPECT_THAT(records_->Candidates(kTenantA, key), HoldsValue(IsEmpty()));
  EXPECT_THAT(records_->Open(kTenantA, *id, std::nullopt),
              HoldsValue(Field(&OpenedVersion::plaintext, ToBytes("v2 by clerk 1"))));
}

TEST_F(SealedRecordsTest, ARecordOfOneTenantIsNeitherReadableNorFindableAsAnother) {
  const LookupKey key{"name+birth", "key"};
  auto id = records_->Create(kTenantA, ToBytes("secret"), {&key, 1});
  ASSERT_THAT(id, IsOk());

  EXPECT_THAT(records_->Open(kTenantB, *id, std::nullopt), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(records_->Open(kTenantB, *id, 1), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(records_->ListVersions(kTenantB, *id), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(records_->Append(kTenantB, *id, 1, ToBytes("x"), {}), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(records_->Candidates(kTenantB, key), HoldsValue(IsEmpty()));
  EXPECT_THAT(records_->Candidates(kTenantA, key), HoldsValue(ElementsAre(*id)));
}

TEST_F(SealedRecordsTest, LookupKeysOfDifferentPurposesDoNotMeet) {
  const LookupKey key{"name+birth", "same value"};
  ASSERT_THAT(records_->Create(kTenantA, ToBytes("r"), {&key, 1}), IsOk());

  EXPECT_THAT(records_->Candidates(kTenantA, LookupKey{"honseki+hittosha", "same value"}),
              HoldsValue(IsEmpty()));
}

TEST_F(SealedRecordsTest, UnknownTenantAndMalformedIdsAreRefused) {
  EXPECT_THAT(records_->Create("990099", ToBytes("r"), {}), ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(records_->Open(kTenantA, "not-an-id", std::nullopt),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(records_->Open(kTenantA, "0123456789abcdef0123456789abcdef", std::nullopt),
              ErrorIdIs("KSK-STORE-011"));
}

TEST_F(SealedRecordsTest, DatabaseFilesHoldNoPlaintextOrLookupValues) {
  const std::string plaintext = "本籍 青葉県みなと市港町一丁目 筆頭者 山川健一";
  const LookupKey key{"honseki+hittosha", "青葉県みなと市港町一丁目\x1f山川健一"};
  auto id = records_->Create(kTenantA, ToBytes(plaintext), {&key, 1});
  ASSERT_THAT(id, IsOk());
  ASSERT_THAT(records_->Append(kTenantA, *id, 1, ToBytes(plaintext + " 二"), {&key, 1}), IsOk());

  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path file = db_file().string() + suffix;
    EXPECT_FALSE(testing::FileContains(file, "山川")) << file;
    EXPECT_FALSE(testing::FileContains(file, "みなと市港町")) << file;
  }
  // The files exist and do hold the data (in ciphertext): the check above is not vacuous.
  EXPECT_TRUE(testing::FileContains(db_file().string() + "-wal", *id));
}

}  // namespace
}  // namespace koseki::store::internal
