#include "koseki/store/sqlite/sqlite_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "koseki/base/log.h"
#include "koseki/store/sqlite/internal/audit_bundles.h"
#include "koseki/store/sqlite/internal/checkpointer.h"
#include "koseki/store/sqlite/internal/sqlite.h"
#include "koseki/store/sqlite/internal/statements.h"
#include "koseki/store/sqlite/internal/writer_turns.h"
#include "koseki/store/sqlite/migrations.h"

namespace koseki::store {

using sqlite_internal::Database;
using sqlite_internal::Lease;
using sqlite_internal::ReadSnapshot;
using sqlite_internal::Statement;
using sqlite_internal::TransactionScope;

namespace {

namespace sql = sqlite_internal::statements;

constexpr auto kMaxStored = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

bool IsUniqueViolation(const Error& error) {
  // SqliteError maps every constraint failure to KSK-STORE-006; tell a duplicate key apart
  // from other refusals by the message: SQLite's own for a key, or the schema's triggers that
  // refuse INSERT OR REPLACE over an existing key ("... already exists").
  return sqlite_internal::IsConstraintViolation(error) &&
         (error.internal_detail.find("UNIQUE constraint failed") != std::string::npos ||
          error.internal_detail.find("already exists") != std::string::npos);
}

Error AlreadyExists(std::string_view what) {
  return MakeError(ErrorCode::kAlreadyExists, "KSK-STORE-014",
                   "同じ識別子がすでに登録されています。", std::string(what) + " already exists");
}

Error TooLarge(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-028", "指定された値が不正です。",
                   std::string(what) + " out of range");
}

// Returns Aborted (KSK-STORE-010): the register's head is no longer the expected version.
Error VersionConflict(std::string detail) {
  return MakeError(
      ErrorCode::kAborted, "KSK-STORE-010",
      "この戸籍は他の処理によって更新されています。最新の内容を確認してやり直してください。",
      std::move(detail));
}

Error AuditOutOfSequence(std::string detail) {
  return MakeError(ErrorCode::kAborted, "KSK-STORE-024",
                   "監査ログへの記録が他の処理と競合しました。もう一度実行してください。",
                   std::move(detail));
}

// Returns Internal (KSK-STORE-034): a committed row would reach the database without the audit
// entry that commits to it (Backend::RequireRecordedWrites).
Error UnrecordedWrite(std::string_view where) {
  return MakeError(ErrorCode::kInternal, "KSK-STORE-034",
                   "処理を記録できないため、保存しませんでした。",
                   "row written without its audit entry (" + std::string(where) + ")");
}

Error CaseActionConflict() {
  return MakeError(ErrorCode::kAborted, "KSK-CASE-020",
                   "この事件は他の操作で更新されています。最新の状態を確認してください。",
                   "case action conflict");
}

// Runs an INSERT; a duplicate key becomes AlreadyExists (KSK-STORE-014) naming `what`.
Result<void> RunInsert(Statement& stmt, std::string_view what) {
  if (auto run = stmt.Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists(what);
    return run;
  }
  return Ok();
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::filesystem::path& db_file) {
  // Create the file ourselves with 0600 before SQLite does (SQLite would use 0644 minus umask);
  // SQLite then gives the -wal and -shm files the same mode.
  const int fd = ::open(db_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return sqlite_internal::CannotOpen(std::string("create database file: ") +
                                       std::strerror(errno));
  }
  ::close(fd);
  KOSEKI_ASSIGN_OR_RETURN(Database db, Database::Open(db_file));
  return std::make_unique<Database>(std::move(db));
}

TenantRow TenantRowAt(const Statement& stmt) {
  return TenantRow{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt64(2)};
}

AuditCheckpointRow CheckpointRowAt(const Statement& stmt) {
  return AuditCheckpointRow{static_cast<std::uint64_t>(stmt.ColumnInt64(0)),
                            static_cast<std::uint64_t>(stmt.ColumnInt64(1)), stmt.ColumnText(2),
                            stmt.ColumnInt64(3)};
}

CaseRow CaseRowAt(const Statement& stmt) {
  return CaseRow{stmt.ColumnText(0), stmt.ColumnText(1), static_cast<int>(stmt.ColumnInt64(2)),
                 stmt.ColumnText(3), stmt.ColumnInt64(4)};
}

Result<std::optional<std::uint64_t>> HeadVersionOn(Database& db, std::string_view tenant_code,
                                                   std::string_view register_id) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetHeadSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(stmt->ColumnInt64(0)));
}

// Runs a statement returning rows of one integer column and returns the first.
Result<std::int64_t> QueryInt(Statement& stmt) {
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return sqlite_internal::InternalError("aggregate returned no row");
  return stmt.ColumnInt64(0);
}

// Inserts a register row with head version 0.
Result<void> InsertRegisterRow(Database& db, std::string_view tenant_code,
                               std::string_view register_id, std::int64_t created_at) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertRegisterSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, created_at));
  return RunInsert(*stmt, "register");
}

// Inserts version expected_head + 1 and moves the head from expected_head to it; the caller
// holds a scope around both and has made sure the head is expected_head.
Result<void> AppendVersionRow(Database& db, std::string_view tenant_code,
                              std::string_view register_id, std::uint64_t expected_head,
                              ByteView ciphertext, std::int64_t created_at) {
  const auto expected = static_cast<std::int64_t>(expected_head);
  const std::int64_t next = expected + 1;
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertVersionSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, next));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(4, ciphertext));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(5, created_at));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
  }
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kAdvanceHeadSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, next));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, expected));
  KOSEKI_RETURN_IF_ERROR(stmt->Run());
  if (db.Changes() != 1) return VersionConflict("version conflict while advancing head");
  return Ok();
}

// Inserts blind-index rows; rows that already exist are kept.
Result<void> InsertIndexRows(Database& db, std::string_view tenant_code,
                             std::string_view register_id, std::span<const IndexEntry> entries) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertIndexSql));
  for (const IndexEntry& entry : entries) {
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, entry.purpose));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, entry.blind));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
  }
  return Ok();
}

}  // namespace

