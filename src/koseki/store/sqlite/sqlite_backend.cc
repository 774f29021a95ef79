#include "koseki/store/sqlite/sqlite_backend.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "koseki/store/sqlite/internal/sqlite.h"
#include "koseki/store/sqlite/migrations.h"

namespace koseki::store {

using sqlite_internal::Database;
using sqlite_internal::Statement;
using sqlite_internal::Transaction;

// Every statement the backend runs, prepared once at open (the bulk import path runs them
// hundreds of thousands of times). Values are always bound, never part of the SQL text.
struct SqliteBackend::Statements {
  Statement get_installation;
  Statement insert_installation;
  Statement insert_tenant;
  Statement get_tenant;
  Statement list_tenants;
  Statement insert_tenant_key;
  Statement latest_tenant_key;
  Statement insert_register;
  Statement get_head;
  Statement insert_version;
  Statement advance_head;
  Statement get_version;
  Statement list_versions;
  Statement insert_index;
  Statement lookup_index;
  // The audit append path (one entry, about one node, per call).
  Statement insert_audit_entry;
  Statement insert_audit_node;
  Statement last_audit_entry;
  Statement get_audit_leaf;
  Statement get_audit_node;
};

namespace {

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

bool IsUniqueViolation(const Error& error) {
  // SqliteError maps every constraint failure to KSK-STORE-006; tell a duplicate key apart
  // from other refusals by the message: SQLite's own for a key, or the schema's triggers that
  // refuse INSERT OR REPLACE over an existing key ("... already exists").
  return error.id == "KSK-STORE-006" &&
         (error.internal_detail.find("UNIQUE constraint failed") != std::string::npos ||
          error.internal_detail.find("already exists") != std::string::npos);
}

Error AlreadyExists(std::string_view what) {
  return MakeError(ErrorCode::kAlreadyExists, "KSK-STORE-014",
                   "同じ識別子がすでに登録されています。", std::string(what) + " already exists");
}

Error TooLarge(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-019", "指定された値が不正です。",
                   std::string(what) + " out of range");
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::filesystem::path& db_file) {
  // Create the file ourselves with 0600 before SQLite does (SQLite would use 0644 minus umask);
  // SQLite then gives the -wal and -shm files the same mode.
  const int fd = ::open(db_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable, "KSK-STORE-001", "データベースファイルを開けません。",
                     std::string("create database file: ") + std::strerror(errno));
  }
  ::close(fd);
  KOSEKI_ASSIGN_OR_RETURN(Database db, Database::Open(db_file));
  return std::make_unique<Database>(std::move(db));
}

}  // namespace

SqliteBackend::SqliteBackend(std::unique_ptr<Database> db, std::unique_ptr<Statements> statements)
    : db_(std::move(db)), stmts_(std::move(statements)) {}

SqliteBackend::~SqliteBackend() = default;

