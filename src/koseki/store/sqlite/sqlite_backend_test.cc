// SQLite-specific behaviour of SqliteBackend: the file, the schema and its triggers, the reader
// connections. The Backend contract itself is the conformance suite, instantiated here.
#include "koseki/store/sqlite/sqlite_backend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

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

// The id of register `i` (of thread `thread` in the concurrency tests).
std::string RegisterIdOf(int i, int thread = 0) {
  char id[33];
  std::snprintf(id, sizeof id, "%016x%016x", thread, i);
  return id;
}

// Many threads writing at once (group commit, internal/writer_turns.h): every transaction
// committed is there, every one rolled back is not, whatever group it shared a COMMIT with, and
// writes outside a transaction interleave with them.
TEST_F(SqliteBackendTest, ConcurrentTransactionsCommitOrRollBackEachOnItsOwn) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 20;
  auto abandoned = [](int thread, int i) { return thread == 0 && i % 4 == 0; };
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (t == 1 && i % 5 == 0) {  // a write call of its own, outside any transaction
          if (!backend_->InsertRegister(kTenantA, RegisterIdOf(i, t), 10)) ++failures;
          continue;
        }
        auto transaction = backend_->BeginWrite();
        if (!transaction) {
          ++failures;
          continue;
        }
        if (!backend_->InsertRegister(kTenantA, RegisterIdOf(i, t), 10)) ++failures;
        if (abandoned(t, i)) continue;  // rolled back by the handle
        if (!(*transaction)->Commit()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  int committed = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const bool expected = !abandoned(t, i);
      const auto head = backend_->GetHeadVersion(kTenantA, RegisterIdOf(i, t));
      ASSERT_THAT(head, IsOk());
      EXPECT_EQ(head->has_value(), expected) << t << "/" << i;
      if (expected && !(t == 1 && i % 5 == 0)) ++committed;
    }
  }
  const SqliteBackend::CommitCounts counts = backend_->Commits();
  // Counted are transactions (BeginWrite); a write call outside one commits on its own.
  EXPECT_EQ(counts.transactions, static_cast<std::uint64_t>(committed));
  EXPECT_LE(counts.commits, counts.transactions);
  EXPECT_FALSE(backend_->InTransactionOnThisThread());
}

// The same with InTransaction, whose functions may be handed over to the thread holding the
// writer: each commits or rolls back on its own, whichever thread ran it.
TEST_F(SqliteBackendTest, ConcurrentInTransactionCallsCommitOrRollBackEachOnItsOwn) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 20;
  auto refused = [](int thread, int i) { return thread == 0 && i % 4 == 0; };
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Result<void> done = backend_->InTransaction([&]() -> Result<void> {
          KOSEKI_RETURN_IF_ERROR(backend_->InsertRegister(kTenantA, RegisterIdOf(i, t), 10));
          if (refused(t, i))
            return MakeError(ErrorCode::kAborted, "KSK-TEST-001", "拒否", "refused by test");
          return Ok();
        });
        if (done.has_value() == refused(t, i)) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const auto head = backend_->GetHeadVersion(kTenantA, RegisterIdOf(i, t));
      ASSERT_THAT(head, IsOk());
      EXPECT_EQ(head->has_value(), !refused(t, i)) << t << "/" << i;
    }
  }
  const SqliteBackend::CommitCounts counts = backend_->Commits();
  EXPECT_EQ(counts.transactions,
            static_cast<std::uint64_t>(kThreads * kPerThread - kPerThread / 4));
  EXPECT_LE(counts.commits, counts.transactions);
}

// A function handed over to the thread holding the writer is checked as its caller's own
// transaction would be: rows it wrote without recording them are refused and rolled back, and
// the holder's transaction stands.
TEST_F(SqliteBackendTest, AHandedOverTransactionIsRefusedAloneForUnrecordedWrites) {
  backend_->RequireRecordedWrites();
  const std::string mine(32, 'a');
  const std::string theirs(32, 'b');
  auto holder = backend_->BeginWrite();
  ASSERT_THAT(holder, IsOk());
  ASSERT_THAT(backend_->InsertRegister(kTenantA, mine, 10), IsOk());
  EXPECT_FALSE(backend_->TakeWrites(kTenantA).empty());

  std::thread::id ran_on;
  Result<void> handed_over = Ok();
  std::thread waiter([&] {
    handed_over = backend_->InTransaction([&]() -> Result<void> {
      ran_on = std::this_thread::get_id();
      return backend_->InsertRegister(kTenantA, theirs, 10);
    });
  });
  while (backend_->WritersWaiting() < 1) std::this_thread::yield();
  EXPECT_THAT((*holder)->Commit(), IsOk());
  waiter.join();

  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_THAT(handed_over, ErrorIdIs("KSK-STORE-034"));
  const auto mine_head = backend_->GetHeadVersion(kTenantA, mine);
  ASSERT_THAT(mine_head, IsOk());
  EXPECT_TRUE(mine_head->has_value());
  const auto theirs_head = backend_->GetHeadVersion(kTenantA, theirs);
  ASSERT_THAT(theirs_head, IsOk());
  EXPECT_FALSE(theirs_head->has_value());
}

