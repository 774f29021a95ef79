// Backend: the raw row interface of koseki's store, the only part a database backend implements.
//
// Everything above this interface (encryption, blind indexes, serialization, key handling) is
// backend-neutral (register_store.h, installation.h), so the PostgreSQL backend only
// reimplements these rows, and a benchmark can run the same rows with or without encryption.
// Rows hold only what may be plaintext at rest (SECURITY.md): tenant codes, opaque ids,
// versions, times, wrapped keys, ciphertexts and blind-index values. Never personal data.
//
// Times: every time the store keeps (created_at, issued_at, set_at, received_at, at) is Unix
// microseconds (UTC) in an int64; callers take it from a koseki::Clock.
//
// Contract for every implementation (checked by the conformance suite,
// store/testing/backend_conformance.h):
//   * Register versions, index rows, audit rows, cases and their actions, settings,
//     certificate issues and object versions are append-only; nothing is updated or deleted (a
//     register's head version only moves forward). Server sessions are the one exception:
//     ephemeral rows that are replaced and deleted (their integrity comes from the AEAD that
//     seals them, and losing one only logs someone out).
//   * InsertVersion and InsertObjectVersion are optimistic compare-and-appends: they succeed
//     only if the head version equals the expected one, and then the new version is
//     expected + 1.
//   * Tenant codes lead every key (but a session's: a request presents only its token, and the
//     session names its tenant); a row of one tenant is never returned for another, and rows
//     naming an unknown tenant or register are refused (FailedPrecondition).
//   * Every single call is atomic. Outside a transaction it commits whole or not at all. Inside
//     one, a call that fails has either changed nothing, or it leaves the transaction (or the
//     innermost nested one it ran in) able only to roll back: that Commit fails (Internal,
//     KSK-STORE-002) and none of the call's rows ever become visible. (So the SQLite backend
//     needs no savepoint per call; callers that want to go on after a failed call open a
//     nested transaction around it.)
//   * Transactions are explicit: BeginWrite() returns a handle; the calls the same thread makes
//     until the handle is committed or destroyed belong to it, and commit together (Commit) or
//     not at all (destruction without Commit, or a failed Commit). A BeginWrite on a thread
//     whose transaction is open nests: a savepoint, whose rollback undoes only its own calls.
//     There is one writer at a time: a write call or BeginWrite from another thread (or
//     process) waits until the open transaction ends; write transactions are therefore
//     serializable, and what a transaction read stays true until it commits. (Waiting on
//     another process is bounded: Unavailable, KSK-STORE-003.)
//   * Reads outside a transaction never wait for the writer: each read call sees one snapshot
//     of committed state (never another thread's uncommitted rows), so a long write does not
//     block readers. Reads inside a transaction see its own writes.
// Implementations are thread-safe. A Transaction handle belongs to the thread that began it:
// it is committed or destroyed there, nested handles before the ones they are nested in; a
// thread holding an open transaction must not wait for another thread's writes (deadlock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/store/row_commitment.h"

namespace koseki::store {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Errors that a backend and the layers above it both return, built here so that each id keeps
// one meaning and one message (docs/errors.md).
// Returns NotFound (KSK-STORE-011): the tenant has no register with this id.
inline Error RegisterNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-STORE-011", "指定された戸籍が見つかりません。",
                   "register not found");
}
// Returns NotFound (KSK-STORE-013): no tenant has this code.
inline Error TenantNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-STORE-013", "指定された自治体は登録されていません。",
                   "tenant not found");
}
// Returns NotFound (KSK-CASE-021): the tenant has no case with this id.
inline Error CaseNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-CASE-021", "指定された事件は見つかりません。",
                   "case not found in tenant");
}

// Returns Aborted (KSK-STORE-031): an object's head is no longer the expected version.
inline Error ObjectVersionConflict(std::string detail) {
  return MakeError(
      ErrorCode::kAborted, "KSK-STORE-031",
      "この情報は他の処理によって更新されています。最新の内容を確認してやり直してください。",
      std::move(detail));
}

// Object kinds and ids (InsertObjectVersion and friends): a kind is 1–32 of [a-z_] ("user",
// "device_ca"); an id 1–128 of [0-9A-Za-z_.:-] (a login, a certificate serial in hex). Both are
// plaintext at rest, so callers choose opaque ids, never personal data.
inline constexpr std::size_t kMaxObjectKindSize = 32;
inline constexpr std::size_t kMaxObjectIdSize = 128;

