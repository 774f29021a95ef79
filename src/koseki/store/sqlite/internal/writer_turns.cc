#include "koseki/store/sqlite/internal/writer_turns.h"

#include <exception>
#include <utility>

namespace koseki::store::sqlite_internal {
namespace {

// Unavailable (KSK-STORE-035): SQLite rolled the group's transaction back by itself (after an
// I/O error or a full disk in a later member), taking the members' committed work with it.
Error GroupTransactionLost() {
  return MakeError(ErrorCode::kUnavailable, "KSK-STORE-035",
                   "データベースへの書き込みに失敗したため、保存しませんでした。",
                   "group commit: SQLite rolled the shared transaction back");
}

}  // namespace

Result<void> WriterTurns::Run(const std::function<Result<void>()>& work) {
  {
    std::unique_lock lock(mutex_);
    if (taken_) {
      Waiter me;
      me.work = &work;
      waiters_.push_back(&me);
      me.granted_cv.wait(lock, [&] { return me.granted || me.done; });
      if (me.done) {
        if (me.thrown) std::rethrow_exception(me.thrown);
        return *me.result;
      }
    } else {
      taken_ = true;
    }
  }
  holder_.store(std::this_thread::get_id());
  std::exception_ptr thrown;
  const Outcome mine = RunTransaction(work, thrown);
  RunHandedOver(mine);
  Pass();
  if (thrown) std::rethrow_exception(thrown);
  return Await(mine);
}

WriterTurns::Outcome WriterTurns::RunTransaction(const std::function<Result<void>()>& work,
                                                 std::exception_ptr& thrown) {
  Result<TransactionScope> scope = Begin();
  if (!scope) {
    CommitGroupIfDone();
    return Outcome{std::move(scope).error(), nullptr};
  }
  Result<void> done = Ok();
  try {
    done = work();
  } catch (...) {
    thrown = std::current_exception();
    done = InternalError("transaction threw");
  }
  if (!done) {
    { [[maybe_unused]] const TransactionScope ended = *std::move(scope); }  // rolls back
    CommitGroupIfDone();
    return Outcome{std::move(done), nullptr};
  }
  return JoinOrCommit(*std::move(scope));
}

void WriterTurns::RunHandedOver(const Outcome& mine) {
  while (mine.group) {
    Waiter* next = nullptr;
    {
      const std::lock_guard lock(mutex_);
      if (mine.group->result || waiters_.empty() || waiters_.front()->work == nullptr) return;
      next = waiters_.front();
      waiters_.pop_front();
    }
    // `next` is not touched outside mutex_ by its thread until Deliver says it is done.
    Outcome theirs = RunTransaction(*next->work, next->thrown);
    Deliver(*next, std::move(theirs));
  }
}

void WriterTurns::Deliver(Waiter& waiter, Outcome theirs) {
  const std::lock_guard lock(mutex_);
  if (theirs.group && !theirs.group->result) {
    theirs.group->handed_over.push_back(&waiter);  // told by CommitGroup
    return;
  }
  waiter.result = theirs.result ? std::move(*theirs.result) : *theirs.group->result;
  waiter.done = true;
  waiter.granted_cv.notify_one();  // under the lock: `waiter` lives until its wait sees `done`
}

Result<void> WriterTurns::Await(const Outcome& outcome) {
  if (outcome.result) return *outcome.result;
  std::unique_lock lock(mutex_);
  settled_.wait(lock, [&] { return outcome.group->result.has_value(); });
  return *outcome.group->result;
}

void WriterTurns::Take() {
  std::unique_lock lock(mutex_);
  if (taken_) {
    Waiter me;
    waiters_.push_back(&me);
    me.granted_cv.wait(lock, [&] { return me.granted; });
  } else {
    taken_ = true;
  }
  holder_.store(std::this_thread::get_id());
}

void WriterTurns::Pass() {
  holder_.store(std::thread::id());
  const std::lock_guard lock(mutex_);
  if (waiters_.empty()) {
    taken_ = false;
    return;
  }
  // The turn goes straight to the longest waiter; taken_ stays true.
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->granted = true;
  next->granted_cv.notify_one();  // under the lock: `next` lives until its wait sees `granted`
}

Result<TransactionScope> WriterTurns::Begin() {
  // A member's failure that made SQLite end the whole transaction (SQLITE_FULL, IOERR) leaves
  // the group with nothing to commit: tell its members before beginning afresh.
  if (group_transaction_ && db_.Autocommit()) CommitGroup();
  return TransactionScope::Begin(db_);
}

Result<void> WriterTurns::Commit(TransactionScope scope) {
  const Outcome outcome = JoinOrCommit(std::move(scope));
  RunHandedOver(outcome);
  Pass();
  return Await(outcome);
}

WriterTurns::Outcome WriterTurns::JoinOrCommit(TransactionScope scope) {
  if (!group_transaction_) {
    // The turn's transaction is the SQLite transaction itself.
    if (!GroupCanGrow()) {
      Result<void> committed = scope.Commit();
      {
        const std::lock_guard lock(mutex_);
        if (committed) {
          ++counts_.transactions;
          ++counts_.commits;
        }
      }
      { [[maybe_unused]] const TransactionScope ended = std::move(scope); }  // rolls back if failed
      return Outcome{std::move(committed), nullptr};
    }
    if (Result<void> committable = scope.CheckCommittable(); !committable) {
      { [[maybe_unused]] const TransactionScope ended = std::move(scope); }  // rolls back
      return Outcome{std::move(committable), nullptr};
    }
    group_transaction_.emplace(std::move(scope));
    group_ = std::make_shared<Group>();
    group_->opened = std::chrono::steady_clock::now();
  } else if (Result<void> released = scope.Commit(); !released) {
    { [[maybe_unused]] const TransactionScope ended = std::move(scope); }  // rolls back
    CommitGroupIfDone();
    return Outcome{std::move(released), nullptr};
  }
  const std::shared_ptr<Group> group = group_;
  ++group->members;
  if (!GroupCanGrow()) CommitGroup();
  return Outcome{std::nullopt, group};
}

void WriterTurns::End() {
  CommitGroupIfDone();
  Pass();
}

void WriterTurns::CommitGroupIfDone() {
  if (group_transaction_ && !GroupCanGrow()) CommitGroup();
}

void WriterTurns::Settle() {
  if (group_transaction_) CommitGroup();
}

bool WriterTurns::GroupCanGrow() const {
  {
    const std::lock_guard lock(mutex_);
    if (waiters_.empty()) return false;
  }
  if (!group_) return true;
  return group_->members < options_.max_members &&
         std::chrono::steady_clock::now() - group_->opened < options_.max_delay;
}

void WriterTurns::CommitGroup() {
  Result<void> result =
      db_.Autocommit() ? Result<void>(GroupTransactionLost()) : group_transaction_->Commit();
  group_transaction_.reset();  // rolls back if the COMMIT failed
  {
    const std::lock_guard lock(mutex_);
    if (result) {
      counts_.transactions += group_->members;
      ++counts_.commits;
    }
    group_->result = std::move(result);
    for (Waiter* waiter : group_->handed_over) {
      waiter->result = *group_->result;
      waiter->done = true;
      waiter->granted_cv.notify_one();  // under the lock, as in Deliver
    }
  }
  settled_.notify_all();
  group_.reset();
}

WriterTurns::Counts WriterTurns::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

std::size_t WriterTurns::waiting() const {
  const std::lock_guard lock(mutex_);
  return waiters_.size();
}

}  // namespace koseki::store::sqlite_internal
