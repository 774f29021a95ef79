// SqliteBackend: the embedded default Backend (one municipality on one machine).
//
// One SQLite file in WAL mode with durable commits (synchronous=FULL), secure_delete, foreign
// keys, and the append-only triggers of the schema (migrations.cc, docs/formats.md). The file
// is created with mode 0600 (SQLite gives the -wal and -shm files the same mode).
//
// Connections: one writer connection, held by one thread at a time — the thread whose
// transaction (BeginWrite) is open, or a single write call; other threads' writes wait for it
// (in this process for their turn, first come first served; across processes on SQLite's busy
// timeout, then Unavailable KSK-STORE-003). Transactions that commit while others wait for the
// writer commit together, with one flush of the disk (group commit: internal/writer_turns.h);
// each Commit still returns only once its transaction is durable; an InTransaction waiting for
// the writer hands its function to the thread that holds it. Reads from a thread that does
// not hold the writer run on reader connections: read-only, opened lazily and pooled (at most
// kMaxIdleReaders kept open), each read call one snapshot of committed state — WAL lets them
// proceed while a write transaction is open. Reads of the thread holding the writer run on the
// writer, so they see its own uncommitted writes. Several processes may open the same file (e.g.
// the CLI next to a server). The WAL is copied back into the database on a thread of the
// backend, not by the commits (internal/checkpointer.h).
//
// Thread-safe, under the rules of Backend (a Transaction handle stays on its thread).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "koseki/store/backend.h"

namespace koseki::store {

namespace sqlite_internal {
class Checkpointer;
class Database;
class WriterTurns;
}  // namespace sqlite_internal

class SqliteBackend final : public Backend {
 public:
  // How many idle reader connections of each kind are kept open (more are opened when needed,
  // and closed when returned beyond this count): as many as threads may read at once — the
  // server's request threads — since a reader opened anew costs more than most reads (the
  // schema parsed, statements prepared, a cold page cache).
  static constexpr std::size_t kMaxIdleReaders = 64;

  // Opens or creates the database file and applies missing schema migrations.
  static Result<std::unique_ptr<SqliteBackend>> Open(const std::filesystem::path& db_file);
  // Opens an existing database file for reading only (the audit commands): nothing is created
  // or migrated, and every write fails. A file the caller may not write beside (an auditor's
  // read-only copy, where SQLite cannot make its -shm file) is opened immutable: then nothing
  // may write it while it is open.
  static Result<std::unique_ptr<SqliteBackend>> OpenReadOnly(const std::filesystem::path& db_file);
  ~SqliteBackend() override;

  SqliteBackend(const SqliteBackend&) = delete;
  SqliteBackend& operator=(const SqliteBackend&) = delete;

  Result<std::unique_ptr<Transaction>> BeginWrite() override;
  // The outermost transaction is handed to the thread holding the writer, if one does
  // (WriterTurns::Run): no thread wakes between two transactions of a group.
  Result<void> InTransaction(const std::function<Result<void>()>& fn) override;
  // A bulk load writes through a rollback journal and a large page cache instead of the WAL:
  // one transaction's WAL grows as large as everything it writes (an import of a million
  // registers needed twice the database's size on disk and wrote it five times), while a
  // rollback journal holds only the pages that existed before and were changed. SQLite changes
  // the journal mode only while no other connection has the file open: if another process has
  // (a running server), the load runs in WAL mode as any transaction, and says so in the log.
  // A crash during the load leaves a hot journal, which the next open rolls back.
  Result<std::unique_ptr<BulkLoad>> BeginBulkLoad() override;
  // The same with a page cache of `cache_kib` (tests: a small cache, so that pages reach the
  // file before the commit).
  Result<std::unique_ptr<BulkLoad>> BeginBulkLoad(std::int64_t cache_kib);
  Result<std::uint64_t> ChangeStamp() override;
  bool InTransactionOnThisThread() override;

