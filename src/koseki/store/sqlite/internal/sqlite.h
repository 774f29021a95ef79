// Small RAII wrappers over the sqlite3 C API, private to the SQLite backend.
//
// Every raw sqlite3 call of koseki lives behind these classes, so that error mapping, handle
// ownership and the "values only through bound parameters" rule are in one place:
//   Database          owns a sqlite3* connection (closed on destruction) and applies the
//                     connection settings koseki relies on (WAL, synchronous=FULL, foreign keys,
//                     secure_delete, busy timeout, defensive mode); keeps the connection's
//                     prepared statements (Cached).
//   Statement         owns a sqlite3_stmt*; values are bound by index, never spliced into SQL.
//   TransactionScope  BEGIN IMMEDIATE (outermost) or SAVEPOINT (nested); rolls back on
//                     destruction unless Commit() succeeded, so an early `return error` can
//                     never leave half a change behind. BeginCall is the lighter scope of one
//                     backend call: no savepoint inside a transaction, whose commit it blocks
//                     instead if it fails halfway.
//   ReadSnapshot      BEGIN … COMMIT around several reads of a read-only connection, so that
//                     they see one snapshot.
// None of these classes is thread-safe; SqliteBackend gives each connection to one thread at a
// time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "koseki/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace koseki::store::sqlite_internal {

class Statement;

class Database {
 public:
  // Opens (creating if missing) the database file read-write and applies the connection
  // settings. Unavailable (KSK-STORE-001) if the file cannot be opened or is not a database.
  static Result<Database> Open(const std::filesystem::path& file);
  // Opens an existing database file read-only (a reader of the WAL database another connection
  // of this process writes). Same errors as Open.
  static Result<Database> OpenReadOnly(const std::filesystem::path& file);
  // Opens an existing database file that nothing may write while it is open (an auditor's
  // read-only copy): SQLite's immutable mode, without locks or a -shm file, so that a file in a
  // directory the caller cannot write opens at all. Same errors as Open.
  static Result<Database> OpenImmutable(const std::filesystem::path& file);
  // Opens an existing database file read-write for checkpoints only (Checkpointer): with
  // synchronous=FULL, as a checkpoint must flush what it copies, and without touching the
  // journal mode, which the writer sets. Same errors as Open.
  static Result<Database> OpenForCheckpoints(const std::filesystem::path& file);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  ~Database();

  // Runs SQL without parameters (schema statements, PRAGMAs). Never for values.
  Result<void> Exec(std::string_view sql);
  // Compiles one SQL statement.
  Result<Statement> Prepare(std::string_view sql);
  // Runs a parameterless statement that a connection runs again and again (transaction
  // control: BEGIN, SAVEPOINT, RELEASE, COMMIT), compiled once (Cached) instead of at every call.
  Result<void> ExecCached(std::string_view sql);
  // Returns this connection's prepared statement for `sql`, compiling it on first use. The
  // statement stays owned by the connection; reset it when done (it keeps its read snapshot
  // and bound values until then).
  Result<Statement*> Cached(std::string_view sql);

  // Sets the journal mode ("wal", "truncate"), which SQLite allows only while no other
  // connection has the file open; does not wait for them. Returns the mode in force afterwards
  // (the old one if the change was not possible).
  Result<std::string> SetJournalMode(std::string_view mode);
  // Takes the WAL's checkpoints away from this connection's commits (by default a commit that
  // leaves the WAL above 1,000 pages copies them into the database and flushes it, however
  // long that takes): after each commit, `after_commit` runs instead, on the committing thread,
  // with the number of pages now in the WAL. An empty function gives the default back.
  void ReplaceAutoCheckpoint(std::function<void(int wal_pages)> after_commit);
  // A passive checkpoint: copies into the database file what it can of the WAL without waiting
  // for any lock, so that it never holds up the writer or a reader. Under synchronous=FULL it
  // flushes the WAL before and the database after. A checkpoint already running elsewhere is not
  // an error.
  Result<void> CheckpointPassive();
  // Sets the page cache's size in KiB.
  Result<void> SetCacheKiB(std::int64_t kib);
  // Whether pages of the main file are read through a memory mapping (up to 1 GiB of it) or
  // with read() and a copy each. Open and OpenImmutable map; OpenReadOnly does not.
  Result<void> MapReads(bool mapped);
  // For a reader that is left unmapped while other connections commit (OpenReadOnly says
  // why): called after each of its reads, it maps once kQuietReadsBeforeMapping reads in a row
  // found the file unchanged, and unmaps at the first read that finds a change. A store that
  // stands still (lookups, certificates at night) reads mapped; one under steady writes
  // stays unmapped.
  Result<void> MapWhileUnchanged();
  static constexpr int kQuietReadsBeforeMapping = 256;

  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  // Whether a TransactionScope of this connection is open.
  bool InTransaction() const { return tx_depth_ > 0; }
  // Whether the connection is in autocommit mode (no BEGIN of any kind is open).
  bool Autocommit() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  friend class TransactionScope;
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  static Result<Database> OpenWith(const std::filesystem::path& file, int flags);
  explicit Database(sqlite3* db) : db_(db) {}

