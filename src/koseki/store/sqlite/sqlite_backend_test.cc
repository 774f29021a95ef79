#include "koseki/store/sqlite/sqlite_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/migrations.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";
constexpr std::string_view kRegister = "0123456789abcdef0123456789abcdef";

const Bytes kCiphertext1 = {1, 2, 3};
const Bytes kCiphertext2 = {4, 5, 6};
const Bytes kBlind(16, 0xab);

class SqliteBackendTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    auto backend = SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    backend_ = std::move(backend).value();
    ASSERT_THAT(backend_->InsertTenant({std::string(kTenantA), "青葉県みなと市", 1}), IsOk());
    ASSERT_THAT(backend_->InsertTenant({std::string(kTenantB), "青葉県やまびこ町", 1}), IsOk());
  }

  // A register of tenant A with one version.
  void CreateRegisterWithOneVersion() {
    ASSERT_THAT(backend_->InsertRegister(kTenantA, kRegister, 10), IsOk());
    ASSERT_THAT(backend_->InsertVersion(kTenantA, kRegister, 0, kCiphertext1, 10), HoldsValue(1u));
    const IndexEntry entry{"name+birth", kBlind};
    ASSERT_THAT(backend_->InsertIndexEntries(kTenantA, kRegister, {&entry, 1}), IsOk());
  }

  std::unique_ptr<SqliteBackend> backend_;
};

TEST_F(SqliteBackendTest, OpeningAnEmptyFileAppliesEveryMigration) {
  const auto& migrations = sqlite_internal::Migrations();
  EXPECT_THAT(backend_->SchemaVersion(), HoldsValue(migrations.back().version));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM schema_migrations"),
            static_cast<long long>(migrations.size()));
  EXPECT_EQ(testing::RawQueryInt(db_file(),
                                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                                 "IN ('installation', 'tenants', 'tenant_keys', 'registers', "
                                 "'register_versions', 'register_index')"),
            6);
}

TEST_F(SqliteBackendTest, ReopeningKeepsDataAndAppliesNoMigrationTwice) {
  CreateRegisterWithOneVersion();
  backend_.reset();

  auto reopened = SqliteBackend::Open(db_file());

  ASSERT_THAT(reopened, IsOk());
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM schema_migrations"),
            static_cast<long long>(sqlite_internal::Migrations().size()));
  EXPECT_THAT((*reopened)->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(1u)));
}

TEST_F(SqliteBackendTest, DatabaseWrittenByANewerProgramIsRefused) {
  backend_.reset();
  ASSERT_EQ(
      testing::RawExec(db_file(), "INSERT INTO schema_migrations VALUES (999, 'future', 0)").rc,
      SQLITE_OK);

  EXPECT_THAT(SqliteBackend::Open(db_file()), ErrorIdIs("KSK-STORE-005"));
}

TEST_F(SqliteBackendTest, DatabaseIsInWalModeAndOwnerOnly) {
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
            1);
  struct stat st {};
  ASSERT_EQ(::stat(db_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SqliteBackendTest, AGarbageFileIsRefused) {
  const auto garbage = data_dir() / "garbage.db";
  {
    std::ofstream out(garbage, std::ios::binary);
    out << std::string(4096, 'x');
  }
  EXPECT_THAT(SqliteBackend::Open(garbage), ErrorIs(ErrorCode::kDataLoss));
}

TEST_F(SqliteBackendTest, InsertVersionAdvancesTheHeadOneByOne) {
  CreateRegisterWithOneVersion();

  EXPECT_THAT(backend_->InsertVersion(kTenantA, kRegister, 1, kCiphertext2, 20), HoldsValue(2u));

  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(2u)));
  EXPECT_THAT(backend_->ListVersions(kTenantA, kRegister),
              HoldsValue(ElementsAre(VersionInfo{1, 10}, VersionInfo{2, 20})));
  auto first = backend_->GetVersion(kTenantA, kRegister, 1);
  ASSERT_THAT(first, HoldsValue(Optional(::testing::_)));
  EXPECT_EQ((*first)->ciphertext, kCiphertext1);
}