Result<std::unique_ptr<SqliteBackend>> SqliteBackend::Open(const std::filesystem::path& db_file) {
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase(db_file));
  KOSEKI_RETURN_IF_ERROR(sqlite_internal::Migrate(*db));

  auto prepare = [&db](std::string_view sql) { return db->Prepare(sql); };
  KOSEKI_ASSIGN_OR_RETURN(Statement get_installation,
                          prepare("SELECT value FROM installation WHERE name = ?1"));
  KOSEKI_ASSIGN_OR_RETURN(Statement insert_installation,
                          prepare("INSERT INTO installation (name, value) VALUES (?1, ?2)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert_tenant,
      prepare("INSERT INTO tenants (tenant_code, name, created_at) VALUES (?1, ?2, ?3)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement get_tenant,
      prepare("SELECT tenant_code, name, created_at FROM tenants WHERE tenant_code = ?1"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement list_tenants,
      prepare("SELECT tenant_code, name, created_at FROM tenants ORDER BY tenant_code"));
  KOSEKI_ASSIGN_OR_RETURN(Statement insert_tenant_key,
                          prepare("INSERT INTO tenant_keys (tenant_code, key_version, wrapped, "
                                  "created_at) VALUES (?1, ?2, ?3, ?4)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement latest_tenant_key,
      prepare("SELECT key_version, wrapped, created_at FROM tenant_keys WHERE tenant_code = ?1 "
              "ORDER BY key_version DESC LIMIT 1"));
  KOSEKI_ASSIGN_OR_RETURN(Statement insert_register,
                          prepare("INSERT INTO registers (tenant_code, register_id, head_version, "
                                  "created_at) VALUES (?1, ?2, 0, ?3)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement get_head,
      prepare("SELECT head_version FROM registers WHERE tenant_code = ?1 AND register_id = ?2"));
  KOSEKI_ASSIGN_OR_RETURN(Statement insert_version,
                          prepare("INSERT INTO register_versions (tenant_code, register_id, "
                                  "version, ciphertext, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement advance_head,
      prepare("UPDATE registers SET head_version = ?3 WHERE tenant_code = ?1 AND register_id = ?2 "
              "AND head_version = ?4"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement get_version,
      prepare("SELECT ciphertext, created_at FROM register_versions WHERE tenant_code = ?1 AND "
              "register_id = ?2 AND version = ?3"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement list_versions,
      prepare("SELECT version, created_at FROM register_versions WHERE tenant_code = ?1 AND "
              "register_id = ?2 ORDER BY version"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert_index,
      prepare("INSERT INTO register_index (tenant_code, purpose, blind, register_id) VALUES "
              "(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement lookup_index,
      prepare("SELECT DISTINCT register_id FROM register_index WHERE tenant_code = ?1 AND "
              "purpose = ?2 AND blind = ?3 ORDER BY register_id"));

  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert_audit_entry,
      prepare("INSERT INTO audit_entries (log_id, entry_index, entry, leaf_hash) VALUES "
              "(?1, ?2, ?3, ?4)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert_audit_node,
      prepare("INSERT INTO audit_nodes (log_id, level, node_index, hash) VALUES (?1, ?2, ?3, ?4)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement last_audit_entry,
      prepare("SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
              "ORDER BY entry_index DESC LIMIT 1"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement get_audit_leaf,
      prepare("SELECT leaf_hash FROM audit_entries WHERE log_id = ?1 AND entry_index = ?2"));
  KOSEKI_ASSIGN_OR_RETURN(
      Statement get_audit_node,
      prepare("SELECT hash FROM audit_nodes WHERE log_id = ?1 AND level = ?2 AND "
              "node_index = ?3"));

  auto statements = std::unique_ptr<Statements>(new Statements{
      std::move(get_installation),   std::move(insert_installation), std::move(insert_tenant),
      std::move(get_tenant),         std::move(list_tenants),        std::move(insert_tenant_key),
      std::move(latest_tenant_key),  std::move(insert_register),     std::move(get_head),
      std::move(insert_version),     std::move(advance_head),        std::move(get_version),
      std::move(list_versions),      std::move(insert_index),        std::move(lookup_index),
      std::move(insert_audit_entry), std::move(insert_audit_node),   std::move(last_audit_entry),
      std::move(get_audit_leaf),     std::move(get_audit_node)});
  return std::unique_ptr<SqliteBackend>(new SqliteBackend(std::move(db), std::move(statements)));
}

Result<std::int64_t> SqliteBackend::SchemaVersion() {
  std::lock_guard lock(mutex_);
  return sqlite_internal::SchemaVersion(*db_);
}

Result<std::optional<std::string>> SqliteBackend::GetInstallationValue(std::string_view name) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->get_installation);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, name));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

Result<void> SqliteBackend::InsertInstallationValue(std::string_view name, std::string_view value) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->insert_installation);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, name));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, value));
  if (auto run = stmt->Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists("installation value");
    return run;
  }
  return Ok();
}

Result<void> SqliteBackend::InsertTenant(const TenantRow& tenant) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->insert_tenant);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant.tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, tenant.name));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, tenant.created_at));
  if (auto run = stmt->Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists("tenant");
    return run;
  }
  return Ok();
}

