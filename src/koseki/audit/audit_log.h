// AuditLog: the persistent, tamper-evident audit trail (R12) — the write side.
//
// One log per tenant (log id = tenant code) plus the installation's own log (kSystemTenant).
// Entries (entry.h) are stored with their leaf hashes and the Merkle nodes each append
// completes (store::Backend audit rows), so an append costs O(log n) and a proof O(log² n)
// reads. Checkpoints (checkpoint.h) are signed with the installation's Ed25519 key, stored in
// the database, and appended to the witness file outside it (witness_file.h).
//
// The contract that makes the trail complete: an entry is written in the same transaction as
// the action it records. Record() does exactly that — it runs the action and appends its entry
// in one Backend::InTransaction (a savepoint when nested), so there is no action without its
// entry and no entry without its action. If the action fails, its transaction rolls back and
// Record appends the refusal or failure (outcome refused/error and the error id) in a
// transaction of its own, then returns the action's error. Append() is for events that change
// nothing else (a view, a refused login).
//
// Checkpoints are written after a commit, never inside a transaction (a witness line for a
// rolled-back entry would later read as a rollback attack): after a Record or Append outside a
// transaction when the log has CheckpointPolicy::every_entries new entries or its last
// checkpoint is older than `every` (CheckpointIfDue), and by Flush() at shutdown. A long-running
// server should also call CheckpointIfDue() periodically so that an idle log's last entries do
// not wait for the next event. Without a signing key (e.g. to record a refused passphrase, when
// the key cannot be unsealed) entries are appended but no checkpoint is written; the next
// process with the key covers them.
//
// Thread-safe. Several processes may append to one database (the store serializes writers);
// the cached right edge of each tree is re-read whenever the stored log has moved on.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/checkpoint.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/merkle.h"
#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::audit {

struct CheckpointPolicy {
  // A checkpoint is due once a log has this many entries beyond its last checkpoint…
  std::uint64_t every_entries = 1000;
  // …or its last checkpoint is this old and there is anything new.
  std::chrono::seconds every{60};
};

struct AuditOptions {
  CheckpointPolicy policy;
  // Where checkpoints are appended; required when a signing key is given.
  std::filesystem::path witness_file;
  // The installation's audit entry key (entry.h): every entry appended is sealed with it, and
  // no checkpoint is signed over an entry that is neither sealed under it nor a refusal or
  // error recorded without it. Without one, entries are appended unsealed (a process that
  // could not unseal the key) and checkpoints check the entries' hashes only.
  std::optional<crypto::MessageMac> entry_key;
};

// What an append returns, for the caller to show (e.g. an approval receipt).
struct Receipt {
  std::string log;
  std::uint64_t index = 0;
  Hash leaf_hash{};
  // The size of a checkpoint covering this entry if one was written before the call returned;
  // otherwise the log's next checkpoint will cover it (its size will be > index).
  std::optional<std::uint64_t> checkpoint_size;
};

// Returns "<key name>/<log>", the origin line of a log's checkpoints.
std::string OriginFor(const VerifierKey& key, std::string_view log);
// Returns the log id of `origin` if it is OriginFor(key, id) for a valid id, else nullopt.
std::optional<std::string> LogOfOrigin(const VerifierKey& key, std::string_view origin);

// Returns the outcome an action's error is recorded with: refused for errors about the request
// (invalid, not found, exists, denied, unauthenticated, precondition, conflict), error for the
// rest (data loss, unavailable, internal).
Outcome OutcomeOf(const Error& error);

class AuditLog {
 public:
  // The action of Record: does the work inside the transaction and may fill in the event's
  // ids it learns (e.g. the object it created).
  using Action = std::function<Result<void>(Event& event)>;

  // `backend` and `clock` must outlive the log. Without `key` no checkpoint is ever written.
  // InvalidArgument KSK-AUDIT-052 if a key is given without a witness file.
  static Result<std::unique_ptr<AuditLog>> Open(store::Backend& backend, const Clock& clock,
                                                std::optional<SigningKey> key,
                                                AuditOptions options);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Runs `action` and appends `event` (outcome ok) in one transaction; see the header comment
  // for failures. Returns the action's error, or the append's if the log cannot be written.
  Result<Receipt> Record(std::string_view log, Event event, const Action& action);