// The outermost transaction of a thread holds the writer's turn (WriterTurns) until it commits
// or is destroyed; a nested one is a savepoint inside it.
class SqliteBackend::WriteTransaction final : public Transaction {
 public:
  // A savepoint keeps a copy of the pending writes it started with: rolling it back restores
  // them, including any that an audit entry inside it took.
  WriteTransaction(SqliteBackend& backend, bool owns_turn, TransactionScope scope)
      : backend_(backend),
        owns_turn_(owns_turn),
        outermost_(owns_turn || scope.outermost()),
        scope_(std::move(scope)),
        saved_writes_(backend.pending_writes_) {
    ++backend_.open_transactions_;
  }

  ~WriteTransaction() override {
    if (!scope_) return;
    scope_.reset();  // rolls back
    backend_.pending_writes_ = std::move(saved_writes_);
    --backend_.open_transactions_;
    if (owns_turn_) backend_.turns_->End();
  }

  Result<void> Commit() override {
    if (!scope_) return sqlite_internal::InternalError("transaction already ended");
    if (outermost_) KOSEKI_RETURN_IF_ERROR(backend_.CheckWritesTaken());
    if (!owns_turn_) {  // a savepoint, or a transaction of a bulk load (which holds the turn)
      KOSEKI_RETURN_IF_ERROR(scope_->Commit());
      scope_.reset();
      --backend_.open_transactions_;
      return Ok();
    }
    TransactionScope scope = std::move(*scope_);
    scope_.reset();
    --backend_.open_transactions_;
    // Ends the turn; returns when the transaction is durable (perhaps with others: group
    // commit), or rolled back.
    return backend_.turns_->Commit(std::move(scope));
  }

 private:
  SqliteBackend& backend_;
  const bool owns_turn_;  // the thread's outermost transaction, which took the writer's turn
  const bool outermost_;  // that, or the outermost transaction of a bulk load
  std::optional<TransactionScope> scope_;
  std::vector<RowCommitment> saved_writes_;
};

// The writer for one call: the calling thread's own (its open transaction), or a turn of its
// own for the duration of the call. Such a call commits by itself, so it first commits any
// group transaction that earlier turns left open.
class SqliteBackend::WriterLease {
 public:
  explicit WriterLease(SqliteBackend& backend) : backend_(backend) {
    if (backend_.HoldsWriter()) return;
    backend_.turns_->Take();
    backend_.turns_->Settle();
    took_turn_ = true;
  }
  ~WriterLease() {
    if (took_turn_) backend_.turns_->End();
  }
  WriterLease(const WriterLease&) = delete;
  WriterLease& operator=(const WriterLease&) = delete;

 private:
  SqliteBackend& backend_;
  bool took_turn_ = false;
};

// Holds the writer's turn for the load; gives back WAL mode and the ordinary page cache when it
// ends.
class SqliteBackend::SqliteBulkLoad final : public BulkLoad {
 public:
  SqliteBulkLoad(SqliteBackend& backend, bool journaled)
      : backend_(backend), journaled_(journaled) {}
  ~SqliteBulkLoad() override {
    Database& writer = *backend_.writer_;
    (void)writer.SetCacheKiB(kCacheKiB);
    if (journaled_) {
      // Fails only if another process opened the file during the load; then the file stays in
      // rollback-journal mode until the next Open, which sets WAL again.
      if (auto mode = writer.SetJournalMode("wal"); !mode || *mode != "wal") {
        log::Error("store.bulk_load_wal_not_restored");
      }
    }
    backend_.checkpointer_->Resume();
    backend_.turns_->End();
  }

 private:
  SqliteBackend& backend_;
  const bool journaled_;  // switched to a rollback journal, to be switched back
};

template <typename Fn>
auto SqliteBackend::Write(Fn&& fn) -> decltype(fn(std::declval<Database&>())) {
  const WriterLease lease(*this);
  return fn(*writer_);
}

template <typename Fn>
auto SqliteBackend::Read(Fn&& fn) -> decltype(fn(std::declval<Database&>())) {
  return ReadOn(ReaderKind::kPoint, std::forward<Fn>(fn));
}

template <typename Fn>
auto SqliteBackend::Scan(Fn&& fn) -> decltype(fn(std::declval<Database&>())) {
  return ReadOn(ReaderKind::kScan, std::forward<Fn>(fn));
}

template <typename Fn>
auto SqliteBackend::ReadOn(ReaderKind kind, Fn&& fn) -> decltype(fn(std::declval<Database&>())) {
  if (HoldsWriter()) return fn(*writer_);
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<Database> reader, TakeReader(kind));
  auto result = fn(*reader);
  // A point reader whose mapping cannot follow the file is closed rather than pooled; the
  // read itself stands.
  if (kind == ReaderKind::kPoint && !immutable_ && !reader->MapWhileUnchanged()) return result;
  ReturnReader(kind, std::move(reader));
  return result;
}