Result<std::optional<TenantRow>> SqliteBackend::GetTenant(std::string_view tenant_code) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->get_tenant);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<TenantRow>();
  return std::optional<TenantRow>(
      TenantRow{stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnInt64(2)});
}

Result<std::vector<TenantRow>> SqliteBackend::ListTenants() {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->list_tenants);
  std::vector<TenantRow> tenants;
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) break;
    tenants.push_back(TenantRow{stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnInt64(2)});
  }
  return tenants;
}

Result<void> SqliteBackend::InsertTenantKey(std::string_view tenant_code, const TenantKeyRow& key) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->insert_tenant_key);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(key.key_version)));
  KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, key.wrapped));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, key.created_at));
  if (auto run = stmt->Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists("tenant key version");
    return run;
  }
  return Ok();
}

Result<std::optional<TenantKeyRow>> SqliteBackend::GetLatestTenantKey(
    std::string_view tenant_code) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->latest_tenant_key);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<TenantKeyRow>();
  return std::optional<TenantKeyRow>(TenantKeyRow{static_cast<std::uint32_t>(stmt->ColumnInt64(0)),
                                                  stmt->ColumnBlob(1), stmt->ColumnInt64(2)});
}

Result<void> SqliteBackend::InsertRegister(std::string_view tenant_code,
                                           std::string_view register_id, std::int64_t created_at) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->insert_register);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, created_at));
  if (auto run = stmt->Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists("register");
    return run;
  }
  return Ok();
}

Result<std::optional<std::uint64_t>> SqliteBackend::GetHeadVersion(std::string_view tenant_code,
                                                                   std::string_view register_id) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->get_head);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(stmt->ColumnInt64(0)));
}

Result<std::uint64_t> SqliteBackend::InsertVersion(std::string_view tenant_code,
                                                   std::string_view register_id,
                                                   std::uint64_t expected_head, ByteView ciphertext,
                                                   std::int64_t created_at) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (expected_head >= kMax) return TooLarge("expected version");
  std::lock_guard lock(mutex_);
  // The check and the two writes form one unit; inside InTransaction this is a savepoint.
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::uint64_t> head,
                          GetHeadVersion(tenant_code, register_id));
  if (!head) {
    return MakeError(ErrorCode::kNotFound, "KSK-STORE-011", "指定された戸籍が見つかりません。",
                     "register not found");
  }
  if (*head != expected_head) {
    return MakeError(
        ErrorCode::kAborted, "KSK-STORE-010",
        "この戸籍は他の処理によって更新されています。最新の内容を確認してやり直してください。",
        "version conflict: expected " + std::to_string(expected_head) + ", head " +
            std::to_string(*head));
  }
  const auto expected = static_cast<std::int64_t>(expected_head);
  const std::int64_t next = expected + 1;
  {
    Lease stmt(stmts_->insert_version);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, next));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(4, ciphertext));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(5, created_at));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
  }
  {
    Lease stmt(stmts_->advance_head);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, next));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, expected));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
    if (db_->Changes() != 1) {
      return MakeError(
          ErrorCode::kAborted, "KSK-STORE-010",
          "この戸籍は他の処理によって更新されています。最新の内容を確認してやり直してください。",
          "version conflict while advancing head");
    }
  }
  KOSEKI_RETURN_IF_ERROR(tx.Commit());
  return static_cast<std::uint64_t>(next);
}

Result<std::optional<VersionRow>> SqliteBackend::GetVersion(std::string_view tenant_code,
                                                            std::string_view register_id,
                                                            std::uint64_t version) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (version > kMax) return std::optional<VersionRow>();
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->get_version);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(version)));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<VersionRow>();
  return std::optional<VersionRow>(VersionRow{version, stmt->ColumnBlob(0), stmt->ColumnInt64(1)});
}