  // Appends one entry (atomically; inside the caller's transaction if there is one).
  Result<Receipt> Append(std::string_view log, const Event& event);
  // Runs `write` (which may fill in the event's ids, like Record's action) and appends `event`
  // with the outcome it has (e.g. a refusal that also counts a failed attempt), in one
  // transaction. If `write` fails nothing is written or recorded, and its error is returned.
  Result<Receipt> AppendWith(std::string_view log, Event event, const Action& write);

  // Appends to the system log, inside the caller's transaction, as many entries recording
  // `event` as it takes to carry `rows` as their writes (kMaxWrites each, at least one entry):
  // rows restated rather than written now (audit/row_baseline.h). Returns the last receipt.
  // Must be called inside a transaction: the entries stand or fall together.
  Result<Receipt> AppendRestated(const Event& event, std::span<const store::RowCommitment> rows);

  // Writes a checkpoint of every log this object appended to that is due under the policy.
  // Does nothing inside a transaction or without a signing key.
  Result<void> CheckpointIfDue();
  // Writes a checkpoint of `log` now unless its latest one already covers every entry; returns
  // the size written (nullopt if nothing was new). The new tree is the one the latest
  // checkpoint signed, extended by the entries after it, each checked first (its stored hash,
  // and its MAC under the entry key, or else that it records a refusal or error without
  // writes): DataLoss KSK-AUDIT-059 naming the first that fails, and nothing is signed.
  // FailedPrecondition KSK-AUDIT-050 without a key or inside a transaction; KSK-AUDIT-040 if
  // the witness file cannot be written (the checkpoint is then in the database only).
  Result<std::optional<std::uint64_t>> Checkpoint(std::string_view log);
  // Checkpoints every log appended to since its last checkpoint (call at shutdown). Tries all
  // of them and returns the first error.
  Result<void> Flush();
  // Checkpoints every stored log with entries beyond its latest checkpoint, whoever wrote
  // them (e.g. refusals recorded without the key since the last keyed process): the keyed
  // open's seal over what happened while no one could sign. Returns the first error.
  Result<void> SealAll();

  bool can_sign() const { return key_.has_value(); }
  // The verifier key of the signing key, if any.
  std::optional<VerifierKey> verifier() const;
  const std::filesystem::path& witness_file() const { return options_.witness_file; }

 private:
  // What this object knows about one log.
  struct LogState {
    // The right edge of the tree as of `size` entries whose last leaf is `last_leaf`; trusted
    // only while the stored log still ends there.
    bool edge_known = false;
    Frontier frontier;
    Hash last_leaf{};
    std::uint64_t since_checkpoint = 0;  // entries appended here since the last checkpoint
    bool dirty = false;                  // appended to since the last checkpoint
    std::optional<std::chrono::system_clock::time_point> last_checkpoint;
    // A thread is writing this log's checkpoint after its commit; the others that find it due
    // meanwhile leave it to that one.
    bool checkpoint_running = false;
  };

  AuditLog(store::Backend& backend, const Clock& clock, std::optional<SigningKey> key,
           AuditOptions options)
      : backend_(backend), clock_(clock), key_(std::move(key)), options_(std::move(options)) {}

  // Appends inside the current transaction, with the writes the transaction made for the log's
  // tenant (all of them for the system log) or else `writes`. Caller holds no lock of this
  // object.
  Result<Receipt> AppendInTransaction(
      std::string_view log, const Event& event,
      std::optional<std::vector<store::RowCommitment>> writes = std::nullopt);
  // Returns the root of the log's first `size` entries, built from the tree its latest
  // checkpoint signed and the entries after it, each checked (see Checkpoint). Inside the
  // checkpoint's transaction.
  Result<Hash> CheckedRoot(std::string_view log,
                           const std::optional<store::AuditCheckpointRow>& latest,
                           std::uint64_t size);
  // Checkpoints `receipt`'s log if due and records the size in the receipt. Never fails the
  // caller: a failed checkpoint is retried by the next one or by Flush.
  void CheckpointAfter(Receipt& receipt);
  bool IsDue(const LogState& state, std::chrono::system_clock::time_point now) const;

  store::Backend& backend_;
  const Clock& clock_;
  std::optional<SigningKey> key_;
  AuditOptions options_;
  // Guards logs_. Held across backend calls only inside a transaction of this thread (whose
  // backend lock it already has), so it never waits for the backend while holding it.
  std::mutex mutex_;
  std::map<std::string, LogState, std::less<>> logs_;
};

}  // namespace koseki::audit