Result<std::unique_ptr<Database>> SqliteBackend::TakeReader(ReaderKind kind) {
  {
    std::lock_guard lock(readers_mutex_);
    auto& idle = idle_readers_[static_cast<std::size_t>(kind)];
    if (!idle.empty()) {
      std::unique_ptr<Database> reader = std::move(idle.back());
      idle.pop_back();
      return reader;
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(Database reader, OpenReader());
  // Point readers start unmapped and map only while the file stands still
  // (Database::OpenReadOnly and MapWhileUnchanged say why); scans map.
  if (kind == ReaderKind::kScan && !immutable_) KOSEKI_RETURN_IF_ERROR(reader.MapReads(true));
  return std::make_unique<Database>(std::move(reader));
}

void SqliteBackend::ReturnReader(ReaderKind kind, std::unique_ptr<Database> reader) {
  // A read that failed halfway may have left its snapshot open; a pooled reader must not keep
  // seeing the past.
  if (!reader->Autocommit()) (void)reader->Exec("ROLLBACK");
  std::lock_guard lock(readers_mutex_);
  auto& idle = idle_readers_[static_cast<std::size_t>(kind)];
  if (idle.size() < kMaxIdleReaders) idle.push_back(std::move(reader));
}

SqliteBackend::SqliteBackend(std::filesystem::path file, std::unique_ptr<Database> writer)
    : file_(std::move(file)),
      writer_(std::move(writer)),
      turns_(std::make_unique<sqlite_internal::WriterTurns>(*writer_)),
      checkpointer_(std::make_unique<sqlite_internal::Checkpointer>(file_, *writer_)) {}

SqliteBackend::~SqliteBackend() = default;

Result<std::unique_ptr<SqliteBackend>> SqliteBackend::Open(const std::filesystem::path& db_file) {
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase(db_file));
  KOSEKI_RETURN_IF_ERROR(sqlite_internal::Migrate(*db));
  KOSEKI_RETURN_IF_ERROR(sqlite_internal::BundleAllAuditLogs(*db));
  return std::unique_ptr<SqliteBackend>(new SqliteBackend(db_file, std::move(db)));
}

Result<std::unique_ptr<SqliteBackend>> SqliteBackend::OpenReadOnly(
    const std::filesystem::path& db_file) {
  bool immutable = false;
  auto db = Database::OpenReadOnly(db_file);
  if (!db) {
    db = Database::OpenImmutable(db_file);
    immutable = true;
  }
  if (!db) return std::move(db).error();
  std::unique_ptr<SqliteBackend> backend(
      new SqliteBackend(db_file, std::make_unique<Database>(*std::move(db))));
  backend->immutable_ = immutable;
  return backend;
}

Result<Database> SqliteBackend::OpenReader() const {
  return immutable_ ? Database::OpenImmutable(file_) : Database::OpenReadOnly(file_);
}

Result<std::unique_ptr<Transaction>> SqliteBackend::BeginWrite() {
  const bool takes_turn = !HoldsWriter();
  if (takes_turn) turns_->Take();
  auto scope = takes_turn ? turns_->Begin() : TransactionScope::Begin(*writer_);
  if (!scope) {
    if (takes_turn) turns_->End();
    return std::move(scope).error();
  }
  return std::unique_ptr<Transaction>(new WriteTransaction(*this, takes_turn, std::move(*scope)));
}

Result<void> SqliteBackend::InTransaction(const std::function<Result<void>()>& fn) {
  // Inside this thread's transaction, or a bulk load: a savepoint, on this thread.
  if (HoldsWriter()) return Backend::InTransaction(fn);
  return turns_->Run([&]() -> Result<void> {
    // What WriteTransaction does for an outermost transaction, on whichever thread runs it —
    // also when `fn` throws (WriterTurns rolls back and rethrows on the caller's thread).
    struct Open {
      SqliteBackend& backend;
      std::vector<RowCommitment> saved_writes = backend.pending_writes_;
      bool committed = false;
      explicit Open(SqliteBackend& b) : backend(b) { ++backend.open_transactions_; }
      ~Open() {
        --backend.open_transactions_;
        if (!committed) backend.pending_writes_ = std::move(saved_writes);  // rolled back
      }
    } open(*this);
    Result<void> done = fn();
    if (done) done = CheckWritesTaken();
    open.committed = done.has_value();
    return done;
  });
}

Result<std::unique_ptr<BulkLoad>> SqliteBackend::BeginBulkLoad() {
  return BeginBulkLoad(kBulkCacheKiB);
}

Result<std::unique_ptr<BulkLoad>> SqliteBackend::BeginBulkLoad(std::int64_t cache_kib) {
  if (HoldsWriter()) return sqlite_internal::InternalError("bulk load begun inside a transaction");
  turns_->Take();
  turns_->Settle();
  CloseIdleReaders();
  checkpointer_->Pause();
  auto mode = writer_->SetJournalMode("truncate");
  if (!mode) {
    checkpointer_->Resume();
    turns_->End();
    return std::move(mode).error();
  }
  const bool journaled = *mode == "truncate";
  if (!journaled) log::Warn("store.bulk_load_in_wal", {{"reason", "database_open_elsewhere"}});
  auto load = std::make_unique<SqliteBulkLoad>(*this, journaled);
  KOSEKI_RETURN_IF_ERROR(writer_->SetCacheKiB(cache_kib));
  return std::unique_ptr<BulkLoad>(std::move(load));
}

void SqliteBackend::CloseIdleReaders() {
  {
    const std::lock_guard lock(readers_mutex_);
    for (auto& idle : idle_readers_) idle.clear();
  }
  const std::lock_guard lock(stamp_mutex_);
  stamp_reader_.reset();
}

bool SqliteBackend::HoldsWriter() const { return turns_->HeldByThisThread(); }

Result<void> SqliteBackend::CheckWritesTaken() {
  if (pending_writes_.empty()) return Ok();
  if (recorded_writes_required_.load()) return UnrecordedWrite("commit");
  pending_writes_.clear();
  return Ok();
}

std::uint64_t SqliteBackend::SettleCheckpoints() {
  checkpointer_->Settle();
  return checkpointer_->completed();
}

SqliteBackend::CommitCounts SqliteBackend::Commits() const {
  const sqlite_internal::WriterTurns::Counts counts = turns_->counts();
  return CommitCounts{counts.transactions, counts.commits};
}

std::size_t SqliteBackend::WritersWaiting() const { return turns_->waiting(); }

bool SqliteBackend::InTransactionOnThisThread() {
  // Only this thread sets the owner to itself or clears it, so the answer cannot change under
  // the caller.
  return HoldsWriter() && writer_->InTransaction();
}

Result<std::int64_t> SqliteBackend::SchemaVersion() {
  return Write([](Database& db) { return sqlite_internal::SchemaVersion(db); });
}

Result<std::uint64_t> SqliteBackend::ChangeStamp() {
  std::lock_guard lock(stamp_mutex_);
  if (!stamp_reader_) {
    KOSEKI_ASSIGN_OR_RETURN(Database reader, OpenReader());
    stamp_reader_ = std::make_unique<Database>(std::move(reader));
  }
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, stamp_reader_->Cached("PRAGMA data_version"));
  Lease stmt(*raw);
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return sqlite_internal::InternalError("PRAGMA data_version: no row");
  return static_cast<std::uint64_t>(stmt->ColumnInt64(0));
}

std::size_t SqliteBackend::IdleReaders() {
  std::lock_guard lock(readers_mutex_);
  return idle_readers_[0].size() + idle_readers_[1].size();
}

Result<void> SqliteBackend::CheckRecordable() const {
  if (recorded_writes_required_.load() && open_transactions_ == 0) {
    return UnrecordedWrite("outside a transaction");
  }
  return Ok();
}

template <typename MakeCommitment>
void SqliteBackend::NoteWrite(const MakeCommitment& make) {
  if (recorded_writes_required_.load() && open_transactions_ > 0) pending_writes_.push_back(make());
}