Result<std::vector<VersionInfo>> SqliteBackend::ListVersions(std::string_view tenant_code,
                                                             std::string_view register_id) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->list_versions);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, register_id));
  std::vector<VersionInfo> versions;
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) break;
    versions.push_back(
        VersionInfo{static_cast<std::uint64_t>(stmt->ColumnInt64(0)), stmt->ColumnInt64(1)});
  }
  return versions;
}

Result<void> SqliteBackend::InsertIndexEntries(std::string_view tenant_code,
                                               std::string_view register_id,
                                               std::span<const IndexEntry> entries) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  for (const IndexEntry& entry : entries) {
    Lease stmt(stmts_->insert_index);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, entry.purpose));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, entry.blind));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(4, register_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
  }
  return tx.Commit();
}

Result<std::vector<std::string>> SqliteBackend::LookupIndex(std::string_view tenant_code,
                                                            std::string_view purpose,
                                                            ByteView blind) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->lookup_index);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, purpose));
  KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(3, blind));
  std::vector<std::string> ids;
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) break;
    ids.push_back(stmt->ColumnText(0));
  }
  return ids;
}

Result<std::int64_t> SqliteBackend::RecordCertificateIssue(std::string_view tenant_code,
                                                           std::string_view register_id,
                                                           std::uint64_t version,
                                                           std::int64_t issued_at) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  KOSEKI_ASSIGN_OR_RETURN(Statement next,
                          db_->Prepare("SELECT coalesce(max(issue_number), 0) + 1 FROM "
                                       "certificate_issues WHERE tenant_code = ?1"));
  KOSEKI_RETURN_IF_ERROR(next.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(next.Step());
  const std::int64_t number = next.ColumnInt64(0);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO certificate_issues (tenant_code, issue_number, register_id, "
                   "version, issued_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(2, number));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(3, register_id));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(4, static_cast<std::int64_t>(version)));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(5, issued_at));
  KOSEKI_RETURN_IF_ERROR(insert.Run());
  KOSEKI_RETURN_IF_ERROR(tx.Commit());
  return number;
}

namespace {

constexpr auto kMaxStoredIndex =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

Error AuditOutOfSequence(std::string detail) {
  return MakeError(ErrorCode::kAborted, "KSK-STORE-024",
                   "監査ログへの記録が他の処理と競合しました。もう一度実行してください。",
                   std::move(detail));
}

constexpr std::string_view kScanEntriesSql =
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
    "ORDER BY entry_index";

AuditEntryView EntryViewAt(const Statement& stmt) {
  return {static_cast<std::uint64_t>(stmt.ColumnInt64(0)), stmt.ColumnBlobView(1),
          stmt.ColumnBlobView(2)};
}

AuditEntryRow EntryRowAt(Statement& stmt) {
  return AuditEntryRow{static_cast<std::uint64_t>(stmt.ColumnInt64(0)), stmt.ColumnBlob(1),
                       stmt.ColumnBlob(2)};
}

AuditCheckpointRow CheckpointRowAt(Statement& stmt) {
  return AuditCheckpointRow{static_cast<std::uint64_t>(stmt.ColumnInt64(0)),
                            static_cast<std::uint64_t>(stmt.ColumnInt64(1)), stmt.ColumnText(2),
                            stmt.ColumnInt64(3)};
}

}  // namespace

Result<void> SqliteBackend::AppendAuditEntry(std::string_view log_id, const AuditEntryRow& entry,
                                             std::span<const AuditNodeRow> nodes) {
  if (entry.index >= kMaxStoredIndex) return TooLarge("audit entry index");
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  {
    Lease stmt(stmts_->insert_audit_entry);
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
  for (const AuditNodeRow& node : nodes) {
    if (node.index >= kMaxStoredIndex) return TooLarge("audit node index");
    Lease stmt(stmts_->insert_audit_node);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(node.level)));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(node.index)));
    KOSEKI_RETURN_IF_ERROR(stmt->BindBlob(4, node.hash));
    KOSEKI_RETURN_IF_ERROR(stmt->Run());
  }
  return tx.Commit();
}

