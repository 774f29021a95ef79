#include "koseki/store/sqlite/internal/checkpointer.h"

#include <utility>

#include "koseki/base/log.h"

namespace koseki::store::sqlite_internal {

Checkpointer::Checkpointer(std::filesystem::path file, Database& writer, int wal_pages)
    : file_(std::move(file)), writer_(writer), wal_pages_(wal_pages) {
  writer_.ReplaceAutoCheckpoint([this](int pages) { AfterCommit(pages); });
}

Checkpointer::~Checkpointer() {
  writer_.ReplaceAutoCheckpoint({});
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::AfterCommit(int wal_pages) {
  if (wal_pages < wal_pages_) return;
  {
    const std::lock_guard lock(mutex_);
    if (due_) return;
    due_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_one();
}

void Checkpointer::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || (due_ && !paused_); });
    if (stopping_) return;
    due_ = false;
    running_ = true;
    lock.unlock();
    Checkpoint();
    lock.lock();
    running_ = false;
    ++completed_;
    idle_.notify_all();
  }
}

void Checkpointer::Checkpoint() {
  if (!db_) {
    Result<Database> opened = Database::OpenForCheckpoints(file_);
    if (!opened) {
      log::Warn("store.checkpoint_failed", {{"error", opened.error().id}});
      return;
    }
    db_.emplace(*std::move(opened));
  }
  if (Result<void> done = db_->CheckpointPassive(); !done) {
    log::Warn("store.checkpoint_failed", {{"error", done.error().id}});
  }
}

void Checkpointer::Pause() {
  std::unique_lock lock(mutex_);
  paused_ = true;
  idle_.notify_all();  // a Settle waiting returns
  idle_.wait(lock, [&] { return !running_; });
  db_.reset();
}

void Checkpointer::Resume() {
  {
    const std::lock_guard lock(mutex_);
    paused_ = false;
  }
  wake_.notify_one();
}

void Checkpointer::Settle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return paused_ || (!due_ && !running_); });
}

std::uint64_t Checkpointer::completed() const {
  const std::lock_guard lock(mutex_);
  return completed_;
}

}  // namespace koseki::store::sqlite_internal