// Returns InvalidArgument (KSK-STORE-032): a malformed object kind or id (`what` says which).
inline Error MalformedObjectKey(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-032",
                   "指定された種類または識別子が不正です。", std::string(what) + " malformed");
}
// These check an object kind, or a kind and id, against the rules above (else
// MalformedObjectKey).
// Every implementation and the layer above call them, so all refuse the same keys.
inline Result<void> ValidateObjectKind(std::string_view kind) {
  if (kind.empty() || kind.size() > kMaxObjectKindSize) return MalformedObjectKey("object kind");
  for (const char c : kind) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return MalformedObjectKey("object kind");
  }
  return Ok();
}
inline Result<void> ValidateObjectKey(std::string_view kind, std::string_view object_id) {
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKind(kind));
  if (object_id.empty() || object_id.size() > kMaxObjectIdSize) {
    return MalformedObjectKey("object id");
  }
  for (const char c : object_id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return MalformedObjectKey("object id");
  }
  return Ok();
}

struct TenantRow {
  std::string tenant_code;
  std::string name;  // municipality name (public, not personal data)
  std::int64_t created_at = 0;
  friend bool operator==(const TenantRow&, const TenantRow&) = default;
};

struct TenantKeyRow {
  std::uint32_t key_version = 0;
  Bytes wrapped;
  std::int64_t created_at = 0;
  friend bool operator==(const TenantKeyRow&, const TenantKeyRow&) = default;
};

struct VersionInfo {
  std::uint64_t version = 0;
  std::int64_t created_at = 0;
  friend bool operator==(const VersionInfo&, const VersionInfo&) = default;
};

struct VersionRow {
  std::uint64_t version = 0;
  Bytes ciphertext;
  std::int64_t created_at = 0;
  friend bool operator==(const VersionRow&, const VersionRow&) = default;
};

// One audit log entry as stored (audit/audit_log.h gives these rows their meaning; the store
// only keeps them). `entry` is the canonical entry encoding, `leaf_hash` its Merkle leaf hash.
// The installation value a backend sets once every stored entry's object is indexed
// (Backend::IndexAuditObjects).
inline constexpr std::string_view kAuditObjectsIndexedValue = "audit_objects_indexed";

struct AuditEntryRow {
  std::uint64_t index = 0;
  Bytes entry;
  Bytes leaf_hash;
  // The entry's object id, indexed on append for ScanAuditEntriesOf (empty: none). Written
  // only; reads leave it empty (the entry itself says it).
  std::string object_id;
  friend bool operator==(const AuditEntryRow&, const AuditEntryRow&) = default;
};

// A completed perfect Merkle subtree of an audit log: level ≥ 1, covering the entries
// [index·2^level, (index+1)·2^level). Level 0 (the leaf hashes) lives in the entry rows.
struct AuditNodeRow {
  int level = 0;
  std::uint64_t index = 0;
  Bytes hash;
  friend bool operator==(const AuditNodeRow&, const AuditNodeRow&) = default;
};

// Rows as a scan hands them out: views into the store's buffers, valid only during the
// callback (a verifier reads millions of them; copying each would cost more than hashing it).
struct AuditEntryView {
  std::uint64_t index = 0;
  std::span<const std::uint8_t> entry;
  std::span<const std::uint8_t> leaf_hash;
};
struct AuditNodeView {
  int level = 0;
  std::uint64_t index = 0;
  std::span<const std::uint8_t> hash;
};

// A signed checkpoint of an audit log, numbered 1, 2, … per log in the order written.
struct AuditCheckpointRow {
  std::uint64_t seq = 0;
  std::uint64_t tree_size = 0;
  std::string note;
  std::int64_t created_at = 0;
  friend bool operator==(const AuditCheckpointRow&, const AuditCheckpointRow&) = default;
};

struct IndexEntry {
  std::string purpose;
  Bytes blind;
  friend bool operator==(const IndexEntry&, const IndexEntry&) = default;
};

// A case (届出事件) row: ids, its 受付番号 and type, when it was received.
struct CaseRow {
  std::string case_id;
  std::string uketsuke_bango;
  int receipt_year = 0;
  std::string notification_type;  // stable key, e.g. "shibou"
  std::int64_t received_at = 0;
  friend bool operator==(const CaseRow&, const CaseRow&) = default;
};