Result<std::optional<AuditEntryRow>> SqliteBackend::GetLastAuditEntry(std::string_view log_id) {
  std::lock_guard lock(mutex_);
  Lease stmt(stmts_->last_audit_entry);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<AuditEntryRow>();
  return std::optional<AuditEntryRow>(EntryRowAt(*stmt));
}

Result<std::optional<AuditEntryRow>> SqliteBackend::GetAuditEntry(std::string_view log_id,
                                                                  std::uint64_t index) {
  if (index >= kMaxStoredIndex) return std::optional<AuditEntryRow>();
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
                   "AND entry_index = ?2"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, static_cast<std::int64_t>(index)));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<AuditEntryRow>();
  return std::optional<AuditEntryRow>(EntryRowAt(stmt));
}

Result<std::optional<Bytes>> SqliteBackend::GetAuditNode(std::string_view log_id, int level,
                                                         std::uint64_t index) {
  if (index >= kMaxStoredIndex || level < 0) return std::optional<Bytes>();
  std::lock_guard lock(mutex_);
  Lease stmt(level == 0 ? stmts_->get_audit_leaf : stmts_->get_audit_node);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  if (level == 0) {
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(index)));
  } else {
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, static_cast<std::int64_t>(level)));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, static_cast<std::int64_t>(index)));
  }
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return std::optional<Bytes>();
  return std::optional<Bytes>(stmt->ColumnBlob(0));
}

Result<void> SqliteBackend::ScanAuditEntries(
    std::string_view log_id, const std::function<Result<bool>(const AuditEntryView&)>& fn) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kScanEntriesSql));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, log_id));
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Ok();
    KOSEKI_ASSIGN_OR_RETURN(bool more, fn(EntryViewAt(stmt)));
    if (!more) return Ok();
  }
}

Result<void> SqliteBackend::ScanAuditLog(
    std::string_view log_id, const std::function<Result<bool>(const AuditEntryView&)>& on_entry,
    const std::function<Result<bool>(const AuditNodeView&)>& on_node) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Statement entries, db_->Prepare(kScanEntriesSql));
  KOSEKI_RETURN_IF_ERROR(entries.Bind(1, log_id));
  KOSEKI_ASSIGN_OR_RETURN(Statement nodes,
                          db_->Prepare("SELECT level, node_index, hash FROM audit_nodes WHERE "
                                       "log_id = ?1 ORDER BY level, node_index"));
  KOSEKI_RETURN_IF_ERROR(nodes.Bind(1, log_id));
  // One row of each in turn: a caller that works on the entries on another thread gets them
  // at an even pace instead of waiting idle while the nodes are read. The entry statement
  // starts while the node statement is open, so in autocommit mode both run in one read
  // transaction and see one snapshot; when there are no nodes it may see a later one, which
  // only adds entries (a node is never stored before its entries).
  bool entries_done = false;
  bool nodes_done = false;
  while (!entries_done || !nodes_done) {
    if (!nodes_done) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, nodes.Step());
      if (has_row) {
        const AuditNodeView node{static_cast<int>(nodes.ColumnInt64(0)),
                                 static_cast<std::uint64_t>(nodes.ColumnInt64(1)),
                                 nodes.ColumnBlobView(2)};
        KOSEKI_ASSIGN_OR_RETURN(bool more, on_node(node));
        if (!more) return Ok();
      } else {
        nodes_done = true;
      }
    }
    if (!entries_done) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, entries.Step());
      if (has_row) {
        KOSEKI_ASSIGN_OR_RETURN(bool more, on_entry(EntryViewAt(entries)));
        if (!more) return Ok();
      } else {
        entries_done = true;
      }
    }
  }
  return Ok();
}