std::vector<RowCommitment> SqliteBackend::TakeWrites(std::string_view tenant_code) {
  if (!HoldsWriter()) return {};
  std::vector<RowCommitment> taken;
  std::vector<RowCommitment> kept;
  for (RowCommitment& write : pending_writes_) {
    if (tenant_code.empty() || write.tenant_code == tenant_code) {
      taken.push_back(std::move(write));
    } else {
      kept.push_back(std::move(write));
    }
  }
  pending_writes_ = std::move(kept);
  return taken;
}

void SqliteBackend::RequireRecordedWrites() { recorded_writes_required_.store(true); }

Result<std::optional<std::string>> SqliteBackend::GetInstallationValue(std::string_view name) {
  return Read([&](Database& db) -> Result<std::optional<std::string>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetInstallationSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, name));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->ColumnText(0));
  });
}

Result<void> SqliteBackend::InsertInstallationValue(std::string_view name, std::string_view value) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertInstallationSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, name));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, value));
    return RunInsert(*stmt, "installation value");
  });
}

Result<void> SqliteBackend::InsertTenant(const TenantRow& tenant) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertTenantSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant.tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, tenant.name));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, tenant.created_at));
    KOSEKI_RETURN_IF_ERROR(RunInsert(*stmt, "tenant"));
    NoteWrite([&] { return CommitTenant(tenant.tenant_code, tenant.name, tenant.created_at); });
    return Ok();
  });
}

Result<std::optional<TenantRow>> SqliteBackend::GetTenant(std::string_view tenant_code) {
  return Read([&](Database& db) -> Result<std::optional<TenantRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetTenantSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<TenantRow>();
    return std::optional<TenantRow>(TenantRowAt(*stmt));
  });
}

Result<std::vector<TenantRow>> SqliteBackend::ListTenants() {
  return Read([&](Database& db) -> Result<std::vector<TenantRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kListTenantsSql));
    Lease stmt(*raw);
    std::vector<TenantRow> tenants;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return tenants;
      tenants.push_back(TenantRowAt(*stmt));
    }
  });
}

Result<void> SqliteBackend::InsertTenantKey(std::string_view tenant_code, const TenantKeyRow& key) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertTenantKeySql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(key.key_version)));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, key.wrapped));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, key.created_at));
    KOSEKI_RETURN_IF_ERROR(RunInsert(*stmt, "tenant key version"));
    NoteWrite(
        [&] { return CommitTenantKey(tenant_code, key.key_version, key.wrapped, key.created_at); });
    return Ok();
  });
}

Result<std::optional<TenantKeyRow>> SqliteBackend::GetLatestTenantKey(
    std::string_view tenant_code) {
  return Read([&](Database& db) -> Result<std::optional<TenantKeyRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLatestTenantKeySql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<TenantKeyRow>();
    return std::optional<TenantKeyRow>(
        TenantKeyRow{static_cast<std::uint32_t>(stmt->ColumnInt64(0)), stmt->ColumnBlob(1),
                     stmt->ColumnInt64(2)});
  });
}

Result<void> SqliteBackend::InsertRegister(std::string_view tenant_code,
                                           std::string_view register_id, std::int64_t created_at) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_RETURN_IF_ERROR(InsertRegisterRow(db, tenant_code, register_id, created_at));
    NoteWrite([&] { return CommitRegister(tenant_code, register_id, created_at); });
    return Ok();
  });
}

Result<void> SqliteBackend::CreateRegister(std::string_view tenant_code,
                                           std::string_view register_id, ByteView ciphertext,
                                           std::int64_t created_at,
                                           std::span<const IndexEntry> entries) {
  return Write([&](Database& db) -> Result<void> {
    // One unit: the rows of a register that did not exist a moment ago, so there is no head to
    // read before writing version 1.
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    KOSEKI_RETURN_IF_ERROR(InsertRegisterRow(db, tenant_code, register_id, created_at));
    KOSEKI_RETURN_IF_ERROR(
        AppendVersionRow(db, tenant_code, register_id, 0, ciphertext, created_at));
    KOSEKI_RETURN_IF_ERROR(InsertIndexRows(db, tenant_code, register_id, entries));
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] { return CommitRegister(tenant_code, register_id, created_at); });
    NoteWrite(
        [&] { return CommitRegisterVersion(tenant_code, register_id, 1, ciphertext, created_at); });
    return Ok();
  });
}

Result<std::optional<std::uint64_t>> SqliteBackend::GetHeadVersion(std::string_view tenant_code,
                                                                   std::string_view register_id) {
  return Read([&](Database& db) { return HeadVersionOn(db, tenant_code, register_id); });
}

Result<std::uint64_t> SqliteBackend::InsertVersion(std::string_view tenant_code,
                                                   std::string_view register_id,
                                                   std::uint64_t expected_head, ByteView ciphertext,
                                                   std::int64_t created_at) {
  if (expected_head >= kMaxStored) return TooLarge("expected version");
  return Write([&](Database& db) -> Result<std::uint64_t> {
    // The check and the two writes form one unit (TransactionScope::BeginCall).
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    KOSEKI_ASSIGN_OR_RETURN(std::optional<std::uint64_t> head,
                            HeadVersionOn(db, tenant_code, register_id));
    if (!head) return RegisterNotFound();
    if (*head != expected_head) {
      return VersionConflict("version conflict: expected " + std::to_string(expected_head) +
                             ", head " + std::to_string(*head));
    }
    const std::uint64_t next = expected_head + 1;
    KOSEKI_RETURN_IF_ERROR(
        AppendVersionRow(db, tenant_code, register_id, expected_head, ciphertext, created_at));
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] {
      return CommitRegisterVersion(tenant_code, register_id, next, ciphertext, created_at);
    });
    return next;
  });
}

Result<std::optional<VersionRow>> SqliteBackend::GetVersion(std::string_view tenant_code,
                                                            std::string_view register_id,
                                                            std::uint64_t version) {
  if (version > kMaxStored) return std::optional<VersionRow>();
  return Read([&](Database& db) -> Result<std::optional<VersionRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetVersionSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(version)));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<VersionRow>();
    return std::optional<VersionRow>(
        VersionRow{version, stmt->ColumnBlob(0), stmt->ColumnInt64(1)});
  });
}

Result<std::vector<VersionInfo>> SqliteBackend::ListVersions(std::string_view tenant_code,
                                                             std::string_view register_id) {
  return Read([&](Database& db) -> Result<std::vector<VersionInfo>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kListVersionsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
    std::vector<VersionInfo> versions;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return versions;
      versions.push_back(
          VersionInfo{static_cast<std::uint64_t>(stmt->ColumnInt64(0)), stmt->ColumnInt64(1)});
    }
  });
}