TEST_F(SqliteBackendTest, StaleExpectedVersionIsAbortedAndWritesNothing) {
  CreateRegisterWithOneVersion();
  ASSERT_THAT(backend_->InsertVersion(kTenantA, kRegister, 1, kCiphertext2, 20), IsOk());

  auto stale = backend_->InsertVersion(kTenantA, kRegister, 1, kCiphertext1, 30);

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(stale, ErrorIdIs("KSK-STORE-010"));
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(2u)));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_versions"), 2);
}

TEST_F(SqliteBackendTest, InsertVersionOfAnUnknownRegisterIsNotFound) {
  EXPECT_THAT(backend_->InsertVersion(kTenantA, kRegister, 0, kCiphertext1, 10),
              ErrorIdIs("KSK-STORE-011"));
}

TEST_F(SqliteBackendTest, RowsOfOneTenantAreInvisibleToAnother) {
  CreateRegisterWithOneVersion();

  EXPECT_THAT(backend_->GetHeadVersion(kTenantB, kRegister), HoldsValue(std::nullopt));
  EXPECT_THAT(backend_->GetVersion(kTenantB, kRegister, 1), HoldsValue(std::nullopt));
  EXPECT_THAT(backend_->ListVersions(kTenantB, kRegister), HoldsValue(IsEmpty()));
  EXPECT_THAT(backend_->LookupIndex(kTenantB, "name+birth", kBlind), HoldsValue(IsEmpty()));
  EXPECT_THAT(backend_->LookupIndex(kTenantA, "name+birth", kBlind),
              HoldsValue(ElementsAre(std::string(kRegister))));
  EXPECT_THAT(backend_->InsertVersion(kTenantB, kRegister, 1, kCiphertext2, 20),
              ErrorIs(ErrorCode::kNotFound));
}

TEST_F(SqliteBackendTest, ARegisterOfAnUnknownTenantIsRefusedByTheSchema) {
  EXPECT_THAT(backend_->InsertRegister("990099", kRegister, 10),
              ErrorIs(ErrorCode::kFailedPrecondition));
}

TEST_F(SqliteBackendTest, DuplicateTenantAndInstallationValueAreAlreadyExists) {
  EXPECT_THAT(backend_->InsertTenant({std::string(kTenantA), "青葉県みなと市", 2}),
              ErrorIdIs("KSK-STORE-014"));
  ASSERT_THAT(backend_->InsertInstallationValue("format_version", "1"), IsOk());
  EXPECT_THAT(backend_->InsertInstallationValue("format_version", "2"),
              ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(backend_->GetInstallationValue("format_version"),
              HoldsValue(Optional(std::string("1"))));
}

TEST_F(SqliteBackendTest, LatestTenantKeyIsTheHighestVersion) {
  ASSERT_THAT(backend_->InsertTenantKey(kTenantA, TenantKeyRow{1, {1}, 5}), IsOk());
  ASSERT_THAT(backend_->InsertTenantKey(kTenantA, TenantKeyRow{2, {2}, 6}), IsOk());

  auto latest = backend_->GetLatestTenantKey(kTenantA);

  ASSERT_THAT(latest, HoldsValue(Optional(::testing::_)));
  EXPECT_EQ((*latest)->key_version, 2u);
  EXPECT_EQ((*latest)->wrapped, Bytes{2});
  EXPECT_THAT(backend_->GetLatestTenantKey(kTenantB), HoldsValue(std::nullopt));
}

TEST_F(SqliteBackendTest, InTransactionRollsBackEverythingWhenTheFunctionFails) {
  auto result = backend_->InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(backend_->InsertRegister(kTenantA, kRegister, 10));
    KOSEKI_RETURN_IF_ERROR(backend_->InsertVersion(kTenantA, kRegister, 0, kCiphertext1, 10));
    return MakeError(ErrorCode::kInvalidArgument, "TEST-001", "test");
  });

  EXPECT_THAT(result, ErrorIdIs("TEST-001"));
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(std::nullopt));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_versions"), 0);
}