Result<std::uint64_t> SqliteBackend::AppendAuditCheckpoint(std::string_view log_id,
                                                           std::uint64_t tree_size,
                                                           std::string_view note,
                                                           std::int64_t created_at) {
  if (tree_size >= kMaxStoredIndex) return TooLarge("checkpoint tree size");
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  KOSEKI_ASSIGN_OR_RETURN(Statement next,
                          db_->Prepare("SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoints "
                                       "WHERE log_id = ?1"));
  KOSEKI_RETURN_IF_ERROR(next.Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(next.Step());
  const std::int64_t seq = next.ColumnInt64(0);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO audit_checkpoints (log_id, seq, tree_size, note, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)"));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(2, seq));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(3, static_cast<std::int64_t>(tree_size)));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(4, note));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(5, created_at));
  KOSEKI_RETURN_IF_ERROR(insert.Run());
  KOSEKI_RETURN_IF_ERROR(tx.Commit());
  return static_cast<std::uint64_t>(seq);
}

Result<std::vector<AuditCheckpointRow>> SqliteBackend::ListAuditCheckpoints(
    std::string_view log_id) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db_->Prepare("SELECT seq, tree_size, note, created_at FROM "
                                       "audit_checkpoints WHERE log_id = ?1 ORDER BY seq"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, log_id));
  std::vector<AuditCheckpointRow> rows;
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    rows.push_back(CheckpointRowAt(stmt));
  }
  return rows;
}

Result<std::optional<AuditCheckpointRow>> SqliteBackend::GetLatestAuditCheckpoint(
    std::string_view log_id) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT seq, tree_size, note, created_at FROM audit_checkpoints WHERE "
                   "log_id = ?1 ORDER BY seq DESC LIMIT 1"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, log_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<AuditCheckpointRow>();
  return std::optional<AuditCheckpointRow>(CheckpointRowAt(stmt));
}

Result<std::vector<std::string>> SqliteBackend::ListAuditLogs() {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db_->Prepare("SELECT log_id FROM audit_entries UNION SELECT log_id "
                                       "FROM audit_checkpoints ORDER BY 1"));
  std::vector<std::string> logs;
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    logs.push_back(stmt.ColumnText(0));
  }
  return logs;
}

namespace {

CaseRow ReadCaseRow(const Statement& stmt) {
  return CaseRow{stmt.ColumnText(0), stmt.ColumnText(1), static_cast<int>(stmt.ColumnInt64(2)),
                 stmt.ColumnText(3), stmt.ColumnInt64(4)};
}

constexpr std::string_view kCaseColumns =
    "case_id, uketsuke_bango, receipt_year, notification_type, received_at";

}  // namespace

Result<void> SqliteBackend::SetTenantSetting(std::string_view tenant_code, std::string_view name,
                                             std::string_view value, std::int64_t set_at) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("INSERT INTO tenant_settings (tenant_code, name, version, value, set_at) "
                   "SELECT ?1, ?2, coalesce(max(version), 0) + 1, ?3, ?4 FROM tenant_settings "
                   "WHERE tenant_code = ?1 AND name = ?2"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, name));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(3, value));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(4, set_at));
  return stmt.Run();
}

Result<std::map<std::string, std::string>> SqliteBackend::GetTenantSettings(
    std::string_view tenant_code) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT name, value FROM tenant_settings s WHERE tenant_code = ?1 AND version "
                   "= (SELECT max(version) FROM tenant_settings WHERE tenant_code = s.tenant_code "
                   "AND name = s.name)"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  std::map<std::string, std::string> settings;
  for (;;) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    settings.emplace(stmt.ColumnText(0), stmt.ColumnText(1));
  }
  return settings;
}

Result<void> SqliteBackend::InsertCase(std::string_view tenant_code, const CaseRow& row) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("INSERT INTO cases (tenant_code, case_id, uketsuke_bango, receipt_year, "
                   "notification_type, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, row.case_id));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(3, row.uketsuke_bango));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(4, static_cast<std::int64_t>(row.receipt_year)));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(5, row.notification_type));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(6, row.received_at));
  if (auto run = stmt.Run(); !run) {
    if (IsUniqueViolation(run.error())) return AlreadyExists("case");
    return run;
  }
  return Ok();
}

Result<std::optional<CaseRow>> SqliteBackend::GetCase(std::string_view tenant_code,
                                                      std::string_view case_id) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db_->Prepare("SELECT " + std::string(kCaseColumns) +
                                       " FROM cases WHERE tenant_code = ?1 AND case_id = ?2"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, case_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<CaseRow>();
  return std::optional<CaseRow>(ReadCaseRow(stmt));
}