Result<void> SqliteBackend::InsertIndexEntries(std::string_view tenant_code,
                                               std::string_view register_id,
                                               std::span<const IndexEntry> entries) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    KOSEKI_RETURN_IF_ERROR(InsertIndexRows(db, tenant_code, register_id, entries));
    return tx.Commit();
  });
}

Result<std::vector<std::string>> SqliteBackend::LookupIndex(std::string_view tenant_code,
                                                            std::string_view purpose,
                                                            ByteView blind) {
  return Read([&](Database& db) -> Result<std::vector<std::string>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLookupIndexSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, purpose));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, blind));
    std::vector<std::string> ids;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return ids;
      ids.push_back(stmt->ColumnText(0));
    }
  });
}

Result<std::int64_t> SqliteBackend::RecordCertificateIssue(std::string_view tenant_code,
                                                           std::string_view register_id,
                                                           std::uint64_t version,
                                                           std::int64_t issued_at) {
  if (version > kMaxStored) return TooLarge("certificate version");
  return Write([&](Database& db) -> Result<std::int64_t> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    std::int64_t number = 0;
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kNextIssueNumberSql));
      Lease next(*raw);
      KOSEKI_RETURN_IF_ERROR(next->Bind(1, tenant_code));
      KOSEKI_ASSIGN_OR_RETURN(number, QueryInt(*next));
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertIssueSql));
    Lease insert(*raw);
    KOSEKI_RETURN_IF_ERROR(insert->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(2, number));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(3, register_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(4, static_cast<std::int64_t>(version)));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(5, issued_at));
    KOSEKI_RETURN_IF_ERROR(insert->Run());
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] {
      return CommitCertificateIssue(tenant_code, number, register_id, version, issued_at);
    });
    return number;
  });
}

Result<void> SqliteBackend::AppendAuditEntry(std::string_view log_id, const AuditEntryRow& entry,
                                             std::span<const AuditNodeRow> nodes) {
  if (entry.index >= kMaxStored) return TooLarge("audit entry index");
  for (const AuditNodeRow& node : nodes) {
    if (node.index >= kMaxStored) return TooLarge("audit node index");
  }
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertAuditEntrySql));
      Lease stmt(*raw);
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(entry.index)));
      KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, entry.entry));
      KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(4, entry.leaf_hash));
      if (auto run = stmt->Run(); !run) {
        // The sequence trigger (or the key) refused: another writer appended first.
        if (IsUniqueViolation(run.error()) ||
            run.error().internal_detail.find("must be the next one") != std::string::npos) {
          return AuditOutOfSequence("audit entry " + std::to_string(entry.index) +
                                    " is not the next one: " + run.error().internal_detail);
        }
        return run;
      }
    }
    if (!entry.object_id.empty()) {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertAuditObjectSql));
      Lease stmt(*raw);
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, entry.object_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(entry.index)));
      KOSEKI_RETURN_IF_ERROR(stmt->Run());
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertAuditNodeSql));
    for (const AuditNodeRow& node : nodes) {
      Lease stmt(*raw);
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(node.level)));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(node.index)));
      KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(4, node.hash));
      KOSEKI_RETURN_IF_ERROR(stmt->Run());
    }
    if ((entry.index + 1) % sqlite_internal::kAuditBundleEntries == 0) {
      KOSEKI_RETURN_IF_ERROR(sqlite_internal::BundleAuditEntries(db, log_id));
    }
    return tx.Commit();
  });
}

Result<std::optional<AuditEntryRow>> SqliteBackend::GetLastAuditEntry(std::string_view log_id) {
  return Read([&](Database& db) -> Result<std::optional<AuditEntryRow>> {
    KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
    return sqlite_internal::ReadLastAuditEntry(db, log_id);
  });
}

Result<std::optional<AuditEntryRow>> SqliteBackend::GetAuditEntry(std::string_view log_id,
                                                                  std::uint64_t index) {
  if (index >= kMaxStored) return std::optional<AuditEntryRow>();
  return Read([&](Database& db) -> Result<std::optional<AuditEntryRow>> {
    return sqlite_internal::ReadAuditEntry(db, log_id, index);
  });
}

Result<std::vector<Bytes>> SqliteBackend::GetAuditHashes(std::string_view log_id, int level,
                                                         std::uint64_t first, std::uint64_t count) {
  if (first >= kMaxStored || level < 0 || count == 0) return std::vector<Bytes>();
  const std::uint64_t end = first + std::min(count, kMaxStored - first);
  return Read([&](Database& db) -> Result<std::vector<Bytes>> {
    if (level == 0) {
      KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
      return sqlite_internal::ReadAuditLeafHashes(db, log_id, first, end);
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetAuditNodesSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(level)));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(first)));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, static_cast<std::int64_t>(end)));
    std::vector<Bytes> hashes;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row || static_cast<std::uint64_t>(stmt->ColumnInt64(0)) != first + hashes.size()) {
        break;
      }
      hashes.push_back(stmt->ColumnBlob(1));
    }
    return hashes;
  });
}

Result<void> SqliteBackend::ScanAuditEntries(
    std::string_view log_id, std::uint64_t from,
    const std::function<Result<bool>(const AuditEntryView&)>& fn) {
  // No index is that large (SQLite integers are signed).
  if (from > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return Ok();
  return Scan([&](Database& db) -> Result<void> {
    // The bundles and the rows after them from one snapshot: an append that bundles rows
    // between the two reads would otherwise hide them.
    KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
    KOSEKI_ASSIGN_OR_RETURN(auto cursor, sqlite_internal::AuditEntryCursor::Open(db, log_id, from));
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryView> entry, cursor->Next());
      if (!entry) return Ok();
      KOSEKI_ASSIGN_OR_RETURN(bool more, fn(*entry));
      if (!more) return Ok();
    }
  });
}

