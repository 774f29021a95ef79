// SqliteBackend: the embedded default Backend (one municipality on one machine).
//
// One SQLite file in WAL mode with durable commits (synchronous=FULL), secure_delete, foreign
// keys, and the append-only triggers of the schema (migrations.cc, docs/formats.md). The file
// is created with mode 0600 (SQLite gives the -wal and -shm files the same mode).
// Thread-safe: calls are serialized on one connection; InTransaction holds the connection for
// the whole function, so another thread's call waits until the transaction ends. Several
// processes may open the same file (e.g. the CLI next to a server): writers wait on a busy
// timeout and then fail with Unavailable (KSK-STORE-003).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "koseki/store/backend.h"

namespace koseki::store {

namespace sqlite_internal {
class Database;
}

class SqliteBackend final : public Backend {
 public:
  // Opens or creates the database file and applies missing schema migrations.
  static Result<std::unique_ptr<SqliteBackend>> Open(const std::filesystem::path& db_file);
  ~SqliteBackend() override;

  SqliteBackend(const SqliteBackend&) = delete;
  SqliteBackend& operator=(const SqliteBackend&) = delete;

  Result<std::optional<std::string>> GetInstallationValue(std::string_view name) override;
  Result<void> InsertInstallationValue(std::string_view name, std::string_view value) override;
  Result<void> InsertTenant(const TenantRow& tenant) override;
  Result<std::optional<TenantRow>> GetTenant(std::string_view tenant_code) override;
  Result<std::vector<TenantRow>> ListTenants() override;
  Result<void> InsertTenantKey(std::string_view tenant_code, const TenantKeyRow& key) override;
  Result<std::optional<TenantKeyRow>> GetLatestTenantKey(std::string_view tenant_code) override;
  Result<void> InsertRegister(std::string_view tenant_code, std::string_view register_id,
                              std::int64_t created_at) override;
  Result<std::optional<std::uint64_t>> GetHeadVersion(std::string_view tenant_code,
                                                      std::string_view register_id) override;
  Result<std::uint64_t> InsertVersion(std::string_view tenant_code, std::string_view register_id,
                                      std::uint64_t expected_head, ByteView ciphertext,
                                      std::int64_t created_at) override;
  Result<std::optional<VersionRow>> GetVersion(std::string_view tenant_code,
                                               std::string_view register_id,
                                               std::uint64_t version) override;
  Result<std::vector<VersionInfo>> ListVersions(std::string_view tenant_code,
                                                std::string_view register_id) override;
  Result<void> InsertIndexEntries(std::string_view tenant_code, std::string_view register_id,
                                  std::span<const IndexEntry> entries) override;
  Result<std::vector<std::string>> LookupIndex(std::string_view tenant_code,
                                               std::string_view purpose, ByteView blind) override;
  Result<std::int64_t> RecordCertificateIssue(std::string_view tenant_code,
                                              std::string_view register_id, std::uint64_t version,
                                              std::int64_t issued_at) override;
  Result<void> AppendAuditEntry(std::string_view log_id, const AuditEntryRow& entry,
                                std::span<const AuditNodeRow> nodes) override;
  Result<std::optional<AuditEntryRow>> GetLastAuditEntry(std::string_view log_id) override;
  Result<std::optional<AuditEntryRow>> GetAuditEntry(std::string_view log_id,
                                                     std::uint64_t index) override;
  Result<std::optional<Bytes>> GetAuditNode(std::string_view log_id, int level,
                                            std::uint64_t index) override;
  Result<void> ScanAuditEntries(
      std::string_view log_id,
      const std::function<Result<bool>(const AuditEntryView&)>& fn) override;
  Result<void> ScanAuditLog(
      std::string_view log_id, const std::function<Result<bool>(const AuditEntryView&)>& on_entry,
      const std::function<Result<bool>(const AuditNodeView&)>& on_node) override;
  Result<std::uint64_t> AppendAuditCheckpoint(std::string_view log_id, std::uint64_t tree_size,
                                              std::string_view note,
                                              std::int64_t created_at) override;
  Result<std::vector<AuditCheckpointRow>> ListAuditCheckpoints(std::string_view log_id) override;
  Result<std::optional<AuditCheckpointRow>> GetLatestAuditCheckpoint(
      std::string_view log_id) override;
  Result<std::vector<std::string>> ListAuditLogs() override;
  Result<void> SetTenantSetting(std::string_view tenant_code, std::string_view name,
                                std::string_view value, std::int64_t set_at) override;
  Result<std::map<std::string, std::string>> GetTenantSettings(
      std::string_view tenant_code) override;
  Result<void> InsertCase(std::string_view tenant_code, const CaseRow& row) override;
  Result<std::optional<CaseRow>> GetCase(std::string_view tenant_code,
                                         std::string_view case_id) override;
  Result<std::vector<CaseRow>> ListCases(std::string_view tenant_code) override;
  Result<void> InsertCaseAction(std::string_view tenant_code, std::string_view case_id,
                                const CaseActionRow& row) override;
  Result<std::vector<CaseActionRow>> ListCaseActions(std::string_view tenant_code,
                                                     std::string_view case_id) override;
  Result<std::int64_t> NextReceiptNumber(std::string_view tenant_code, int year) override;
  Result<void> InTransaction(const std::function<Result<void>()>& fn) override;
  bool InTransactionOnThisThread() override;

  // Returns the applied schema version (for `koseki status` and tests).
  Result<std::int64_t> SchemaVersion();

 private:
  struct Statements;
  SqliteBackend(std::unique_ptr<sqlite_internal::Database> db,
                std::unique_ptr<Statements> statements);

  std::recursive_mutex mutex_;
  std::unique_ptr<sqlite_internal::Database> db_;
  std::unique_ptr<Statements> stmts_;  // prepared once; destroyed before db_
};

}  // namespace koseki::store