// A function that throws leaves no transaction open behind it: a write outside any transaction
// is refused again, and the writes it noted are gone with its rolled-back rows.
TEST_F(SqliteBackendTest, AnInTransactionFunctionThatThrowsLeavesNoTransactionOpen) {
  backend_->RequireRecordedWrites();
  EXPECT_THROW((void)backend_->InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(backend_->InsertRegister(kTenantA, RegisterIdOf(1), 10));
    throw std::runtime_error("thrown by test");
  }),
               std::runtime_error);
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, RegisterIdOf(1)), HoldsValue(std::nullopt));
  EXPECT_THAT(backend_->InsertRegister(kTenantA, RegisterIdOf(2), 10), ErrorIdIs("KSK-STORE-034"));
  EXPECT_TRUE(backend_->TakeWrites(kTenantA).empty());
}

// A bulk load writes through a rollback journal (the -journal file exists while its transaction
// is open) and leaves the file in WAL mode, its registers committed.
TEST_F(SqliteBackendTest, ABulkLoadWritesThroughARollbackJournalAndGivesBackWal) {
  const std::filesystem::path journal = db_file().string() + "-journal";
  {
    auto bulk = backend_->BeginBulkLoad();
    ASSERT_THAT(bulk, IsOk());
    auto transaction = backend_->BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    for (int i = 0; i < 20; ++i) {
      ASSERT_THAT(backend_->CreateRegister(kTenantA, RegisterIdOf(i), kCiphertext1, 10, {}),
                  IsOk());
    }
    EXPECT_TRUE(std::filesystem::exists(journal));
    ASSERT_THAT((*transaction)->Commit(), IsOk());
    EXPECT_THAT(backend_->GetHeadVersion(kTenantA, RegisterIdOf(19)), HoldsValue(Optional(1u)));
  }
  EXPECT_EQ(store::testing::RawQueryText(db_file(), "PRAGMA journal_mode"), "wal");
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, RegisterIdOf(0)), HoldsValue(Optional(1u)));
  EXPECT_EQ(backend_->IdleReaders(), 1u);  // readers open again
}

// Once the WAL has been checkpointed, the checkpointer's connection is open; a bulk load pauses
// it and still writes through a rollback journal.
TEST_F(SqliteBackendTest, ABulkLoadAfterACheckpointStillWritesThroughARollbackJournal) {
  const Bytes page_sized(4000, 0x5a);
  {
    auto transaction = backend_->BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    // More pages than the checkpointer's threshold (1,000).
    for (int i = 0; i < 1200; ++i) {
      ASSERT_THAT(backend_->CreateRegister(kTenantA, RegisterIdOf(i, 1), page_sized, 10, {}),
                  IsOk());
    }
    ASSERT_THAT((*transaction)->Commit(), IsOk());
  }
  EXPECT_EQ(backend_->SettleCheckpoints(), 1U);
  const std::filesystem::path journal = db_file().string() + "-journal";
  auto bulk = backend_->BeginBulkLoad();
  ASSERT_THAT(bulk, IsOk());
  auto transaction = backend_->BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  ASSERT_THAT(backend_->CreateRegister(kTenantA, RegisterIdOf(1), kCiphertext1, 10, {}), IsOk());
  EXPECT_TRUE(std::filesystem::exists(journal));
  ASSERT_THAT((*transaction)->Commit(), IsOk());
}