Result<void> SqliteBackend::ScanAuditEntriesOf(
    std::string_view log_id, std::string_view object_id,
    const std::function<Result<bool>(const AuditEntryView&)>& fn) {
  return Read([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
    std::vector<std::uint64_t> indexes;
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kObjectEntryIndexesSql));
      Lease stmt(*raw);
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, object_id));
      while (true) {
        KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
        if (!has_row) break;
        indexes.push_back(static_cast<std::uint64_t>(stmt->ColumnInt64(0)));
      }
    }
    for (const std::uint64_t index : indexes) {
      KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryRow> row,
                              sqlite_internal::ReadAuditEntry(db, log_id, index));
      if (!row) continue;  // an index row without its entry finds nothing
      KOSEKI_ASSIGN_OR_RETURN(bool more,
                              fn(AuditEntryView{row->index, row->entry, row->leaf_hash}));
      if (!more) return Ok();
    }
    return Ok();
  });
}

Result<bool> SqliteBackend::IndexAuditObjects(
    const std::function<std::string(std::span<const std::uint8_t> entry)>& object_of) {
  bool ran = false;
  KOSEKI_RETURN_IF_ERROR(InTransaction([&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> done,
                            GetInstallationValue(kAuditObjectsIndexedValue));
    if (done) return Ok();
    KOSEKI_RETURN_IF_ERROR(Write([&](Database& db) -> Result<void> {
      struct Found {
        std::string log;
        std::string object;
        std::int64_t index;
      };
      std::vector<Found> found;
      KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> logs, sqlite_internal::ListAuditLogIds(db));
      for (const std::string& log : logs) {
        KOSEKI_ASSIGN_OR_RETURN(auto cursor, sqlite_internal::AuditEntryCursor::Open(db, log, 0));
        while (true) {
          KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryView> entry, cursor->Next());
          if (!entry) break;
          std::string object = object_of(entry->entry);
          if (!object.empty()) {
            found.push_back({log, std::move(object), static_cast<std::int64_t>(entry->index)});
          }
        }
      }
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertAuditObjectSql));
      for (const Found& f : found) {
        Lease stmt(*raw);
        KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, f.log));
        KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, f.object));
        KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, f.index));
        KOSEKI_RETURN_IF_ERROR(stmt->Run());
      }
      return Ok();
    }));
    ran = true;
    return InsertInstallationValue(kAuditObjectsIndexedValue, "1");
  }));
  return ran;
}

Result<void> SqliteBackend::ScanAuditLog(
    std::string_view log_id, const std::function<Result<bool>(const AuditEntryView&)>& on_entry,
    const std::function<Result<bool>(const AuditNodeView&)>& on_node) {
  return Scan([&](Database& db) -> Result<void> {
    // Both statements read one snapshot: a concurrent append never shows up as a node without
    // its entries.
    KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
    KOSEKI_ASSIGN_OR_RETURN(auto entries, sqlite_internal::AuditEntryCursor::Open(db, log_id, 0));
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw_nodes, db.Cached(sql::kScanNodesSql));
    Lease nodes(*raw_nodes);
    KOSEKI_RETURN_IF_ERROR(nodes->Bind(1, log_id));
    // One row of each in turn: a caller that works on the entries on another thread gets them
    // at an even pace instead of waiting idle while the nodes are read.
    bool entries_done = false;
    bool nodes_done = false;
    while (!entries_done || !nodes_done) {
      if (!nodes_done) {
        KOSEKI_ASSIGN_OR_RETURN(bool has_row, nodes->Step());
        if (has_row) {
          const AuditNodeView node{static_cast<int>(nodes->ColumnInt64(0)),
                                   static_cast<std::uint64_t>(nodes->ColumnInt64(1)),
                                   nodes->ColumnBlobView(2)};
          KOSEKI_ASSIGN_OR_RETURN(bool more, on_node(node));
          if (!more) return Ok();
        } else {
          nodes_done = true;
        }
      }
      if (!entries_done) {
        KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryView> entry, entries->Next());
        if (entry) {
          KOSEKI_ASSIGN_OR_RETURN(bool more, on_entry(*entry));
          if (!more) return Ok();
        } else {
          entries_done = true;
        }
      }
    }
    return Ok();
  });
}

Result<std::uint64_t> SqliteBackend::AppendAuditCheckpoint(std::string_view log_id,
                                                           std::uint64_t tree_size,
                                                           std::string_view note,
                                                           std::int64_t created_at) {
  if (tree_size >= kMaxStored) return TooLarge("checkpoint tree size");
  return Write([&](Database& db) -> Result<std::uint64_t> {
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    std::int64_t seq = 0;
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kNextCheckpointSeqSql));
      Lease next(*raw);
      KOSEKI_RETURN_IF_ERROR(next->Bind(1, log_id));
      KOSEKI_ASSIGN_OR_RETURN(seq, QueryInt(*next));
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertCheckpointSql));
    Lease insert(*raw);
    KOSEKI_RETURN_IF_ERROR(insert->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(2, seq));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(3, static_cast<std::int64_t>(tree_size)));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(4, note));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(5, created_at));
    KOSEKI_RETURN_IF_ERROR(insert->Run());
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    return static_cast<std::uint64_t>(seq);
  });
}

Result<std::vector<AuditCheckpointRow>> SqliteBackend::ListAuditCheckpoints(
    std::string_view log_id) {
  return Read([&](Database& db) -> Result<std::vector<AuditCheckpointRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kListCheckpointsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    std::vector<AuditCheckpointRow> rows;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return rows;
      rows.push_back(CheckpointRowAt(*stmt));
    }
  });
}

Result<std::optional<AuditCheckpointRow>> SqliteBackend::GetLatestAuditCheckpoint(
    std::string_view log_id) {
  return Read([&](Database& db) -> Result<std::optional<AuditCheckpointRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLatestCheckpointSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<AuditCheckpointRow>();
    return std::optional<AuditCheckpointRow>(CheckpointRowAt(*stmt));
  });
}

Result<std::vector<std::string>> SqliteBackend::ListAuditLogs() {
  return Read([&](Database& db) { return sqlite_internal::ListAuditLogIds(db); });
}

Result<void> SqliteBackend::SetTenantSetting(std::string_view tenant_code, std::string_view name,
                                             std::string_view value, std::int64_t set_at) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kSetTenantSettingSql));
      Lease stmt(*raw);
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, name));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, value));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, set_at));
      KOSEKI_RETURN_IF_ERROR(stmt->Run());
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLatestSettingVersionSql));
    Lease latest(*raw);
    KOSEKI_RETURN_IF_ERROR(latest->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(latest->Bind(2, name));
    KOSEKI_ASSIGN_OR_RETURN(const std::int64_t version, QueryInt(*latest));
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] {
      return CommitTenantSetting(tenant_code, name, static_cast<std::uint64_t>(version), value,
                                 set_at);
    });
    return Ok();
  });
}

