#include "koseki/store/sqlite/internal/writer_turns.h"

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
      Pass();
      return committed;
    }
    if (Result<void> committable = scope.CheckCommittable(); !committable) {
      { [[maybe_unused]] const TransactionScope ended = std::move(scope); }  // rolls back
      Pass();
      return committable;
    }
    group_transaction_.emplace(std::move(scope));
    group_ = std::make_shared<Group>();
    group_->opened = std::chrono::steady_clock::now();
  } else if (Result<void> released = scope.Commit(); !released) {
    { [[maybe_unused]] const TransactionScope ended = std::move(scope); }  // rolls back
    End();
    return released;
  }
  const std::shared_ptr<Group> group = group_;
  ++group->members;
  if (!GroupCanGrow()) CommitGroup();
  Pass();
  std::unique_lock lock(mutex_);
  settled_.wait(lock, [&] { return group->result.has_value(); });
  return *group->result;
}

void WriterTurns::End() {
  if (group_transaction_ && !GroupCanGrow()) CommitGroup();
  Pass();
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