TEST_F(SqliteBackendTest, AFailedCallInsideATransactionLeavesTheRestCommittable) {
  CreateRegisterWithOneVersion();

  auto result = backend_->InTransaction([&]() -> Result<void> {
    EXPECT_THAT(backend_->InsertVersion(kTenantA, kRegister, 0, kCiphertext2, 20),
                ErrorIs(ErrorCode::kAborted));
    return backend_->InsertVersion(kTenantA, kRegister, 1, kCiphertext2, 20).has_value()
               ? Ok()
               : MakeError(ErrorCode::kInternal, "TEST-002", "test");
  });

  EXPECT_THAT(result, IsOk());
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(2u)));
}

// Appends entry `index` to `log` (bytes {index + 1}) with the nodes it completes (hash bytes
// = level), as audit::AuditLog would.
void AppendAuditRow(SqliteBackend& backend, std::string_view log, std::uint64_t index) {
  std::vector<AuditNodeRow> nodes;
  int level = 0;
  for (std::uint64_t i = index; (i & 1) == 1; i >>= 1) {
    ++level;
    nodes.push_back(
        {level, ((index + 1) >> level) - 1, Bytes(32, static_cast<std::uint8_t>(level))});
  }
  const AuditEntryRow row{index, Bytes{static_cast<std::uint8_t>(index + 1)}, Bytes(32, 0)};
  ASSERT_THAT(backend.AppendAuditEntry(log, row, nodes), IsOk());
}

struct ScannedLog {
  std::vector<std::pair<std::uint64_t, Bytes>> entries;
  std::vector<std::pair<int, std::uint64_t>> nodes;
};

TEST_F(SqliteBackendTest, ScanAuditLogHandsOutEveryEntryAndNodeOfThatLogOnly) {
  for (std::uint64_t i = 0; i < 5; ++i) AppendAuditRow(*backend_, kTenantA, i);
  for (std::uint64_t i = 0; i < 2; ++i) AppendAuditRow(*backend_, kTenantB, i);
  ScannedLog scanned;
  ASSERT_THAT(backend_->ScanAuditLog(
                  kTenantA,
                  [&](const AuditEntryView& e) -> Result<bool> {
                    EXPECT_EQ(e.leaf_hash.size(), 32u);
                    scanned.entries.emplace_back(e.index, Bytes(e.entry.begin(), e.entry.end()));
                    return true;
                  },
                  [&](const AuditNodeView& n) -> Result<bool> {
                    EXPECT_EQ(n.hash.size(), 32u);
                    EXPECT_EQ(n.hash[0], n.level);
                    scanned.nodes.emplace_back(n.level, n.index);
                    return true;
                  }),
              IsOk());
  EXPECT_THAT(scanned.entries,
              ElementsAre(std::pair(0u, Bytes{1}), std::pair(1u, Bytes{2}), std::pair(2u, Bytes{3}),
                          std::pair(3u, Bytes{4}), std::pair(4u, Bytes{5})));
  EXPECT_THAT(scanned.nodes, ElementsAre(std::pair(1, 0u), std::pair(1, 1u), std::pair(2, 0u)));
}

TEST_F(SqliteBackendTest, ScanAuditLogStopsAtTheFirstFalseOrError) {
  for (std::uint64_t i = 0; i < 8; ++i) AppendAuditRow(*backend_, kTenantA, i);
  int entries = 0;
  ASSERT_THAT(backend_->ScanAuditLog(
                  kTenantA, [&](const AuditEntryView&) -> Result<bool> { return ++entries < 3; },
                  [&](const AuditNodeView&) -> Result<bool> { return true; }),
              IsOk());
  EXPECT_EQ(entries, 3);
  const auto failed = backend_->ScanAuditLog(
      kTenantA, [&](const AuditEntryView&) -> Result<bool> { return true; },
      [&](const AuditNodeView&) -> Result<bool> {
        return MakeError(ErrorCode::kInternal, "TEST-003", "test");
      });
  EXPECT_THAT(failed, ErrorIdIs("TEST-003"));
}