Result<std::map<std::string, std::string>> SqliteBackend::GetTenantSettings(
    std::string_view tenant_code) {
  return Read([&](Database& db) -> Result<std::map<std::string, std::string>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetTenantSettingsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    std::map<std::string, std::string> settings;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return settings;
      settings.emplace(stmt->ColumnText(0), stmt->ColumnText(1));
    }
  });
}

Result<void> SqliteBackend::InsertCase(std::string_view tenant_code, const CaseRow& row) {
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertCaseSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, row.case_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, row.uketsuke_bango));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, static_cast<std::int64_t>(row.receipt_year)));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(5, row.notification_type));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(6, row.received_at));
    KOSEKI_RETURN_IF_ERROR(RunInsert(*stmt, "case"));
    NoteWrite([&] {
      return CommitCase(tenant_code, row.case_id, row.uketsuke_bango, row.receipt_year,
                        row.notification_type, row.received_at);
    });
    return Ok();
  });
}

Result<std::optional<CaseRow>> SqliteBackend::GetCase(std::string_view tenant_code,
                                                      std::string_view case_id) {
  return Read([&](Database& db) -> Result<std::optional<CaseRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetCaseSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, case_id));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<CaseRow>();
    return std::optional<CaseRow>(CaseRowAt(*stmt));
  });
}

Result<std::vector<CaseRow>> SqliteBackend::ListCases(std::string_view tenant_code,
                                                      const std::optional<CaseCursor>& after,
                                                      std::size_t limit) {
  const auto bound = static_cast<std::int64_t>(std::min<std::uint64_t>(limit, kMaxStored));
  return Read([&](Database& db) -> Result<std::vector<CaseRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw,
                            db.Cached(after ? sql::kListCasesBeforeSql : sql::kListCasesFirstSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    if (after) {
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, after->received_at));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, after->case_id));
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, bound));
    } else {
      KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, bound));
    }
    std::vector<CaseRow> rows;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return rows;
      rows.push_back(CaseRowAt(*stmt));
    }
  });
}

Result<void> SqliteBackend::InsertCaseAction(std::string_view tenant_code, std::string_view case_id,
                                             const CaseActionRow& row) {
  if (row.seq > kMaxStored) return TooLarge("case action seq");
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kCountCaseActionsSql));
      Lease count(*raw);
      KOSEKI_RETURN_IF_ERROR(count->Bind(1, tenant_code));
      KOSEKI_RETURN_IF_ERROR(count->Bind(2, case_id));
      KOSEKI_ASSIGN_OR_RETURN(std::int64_t cases, QueryInt(*count));
      if (cases == 0) return CaseNotFound();
      if (static_cast<std::uint64_t>(count->ColumnInt64(1)) != row.seq) {
        return CaseActionConflict();
      }
    }
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertCaseActionSql));
    Lease insert(*raw);
    KOSEKI_RETURN_IF_ERROR(insert->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(2, case_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(3, static_cast<std::int64_t>(row.seq)));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(4, row.kind));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(5, row.actor_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(6, row.actor_role));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(7, row.at));
    KOSEKI_RETURN_IF_ERROR(insert->BindBlob(8, row.payload));
    KOSEKI_RETURN_IF_ERROR(insert->Run());
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] {
      return CommitCaseAction(tenant_code, case_id, row.seq, row.kind, row.actor_id, row.actor_role,
                              row.at, row.payload);
    });
    return Ok();
  });
}

Result<std::vector<CaseActionRow>> SqliteBackend::ListCaseActions(std::string_view tenant_code,
                                                                  std::string_view case_id) {
  return Read([&](Database& db) -> Result<std::vector<CaseActionRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kListCaseActionsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, case_id));
    std::vector<CaseActionRow> rows;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return rows;
      rows.push_back(CaseActionRow{static_cast<std::uint64_t>(stmt->ColumnInt64(0)),
                                   stmt->ColumnText(1), stmt->ColumnText(2), stmt->ColumnText(3),
                                   stmt->ColumnInt64(4), stmt->ColumnBlob(5)});
    }
  });
}

Result<std::int64_t> SqliteBackend::NextReceiptNumber(std::string_view tenant_code, int year) {
  return Read([&](Database& db) -> Result<std::int64_t> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kNextReceiptNumberSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(year)));
    return QueryInt(*stmt);
  });
}

Result<std::uint64_t> SqliteBackend::InsertObjectVersion(
    std::string_view tenant_code, std::string_view kind, std::string_view object_id,
    std::uint64_t expected_version, ByteView ciphertext, std::int64_t created_at) {
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKey(kind, object_id));
  if (expected_version >= kMaxStored) return TooLarge("expected object version");
  return Write([&](Database& db) -> Result<std::uint64_t> {
    // The check and the write form one unit (TransactionScope::BeginCall).
    KOSEKI_RETURN_IF_ERROR(CheckRecordable());
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::BeginCall(db));
    {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kObjectWriteStateSql));
      Lease state(*raw);
      KOSEKI_RETURN_IF_ERROR(state->Bind(1, tenant_code));
      KOSEKI_RETURN_IF_ERROR(state->Bind(2, kind));
      KOSEKI_RETURN_IF_ERROR(state->Bind(3, object_id));
      KOSEKI_ASSIGN_OR_RETURN(std::int64_t tenants, QueryInt(*state));
      const auto head = static_cast<std::uint64_t>(state->ColumnInt64(1));
      // An unknown tenant falls through to the INSERT, which its foreign key refuses.
      if (tenants > 0 && head != expected_version) {
        return ObjectVersionConflict("object version conflict: expected " +
                                     std::to_string(expected_version) + ", head " +
                                     std::to_string(head));
      }
    }
    const std::uint64_t next = expected_version + 1;
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertObjectVersionSql));
    Lease insert(*raw);
    KOSEKI_RETURN_IF_ERROR(insert->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(2, kind));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(3, object_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(4, static_cast<std::int64_t>(next)));
    KOSEKI_RETURN_IF_ERROR(insert->BindBlob(5, ciphertext));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(6, created_at));
    KOSEKI_RETURN_IF_ERROR(insert->Run());
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
    NoteWrite([&] {
      return CommitObjectVersion(tenant_code, kind, object_id, next, ciphertext, created_at);
    });
    return next;
  });
}