// Where the next page of cases starts: just after the last case shown (pages run newest first).
struct CaseCursor {
  std::int64_t received_at = 0;
  std::string case_id;
  friend bool operator==(const CaseCursor&, const CaseCursor&) = default;
};

// One action of a case; `payload` is ciphertext (the workflow encrypts it).
struct CaseActionRow {
  std::uint64_t seq = 0;  // 0-based action number
  std::string kind;
  std::string actor_id;
  std::string actor_role;
  std::int64_t at = 0;
  Bytes payload;
  friend bool operator==(const CaseActionRow&, const CaseActionRow&) = default;
};

// One version of a tenant's object (a user, a device, a device CA, …); `ciphertext` is sealed by
// the layer above (store/sealed_objects.h).
struct ObjectVersionRow {
  std::uint64_t version = 0;
  Bytes ciphertext;
  std::int64_t created_at = 0;
  friend bool operator==(const ObjectVersionRow&, const ObjectVersionRow&) = default;
};

// An object with its head (highest) version.
struct ObjectHeadRow {
  std::string object_id;
  ObjectVersionRow head;
  friend bool operator==(const ObjectHeadRow&, const ObjectHeadRow&) = default;
};

// The size of a session key: the SHA-256 of the session token, so that the database never
// holds a token that would let its reader sign in.
inline constexpr std::size_t kSessionTokenHashSize = 32;

// A server session: `ciphertext` is sealed by the layer above; `expires_at` is plaintext so
// that expired rows can be deleted without any key.
struct SessionRow {
  Bytes token_hash;
  std::string tenant_code;
  Bytes ciphertext;
  std::int64_t expires_at = 0;
  friend bool operator==(const SessionRow&, const SessionRow&) = default;
};

// A write transaction (Backend::BeginWrite): rolls back on destruction unless committed.
// Belongs to the thread that began it (see the contract above). Not copyable.
class Transaction {
 public:
  virtual ~Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits (the outermost transaction) or releases the savepoint (a nested one) and ends the
  // handle; the outermost commit also releases the writer. After a failed Commit the handle
  // still rolls back on destruction. Internal (KSK-STORE-002) if the handle already ended.
  // The outermost Commit returns once the transaction is durable; a backend may make several
  // threads' transactions durable together (group commit), so it may wait for other threads'
  // transactions to end: hold no lock across it that a transaction may take.
  virtual Result<void> Commit() = 0;

 protected:
  Transaction() = default;
};

// A bulk load (Backend::BeginBulkLoad), ended when the handle is destroyed.
class BulkLoad {
 public:
  BulkLoad() = default;
  virtual ~BulkLoad() = default;
  BulkLoad(const BulkLoad&) = delete;
  BulkLoad& operator=(const BulkLoad&) = delete;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Begins a write transaction on the calling thread (a savepoint if this thread's transaction
  // is open); waits until no other thread holds the writer. Unavailable (KSK-STORE-003) if
  // another process holds the database's write lock for too long.
  virtual Result<std::unique_ptr<Transaction>> BeginWrite() = 0;
  // Begins a bulk load, for the commands that store many registers in one transaction
  // (`koseki import`, `koseki gen`): until the handle is destroyed the calling thread holds the
  // writer (other threads' writes wait) and its transactions are written as this backend writes
  // a very large transaction best; their atomicity and durability are those of any
  // transaction. Call outside a transaction. The default changes nothing.
  virtual Result<std::unique_ptr<BulkLoad>> BeginBulkLoad() { return std::make_unique<BulkLoad>(); }
  // Returns whether the calling thread is inside a transaction (so that a commit is still to
  // come: e.g. the audit log writes its witness file only after the outermost commit).
  virtual bool InTransactionOnThisThread() = 0;
  // Runs `fn` in one transaction (BeginWrite): committed if it returns OK, rolled back
  // otherwise (its error is returned). A backend may run the outermost `fn` on another thread
  // while the caller waits (SqliteBackend hands it to the thread that holds the writer): `fn`
  // must not need a lock its caller holds.
  virtual Result<void> InTransaction(const std::function<Result<void>()>& fn) {
    KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> transaction, BeginWrite());
    KOSEKI_RETURN_IF_ERROR(fn());
    return transaction->Commit();
  }

  // Returns a stamp that changes whenever a transaction is committed to the database, by this
  // process or another (a CLI command beside the server) — for caches of what the database
  // holds: a stamp read before a cache was filled that comes back unchanged means nothing was
  // committed since. Compare stamps for equality only; they are neither counts nor ordered.
  virtual Result<std::uint64_t> ChangeStamp() = 0;