// A verifier must not see nodes whose entries it did not see: a writer appending while the log
// is read (another connection, as another koseki process would) is invisible to the scan.
TEST_F(SqliteBackendTest, ScanAuditLogReadsOneSnapshotWhileAnotherConnectionAppends) {
  for (std::uint64_t i = 0; i < 5; ++i) AppendAuditRow(*backend_, kTenantA, i);
  auto writer = SqliteBackend::Open(db_file());
  ASSERT_THAT(writer, IsOk());
  ScannedLog scanned;
  ASSERT_THAT(backend_->ScanAuditLog(
                  kTenantA,
                  [&](const AuditEntryView& e) -> Result<bool> {
                    if (e.index == 0) {
                      for (std::uint64_t i = 5; i < 8; ++i) AppendAuditRow(**writer, kTenantA, i);
                    }
                    scanned.entries.emplace_back(e.index, Bytes());
                    return true;
                  },
                  [&](const AuditNodeView& n) -> Result<bool> {
                    scanned.nodes.emplace_back(n.level, n.index);
                    return true;
                  }),
              IsOk());
  EXPECT_EQ(scanned.entries.size(), 5u);
  EXPECT_THAT(scanned.nodes, ElementsAre(std::pair(1, 0u), std::pair(1, 1u), std::pair(2, 0u)));
  EXPECT_EQ(testing::RawQueryInt(db_file(),
                                 "SELECT count(*) FROM audit_entries WHERE log_id = "
                                 "'990001'"),
            8);
}

// Append-only is enforced by the schema itself: an administrator with the sqlite3 shell
// cannot rewrite or remove history either.
class SqliteAppendOnlyTest : public SqliteBackendTest,
                             public ::testing::WithParamInterface<const char*> {};

TEST_P(SqliteAppendOnlyTest, RawSqlStatementIsRefusedByTheSchema) {
  CreateRegisterWithOneVersion();
  ASSERT_THAT(backend_->InsertTenantKey(kTenantA, TenantKeyRow{1, {1}, 5}), IsOk());
  ASSERT_THAT(backend_->InsertInstallationValue("master_key_id", "k1"), IsOk());

  const testing::RawResult result = testing::RawExec(db_file(), GetParam());

  EXPECT_EQ(result.rc & 0xff, SQLITE_CONSTRAINT) << result.message;
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_versions"), 1);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_index"), 1);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT head_version FROM registers"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Statements, SqliteAppendOnlyTest,
    ::testing::Values("UPDATE register_versions SET ciphertext = x'00'",
                      "UPDATE register_versions SET version = 7", "DELETE FROM register_versions",
                      "UPDATE register_index SET blind = x'00'", "DELETE FROM register_index",
                      "UPDATE tenant_keys SET wrapped = x'00'", "DELETE FROM tenant_keys",
                      "DELETE FROM registers", "UPDATE registers SET head_version = 0",
                      "UPDATE registers SET head_version = 2",
                      "UPDATE installation SET value = 'k2'", "DELETE FROM installation",
                      "INSERT INTO register_versions VALUES ('990001', "
                      "'0123456789abcdef0123456789abcdef', 5, x'01', 0)",
                      "INSERT OR REPLACE INTO register_versions VALUES ('990001', "
                      "'0123456789abcdef0123456789abcdef', 1, x'01', 0)",
                      "INSERT OR REPLACE INTO registers VALUES ('990001', "
                      "'0123456789abcdef0123456789abcdef', 0, 0)",
                      "INSERT OR REPLACE INTO tenant_keys VALUES ('990001', 1, x'00', 0)",
                      "INSERT OR REPLACE INTO installation VALUES ('master_key_id', 'k2')"));

}  // namespace
}  // namespace koseki::store