  Result<std::optional<std::string>> GetInstallationValue(std::string_view name) override;
  Result<void> InsertInstallationValue(std::string_view name, std::string_view value) override;
  Result<void> InsertTenant(const TenantRow& tenant) override;
  Result<std::optional<TenantRow>> GetTenant(std::string_view tenant_code) override;
  Result<std::vector<TenantRow>> ListTenants() override;
  Result<void> InsertTenantKey(std::string_view tenant_code, const TenantKeyRow& key) override;
  Result<std::optional<TenantKeyRow>> GetLatestTenantKey(std::string_view tenant_code) override;
  Result<void> InsertRegister(std::string_view tenant_code, std::string_view register_id,
                              std::int64_t created_at) override;
  Result<void> CreateRegister(std::string_view tenant_code, std::string_view register_id,
                              ByteView ciphertext, std::int64_t created_at,
                              std::span<const IndexEntry> entries) override;
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
  Result<std::vector<Bytes>> GetAuditHashes(std::string_view log_id, int level, std::uint64_t first,
                                            std::uint64_t count) override;
  Result<void> ScanAuditEntries(
      std::string_view log_id, std::uint64_t from,
      const std::function<Result<bool>(const AuditEntryView&)>& fn) override;
  Result<void> ScanAuditEntriesOf(
      std::string_view log_id, std::string_view object_id,
      const std::function<Result<bool>(const AuditEntryView&)>& fn) override;
  Result<bool> IndexAuditObjects(
      const std::function<std::string(std::span<const std::uint8_t> entry)>& object_of) override;
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
  Result<std::vector<CaseRow>> ListCases(std::string_view tenant_code,
                                         const std::optional<CaseCursor>& after,
                                         std::size_t limit) override;
  Result<void> InsertCaseAction(std::string_view tenant_code, std::string_view case_id,
                                const CaseActionRow& row) override;
  Result<std::vector<CaseActionRow>> ListCaseActions(std::string_view tenant_code,
                                                     std::string_view case_id) override;
  Result<std::int64_t> NextReceiptNumber(std::string_view tenant_code, int year) override;
  Result<std::uint64_t> InsertObjectVersion(std::string_view tenant_code, std::string_view kind,
                                            std::string_view object_id,
                                            std::uint64_t expected_version, ByteView ciphertext,
                                            std::int64_t created_at) override;
  Result<std::optional<ObjectVersionRow>> GetObjectHead(std::string_view tenant_code,
                                                        std::string_view kind,
                                                        std::string_view object_id) override;
  Result<std::vector<ObjectHeadRow>> ListObjectHeads(std::string_view tenant_code,
                                                     std::string_view kind) override;
  Result<void> PutSession(const SessionRow& row) override;
  Result<std::optional<SessionRow>> GetSession(ByteView token_hash) override;
  Result<void> DeleteSession(ByteView token_hash) override;
  Result<std::uint64_t> DeleteExpiredSessions(std::int64_t now) override;

  std::vector<RowCommitment> TakeWrites(std::string_view tenant_code) override;
  void RequireRecordedWrites() override;
  Result<void> ScanState(const std::function<Result<bool>(const RowCommitment&)>& fn) override;

  // Returns the applied schema version (for `koseki status` and tests).
  Result<std::int64_t> SchemaVersion();
  // Returns how many reader connections are open and idle (for tests).
  std::size_t IdleReaders();
  // Committed transactions and the COMMITs that made them durable since Open: with group
  // commit, one COMMIT may serve several transactions (for benchmarks and tests).
  struct CommitCounts {
    std::uint64_t transactions = 0;
    std::uint64_t commits = 0;
  };
  CommitCounts Commits() const;
  // Threads waiting for their turn at the writer (for monitoring and tests).
  std::size_t WritersWaiting() const;
  // Waits until no WAL checkpoint is due or running (tests, benchmarks); returns how many have
  // run since Open.
  std::uint64_t SettleCheckpoints();