  // The function ReplaceAutoCheckpoint installed, at a stable address for SQLite's hook.
  // Declared before db_, so that it outlives the connection.
  std::unique_ptr<std::function<void(int)>> after_commit_;
  std::unique_ptr<sqlite3, Closer> db_;
  // Declared after db_: statements are finalized before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> cache_;
  int tx_depth_ = 0;
  bool maps_reads_ = true;  // as Open* leave it; MapReads keeps it
  // The file's data version at the last MapWhileUnchanged, and how many calls in a row saw it.
  std::optional<std::uint32_t> seen_data_version_;
  int unchanged_reads_ = 0;
  // The depth of the outermost scope that a call scope failed halfway in (0: none): that scope
  // can only be rolled back.
  int doomed_depth_ = 0;
};

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Bind by 1-based parameter index. Text and blobs are bound in place, not copied (a copy of
  // every ciphertext on every write showed up in profiles): the bytes must stay alive and
  // unchanged until the statement is reset (Reset, or the Lease that holds it ends). Binding a
  // temporary string or vector is therefore refused at compile time.
  Result<void> Bind(int index, std::int64_t value);
  Result<void> Bind(int index, std::string_view text);
  Result<void> Bind(int index, std::string&& text) = delete;
  Result<void> BindBlob(int index, std::span<const std::uint8_t> blob);
  Result<void> BindBlob(int index, std::vector<std::uint8_t>&& blob) = delete;

  // Steps once: true if a row is available, false when done.
  Result<bool> Step();
  // Steps until done; for statements that return no rows.
  Result<void> Run();
  // Resets the statement and clears its bindings so that it can be reused.
  void Reset();

  // Columns by 0-based index, valid after Step() returned true.
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  std::vector<std::uint8_t> ColumnBlob(int column) const;
  // The blob in place, without a copy: valid until the next Step, Reset or destruction.
  std::span<const std::uint8_t> ColumnBlobView(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Result<void> CheckBind(int rc, int index);

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// Resets a cached statement when the call using it ends, whatever the outcome, so that it
// holds no read snapshot and no bound values (ciphertexts) between calls.
class Lease {
 public:
  explicit Lease(Statement& stmt) : stmt_(stmt) {}
  ~Lease() { stmt_.Reset(); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Statement* operator->() { return &stmt_; }
  Statement& operator*() { return stmt_; }

 private:
  Statement& stmt_;
};

// A transaction scope. Outermost: BEGIN IMMEDIATE (takes the write lock at once, so two writers
// wait on busy_timeout instead of failing halfway with SQLITE_BUSY on lock upgrade). Nested:
// SAVEPOINT, so an inner failure rolls back only the inner part when the caller handles it.
// Scopes of one connection end in the reverse order of their beginning (rolling back an
// enclosing scope first rolls back the nested ones too; they then do nothing).
//
// BeginCall is for the statements of one backend call. Outermost it is Begin. Inside an open
// scope it opens no savepoint: a savepoint makes SQLite copy every page that the transaction
// had already changed into a statement journal before changing it again, which was most of
// the cost of a bulk import (one call per register). If such a call scope ends without Commit
// after its statements changed rows, the enclosing scope is doomed: its Commit fails (Internal,
// KSK-STORE-002) and only its rollback, which takes the half call with it, clears the doom. A
// call that fails before changing anything (a refused first insert, a version conflict found by
// a read) leaves the enclosing scope committable, as a savepoint would.
class TransactionScope {
 public:
  static Result<TransactionScope> Begin(Database& db);
  static Result<TransactionScope> BeginCall(Database& db);

  TransactionScope(TransactionScope&& other) noexcept;
  TransactionScope& operator=(TransactionScope&&) = delete;
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;
  // Rolls back unless committed.
  ~TransactionScope();

  // Commits (outermost) or releases the savepoint (nested). After a failed commit the
  // destructor still rolls back. Internal (KSK-STORE-002) if the scope already ended or a
  // scope nested in it is still open.
  Result<void> Commit();
  // The checks of Commit without committing: whether Commit could succeed as far as this
  // connection's scopes are concerned (none nested open, no call in it failed halfway).
  Result<void> CheckCommittable() const;
  bool outermost() const { return depth_ == 1; }

 private:
  TransactionScope(Database* db, int depth) : db_(db), depth_(depth) {}
  void Rollback();

  Database* db_;
  int depth_;  // 1 = outermost; for a call scope inside a transaction, the enclosing depth
  bool done_ = false;
  bool call_ = false;                  // a call scope inside a transaction: no savepoint of its own
  std::int64_t changes_at_begin_ = 0;  // for a call scope: the connection's total changes
};

// One read snapshot over several statements of a connection in autocommit mode (a reader);
// inside an open transaction it does nothing (the transaction is the snapshot). Ends the read
// transaction on destruction.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> Begin(Database& db);
  ReadSnapshot(ReadSnapshot&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  explicit ReadSnapshot(Database* db) : db_(db) {}
  Database* db_;  // null: nothing to end
};

// Maps a sqlite3 result code to a koseki Error: SQLITE_BUSY/LOCKED → Unavailable
// (KSK-STORE-003), constraint violations → FailedPrecondition (KSK-STORE-006), corruption →
// DataLoss (KSK-STORE-007), I/O, full disk, read-only → Unavailable (KSK-STORE-008), anything
// else → Internal (KSK-STORE-002). `what` names the operation for the log (never personal data;
// SQL text is fine, values are never in it).
Error SqliteError(sqlite3* db, int rc, std::string_view what);
// Returns whether `error` is SqliteError's constraint violation (KSK-STORE-006).
bool IsConstraintViolation(const Error& error);
// Unavailable (KSK-STORE-001): the database file cannot be opened or created.
Error CannotOpen(std::string detail);
// Internal (KSK-STORE-002): a misuse of SQLite or of these wrappers, a bug rather than bad
// input.
Error InternalError(std::string detail);

}  // namespace koseki::store::sqlite_internal