TEST_F(SqliteBackendTest, ABulkLoadRolledBackLeavesNothing) {
  {
    auto bulk = backend_->BeginBulkLoad();
    ASSERT_THAT(bulk, IsOk());
    auto transaction = backend_->BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    ASSERT_THAT(backend_->CreateRegister(kTenantA, RegisterIdOf(1), kCiphertext1, 10, {}), IsOk());
  }
  EXPECT_THAT(backend_->GetHeadVersion(kTenantA, RegisterIdOf(1)),
              HoldsValue(std::optional<std::uint64_t>()));
  EXPECT_EQ(store::testing::RawQueryText(db_file(), "PRAGMA journal_mode"), "wal");
}

// Another process has the file open (a running server): the load cannot leave WAL mode, and
// runs as an ordinary transaction.
TEST_F(SqliteBackendTest, ABulkLoadBesideAnotherConnectionRunsInWal) {
  auto other = SqliteBackend::Open(db_file());
  ASSERT_THAT(other, IsOk());
  const std::filesystem::path journal = db_file().string() + "-journal";
  {
    auto bulk = backend_->BeginBulkLoad();
    ASSERT_THAT(bulk, IsOk());
    auto transaction = backend_->BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    ASSERT_THAT(backend_->CreateRegister(kTenantA, RegisterIdOf(1), kCiphertext1, 10, {}), IsOk());
    EXPECT_FALSE(std::filesystem::exists(journal));
    ASSERT_THAT((*transaction)->Commit(), IsOk());
  }
  EXPECT_THAT((*other)->GetHeadVersion(kTenantA, RegisterIdOf(1)), HoldsValue(Optional(1u)));
  EXPECT_EQ(store::testing::RawQueryText(db_file(), "PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteBackendTest, ABulkLoadCannotBeginInsideATransaction) {
  auto transaction = backend_->BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  EXPECT_THAT(backend_->BeginBulkLoad(), ErrorIdIs("KSK-STORE-002"));
}

// The crash test: a process killed in the middle of a bulk load, after its small page cache
// had pushed pages into the database file, leaves a hot journal; the next open rolls it back
// (none of the load's registers remain, the file is as before) and returns to WAL mode.
TEST_F(SqliteBackendTest, AProcessKilledDuringABulkLoadLeavesNoneOfIt) {
  backend_.reset();  // the loading process must be alone with the file to leave WAL mode
  const std::uintmax_t size_before = std::filesystem::file_size(db_file());
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    close(report[0]);
    auto backend = SqliteBackend::Open(db_file());
    if (!backend) _exit(2);
    auto bulk = (*backend)->BeginBulkLoad(/*cache_kib=*/256);
    auto transaction = (*backend)->BeginWrite();
    if (!bulk || !transaction) _exit(3);
    const Bytes ciphertext(4096, 0x5a);
    for (int i = 0; i < 300; ++i) {
      if (!(*backend)->CreateRegister(kTenantA, RegisterIdOf(i), ciphertext, 10, {})) _exit(4);
    }
    const std::uintmax_t grown = std::filesystem::file_size(db_file());
    if (write(report[1], &grown, sizeof grown) != sizeof grown) _exit(5);
    raise(SIGKILL);
  }
  close(report[1]);
  std::uintmax_t grown = 0;
  const ssize_t got = read(report[0], &grown, sizeof grown);
  close(report[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof grown)) << "child exit " << WEXITSTATUS(status);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_GT(grown, size_before + 300 * 4096 / 2);  // most of the load had reached the file
  EXPECT_TRUE(std::filesystem::exists(db_file().string() + "-journal"));

  auto reopened = SqliteBackend::Open(db_file());
  ASSERT_THAT(reopened, IsOk());
  for (const int i : {0, 150, 299}) {
    EXPECT_THAT((*reopened)->GetHeadVersion(kTenantA, RegisterIdOf(i)),
                HoldsValue(std::optional<std::uint64_t>()));
  }
  EXPECT_THAT((*reopened)->GetTenant(kTenantA), HoldsValue(::testing::Ne(std::nullopt)));
  EXPECT_EQ(store::testing::RawQueryText(db_file(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(store::testing::RawQueryText(db_file(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(store::testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 0);
}

TEST_F(SqliteBackendTest, ReaderConnectionsCannotWrite) {
  ASSERT_THAT(backend_->GetTenant(kTenantA), IsOk());  // opens a reader
  auto reader = sqlite_internal::Database::OpenReadOnly(db_file());
  ASSERT_THAT(reader, IsOk());

  EXPECT_THAT(reader->Exec("INSERT INTO tenants VALUES ('990009', 'x', 0)"),
              ErrorIs(ErrorCode::kUnavailable));
}

// Appends entries [from, to) of an audit log (testing::AppendAuditRow: entry i is the byte
// i + 1, its leaf hash 32 × i).
void AppendAuditEntries(Backend& backend, std::uint64_t from, std::uint64_t to) {
  for (std::uint64_t i = from; i < to; ++i) {
    ASSERT_THAT(testing::AppendAuditRow(backend, kTenantA, i), IsOk());
  }
}

TEST_F(SqliteBackendTest, TheAppendCompletingARunOf256MovesItIntoOneBundleRow) {
  AppendAuditEntries(*backend_, 0, 255);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 255);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 0);

  AppendAuditEntries(*backend_, 255, 256);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 0);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 1);
  AppendAuditEntries(*backend_, 256, 600);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 88);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT min(entry_index) FROM audit_entries"), 512);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 2);
  // Each 1-byte entry is stored as its 4-byte length and the byte.
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT min(length(entries)) FROM audit_entry_bundles"),
            256 * 5);
}

// Rows leave audit_entries only into a bundle that exists, and bundles only grow by the next
// complete run; by hand, nothing of either changes.
TEST_F(SqliteBackendTest, AuditBundlesAndTheRowsAboveThemAreAppendOnlyForRawSql) {
  AppendAuditEntries(*backend_, 0, 300);
  for (const char* sql :
       {"UPDATE audit_entry_bundles SET entries = zeroblob(2000)",
        "DELETE FROM audit_entry_bundles",
        "INSERT INTO audit_entry_bundles VALUES ('990001', 1, zeroblob(8192), zeroblob(2000))",
        "INSERT OR REPLACE INTO audit_entry_bundles VALUES ('990001', 0, zeroblob(8192), "
        "zeroblob(8192))",
        "DELETE FROM audit_entries WHERE entry_index = 299",
        "INSERT INTO audit_entries VALUES ('990001', 5, x'01', zeroblob(32))",
        "INSERT INTO audit_entries VALUES ('990001', 301, x'01', zeroblob(32))",
        "INSERT INTO audit_nodes VALUES ('990001', 8, 1, zeroblob(32))",
        "INSERT INTO audit_checkpoints VALUES ('990001', 1, 301, 'x', 0)"}) {
    const testing::RawResult result = testing::RawExec(db_file(), sql);
    EXPECT_EQ(result.rc & 0xff, SQLITE_CONSTRAINT) << sql << ": " << result.message;
  }
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 44);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 1);
  EXPECT_THAT(testing::RawExec(db_file(),
                               "INSERT INTO audit_entries VALUES ('990001', 300, x'01', "
                               "zeroblob(32))")
                  .rc,
              SQLITE_OK);
}

