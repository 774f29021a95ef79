#include "koseki/store/sqlite/internal/sqlite.h"

#include <sqlite3.h>

#include <cctype>
#include <string>
#include <utility>

namespace koseki::store::sqlite_internal {
namespace {

// How long a writer waits for another writer (another process, or `koseki` CLI next to a
// running server) before giving up with Unavailable.
constexpr int kBusyTimeoutMs = 10000;
// SQLite's default auto-checkpoint threshold, in WAL pages.
constexpr int kSqliteAutoCheckpointPages = 1000;

std::string Detail(sqlite3* db, int rc, std::string_view what) {
  std::string detail(what);
  detail += ": ";
  detail += sqlite3_errstr(rc);
  if (db != nullptr) {
    detail += " (";
    detail += sqlite3_errmsg(db);
    detail += ")";
  }
  return detail;
}

// The one id of every constraint violation; IsConstraintViolation tests for it.
constexpr char kConstraintViolationId[] = "KSK-STORE-006";

// The first column of the first row of a one-value statement (a PRAGMA); "" if no row.
Result<std::string> QueryText(Database& db, const std::string& sql) {
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  KOSEKI_ASSIGN_OR_RETURN(const bool has_row, stmt.Step());
  return has_row ? stmt.ColumnText(0) : std::string();
}

}  // namespace

Error InternalError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "KSK-STORE-002",
                   "データベースの内部エラーが発生しました。", std::move(detail));
}

Error CannotOpen(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "KSK-STORE-001", "データベースファイルを開けません。",
                   std::move(detail));
}

bool IsConstraintViolation(const Error& error) { return error.id == kConstraintViolationId; }

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return MakeError(ErrorCode::kUnavailable, "KSK-STORE-003",
                       "データベースが他の処理で使用中です。しばらくしてから再度実行してください。",
                       Detail(db, rc, what));
    case SQLITE_CONSTRAINT:
      return MakeError(ErrorCode::kFailedPrecondition, kConstraintViolationId,
                       "データベースの整合性制約により操作が拒否されました。",
                       Detail(db, rc, what));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return MakeError(ErrorCode::kDataLoss, "KSK-STORE-007",
                       "データベースファイルが破損しています。", Detail(db, rc, what));
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return MakeError(
          ErrorCode::kUnavailable, "KSK-STORE-008",
          "データベースへの読み書きができません（ディスク容量や権限を確認してください）。",
          Detail(db, rc, what));
    default:
      return InternalError(Detail(db, rc, what));
  }
}

void Database::Closer::operator()(sqlite3* db) const {
  // All statements are owned by Statement objects, which the owners destroy first;
  // sqlite3_close_v2 defers the close if one were still alive instead of leaking.
  sqlite3_close_v2(db);
}

Database::~Database() = default;

