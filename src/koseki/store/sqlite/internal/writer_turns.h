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
//
// Handing work over (Run). A member of a group would only wait for the group's COMMIT, and
// passing the turn wakes the next thread — a wake-up cost about a third of what an approval
// does with the turn, on the one path all writers share. So a transaction given as a function
// (Run) is not run by its own thread if the turn is taken: it waits in line, and the thread that
// holds the turn when it comes first, its own transaction done and waiting in an open group,
// runs it — and the next, and so on until its own group commits. Then the turn passes. The work
// thus runs on whichever thread holds the turn, while its caller waits: it must not need a lock
// its caller holds.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

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

  // Runs `work` as one transaction in a turn (Begin, `work`, Commit — or a roll-back and End
  // if it fails), on this thread or, if the turn is taken, on the thread that holds it (see
  // above). Returns what Commit would: once the transaction is durable, or with its error.
  // The calling thread must not hold the turn (it would wait for itself).
  Result<void> Run(const std::function<Result<void>()>& work);

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
  // A thread waiting for its turn, with the transaction it hands over (Run) if any. Lives on
  // the waiting thread's stack until it sees `granted` or `done`; guarded by mutex_.
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;  // it holds the turn now
    const std::function<Result<void>()>* work = nullptr;
    bool done = false;  // its work ran on another thread, with this result:
    std::optional<Result<void>> result;
    std::exception_ptr thrown;  // what `work` threw, rethrown on the waiting thread
  };
  struct Group {
    std::size_t members = 0;
    std::chrono::steady_clock::time_point opened;
    std::optional<Result<void>> result;  // guarded by mutex_; set once, when committed
    std::vector<Waiter*> handed_over;    // guarded by mutex_: members run for other threads
  };
  // Where one transaction ended up: committed or failed on its own (result), or a member of a
  // group still open (group).
  struct Outcome {
    std::optional<Result<void>> result;
    std::shared_ptr<Group> group;
  };

  // Whether the next thread may join the turn's transaction: someone waits and the open group
  // (if any) is neither full nor too old.
  bool GroupCanGrow() const;
  // Runs `work` as one transaction with the turn held: Begin, `work`, JoinOrCommit. What
  // `work` throws is caught into `thrown` (the transaction rolled back), for its caller.
  Outcome RunTransaction(const std::function<Result<void>()>& work, std::exception_ptr& thrown);
  // The turn's part of Commit: commits `scope` alone, or makes it a member of the group (and
  // COMMITs the group if it cannot grow). Does not pass the turn.
  Outcome JoinOrCommit(TransactionScope scope);
  // Waits for `outcome`'s group to commit, if it has one; returns the transaction's result.
  Result<void> Await(const Outcome& outcome);
  // With the turn held: runs the waiting threads' handed-over work, in line, while `mine` (this
  // thread's group) waits for its COMMIT. Stops at a waiter without work.
  void RunHandedOver(const Outcome& mine);
  // Tells the waiter whose work ended in `theirs` (now, or when its group commits).
  void Deliver(Waiter& waiter, Outcome theirs);
  // COMMITs the group transaction and hands every member the result.
  void CommitGroup();
  // After a transaction that did not join the group (rolled back, or failed to begin): COMMITs
  // the group if it cannot grow any more, as no later member will.
  void CommitGroupIfDone();
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
