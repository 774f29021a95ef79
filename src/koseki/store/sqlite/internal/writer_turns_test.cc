// WriterTurns on a real SQLite connection, with real threads. A test lets another thread wait
// for its turn (spinning on waiting(), never sleeping) before it commits, so that grouping is
// decided by the order of events, not by timing; max_delay is an hour unless a test is about it.
#include "koseki/store/sqlite/internal/writer_turns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store::sqlite_internal {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;

constexpr WriterTurns::Options kPatient{.max_members = 64, .max_delay = std::chrono::hours(1)};

class WriterTurnsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto db = Database::Open(dir() / "t.db");
    ASSERT_THAT(db, IsOk());
    db_ = std::make_unique<Database>(std::move(db).value());
    ASSERT_THAT(db_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)"), IsOk());
  }

  Result<void> Insert(std::int64_t k) {
    KOSEKI_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO t (k) VALUES (?1)"));
    KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, k));
    return stmt.Run();
  }

  // Takes the turn and begins its transaction with row `k` inserted; on failure the turn is
  // ended again.
  Result<TransactionScope> BeginWithRow(WriterTurns& turns, std::int64_t k) {
    turns.Take();
    Result<TransactionScope> scope = turns.Begin();
    if (!scope) {
      turns.End();
      return std::move(scope).error();
    }
    if (Result<void> inserted = Insert(k); !inserted) {
      { [[maybe_unused]] const TransactionScope rolled_back = *std::move(scope); }
      turns.End();
      return std::move(inserted).error();
    }
    return scope;
  }

  // Takes a turn, inserts `k` in the turn's transaction and commits it.
  Result<void> InsertInTurn(WriterTurns& turns, std::int64_t k) {
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope scope, BeginWithRow(turns, k));
    return turns.Commit(std::move(scope));
  }

  // Committed rows, read through a connection of its own (what another process would see).
  long long Committed() {
    return store::testing::RawQueryInt(dir() / "t.db", "SELECT count(*) FROM t");
  }

  // A thread that waits for its turn, begins a transaction, does `work` in it and rolls it back.
  std::thread RollBackInTurn(WriterTurns& turns, std::function<void()> work) {
    return std::thread([&turns, work = std::move(work)] {
      turns.Take();
      if (auto scope = turns.Begin()) {
        work();
        { [[maybe_unused]] const TransactionScope rolled_back = *std::move(scope); }
      }
      turns.End();
    });
  }

  // Three transactions, each inserting a row: the second and the third wait for their turns
  // (in that order) before the first commits. Each must commit.
  void CommitThreeWhileTwoWait(WriterTurns& turns) {
    auto first = BeginWithRow(turns, 1);
    ASSERT_THAT(first, IsOk());
    Result<void> second = Ok();
    Result<void> third = Ok();
    std::thread second_thread([&] { second = InsertInTurn(turns, 2); });
    AwaitWaiting(turns, 1);
    std::thread third_thread([&] { third = InsertInTurn(turns, 3); });
    AwaitWaiting(turns, 2);
    EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
    second_thread.join();
    third_thread.join();
    EXPECT_THAT(second, IsOk());
    EXPECT_THAT(third, IsOk());
  }

  static void AwaitWaiting(const WriterTurns& turns, std::size_t n) {
    while (turns.waiting() < n) std::this_thread::yield();
  }

  std::unique_ptr<Database> db_;
};

TEST_F(WriterTurnsTest, TurnsAreGivenInTheOrderTheyWereAskedFor) {
  WriterTurns turns(*db_, kPatient);
  turns.Take();
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 1; i <= 3; ++i) {
    threads.emplace_back([&, i] {
      turns.Take();
      {
        const std::lock_guard lock(order_mutex);
        order.push_back(i);
      }
      turns.End();
    });
    AwaitWaiting(turns, static_cast<std::size_t>(i));
  }
  turns.End();
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(order, ElementsAre(1, 2, 3));
  EXPECT_FALSE(turns.HeldByThisThread());
}

TEST_F(WriterTurnsTest, ATransactionCommittingWhileAnotherWaitsBecomesDurableWithIt) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());

  std::optional<long long> seen_before_second_commit;
  Result<void> second = Ok();
  std::thread waiter([&] {
    turns.Take();
    auto scope = turns.Begin();
    if (!scope) {
      second = std::move(scope).error();
      turns.End();
      return;
    }
    // The first transaction committed, yet nothing is on disk: it waits for this one.
    seen_before_second_commit = Committed();
    if (auto inserted = Insert(2); !inserted) second = inserted;
    second = turns.Commit(*std::move(scope));
  });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  waiter.join();

  EXPECT_THAT(second, IsOk());
  EXPECT_EQ(seen_before_second_commit, 0);
  EXPECT_EQ(Committed(), 2);
  EXPECT_EQ(turns.counts().transactions, 2u);
  EXPECT_EQ(turns.counts().commits, 1u);
}

