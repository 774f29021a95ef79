// SQLite-specific behaviour of SqliteBackend: the file, the schema and its triggers, the reader
// connections. The Backend contract itself is the conformance suite, instantiated here.
#include "koseki/store/sqlite/sqlite_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <future>
#include <latch>
#include <thread>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/migrations.h"
#include "koseki/store/testing/backend_conformance.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

using ::koseki::store::testing::BackendConformanceTest;
using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::Optional;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kRegister = "0123456789abcdef0123456789abcdef";

const Bytes kCiphertext1 = {1, 2, 3};
const Bytes kBlind(16, 0xab);

std::unique_ptr<Backend> OpenSqliteIn(const std::filesystem::path& dir) {
  auto backend = SqliteBackend::Open(dir / "koseki.db");
  EXPECT_THAT(backend, IsOk());
  return backend ? std::unique_ptr<Backend>(std::move(backend).value()) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BackendConformanceTest,
                         ::testing::Values(testing::BackendFactory{"sqlite", OpenSqliteIn}),
                         testing::BackendFactoryName);

class SqliteBackendTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    auto backend = SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    backend_ = std::move(backend).value();
    ASSERT_THAT(backend_->InsertTenant({std::string(kTenantA), "青葉県みなと市", 1}), IsOk());
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

TEST_F(SqliteBackendTest, ReadsOutsideATransactionReuseAFewReaderConnections) {
  CreateRegisterWithOneVersion();
  EXPECT_EQ(backend_->IdleReaders(), 0u);  // opened lazily

  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(1u)));
  }

  EXPECT_EQ(backend_->IdleReaders(), 1u);
}

TEST_F(SqliteBackendTest, ReadsInsideATransactionUseTheWriterConnection) {
  auto transaction = backend_->BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  ASSERT_THAT(backend_->InsertRegister(kTenantA, kRegister, 10), IsOk());

  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, kRegister), HoldsValue(Optional(0u)));
  EXPECT_EQ(backend_->IdleReaders(), 0u);
}

// Busy handling across processes: while another connection (another koseki process) holds the
// write lock, a write waits for the busy timeout; once the lock is gone it proceeds. (The
// timeout itself, KSK-STORE-003 after 10 s, is not waited for here.)
TEST_F(SqliteBackendTest, AWriteWaitsForAnotherProcessesWriteLock) {
  auto other = SqliteBackend::Open(db_file());
  ASSERT_THAT(other, IsOk());
  auto held = (*other)->BeginWrite();
  ASSERT_THAT(held, IsOk());
  ASSERT_THAT((*other)->InsertRegister(kTenantA, kRegister, 10), IsOk());
  std::latch started(1);
  auto write = std::async(std::launch::async, [&] {
    started.count_down();
    return backend_->InsertVersion(kTenantA, kRegister, 0, kCiphertext1, 20);
  });
  started.wait();

  ASSERT_THAT((*held)->Commit(), IsOk());

  EXPECT_THAT(write.get(), HoldsValue(1u));
}

// The change stamp caches rely on: unchanged by reads and by a transaction rolled back, changed
// by a commit of this backend and by one of another process (another connection to the file).
TEST_F(SqliteBackendTest, TheChangeStampMovesWithEveryCommitAndOnlyThen) {
  auto first = backend_->ChangeStamp();
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(backend_->GetTenant(kTenantA), IsOk());
  {
    auto abandoned = backend_->BeginWrite();
    ASSERT_THAT(abandoned, IsOk());
    ASSERT_THAT(backend_->InsertRegister(kTenantA, kRegister, 10), IsOk());
  }  // rolled back
  EXPECT_THAT(backend_->ChangeStamp(), HoldsValue(*first));

  ASSERT_THAT(backend_->InsertRegister(kTenantA, kRegister, 10), IsOk());
  auto second = backend_->ChangeStamp();
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(*second, *first);
  EXPECT_THAT(backend_->ChangeStamp(), HoldsValue(*second));

  auto other = SqliteBackend::Open(db_file());
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT((*other)->InsertVersion(kTenantA, kRegister, 0, kCiphertext1, 20), IsOk());
  auto third = backend_->ChangeStamp();
  ASSERT_THAT(third, IsOk());
  EXPECT_NE(*third, *second);
}

TEST_F(SqliteBackendTest, ReaderConnectionsCannotWrite) {
  ASSERT_THAT(backend_->GetTenant(kTenantA), IsOk());  // opens a reader
  auto reader = sqlite_internal::Database::OpenReadOnly(db_file());
  ASSERT_THAT(reader, IsOk());

  EXPECT_THAT(reader->Exec("INSERT INTO tenants VALUES ('990009', 'x', 0)"),
              ErrorIs(ErrorCode::kUnavailable));
}

// Append-only is enforced by the schema itself: an administrator with the sqlite3 shell
// cannot rewrite or remove history either.
class SqliteAppendOnlyTest : public SqliteBackendTest,
                             public ::testing::WithParamInterface<const char*> {};

TEST_P(SqliteAppendOnlyTest, RawSqlStatementIsRefusedByTheSchema) {
  CreateRegisterWithOneVersion();
  ASSERT_THAT(backend_->InsertTenantKey(kTenantA, TenantKeyRow{1, {1}, 5}), IsOk());
  ASSERT_THAT(backend_->InsertInstallationValue("master_key_id", "k1"), IsOk());
  ASSERT_THAT(backend_->RecordCertificateIssue(kTenantA, kRegister, 1, 5), IsOk());
  ASSERT_THAT(backend_->SetTenantSetting(kTenantA, "workflow.double_entry", "on", 5), IsOk());

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
                      "UPDATE register_versions SET created_at = 0",
                      "UPDATE register_index SET blind = x'00'", "DELETE FROM register_index",
                      "UPDATE tenant_keys SET wrapped = x'00'", "DELETE FROM tenant_keys",
                      "UPDATE tenant_keys SET created_at = 0", "DELETE FROM registers",
                      "UPDATE registers SET head_version = 0",
                      "UPDATE registers SET head_version = 2",
                      "UPDATE registers SET created_at = 0", "UPDATE installation SET value = 'k2'",
                      "DELETE FROM installation", "UPDATE certificate_issues SET issued_at = 0",
                      "UPDATE tenant_settings SET set_at = 0",
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