  // Row commitments (row_commitment.h). Once RequireRecordedWrites was called, every write of a
  // committed row inside a transaction adds the row's commitment to the transaction's pending
  // writes; a savepoint rolled back takes its own back out. TakeWrites removes and returns the
  // calling thread's pending writes of `tenant_code`, or of every tenant if it is empty (the audit
  // log puts them into the entry it appends in the same transaction).
  virtual std::vector<RowCommitment> TakeWrites(std::string_view tenant_code) = 0;
  // From now on (for the life of this object) every committed row is recorded and must be
  // taken: a write outside a transaction, or a commit with writes no one took, is refused
  // (Internal, KSK-STORE-034) and nothing is written. The composition root turns this on with
  // the audit log (app/koseki.h), so that no row reaches the database without the entry that
  // commits to it; a store used without an audit log (tests, the store benchmark) computes
  // no commitments.
  virtual void RequireRecordedWrites() = 0;
  // Calls `fn` with the commitment of every committed row of every tenant as stored now (with
  // RowTable::kRegisterHead for each register's head), in no particular order, from one
  // snapshot; stops at the first false or error. For `koseki audit verify` and the baseline of
  // an installation from before row commitments (audit/baseline.h).
  virtual Result<void> ScanState(const std::function<Result<bool>(const RowCommitment&)>& fn) = 0;

  // Installation metadata (format version, master key id, ...). Get returns nullopt if unset.
  virtual Result<std::optional<std::string>> GetInstallationValue(std::string_view name) = 0;
  // Sets a value once; AlreadyExists (KSK-STORE-014) if it is already set, so two processes
  // initializing the same directory cannot both win.
  virtual Result<void> InsertInstallationValue(std::string_view name, std::string_view value) = 0;

  // Tenants. InsertTenant: AlreadyExists (KSK-STORE-014) if the code is taken.
  virtual Result<void> InsertTenant(const TenantRow& tenant) = 0;
  virtual Result<std::optional<TenantRow>> GetTenant(std::string_view tenant_code) = 0;
  virtual Result<std::vector<TenantRow>> ListTenants() = 0;

  // Wrapped tenant key material, versioned (rotation adds a row; old rows stay).
  virtual Result<void> InsertTenantKey(std::string_view tenant_code, const TenantKeyRow& key) = 0;
  // Returns the row with the highest key_version, or nullopt if the tenant has none.
  virtual Result<std::optional<TenantKeyRow>> GetLatestTenantKey(std::string_view tenant_code) = 0;

  // Creates a register with head version 0 (no version yet); AlreadyExists if the id is taken.
  // The store creates registers with CreateRegister; this first of its three steps stays so
  // that the conformance suite can test each step's rules on its own.
  virtual Result<void> InsertRegister(std::string_view tenant_code, std::string_view register_id,
                                      std::int64_t created_at) = 0;
  // Creates a register whose version 1 (and head) is `ciphertext`, with its blind-index rows:
  // what InsertRegister, InsertVersion(…, 0, …) and InsertIndexEntries write, as one call
  // (the path of every new register, so it is one unit instead of three). Same errors.
  virtual Result<void> CreateRegister(std::string_view tenant_code, std::string_view register_id,
                                      ByteView ciphertext, std::int64_t created_at,
                                      std::span<const IndexEntry> entries) = 0;
  // Returns the head version, or nullopt if the register does not exist in this tenant.
  virtual Result<std::optional<std::uint64_t>> GetHeadVersion(std::string_view tenant_code,
                                                              std::string_view register_id) = 0;
  // Appends version expected_head + 1 and makes it the head. Aborted (KSK-STORE-010) if the
  // head is no longer `expected_head` (nothing is written); NotFound (KSK-STORE-011) if the
  // register does not exist.
  virtual Result<std::uint64_t> InsertVersion(std::string_view tenant_code,
                                              std::string_view register_id,
                                              std::uint64_t expected_head, ByteView ciphertext,
                                              std::int64_t created_at) = 0;
  // Returns one version row, or nullopt if there is no such version.
  virtual Result<std::optional<VersionRow>> GetVersion(std::string_view tenant_code,
                                                       std::string_view register_id,
                                                       std::uint64_t version) = 0;
  // Returns all versions of a register, oldest first (empty if it does not exist).
  virtual Result<std::vector<VersionInfo>> ListVersions(std::string_view tenant_code,
                                                        std::string_view register_id) = 0;