Result<Database> Database::Open(const std::filesystem::path& file) {
  // NOMUTEX: SqliteBackend gives a connection to one thread at a time (the writer to the
  // thread holding it, a reader to the call that took it from the pool), so SQLite's per-call
  // connection mutex would only be taken uncontended several times a row: a tenth of a full
  // audit-log scan.
  KOSEKI_ASSIGN_OR_RETURN(Database db, OpenWith(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  // WAL: readers never block the writer, nor the writer readers. The pragma answers with the
  // mode actually in force; a file on a filesystem without shared memory would silently stay
  // in another mode.
  {
    KOSEKI_ASSIGN_OR_RETURN(const std::string mode, QueryText(db, "PRAGMA journal_mode=WAL"));
    if (mode != "wal") return CannotOpen("journal_mode=WAL not available");
  }
  // synchronous=FULL: a commit is on disk when it returns (an approval must never be lost on
  // power failure). secure_delete: freed pages are zeroed, so no fragment of an old page
  // (rolled-back ciphertext, old index pages) lingers in the file. foreign_keys: the schema's
  // references are enforced.
  KOSEKI_RETURN_IF_ERROR(
      db.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"));
  return db;
}

Result<Database> Database::OpenReadOnly(const std::filesystem::path& file) {
  KOSEKI_ASSIGN_OR_RETURN(Database db, OpenWith(file, SQLITE_OPEN_READONLY));
  // A reader relies on WAL (it must not wait for the writer); the writer set it on the file.
  KOSEKI_ASSIGN_OR_RETURN(const std::string mode, QueryText(db, "PRAGMA journal_mode"));
  if (mode != "wal") return CannotOpen("reader: database not in WAL");
  // Unmapped: a reader's point reads interleave with the writer's commits, and SQLite drops a
  // connection's whole mapping at the first read after every commit — each read would pay a
  // munmap and then a page fault per page it touches (a third of a concurrent approval's
  // reading). Readers kept for long scans map (SqliteBackend::Scan); a point reader maps once
  // the file stands still (MapWhileUnchanged).
  KOSEKI_RETURN_IF_ERROR(db.MapReads(false));
  return db;
}

Result<Database> Database::OpenImmutable(const std::filesystem::path& file) {
  // A URI names the file, so every byte that is not plainly safe in a path is escaped.
  std::string uri = "file:";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : std::filesystem::absolute(file).string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '/' || c == '.' || c == '-' || c == '_') {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 0x0f];
    }
  }
  uri += "?immutable=1";
  return OpenWith(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
}

Result<Database> Database::OpenForCheckpoints(const std::filesystem::path& file) {
  KOSEKI_ASSIGN_OR_RETURN(Database db, OpenWith(file, SQLITE_OPEN_READWRITE));
  KOSEKI_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL;"));
  return db;
}

Result<Database> Database::OpenWith(const std::filesystem::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw,
                                 flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return CannotOpen(Detail(raw, rc, "sqlite3_open_v2"));
  // Defensive mode: even through this connection, no writable_schema tricks or direct
  // shadow-table edits can corrupt the file.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_extended_result_codes(raw, 1);
  if (int brc = sqlite3_busy_timeout(raw, kBusyTimeoutMs); brc != SQLITE_OK) {
    return SqliteError(raw, brc, "sqlite3_busy_timeout");
  }
  // mmap_size: pages of the main file are read through a read-only mapping instead of a read()
  // and a copy each; `audit verify` reads every audit row and gains about a tenth (writes
  // still go through write(), so a stray pointer cannot corrupt the file). The price: a disk
  // I/O error while reading ends the process with SIGBUS instead of returning an error, which
  // for a failing disk under a WAL database loses nothing committed. Also the first read: a
  // garbage file fails here (SQLITE_NOTADB), not at the first query.
  KOSEKI_RETURN_IF_ERROR(db.MapReads(true));
  return db;
}

Result<void> Database::MapReads(bool mapped) {
  KOSEKI_RETURN_IF_ERROR(Exec(mapped ? "PRAGMA mmap_size=1073741824;" : "PRAGMA mmap_size=0;"));
  maps_reads_ = mapped;
  return {};
}

Result<void> Database::MapWhileUnchanged() {
  // The file control, not PRAGMA data_version: no statement to run, so it costs next to
  // nothing per read. SQLite refreshes the number when a read transaction starts, so after
  // a read it tells whether that read saw a commit the one before did not.
  std::uint32_t version = 0;
  if (const int rc = sqlite3_file_control(db_.get(), "main", SQLITE_FCNTL_DATA_VERSION, &version);
      rc != SQLITE_OK) {
    return SqliteError(db_.get(), rc, "sqlite3_file_control(DATA_VERSION)");
  }
  if (!seen_data_version_ || version != *seen_data_version_) {
    seen_data_version_ = version;
    unchanged_reads_ = 0;
    return maps_reads_ ? MapReads(false) : Result<void>{};
  }
  if (maps_reads_ || ++unchanged_reads_ < kQuietReadsBeforeMapping) return {};
  return MapReads(true);
}

Result<std::string> Database::SetJournalMode(std::string_view mode) {
  if (mode != "wal" && mode != "truncate") return InternalError("unknown journal mode");
  sqlite3_busy_timeout(db_.get(), 0);
  Result<std::string> switched = QueryText(*this, "PRAGMA journal_mode=" + std::string(mode));
  sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
  if (switched || switched.error().code != ErrorCode::kUnavailable) return switched;
  // Busy: another connection has the file open, and the mode is unchanged.
  return QueryText(*this, "PRAGMA journal_mode");
}

void Database::ReplaceAutoCheckpoint(std::function<void(int wal_pages)> after_commit) {
  if (!after_commit) {
    sqlite3_wal_autocheckpoint(db_.get(), kSqliteAutoCheckpointPages);
    after_commit_.reset();
    return;
  }
  auto fn = std::make_unique<std::function<void(int)>>(std::move(after_commit));
  sqlite3_wal_hook(
      db_.get(),
      [](void* arg, sqlite3* /*db*/, const char* /*schema*/, int pages) {
        (*static_cast<std::function<void(int)>*>(arg))(pages);
        return SQLITE_OK;
      },
      fn.get());
  after_commit_ = std::move(fn);  // after the hook changed: the old function is no longer called
}

Result<void> Database::CheckpointPassive() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY) return {};
  return SqliteError(db_.get(), rc, "sqlite3_wal_checkpoint_v2");
}