 private:
  class WriteTransaction;
  class WriterLease;
  class SqliteBulkLoad;
  // The page cache of a bulk load, and of every other use of the writer (SQLite's default).
  // A load inserts into indexes with random keys (blind indexes, register ids: about 530 bytes
  // a register); below this they stay cached up to about two million registers instead of
  // being evicted and re-read with every chunk. SQLite allocates the pages only as it uses them.
  static constexpr std::int64_t kBulkCacheKiB = 1024 * 1024;
  static constexpr std::int64_t kCacheKiB = 2000;

  SqliteBackend(std::filesystem::path file, std::unique_ptr<sqlite_internal::Database> writer);

  bool HoldsWriter() const;
  // Runs `fn` on the writer connection, taking the writer for the call unless this thread
  // holds it already.
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Database&>()));
  // Runs `fn` on the writer if this thread holds it, else on a pooled reader connection.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Database&>()));
  // Read for a call that reads many rows: on a reader of a pool of their own, which map the
  // file from the start (a read() and a copy less per page; see Database::OpenReadOnly for
  // why the other readers map only while the file stands still).
  template <typename Fn>
  auto Scan(Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Database&>()));
  enum class ReaderKind : std::size_t { kPoint = 0, kScan = 1 };
  template <typename Fn>
  auto ReadOn(ReaderKind kind, Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Database&>()));
  Result<std::unique_ptr<sqlite_internal::Database>> TakeReader(ReaderKind kind);
  // Opens one more read-only connection (immutable if the backend was opened so).
  Result<sqlite_internal::Database> OpenReader() const;
  // At the commit of an outermost transaction: refuses it (KSK-STORE-034) if rows it wrote
  // were not taken into an audit entry and RequireRecordedWrites is on; else forgets them.
  // Called by the writer.
  Result<void> CheckWritesTaken();
  // Refuses a committed-row write that no transaction could record (RequireRecordedWrites).
  // Called by the writer.
  Result<void> CheckRecordable() const;
  // Adds a written row's commitment, make(), to the open transaction's pending writes once
  // writes are recorded (RequireRecordedWrites; until then nothing is computed). Called by the
  // writer.
  template <typename MakeCommitment>
  void NoteWrite(const MakeCommitment& make);
  void ReturnReader(ReaderKind kind, std::unique_ptr<sqlite_internal::Database> reader);
  // Closes the idle reader connections and the stamp reader (they would keep the journal mode
  // from changing); later reads open them again.
  void CloseIdleReaders();

  const std::filesystem::path file_;
  bool immutable_ = false;  // opened by OpenReadOnly on a file it may not write beside
  std::unique_ptr<sqlite_internal::Database> writer_;
  // The writer's turns: a thread holds one from BeginWrite to the end of its outermost
  // transaction, or for one write call. Declared after writer_, which it uses.
  std::unique_ptr<sqlite_internal::WriterTurns> turns_;
  // Checkpoints the WAL off the writer's commits (never due in a read-only backend). Declared after
  // writer_: it closes its connection first, so that the writer's close checkpoints the rest.
  std::unique_ptr<sqlite_internal::Checkpointer> checkpointer_;
  // Guarded by the writer: the open transactions (outermost and savepoints) and their pending
  // row commitments (TakeWrites).
  int open_transactions_ = 0;
  std::vector<RowCommitment> pending_writes_;
  std::atomic<bool> recorded_writes_required_{false};
  // A connection of its own for ChangeStamp: SQLite's data_version is per connection (it
  // changes when any other connection commits), so one connection must answer every call.
  std::mutex stamp_mutex_;  // guards stamp_reader_
  std::unique_ptr<sqlite_internal::Database> stamp_reader_;
  std::mutex readers_mutex_;  // guards idle_readers_
  // The idle readers of each ReaderKind.
  std::array<std::vector<std::unique_ptr<sqlite_internal::Database>>, 2> idle_readers_;
};

}  // namespace koseki::store