  // Adds blind-index rows pointing at a register; rows that already exist are kept as they are.
  virtual Result<void> InsertIndexEntries(std::string_view tenant_code,
                                          std::string_view register_id,
                                          std::span<const IndexEntry> entries) = 0;
  // Returns the register ids with an index row (purpose, blind), sorted, without duplicates.
  virtual Result<std::vector<std::string>> LookupIndex(std::string_view tenant_code,
                                                       std::string_view purpose,
                                                       ByteView blind) = 0;

  // Records that a certificate of (register, version) was issued and returns its 発行番号: the
  // tenant's previous highest number + 1 (gapless, starting at 1). Append-only.
  virtual Result<std::int64_t> RecordCertificateIssue(std::string_view tenant_code,
                                                      std::string_view register_id,
                                                      std::uint64_t version,
                                                      std::int64_t issued_at) = 0;

  // Audit logs: one per tenant plus the installation's ("system"); `log_id` leads every key.
  // Appends entry `entry.index` (which must be the log's entry count, else Aborted
  // KSK-STORE-024 and nothing is written) together with the nodes it completes.
  virtual Result<void> AppendAuditEntry(std::string_view log_id, const AuditEntryRow& entry,
                                        std::span<const AuditNodeRow> nodes) = 0;
  // Returns the entry with the highest index, or nullopt for an empty log.
  virtual Result<std::optional<AuditEntryRow>> GetLastAuditEntry(std::string_view log_id) = 0;
  virtual Result<std::optional<AuditEntryRow>> GetAuditEntry(std::string_view log_id,
                                                             std::uint64_t index) = 0;
  // Returns the stored hashes of the nodes (level, first), (level, first + 1), … up to `count`
  // of them, in order, ending early at the first one not stored; level 0 are the entries' leaf
  // hashes. One range read: what a caller hashing a subtree up from a lower level needs.
  virtual Result<std::vector<Bytes>> GetAuditHashes(std::string_view log_id, int level,
                                                    std::uint64_t first, std::uint64_t count) = 0;
  // Calls `fn` for each entry of the log from index `from` on, in index order, until it returns
  // false or an error (which is returned). `fn` must not call the backend, and must copy what it
  // keeps of the view.
  virtual Result<void> ScanAuditEntries(
      std::string_view log_id, std::uint64_t from,
      const std::function<Result<bool>(const AuditEntryView&)>& fn) = 0;
  // Calls `fn` for each entry of the log indexed under `object_id` (AuditEntryRow::object_id,
  // and IndexAuditObjects for entries from before the index), in index order; O(log n) per
  // entry found. Same rules as ScanAuditEntries. The index is a finder, not evidence: a caller
  // checks each entry's own object id.
  virtual Result<void> ScanAuditEntriesOf(
      std::string_view log_id, std::string_view object_id,
      const std::function<Result<bool>(const AuditEntryView&)>& fn) = 0;
  // Indexes the object of every stored entry, as `object_of` reads it from the entry (empty:
  // none), once per installation (installation value audit_objects_indexed, set in the same
  // transaction); for the entries appended before the index existed. Returns whether it ran.
  virtual Result<bool> IndexAuditObjects(
      const std::function<std::string(std::span<const std::uint8_t> entry)>& object_of) = 0;
  // Reads a whole log in one pass: `on_entry` for each entry in index order and `on_node` for
  // each stored node (level ≥ 1) in (level, index) order, the two streams interleaved in an
  // unspecified way, from one snapshot or with the entries from a later one: a concurrent
  // append never shows up as a node without its entries. Stops at the first false or error
  // from either; same rules as ScanAuditEntries.
  virtual Result<void> ScanAuditLog(
      std::string_view log_id, const std::function<Result<bool>(const AuditEntryView&)>& on_entry,
      const std::function<Result<bool>(const AuditNodeView&)>& on_node) = 0;
  // Appends a checkpoint; returns its seq. FailedPrecondition (KSK-STORE-006) if tree_size is
  // smaller than the previous checkpoint's or larger than the log.
  virtual Result<std::uint64_t> AppendAuditCheckpoint(std::string_view log_id,
                                                      std::uint64_t tree_size,
                                                      std::string_view note,
                                                      std::int64_t created_at) = 0;
  // Returns the log's checkpoints in the order written.
  virtual Result<std::vector<AuditCheckpointRow>> ListAuditCheckpoints(std::string_view log_id) = 0;
  virtual Result<std::optional<AuditCheckpointRow>> GetLatestAuditCheckpoint(
      std::string_view log_id) = 0;
  // Returns the ids of every log with an entry or a checkpoint, sorted.
  virtual Result<std::vector<std::string>> ListAuditLogs() = 0;