// A damaged bundle is not an error to the readers: its entries come back empty where they
// stand, and the rest of the log reads as before (verify names them as modified).
TEST_F(SqliteBackendTest, TheEntriesOfABundleThatDoesNotDecodeReadAsEmptyInPlace) {
  AppendAuditEntries(*backend_, 0, 520);
  ASSERT_EQ(
      testing::RawExec(
          db_file(),
          "DROP TRIGGER audit_entry_bundles_no_update; "
          "UPDATE audit_entry_bundles SET entries = CAST(x'ff' || substr(entries, 2) AS BLOB) "
          "WHERE bundle_index = 1")
          .rc,
      SQLITE_OK);
  std::vector<std::uint64_t> empty;
  std::uint64_t seen = 0;
  ASSERT_THAT(backend_->ScanAuditEntries(kTenantA, 0,
                                         [&](const AuditEntryView& e) -> Result<bool> {
                                           EXPECT_EQ(e.index, seen++);
                                           if (e.entry.empty()) empty.push_back(e.index);
                                           return true;
                                         }),
              IsOk());
  EXPECT_EQ(seen, 520u);
  ASSERT_EQ(empty.size(), 256u);
  EXPECT_EQ(empty.front(), 256u);
  EXPECT_EQ(empty.back(), 511u);
  auto damaged = backend_->GetAuditEntry(kTenantA, 300);
  ASSERT_THAT(damaged, IsOk());
  ASSERT_TRUE(damaged->has_value());
  EXPECT_TRUE((*damaged)->entry.empty());
  EXPECT_EQ((*damaged)->leaf_hash, Bytes(32, 300 % 256));
  EXPECT_THAT(backend_->GetAuditEntry(kTenantA, 200),
              HoldsValue(Optional(::testing::Field(&AuditEntryRow::entry, Bytes{201}))));
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
