#include "koseki/store/sqlite/internal/sqlite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store::sqlite_internal {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;

class SqliteWrapperTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto db = Database::Open(dir() / "t.db");
    ASSERT_THAT(db, IsOk());
    db_ = std::make_unique<Database>(std::move(db).value());
    ASSERT_THAT(db_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"), IsOk());
  }

  Result<void> Insert(std::int64_t k) {
    KOSEKI_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO t (k) VALUES (?1)"));
    KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, k));
    return stmt.Run();
  }

  long long Count() {
    return store::testing::RawQueryInt(dir() / "t.db", "SELECT count(*) FROM t");
  }

  std::unique_ptr<Database> db_;
};

TEST_F(SqliteWrapperTest, ATransactionThatIsNotCommittedRollsBackOnDestruction) {
  {
    auto tx = TransactionScope::Begin(*db_);
    ASSERT_THAT(tx, IsOk());
    ASSERT_THAT(Insert(1), IsOk());
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(SqliteWrapperTest, ANestedRollbackKeepsTheOuterTransactionsWork) {
  auto outer = TransactionScope::Begin(*db_);
  ASSERT_THAT(outer, IsOk());
  ASSERT_THAT(Insert(1), IsOk());
  {
    auto inner = TransactionScope::Begin(*db_);
    ASSERT_THAT(inner, IsOk());
    ASSERT_THAT(Insert(2), IsOk());
  }
  ASSERT_THAT(outer->Commit(), IsOk());

  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT k FROM t"), 1);
}

TEST_F(SqliteWrapperTest, ACallScopeOutsideATransactionIsOneTransaction) {
  {
    auto call = TransactionScope::BeginCall(*db_);
    ASSERT_THAT(call, IsOk());
    ASSERT_THAT(Insert(1), IsOk());
    EXPECT_TRUE(db_->InTransaction());
  }
  EXPECT_EQ(Count(), 0);
  auto call = TransactionScope::BeginCall(*db_);
  ASSERT_THAT(call, IsOk());
  ASSERT_THAT(Insert(1), IsOk());
  ASSERT_THAT(call->Commit(), IsOk());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteWrapperTest, ACallThatFailsHalfwayLeavesItsTransactionOnlyARollback) {
  {
    auto outer = TransactionScope::Begin(*db_);
    ASSERT_THAT(outer, IsOk());
    {
      auto call = TransactionScope::BeginCall(*db_);
      ASSERT_THAT(call, IsOk());
      ASSERT_THAT(Insert(1), IsOk());
      ASSERT_THAT(Insert(1), ErrorIs(ErrorCode::kFailedPrecondition));  // ends the call
    }
    EXPECT_THAT(outer->Commit(), ErrorIs(ErrorCode::kInternal));
  }
  EXPECT_EQ(Count(), 0);

  // The rollback cleared it: the next transaction commits.
  auto next = TransactionScope::Begin(*db_);
  ASSERT_THAT(next, IsOk());
  ASSERT_THAT(Insert(2), IsOk());
  ASSERT_THAT(next->Commit(), IsOk());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteWrapperTest, ACallThatFailsBeforeWritingLeavesItsTransactionCommittable) {
  ASSERT_THAT(Insert(1), IsOk());
  auto outer = TransactionScope::Begin(*db_);
  ASSERT_THAT(outer, IsOk());
  ASSERT_THAT(Insert(2), IsOk());
  {
    auto call = TransactionScope::BeginCall(*db_);
    ASSERT_THAT(call, IsOk());
    ASSERT_THAT(Insert(1), ErrorIs(ErrorCode::kFailedPrecondition));
  }
  ASSERT_THAT(outer->Commit(), IsOk());
  EXPECT_EQ(Count(), 2);
}

TEST_F(SqliteWrapperTest, ACallThatFailsHalfwayInASavepointDoomsOnlyTheSavepoint) {
  auto outer = TransactionScope::Begin(*db_);
  ASSERT_THAT(outer, IsOk());
  ASSERT_THAT(Insert(1), IsOk());
  {
    auto inner = TransactionScope::Begin(*db_);
    ASSERT_THAT(inner, IsOk());
    {
      auto call = TransactionScope::BeginCall(*db_);
      ASSERT_THAT(call, IsOk());
      ASSERT_THAT(Insert(2), IsOk());
    }
    EXPECT_THAT(inner->Commit(), ErrorIs(ErrorCode::kInternal));
  }
  ASSERT_THAT(outer->Commit(), IsOk());
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT k FROM t"), 1);
}

TEST_F(SqliteWrapperTest, AnEmptyBlobIsStoredAsABlobNotNull) {
  auto stmt = db_->Prepare("INSERT INTO t (k, v) VALUES (1, ?1)");
  ASSERT_THAT(stmt, IsOk());
  ASSERT_THAT(stmt->BindBlob(1, std::span<const std::uint8_t>()), IsOk());
  ASSERT_THAT(stmt->Run(), IsOk());

  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT typeof(v) = 'blob' FROM t"), 1);
}

TEST_F(SqliteWrapperTest, BoundTextIsAValueNeverSql) {
  ASSERT_THAT(db_->Exec("CREATE TABLE s (v TEXT)"), IsOk());
  auto insert = db_->Prepare("INSERT INTO s (v) VALUES (?1)");
  ASSERT_THAT(insert, IsOk());
  ASSERT_THAT(insert->Bind(1, std::string_view("x'); DROP TABLE t; --")), IsOk());
  ASSERT_THAT(insert->Run(), IsOk());

  auto select = db_->Prepare("SELECT v FROM s");
  ASSERT_THAT(select, IsOk());
  ASSERT_THAT(select->Step(), HoldsValue(true));
  EXPECT_EQ(select->ColumnText(0), "x'); DROP TABLE t; --");
  EXPECT_EQ(Count(), 0);  // table t still exists
}

TEST_F(SqliteWrapperTest, DuplicateKeyIsAConstraintError) {
  ASSERT_THAT(Insert(1), IsOk());
  EXPECT_THAT(Insert(1), ErrorIs(ErrorCode::kFailedPrecondition));
}

std::int64_t MmapSize(Database& db) {
  auto stmt = db.Prepare("PRAGMA mmap_size");
  if (!stmt || !stmt->Step().value_or(false)) return -1;
  return stmt->ColumnInt64(0);
}

// One read of the reader, as a pooled point read does it: a snapshot, then the mapping check.
void ReadOnce(Database& reader) {
  auto stmt = reader.Prepare("SELECT count(*) FROM t");
  ASSERT_THAT(stmt, IsOk());
  ASSERT_THAT(stmt->Step(), HoldsValue(true));
  stmt->Reset();
  ASSERT_THAT(reader.MapWhileUnchanged(), IsOk());
}

TEST_F(SqliteWrapperTest, AReaderMapsOnlyAfterManyReadsFindTheFileUnchanged) {
  auto reader = Database::OpenReadOnly(dir() / "t.db");
  ASSERT_THAT(reader, IsOk());
  ASSERT_EQ(MmapSize(*reader), 0);

  for (int i = 0; i < Database::kQuietReadsBeforeMapping; ++i) ReadOnce(*reader);
  EXPECT_EQ(MmapSize(*reader), 0) << "mapped before the file was seen standing still";
  ReadOnce(*reader);
  EXPECT_GT(MmapSize(*reader), 0);

  ASSERT_THAT(Insert(1), IsOk());  // another connection commits
  ReadOnce(*reader);
  EXPECT_EQ(MmapSize(*reader), 0);
  for (int i = 0; i < Database::kQuietReadsBeforeMapping - 1; ++i) ReadOnce(*reader);
  ASSERT_THAT(Insert(2), IsOk());  // a commit just before the count completes starts it again
  for (int i = 0; i < Database::kQuietReadsBeforeMapping; ++i) ReadOnce(*reader);
  EXPECT_EQ(MmapSize(*reader), 0);
}

TEST_F(SqliteWrapperTest, InvalidSqlIsAnInternalError) {
  EXPECT_THAT(db_->Prepare("SELEKT 1"), ErrorIs(ErrorCode::kInternal));
}

}  // namespace
}  // namespace koseki::store::sqlite_internal