Result<std::optional<ObjectVersionRow>> SqliteBackend::GetObjectHead(std::string_view tenant_code,
                                                                     std::string_view kind,
                                                                     std::string_view object_id) {
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKey(kind, object_id));
  return Read([&](Database& db) -> Result<std::optional<ObjectVersionRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetObjectHeadSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, kind));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, object_id));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<ObjectVersionRow>();
    return std::optional<ObjectVersionRow>(
        ObjectVersionRow{static_cast<std::uint64_t>(stmt->ColumnInt64(0)), stmt->ColumnBlob(1),
                         stmt->ColumnInt64(2)});
  });
}

Result<std::vector<ObjectHeadRow>> SqliteBackend::ListObjectHeads(std::string_view tenant_code,
                                                                  std::string_view kind) {
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKind(kind));
  return Read([&](Database& db) -> Result<std::vector<ObjectHeadRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kListObjectHeadsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, kind));
    std::vector<ObjectHeadRow> rows;
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) return rows;
      rows.push_back(ObjectHeadRow{
          stmt->ColumnText(0), ObjectVersionRow{static_cast<std::uint64_t>(stmt->ColumnInt64(1)),
                                                stmt->ColumnBlob(2), stmt->ColumnInt64(3)}});
    }
  });
}

Result<void> SqliteBackend::PutSession(const SessionRow& row) {
  if (row.token_hash.size() != kSessionTokenHashSize) return TooLarge("session token hash size");
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kPutSessionSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(1, row.token_hash));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, row.tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, row.ciphertext));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, row.expires_at));
    return stmt->Run();
  });
}

Result<std::optional<SessionRow>> SqliteBackend::GetSession(ByteView token_hash) {
  if (token_hash.size() != kSessionTokenHashSize) return std::optional<SessionRow>();
  return Read([&](Database& db) -> Result<std::optional<SessionRow>> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetSessionSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(1, token_hash));
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) return std::optional<SessionRow>();
    return std::optional<SessionRow>(SessionRow{Bytes(token_hash.begin(), token_hash.end()),
                                                stmt->ColumnText(0), stmt->ColumnBlob(1),
                                                stmt->ColumnInt64(2)});
  });
}

Result<void> SqliteBackend::DeleteSession(ByteView token_hash) {
  if (token_hash.size() != kSessionTokenHashSize) return Ok();
  return Write([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kDeleteSessionSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(1, token_hash));
    return stmt->Run();
  });
}

Result<std::uint64_t> SqliteBackend::DeleteExpiredSessions(std::int64_t now) {
  return Write([&](Database& db) -> Result<std::uint64_t> {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kDeleteExpiredSessionsSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, now));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
    return static_cast<std::uint64_t>(db.Changes());
  });
}

Result<void> SqliteBackend::ScanState(const std::function<Result<bool>(const RowCommitment&)>& fn) {
  return Scan([&](Database& db) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db));
    // Runs one table's statement and hands each row's commitment(s) to `fn`; false: stopped.
    const auto scan = [&](std::string_view sql, const auto& commit) -> Result<bool> {
      KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql));
      Lease stmt(*raw);
      while (true) {
        KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
        if (!has_row) return true;
        KOSEKI_ASSIGN_OR_RETURN(bool more, commit(*stmt));
        if (!more) return false;
      }
    };
    const auto u64 = [](const Statement& stmt, int column) {
      return static_cast<std::uint64_t>(stmt.ColumnInt64(column));
    };
    const std::vector<std::pair<std::string_view, std::function<Result<bool>(const Statement&)>>>
        tables = {
            {sql::kStateTenantSql,
             [&](const Statement& row) {
               return fn(CommitTenant(row.ColumnText(0), row.ColumnText(1), row.ColumnInt64(2)));
             }},
            {sql::kStateTenantKeysSql,
             [&](const Statement& row) {
               return fn(CommitTenantKey(row.ColumnText(0), static_cast<std::uint32_t>(u64(row, 1)),
                                         row.ColumnBlobView(2), row.ColumnInt64(3)));
             }},
            {sql::kStateRegistersSql,
             [&](const Statement& row) -> Result<bool> {
               const std::string tenant = row.ColumnText(0);
               const std::string id = row.ColumnText(1);
               KOSEKI_ASSIGN_OR_RETURN(bool more, fn(RegisterHead(tenant, id, u64(row, 2))));
               if (!more) return false;
               return fn(CommitRegister(tenant, id, row.ColumnInt64(3)));
             }},
            {sql::kStateVersionsSql,
             [&](const Statement& row) {
               return fn(CommitRegisterVersion(row.ColumnText(0), row.ColumnText(1), u64(row, 2),
                                               row.ColumnBlobView(3), row.ColumnInt64(4)));
             }},
            {sql::kStateIssuesSql,
             [&](const Statement& row) {
               return fn(CommitCertificateIssue(row.ColumnText(0), row.ColumnInt64(1),
                                                row.ColumnText(2), u64(row, 3),
                                                row.ColumnInt64(4)));
             }},
            {sql::kStateCasesSql,
             [&](const Statement& row) {
               return fn(CommitCase(row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
                                    static_cast<int>(row.ColumnInt64(3)), row.ColumnText(4),
                                    row.ColumnInt64(5)));
             }},
            {sql::kStateCaseActionsSql,
             [&](const Statement& row) {
               return fn(CommitCaseAction(row.ColumnText(0), row.ColumnText(1), u64(row, 2),
                                          row.ColumnText(3), row.ColumnText(4), row.ColumnText(5),
                                          row.ColumnInt64(6), row.ColumnBlobView(7)));
             }},
            {sql::kStateSettingsSql,
             [&](const Statement& row) {
               return fn(CommitTenantSetting(row.ColumnText(0), row.ColumnText(1), u64(row, 2),
                                             row.ColumnText(3), row.ColumnInt64(4)));
             }},
            {sql::kStateObjectsSql,
             [&](const Statement& row) {
               return fn(CommitObjectVersion(row.ColumnText(0), row.ColumnText(1),
                                             row.ColumnText(2), u64(row, 3), row.ColumnBlobView(4),
                                             row.ColumnInt64(5)));
             }},
        };
    for (const auto& [sql, commit] : tables) {
      KOSEKI_ASSIGN_OR_RETURN(bool more, scan(sql, commit));
      if (!more) return Ok();
    }
    return Ok();
  });
}

}  // namespace koseki::store
