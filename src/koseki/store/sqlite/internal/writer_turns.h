// WriterTurns: whose turn it is at the writer connection, and group commit.
//
// Threads take turns at the one writer connection, first come first served. (A std::mutex
// lets the thread that just released it take it again at once: with 50 approvers some waited
// seconds.) A turn is one outermost transaction, or one write call outside any.
//
// Group commit. A durable commit waits for one flush of the WAL (synchronous=FULL); on a disk
// whose flush takes 2 ms, one commit per transaction caps the server at a few hundred
// transactions per second however many threads are ready. So a transaction that commits while
// other threads wait for their turn does not COMMIT: it leaves the SQLite transaction open,
// passes the turn on and waits. The next transaction runs inside it as a savepoint, so that its
// own failure rolls back only its own part; and so on. The transaction that ends with no one
// waiting — or when the group is full or its first member committed max_delay ago — commits
// once for the whole group, and every member's Commit returns that one result. Commit thus
// still returns only once the transaction is durable, and fails if it is not.
//
// So Commit may wait for other threads' transactions to end: a thread must not hold, across the
// Commit of its outermost transaction, a lock that a transaction may take.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "koseki/base/result.h"
#include "koseki/store/sqlite/internal/sqlite.h"

namespace koseki::store::sqlite_internal {

class WriterTurns {
 public:
  struct Options {
    // At most this many transactions commit together: a bound on the savepoint work one
    // COMMIT can lose to a single failure, and on a member's wait.
    std::size_t max_members = 64;
    // No transaction joins a group whose first member committed this long ago, so that a
    // steady stream of writers cannot keep the first one waiting. A newcomer may wait for the
    // group in progress and then for its own: about twice this plus two flushes, inside the
    // 50 ms an approval may take.
    std::chrono::microseconds max_delay = std::chrono::milliseconds(20);
  };
  // Committed transactions and the COMMITs that made them durable (their ratio is the mean
  // group size), since construction.
  struct Counts {
    std::uint64_t transactions = 0;
    std::uint64_t commits = 0;
  };

  WriterTurns(Database& db, Options options) : db_(db), options_(options) {}
  explicit WriterTurns(Database& db) : WriterTurns(db, Options()) {}
  WriterTurns(const WriterTurns&) = delete;
  WriterTurns& operator=(const WriterTurns&) = delete;
  // No turn may be held: an open group transaction has waiting members.
  ~WriterTurns() = default;

  // Waits for the calling thread's turn; turns are given in the order they were asked for.
  void Take();
  // Whether the calling thread has the turn.
  bool HeldByThisThread() const { return holder_.load() == std::this_thread::get_id(); }

  // The rest is called by the thread that has the turn.

  // Begins the turn's transaction: a savepoint inside the open group transaction, else
  // BEGIN IMMEDIATE.
  Result<TransactionScope> Begin();
  // Commits `scope`, the transaction Begin returned, and ends the turn. Returns once the
  // transaction is durable, with the result of the COMMIT that made it so (its group's). A
  // scope that cannot commit (a call in it failed halfway) is rolled back and its error
  // returned.
  Result<void> Commit(TransactionScope scope);
  // Ends a turn that has no transaction to commit: its transaction was rolled back, or it was
  // one write call outside a transaction.
  void End();
  // Commits the open group transaction now, if there is one, for its waiting members: a write
  // call outside a transaction must commit on its own.
  void Settle();

  Counts counts() const;
  // How many threads wait for their turn (tests wait for a thread to be waiting).
  std::size_t waiting() const;

 private:
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;
  };
  struct Group {
    std::size_t members = 0;
    std::chrono::steady_clock::time_point opened;
    std::optional<Result<void>> result;  // guarded by mutex_; set once, when committed
  };

  // Whether the next thread may join the turn's transaction: someone waits and the open group
  // (if any) is neither full nor too old.
  bool GroupCanGrow() const;
  // COMMITs the group transaction and hands every member the result.
  void CommitGroup();
  // Passes the turn to the next waiting thread, or leaves it free.
  void Pass();

  Database& db_;
  const Options options_;
  std::atomic<std::thread::id> holder_;

  mutable std::mutex mutex_;
  std::deque<Waiter*> waiters_;      // guarded by mutex_
  bool taken_ = false;               // guarded by mutex_
  Counts counts_;                    // guarded by mutex_
  std::condition_variable settled_;  // a group's result was set

  // Guarded by the turn: the SQLite transaction that committed members left open, and them.
  std::optional<TransactionScope> group_transaction_;
  std::shared_ptr<Group> group_;
};

}  // namespace koseki::store::sqlite_internal
