// Checkpointer: copies the WAL back into the database file on a thread of its own, so that no
// commit waits for it.
//
// In WAL mode a commit appends its pages to the WAL; a checkpoint copies them into the database
// file and flushes it, after which the WAL starts over. By default SQLite has the commit that
// leaves the WAL above 1,000 pages run the checkpoint itself: that commit holds the writer for
// the copy and two flushes while every other writer waits (with 50 concurrent approvers, 26 ms
// every 170 or so approvals — a fifth of the writer's time, and the slowest approvals). Here a
// commit only reports the WAL's size; past `wal_pages` this thread runs a passive checkpoint on
// a connection of its own, which neither waits for the writer or the readers nor holds them up.
//
// A passive checkpoint copies what readers no longer need; what is left is copied by the next
// one. The last connection to close the file checkpoints the rest (SQLite does), so the
// checkpointer closes before the writer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "koseki/store/sqlite/internal/sqlite.h"

namespace koseki::store::sqlite_internal {

class Checkpointer {
 public:
  // SQLite's own threshold: a WAL of about 4 MiB.
  static constexpr int kWalPages = 1000;

  // Takes the checkpoints of `writer`, a connection to `file`, from its commits. The thread
  // starts at the first checkpoint due. `writer` must outlive the checkpointer.
  Checkpointer(std::filesystem::path file, Database& writer, int wal_pages = kWalPages);
  // Waits for a running checkpoint; gives the writer's commits their checkpoints back.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // From Pause to Resume no checkpoint runs and the checkpointer's connection is closed (a
  // change of journal mode needs every other connection closed). Pause waits for a running
  // checkpoint to end; a checkpoint that falls due meanwhile runs at Resume.
  void Pause();
  void Resume();
  // Waits until no checkpoint is due or running (tests, benchmarks), or returns at once if
  // paused.
  void Settle();
  // Checkpoints run since construction, failed ones included.
  std::uint64_t completed() const;

 private:
  // Runs on the committing thread after each commit of the writer.
  void AfterCommit(int wal_pages);
  void Run();
  // Opens the connection if needed and checkpoints; a failure is logged and left to the next.
  void Checkpoint();

  const std::filesystem::path file_;
  Database& writer_;
  const int wal_pages_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // due_, paused_ or stopping_ changed
  std::condition_variable idle_;  // running_ became false
  bool due_ = false;              // guarded by mutex_
  bool running_ = false;          // guarded by mutex_
  bool paused_ = false;           // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::uint64_t completed_ = 0;   // guarded by mutex_
  // The thread's connection: used by the thread while running_, closed by Pause while not.
  std::optional<Database> db_;
  std::thread thread_;  // guarded by mutex_ until joined
};

}  // namespace koseki::store::sqlite_internal
