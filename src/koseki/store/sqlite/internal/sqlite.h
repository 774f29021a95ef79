// Small RAII wrappers over the sqlite3 C API, private to the SQLite backend.
//
// Every raw sqlite3 call of koseki lives behind these three classes, so that error mapping,
// handle ownership and the "values only through bound parameters" rule are in one place:
//   Database     owns a sqlite3* connection (closed on destruction) and applies the
//                connection settings koseki relies on (WAL, synchronous=FULL, foreign keys,
//                secure_delete, busy timeout, defensive mode).
//   Statement    owns a sqlite3_stmt*; values are bound by index, never spliced into SQL.
//   Transaction  BEGIN IMMEDIATE (outermost) or SAVEPOINT (nested); rolls back on destruction
//                unless Commit() succeeded, so an early `return error` can never leave half a
//                change behind.
// None of these classes is thread-safe; SqliteBackend serializes access to one connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace koseki::store::sqlite_internal {

class Statement;

class Database {
 public:
  // Opens (creating if missing) the database file and applies the connection settings.
  // Unavailable (KSK-STORE-001) if the file cannot be opened or is not a database.
  static Result<Database> Open(const std::filesystem::path& file);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs SQL without parameters (schema statements, PRAGMAs). Never for values.
  Result<void> Exec(std::string_view sql);
  // Compiles one SQL statement.
  Result<Statement> Prepare(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  bool InTransaction() const { return tx_depth_ > 0; }
  sqlite3* handle() const { return db_.get(); }

 private:
  friend class Transaction;
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  explicit Database(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, Closer> db_;
  int tx_depth_ = 0;
};

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Bind by 1-based parameter index.
  Result<void> Bind(int index, std::int64_t value);
  Result<void> Bind(int index, std::string_view text);
  Result<void> BindBlob(int index, std::span<const std::uint8_t> blob);

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

// A transaction scope. Outermost: BEGIN IMMEDIATE (takes the write lock at once, so two writers
// wait on busy_timeout instead of failing halfway with SQLITE_BUSY on lock upgrade). Nested:
// SAVEPOINT, so an inner failure rolls back only the inner part when the caller handles it.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back unless committed.
  ~Transaction();

  // Commits (outermost) or releases the savepoint (nested). After a failed commit the
  // destructor still rolls back.
  Result<void> Commit();

 private:
  Transaction(Database* db, int depth) : db_(db), depth_(depth) {}
  void Rollback();

  Database* db_;
  int depth_;  // 1 = outermost
  bool done_ = false;
};

// Maps a sqlite3 result code to a koseki Error: SQLITE_BUSY/LOCKED → Unavailable
// (KSK-STORE-003), constraint violations → FailedPrecondition (KSK-STORE-006), corruption →
// DataLoss (KSK-STORE-007), anything else → Internal (KSK-STORE-002). `what` names the
// operation for the log (never personal data; SQL text is fine, values are never in it).
Error SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace koseki::store::sqlite_internal