Result<void> Database::SetCacheKiB(std::int64_t kib) {
  return Exec("PRAGMA cache_size=-" + std::to_string(kib));
}

Result<void> Database::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // same text as sqlite3_errmsg, which SqliteError reads
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "exec");
  return Ok();
}

Result<void> Database::ExecCached(std::string_view sql) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * stmt, Cached(sql));
  Result<void> ran = stmt->Run();
  stmt->Reset();
  return ran;
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  Statement statement(db_.get(), stmt);
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "prepare");
  if (stmt == nullptr) {
    return InternalError("prepare: empty SQL");
  }
  return statement;
}

Result<Statement*> Database::Cached(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  auto [it, inserted] =
      cache_.emplace(std::string(sql), std::make_unique<Statement>(std::move(stmt)));
  return it->second.get();
}

bool Database::Autocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }

std::int64_t Database::Changes() const { return sqlite3_changes64(db_.get()); }

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Result<void> Statement::CheckBind(int rc, int index) {
  if (rc == SQLITE_OK) return Ok();
  return SqliteError(db_, rc, "bind parameter " + std::to_string(index));
}

Result<void> Statement::Bind(int index, std::int64_t value) {
  return CheckBind(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

Result<void> Statement::Bind(int index, std::string_view text) {
  // SQLITE_STATIC: no copy; the caller keeps the bytes alive until Reset (see the header).
  return CheckBind(
      sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8),
      index);
}

Result<void> Statement::BindBlob(int index, std::span<const std::uint8_t> blob) {
  // A zero-length span may have a null data pointer, which SQLite would store as NULL.
  static constexpr std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  return CheckBind(sqlite3_bind_blob64(stmt_.get(), index, data, blob.size(), SQLITE_STATIC),
                   index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = SqliteError(db_, rc, sqlite3_sql(stmt_.get()));
  sqlite3_reset(stmt_.get());
  return error;
}

Result<void> Statement::Run() {
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, Step());
    if (!has_row) return Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> Statement::ColumnBlob(int column) const {
  const std::span<const std::uint8_t> blob = ColumnBlobView(column);
  return std::vector<std::uint8_t>(blob.begin(), blob.end());
}

std::span<const std::uint8_t> Statement::ColumnBlobView(int column) const {
  // sqlite3_column_blob first, then sqlite3_column_bytes: the order SQLite documents as safe.
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(size)};
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

namespace {

// SQLite rolls a whole transaction back by itself after some errors (SQLITE_FULL, SQLITE_IOERR,
// SQLITE_NOMEM). Continuing with a savepoint would then silently run in autocommit mode, each
// statement committing on its own; refuse instead.
Result<void> CheckOuterTransactionAlive(sqlite3* db) {
  if (sqlite3_get_autocommit(db) == 0) return Ok();
  return InternalError("outer transaction was rolled back by SQLite");
}

}  // namespace

Result<TransactionScope> TransactionScope::Begin(Database& db) {
  const int depth = db.tx_depth_ + 1;
  if (depth > 1) KOSEKI_RETURN_IF_ERROR(CheckOuterTransactionAlive(db.handle()));
  if (depth == 1) {
    KOSEKI_RETURN_IF_ERROR(db.ExecCached("BEGIN IMMEDIATE"));
  } else {
    KOSEKI_RETURN_IF_ERROR(db.ExecCached("SAVEPOINT koseki_sp_" + std::to_string(depth)));
  }
  db.tx_depth_ = depth;
  return TransactionScope(&db, depth);
}

Result<TransactionScope> TransactionScope::BeginCall(Database& db) {
  if (db.tx_depth_ == 0) return Begin(db);
  KOSEKI_RETURN_IF_ERROR(CheckOuterTransactionAlive(db.handle()));
  TransactionScope scope(&db, db.tx_depth_);
  scope.call_ = true;
  scope.changes_at_begin_ = sqlite3_total_changes64(db.handle());
  return scope;
}

TransactionScope::TransactionScope(TransactionScope&& other) noexcept
    : db_(other.db_),
      depth_(other.depth_),
      done_(other.done_),
      call_(other.call_),
      changes_at_begin_(other.changes_at_begin_) {
  other.done_ = true;
}

TransactionScope::~TransactionScope() {
  if (!done_) Rollback();
}

Result<void> TransactionScope::CheckCommittable() const {
  if (done_) return InternalError("transaction already finished");
  if (db_->tx_depth_ != depth_) return InternalError("a nested transaction is still open");
  if (!call_ && db_->doomed_depth_ != 0 && db_->doomed_depth_ <= depth_) {
    return InternalError("a call in this transaction failed halfway; it can only roll back");
  }
  return Ok();
}

Result<void> TransactionScope::Commit() {
  KOSEKI_RETURN_IF_ERROR(CheckCommittable());
  if (call_) {
    done_ = true;
    return Ok();
  }
  if (depth_ == 1) {
    KOSEKI_RETURN_IF_ERROR(db_->ExecCached("COMMIT"));
  } else {
    KOSEKI_RETURN_IF_ERROR(CheckOuterTransactionAlive(db_->handle()));
    KOSEKI_RETURN_IF_ERROR(db_->ExecCached("RELEASE koseki_sp_" + std::to_string(depth_)));
  }
  db_->tx_depth_ = depth_ - 1;
  done_ = true;
  return Ok();
}

void TransactionScope::Rollback() {
  done_ = true;
  if (db_->tx_depth_ < depth_) return;  // an enclosing scope already rolled this one back
  if (call_) {
    const bool changed = sqlite3_total_changes64(db_->handle()) != changes_at_begin_;
    if (changed && (db_->doomed_depth_ == 0 || depth_ < db_->doomed_depth_)) {
      db_->doomed_depth_ = depth_;
    }
    return;
  }
  if (db_->doomed_depth_ >= depth_) db_->doomed_depth_ = 0;  // undone with this scope
  db_->tx_depth_ = depth_ - 1;
  if (depth_ == 1) {
    // Fails harmlessly if SQLite already rolled back by itself (e.g. after SQLITE_FULL).
    (void)db_->ExecCached("ROLLBACK");
  } else {
    const std::string name = "koseki_sp_" + std::to_string(depth_);
    (void)db_->ExecCached("ROLLBACK TO " + name);
    (void)db_->ExecCached("RELEASE " + name);
  }
}

Result<ReadSnapshot> ReadSnapshot::Begin(Database& db) {
  if (!db.Autocommit()) return ReadSnapshot(nullptr);
  KOSEKI_RETURN_IF_ERROR(db.ExecCached("BEGIN DEFERRED"));
  return ReadSnapshot(&db);
}

ReadSnapshot::~ReadSnapshot() {
  // Nothing was written: COMMIT only ends the read transaction (and cannot fail for want of
  // the write lock). ROLLBACK if it does fail, so the connection never keeps a stale snapshot.
  if (db_ != nullptr && !db_->ExecCached("COMMIT")) (void)db_->ExecCached("ROLLBACK");
}

}  // namespace koseki::store::sqlite_internal
