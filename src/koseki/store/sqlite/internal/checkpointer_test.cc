// Checkpointer on a real SQLite file. Whether the WAL was copied into the database is read off
// the database file's size: a page reaches the file only through a checkpoint.
#include "koseki/store/sqlite/internal/checkpointer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store::sqlite_internal {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::IsOk;

constexpr std::uintmax_t kPage = 4096;  // SQLite's default page size
// More pages than SQLite's own auto-checkpoint threshold (1,000): a writer left to its default
// would checkpoint them at its commit.
constexpr int kManyPages = 1200;

class CheckpointerTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto db = Database::Open(file());
    ASSERT_THAT(db, IsOk());
    writer_ = std::make_unique<Database>(std::move(db).value());
    ASSERT_THAT(writer_->Exec("CREATE TABLE t (v BLOB)"), IsOk());
    ASSERT_THAT(writer_->CheckpointPassive(), IsOk());  // the table's page is in the file
  }

  std::filesystem::path file() const { return dir() / "t.db"; }

  // Commits one transaction of about `pages` new pages.
  void CommitPages(int pages) {
    ASSERT_THAT(
        writer_->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                      "WHERE i < " +
                      std::to_string(pages) + ") INSERT INTO t (v) SELECT randomblob(4000) FROM n"),
        IsOk());
  }

  // Pages in the database file itself (not in the WAL).
  std::uintmax_t PagesInFile() const { return std::filesystem::file_size(file()) / kPage; }

  std::unique_ptr<Database> writer_;
};

TEST_F(CheckpointerTest, ACommitPastTheThresholdIsCheckpointedOnItsOwnConnection) {
  Checkpointer checkpointer(file(), *writer_, /*wal_pages=*/10);
  const std::uintmax_t before = PagesInFile();
  CommitPages(40);
  checkpointer.Settle();
  EXPECT_EQ(checkpointer.completed(), 1U);
  EXPECT_GE(PagesInFile(), before + 40);
}

TEST_F(CheckpointerTest, BelowTheThresholdNothingIsCheckpointed) {
  Checkpointer checkpointer(file(), *writer_, /*wal_pages=*/100);
  const std::uintmax_t before = PagesInFile();
  CommitPages(20);
  checkpointer.Settle();
  EXPECT_EQ(checkpointer.completed(), 0U);
  EXPECT_EQ(PagesInFile(), before);
}

// The commit does not checkpoint itself, however large the WAL: with the checkpointer paused,
// nothing reaches the file until it resumes.
TEST_F(CheckpointerTest, TheCommitLeavesTheCheckpointToTheCheckpointer) {
  Checkpointer checkpointer(file(), *writer_);
  checkpointer.Pause();
  const std::uintmax_t before = PagesInFile();
  CommitPages(kManyPages);
  EXPECT_EQ(PagesInFile(), before);
  checkpointer.Resume();
  checkpointer.Settle();
  EXPECT_EQ(checkpointer.completed(), 1U);
  EXPECT_GE(PagesInFile(), before + kManyPages);
}

// Once the checkpointer is gone, the writer's commits checkpoint as SQLite's default has them.
TEST_F(CheckpointerTest, WhenDestroyedItGivesTheCommitsTheirCheckpointsBack) {
  { Checkpointer checkpointer(file(), *writer_); }
  const std::uintmax_t before = PagesInFile();
  CommitPages(kManyPages);
  EXPECT_GE(PagesInFile(), before + kManyPages);
}

// Its connection keeps the journal mode from changing (a bulk load's switch to a rollback
// journal); paused, it has closed it.
TEST_F(CheckpointerTest, PausedItHasClosedItsConnection) {
  Checkpointer checkpointer(file(), *writer_, /*wal_pages=*/10);
  CommitPages(20);
  checkpointer.Settle();
  ASSERT_EQ(checkpointer.completed(), 1U);
  EXPECT_THAT(writer_->SetJournalMode("truncate"), HoldsValue(std::string("wal")));
  checkpointer.Pause();
  EXPECT_THAT(writer_->SetJournalMode("truncate"), HoldsValue(std::string("truncate")));
  EXPECT_THAT(writer_->SetJournalMode("wal"), HoldsValue(std::string("wal")));
  checkpointer.Resume();
  CommitPages(20);
  checkpointer.Settle();
  EXPECT_EQ(checkpointer.completed(), 2U);
}

}  // namespace
}  // namespace koseki::store::sqlite_internal