Result<std::vector<CaseRow>> SqliteBackend::ListCases(std::string_view tenant_code) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT " + std::string(kCaseColumns) +
                   " FROM cases WHERE tenant_code = ?1 ORDER BY received_at, rowid"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  std::vector<CaseRow> rows;
  for (;;) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    rows.push_back(ReadCaseRow(stmt));
  }
  return rows;
}

Result<void> SqliteBackend::InsertCaseAction(std::string_view tenant_code, std::string_view case_id,
                                             const CaseActionRow& row) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  KOSEKI_ASSIGN_OR_RETURN(Statement count,
                          db_->Prepare("SELECT (SELECT count(*) FROM cases WHERE tenant_code = ?1 "
                                       "AND case_id = ?2), (SELECT count(*) FROM case_actions "
                                       "WHERE tenant_code = ?1 AND case_id = ?2)"));
  KOSEKI_RETURN_IF_ERROR(count.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(count.Bind(2, case_id));
  KOSEKI_RETURN_IF_ERROR(count.Step());
  if (count.ColumnInt64(0) == 0) {
    return MakeError(ErrorCode::kNotFound, "KSK-CASE-021", "指定された事件は見つかりません。",
                     "case not found in tenant");
  }
  if (static_cast<std::uint64_t>(count.ColumnInt64(1)) != row.seq) {
    return MakeError(ErrorCode::kAborted, "KSK-CASE-020",
                     "この事件は他の操作で更新されています。最新の状態を確認してください。",
                     "case action conflict");
  }
  KOSEKI_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO case_actions (tenant_code, case_id, seq, kind, actor_id, "
                   "actor_role, at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(2, case_id));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(3, static_cast<std::int64_t>(row.seq)));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(4, row.kind));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(5, row.actor_id));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(6, row.actor_role));
  KOSEKI_RETURN_IF_ERROR(insert.Bind(7, row.at));
  KOSEKI_RETURN_IF_ERROR(insert.BindBlob(8, row.payload));
  KOSEKI_RETURN_IF_ERROR(insert.Run());
  return tx.Commit();
}

Result<std::vector<CaseActionRow>> SqliteBackend::ListCaseActions(std::string_view tenant_code,
                                                                  std::string_view case_id) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT seq, kind, actor_id, actor_role, at, payload FROM case_actions "
                   "WHERE tenant_code = ?1 AND case_id = ?2 ORDER BY seq"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, case_id));
  std::vector<CaseActionRow> rows;
  for (;;) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    rows.push_back(CaseActionRow{static_cast<std::uint64_t>(stmt.ColumnInt64(0)),
                                 stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnText(3),
                                 stmt.ColumnInt64(4), stmt.ColumnBlob(5)});
  }
  return rows;
}

Result<std::int64_t> SqliteBackend::NextReceiptNumber(std::string_view tenant_code, int year) {
  std::lock_guard lock(mutex_);
  // Cases are never deleted, so the count of the year's cases is its last number.
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db_->Prepare("SELECT count(*) + 1 FROM cases WHERE tenant_code = ?1 "
                                       "AND receipt_year = ?2"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, tenant_code));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(2, static_cast<std::int64_t>(year)));
  KOSEKI_RETURN_IF_ERROR(stmt.Step());
  return stmt.ColumnInt64(0);
}

Result<void> SqliteBackend::InTransaction(const std::function<Result<void>()>& fn) {
  std::lock_guard lock(mutex_);
  KOSEKI_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  KOSEKI_RETURN_IF_ERROR(fn());
  return tx.Commit();
}

bool SqliteBackend::InTransactionOnThisThread() {
  // Another thread inside a transaction holds the mutex until it ends, so once we have the
  // lock an open transaction can only be this thread's.
  std::lock_guard lock(mutex_);
  return db_->InTransaction();
}

}  // namespace koseki::store