TEST_F(WriterTurnsTest, ATransactionAloneCommitsAtOnce) {
  WriterTurns turns(*db_, kPatient);
  ASSERT_THAT(InsertInTurn(turns, 1), IsOk());
  EXPECT_EQ(Committed(), 1);
  ASSERT_THAT(InsertInTurn(turns, 2), IsOk());
  EXPECT_EQ(Committed(), 2);
  EXPECT_EQ(turns.counts().commits, 2u);
}

TEST_F(WriterTurnsTest, AMemberThatRollsBackTakesOnlyItsOwnWorkWithIt) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  std::thread failing = RollBackInTurn(turns, [&] { (void)Insert(2); });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  failing.join();

  EXPECT_EQ(Committed(), 1);
  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT k FROM t"), 1);
}

// A COMMIT refused by a commit hook stands for any failed flush: every member's Commit fails.
TEST_F(WriterTurnsTest, AFailedGroupCommitFailsEveryMemberAndWritesNothing) {
  WriterTurns turns(*db_, kPatient);
  sqlite3_commit_hook(
      db_->handle(), [](void*) { return 1; }, nullptr);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  Result<void> second = Ok();
  std::thread waiter([&] { second = InsertInTurn(turns, 2); });
  AwaitWaiting(turns, 1);
  const Result<void> first_committed = turns.Commit(*std::move(first));
  waiter.join();

  EXPECT_FALSE(first_committed.has_value());
  EXPECT_FALSE(second.has_value());
  EXPECT_EQ(Committed(), 0);
  EXPECT_EQ(turns.counts().commits, 0u);
  sqlite3_commit_hook(db_->handle(), nullptr, nullptr);
  EXPECT_THAT(InsertInTurn(turns, 3), IsOk());  // the connection is usable again
  EXPECT_EQ(Committed(), 1);
}

// SQLite ends the whole transaction by itself after some errors in a statement (a full disk,
// an I/O error): the members that committed before are told, never told "durable".
TEST_F(WriterTurnsTest, ATransactionSqliteEndedByItselfFailsTheMembersBeforeIt) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  // What SQLite does by itself after SQLITE_FULL:
  std::thread failing = RollBackInTurn(turns, [&] { (void)db_->Exec("ROLLBACK"); });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), ErrorIdIs("KSK-STORE-035"));
  failing.join();
  EXPECT_EQ(Committed(), 0);
  EXPECT_THAT(InsertInTurn(turns, 2), IsOk());
  EXPECT_EQ(Committed(), 1);
}

TEST_F(WriterTurnsTest, AFullGroupCommitsAndTheNextTransactionStartsAnother) {
  WriterTurns turns(*db_, {.max_members = 2, .max_delay = std::chrono::hours(1)});
  CommitThreeWhileTwoWait(turns);
  EXPECT_EQ(Committed(), 3);
  EXPECT_EQ(turns.counts().transactions, 3u);
  EXPECT_EQ(turns.counts().commits, 2u);
}

TEST_F(WriterTurnsTest, NoTransactionJoinsAGroupOlderThanTheMaximumDelay) {
  // With no delay allowed, every group is too old to join the moment it opens.
  WriterTurns turns(*db_, {.max_members = 64, .max_delay = std::chrono::microseconds(0)});
  CommitThreeWhileTwoWait(turns);
  EXPECT_EQ(Committed(), 3);
  EXPECT_EQ(turns.counts().transactions, 3u);
  EXPECT_EQ(turns.counts().commits, 3u);
}

TEST_F(WriterTurnsTest, AWriteOutsideATransactionFirstCommitsTheOpenGroup) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  std::optional<long long> seen_by_the_call;
  std::thread call([&] {
    turns.Take();
    turns.Settle();
    seen_by_the_call = Committed();
    turns.End();
  });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  call.join();
  EXPECT_EQ(seen_by_the_call, 1);
}