  // Tenant settings (plain values, never personal data): SetTenantSetting appends the next
  // version of `name`; GetTenantSettings returns the latest value of each name.
  virtual Result<void> SetTenantSetting(std::string_view tenant_code, std::string_view name,
                                        std::string_view value, std::int64_t set_at) = 0;
  virtual Result<std::map<std::string, std::string>> GetTenantSettings(
      std::string_view tenant_code) = 0;
  // Cases. InsertCase: AlreadyExists (KSK-STORE-014) if the id or 受付番号 is taken.
  virtual Result<void> InsertCase(std::string_view tenant_code, const CaseRow& row) = 0;
  virtual Result<std::optional<CaseRow>> GetCase(std::string_view tenant_code,
                                                 std::string_view case_id) = 0;
  // Returns up to `limit` of the tenant's cases, newest first (by received_at, then case_id),
  // from the newest or else from just after `after`; O(log n + limit).
  virtual Result<std::vector<CaseRow>> ListCases(std::string_view tenant_code,
                                                 const std::optional<CaseCursor>& after,
                                                 std::size_t limit) = 0;
  // Appends action `row.seq`; Aborted (KSK-CASE-020) unless the case has exactly row.seq
  // actions (someone else acted first); NotFound (KSK-CASE-021) for an unknown case.
  virtual Result<void> InsertCaseAction(std::string_view tenant_code, std::string_view case_id,
                                        const CaseActionRow& row) = 0;
  virtual Result<std::vector<CaseActionRow>> ListCaseActions(std::string_view tenant_code,
                                                             std::string_view case_id) = 0;
  // Returns the next 受付番号 sequence number of `year` for the tenant (1 for the first).
  virtual Result<std::int64_t> NextReceiptNumber(std::string_view tenant_code, int year) = 0;

  // Versioned objects of a tenant, keyed by (kind, object_id); kinds and ids follow
  // ValidateObjectKey (else InvalidArgument, KSK-STORE-032, from every method below).
  // Appends version expected_version + 1 of the object (expected_version 0 creates it) and
  // returns it. Aborted (KSK-STORE-031) if the stored head is not expected_version (someone
  // else wrote first; nothing is written); FailedPrecondition (KSK-STORE-006) if the tenant
  // does not exist; InvalidArgument (KSK-STORE-028) for an expected_version beyond int64.
  virtual Result<std::uint64_t> InsertObjectVersion(
      std::string_view tenant_code, std::string_view kind, std::string_view object_id,
      std::uint64_t expected_version, ByteView ciphertext, std::int64_t created_at) = 0;
  // Returns the object's highest version, nullopt if the object does not exist.
  virtual Result<std::optional<ObjectVersionRow>> GetObjectHead(std::string_view tenant_code,
                                                                std::string_view kind,
                                                                std::string_view object_id) = 0;
  // Returns every object of the kind with its head version, ordered by object_id (bytewise).
  virtual Result<std::vector<ObjectHeadRow>> ListObjectHeads(std::string_view tenant_code,
                                                             std::string_view kind) = 0;

  // Server sessions, keyed by token_hash (kSessionTokenHashSize bytes). Mutable, unlike every
  // other row: a session's activity and expiry change, and it ends by deletion.
  // Inserts the row or replaces the one with the same token_hash. FailedPrecondition
  // (KSK-STORE-006) if the tenant does not exist; InvalidArgument (KSK-STORE-028) if
  // token_hash is not kSessionTokenHashSize bytes.
  virtual Result<void> PutSession(const SessionRow& row) = 0;
  // Returns the row, expired or not; nullopt if absent (or if token_hash has another size).
  virtual Result<std::optional<SessionRow>> GetSession(ByteView token_hash) = 0;
  // Deletes the row; no error if there is none.
  virtual Result<void> DeleteSession(ByteView token_hash) = 0;
  // Deletes every session with expires_at <= now (of every tenant) and returns how many.
  virtual Result<std::uint64_t> DeleteExpiredSessions(std::int64_t now) = 0;
};

}  // namespace koseki::store