TEST_F(WriterTurnsTest, ATransactionThatCannotCommitIsRolledBackAndPassesTheTurnOn) {
  WriterTurns turns(*db_, kPatient);
  turns.Take();
  auto first = turns.Begin();
  ASSERT_THAT(first, IsOk());
  {
    // A call that changed a row and then failed: the transaction can only roll back.
    auto call = TransactionScope::BeginCall(*db_);
    ASSERT_THAT(call, IsOk());
    ASSERT_THAT(Insert(1), IsOk());
  }
  Result<void> second = Ok();
  std::thread waiter([&] { second = InsertInTurn(turns, 2); });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), ErrorIdIs("KSK-STORE-002"));
  waiter.join();
  EXPECT_THAT(second, IsOk());
  EXPECT_EQ(Committed(), 1);
  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT k FROM t"), 2);
}

// Work handed over (Run) while the turn is taken runs on the thread that holds it, in that
// thread's group: one COMMIT, and the waiting thread is woken only by it.
TEST_F(WriterTurnsTest, WorkHandedOverRunsOnTheThreadHoldingTheTurnAndCommitsWithIt) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  std::thread::id ran_on;
  Result<void> second = Ok();
  std::thread waiter([&] {
    second = turns.Run([&]() -> Result<void> {
      ran_on = std::this_thread::get_id();
      return Insert(2);
    });
  });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  waiter.join();

  EXPECT_THAT(second, IsOk());
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(Committed(), 2);
  EXPECT_EQ(turns.counts().transactions, 2u);
  EXPECT_EQ(turns.counts().commits, 1u);
  EXPECT_FALSE(turns.HeldByThisThread());
}

TEST_F(WriterTurnsTest, WorkRunWithTheTurnFreeRunsOnItsOwnThread) {
  WriterTurns turns(*db_, kPatient);
  std::thread::id ran_on;
  EXPECT_THAT(turns.Run([&]() -> Result<void> {
    ran_on = std::this_thread::get_id();
    return Insert(1);
  }),
              IsOk());
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(Committed(), 1);
  EXPECT_FALSE(turns.HeldByThisThread());
}

// Handed-over work that fails rolls back its own part only, and its caller gets the error.
TEST_F(WriterTurnsTest, HandedOverWorkThatFailsRollsBackOnlyItself) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  Result<void> second = Ok();
  std::thread waiter([&] {
    second = turns.Run([&]() -> Result<void> {
      KOSEKI_RETURN_IF_ERROR(Insert(2));
      return InternalError("refused by the test");
    });
  });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  waiter.join();

  EXPECT_THAT(second, ErrorIdIs("KSK-STORE-002"));
  EXPECT_EQ(Committed(), 1);
  EXPECT_EQ(store::testing::RawQueryInt(dir() / "t.db", "SELECT k FROM t"), 1);
}

// What handed-over work throws reaches its own caller; the thread that ran it carries on.
TEST_F(WriterTurnsTest, WhatHandedOverWorkThrowsIsRethrownToItsCaller) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  bool caught = false;
  std::thread waiter([&] {
    try {
      (void)turns.Run([&]() -> Result<void> {
        (void)Insert(2);
        throw std::runtime_error("thrown by the test");
      });
    } catch (const std::runtime_error&) {
      caught = true;
    }
  });
  AwaitWaiting(turns, 1);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  waiter.join();

  EXPECT_TRUE(caught);
  EXPECT_EQ(Committed(), 1);
  EXPECT_THAT(InsertInTurn(turns, 3), IsOk());  // the turn was passed on
  EXPECT_EQ(Committed(), 2);
}

// The holder runs handed-over work only while the waiters in front have some: a thread waiting
// for its turn itself (Take) gets it, and runs the work queued behind it.
TEST_F(WriterTurnsTest, HandedOverWorkWaitsBehindAThreadThatTakesItsOwnTurn) {
  WriterTurns turns(*db_, kPatient);
  auto first = BeginWithRow(turns, 1);
  ASSERT_THAT(first, IsOk());
  Result<void> second = Ok();
  std::thread second_thread([&] { second = InsertInTurn(turns, 2); });
  AwaitWaiting(turns, 1);
  std::thread::id second_id = second_thread.get_id();
  std::thread::id ran_on;
  Result<void> third = Ok();
  std::thread third_thread([&] {
    third = turns.Run([&]() -> Result<void> {
      ran_on = std::this_thread::get_id();
      return Insert(3);
    });
  });
  AwaitWaiting(turns, 2);
  EXPECT_THAT(turns.Commit(*std::move(first)), IsOk());
  second_thread.join();
  third_thread.join();

  EXPECT_THAT(second, IsOk());
  EXPECT_THAT(third, IsOk());
  EXPECT_EQ(ran_on, second_id);
  EXPECT_EQ(Committed(), 3);
  EXPECT_EQ(turns.counts().commits, 1u);
}

}  // namespace
}  // namespace koseki::store::sqlite_internal
