#include "koseki/audit/audit_log.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/row_baseline.h"
#include "koseki/audit/witness_file.h"
#include "koseki/base/log.h"

namespace koseki::audit {
namespace {

using internal::StoredHashSource;
using internal::StoreInconsistent;
using internal::ToHash;

Error NoSigning(std::string detail) {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-AUDIT-050",
                   "監査ログのチェックポイントを作成できません。", std::move(detail));
}

Error UnverifiedEntry(std::string_view log, std::uint64_t index, std::string_view why) {
  return MakeError(
      ErrorCode::kDataLoss, "KSK-AUDIT-059",
      "監査ログのまだ確定していない記録が改ざんされています。koseki audit verify "
      "で確認し、バックアップから復元してください。",
      "log " + std::string(log) + " entry " + std::to_string(index) + ": " + std::string(why));
}

Timestamp MicrosNow(const Clock& clock) {
  return std::chrono::floor<std::chrono::microseconds>(clock.Now());
}

}  // namespace

std::string OriginFor(const VerifierKey& key, std::string_view log) {
  return key.name() + "/" + std::string(log);
}

std::optional<std::string> LogOfOrigin(const VerifierKey& key, std::string_view origin) {
  const std::string prefix = key.name() + "/";
  if (origin.size() <= prefix.size() || origin.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  const std::string_view log = origin.substr(prefix.size());
  if (!IsOpaqueId(log)) return std::nullopt;  // a log id is an entry's tenant field
  return std::string(log);
}

Outcome OutcomeOf(const Error& error) {
  switch (error.code) {
    case ErrorCode::kDataLoss:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return Outcome::kError;
    default:
      return Outcome::kRefused;
  }
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(store::Backend& backend, const Clock& clock,
                                                 std::optional<SigningKey> key,
                                                 AuditOptions options) {
  if (key && options.witness_file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-052",
                     "監査ログの立会いファイル（witness）の場所が指定されていません。",
                     "signing key without witness file");
  }
  if (options.policy.every_entries == 0) options.policy.every_entries = 1;
  return std::unique_ptr<AuditLog>(
      new AuditLog(backend, clock, std::move(key), std::move(options)));
}

std::optional<VerifierKey> AuditLog::verifier() const {
  if (!key_) return std::nullopt;
  return key_->verifier();
}

Result<Receipt> AuditLog::AppendInTransaction(
    std::string_view log, const Event& event,
    std::optional<std::vector<store::RowCommitment>> restated) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> last,
                          backend_.GetLastAuditEntry(log));
  const std::uint64_t size = last ? last->index + 1 : 0;
  std::optional<Hash> stored_last_leaf;
  if (last) {
    stored_last_leaf = ToHash(last->leaf_hash);
    if (!stored_last_leaf) return StoreInconsistent("last leaf hash is not 32 bytes");
  }

  std::lock_guard lock(mutex_);
  LogState& state = logs_[std::string(log)];
  // The cached edge is valid only if the stored log still ends where it did: another process
  // may have appended, or an enclosing transaction may have rolled our appends back.
  const bool edge_current = state.edge_known && state.frontier.size() == size &&
                            (size == 0 || state.last_leaf == *stored_last_leaf);
  if (!edge_current) {
    state.edge_known = false;
    const StoredHashSource source(backend_, log);
    KOSEKI_ASSIGN_OR_RETURN(state.frontier, Frontier::FromSource(source, size));
    if (stored_last_leaf) state.last_leaf = *stored_last_leaf;
    state.edge_known = true;
  }

  // The rows this transaction wrote for this log's tenant (all of them for the system log,
  // which records tenants' creation) go into this entry.
  std::vector<store::RowCommitment> writes =
      restated ? *std::move(restated)
               : backend_.TakeWrites(log == kSystemTenant ? std::string_view() : log);
  KOSEKI_ASSIGN_OR_RETURN(Entry entry,
                          Entry::Create(log, size, MicrosNow(clock_), event, std::move(writes)));
  if (options_.entry_key) entry = entry.Sealed(*options_.entry_key);
  store::AuditEntryRow row;
  row.index = size;
  row.entry = entry.Encode();
  row.object_id = event.object_id;
  const Hash leaf = LeafHash(row.entry);
  row.leaf_hash.assign(leaf.begin(), leaf.end());

  Frontier next = state.frontier;
  std::vector<store::AuditNodeRow> nodes;
  for (const Frontier::Node& node : next.Append(leaf)) {
    if (!internal::IsStoredLevel(node.level)) continue;  // computed from the level below
    nodes.push_back({node.level, node.index, store::Bytes(node.hash.begin(), node.hash.end())});
  }
  KOSEKI_RETURN_IF_ERROR(backend_.AppendAuditEntry(log, row, nodes));

  state.frontier = std::move(next);
  state.last_leaf = leaf;
  ++state.since_checkpoint;
  state.dirty = true;
  return Receipt{std::string(log), size, leaf, std::nullopt};
}

Result<Receipt> AuditLog::Append(std::string_view log, const Event& event) {
  Receipt receipt;
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction([&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(receipt, AppendInTransaction(log, event));
    return Ok();
  }));
  CheckpointAfter(receipt);
  return receipt;
}

Result<Receipt> AuditLog::AppendRestated(const Event& event,
                                         std::span<const store::RowCommitment> rows) {
  if (!backend_.InTransactionOnThisThread()) {
    return MakeError(ErrorCode::kInternal, "KSK-AUDIT-061",
                     "処理を記録できないため、保存しませんでした。",
                     "restated rows appended outside a transaction");
  }
  Receipt receipt;
  std::size_t done = 0;
  do {
    const std::size_t count = std::min(kMaxWrites, rows.size() - done);
    std::vector<store::RowCommitment> chunk(
        rows.begin() + static_cast<std::ptrdiff_t>(done),
        rows.begin() + static_cast<std::ptrdiff_t>(done + count));
    KOSEKI_ASSIGN_OR_RETURN(receipt, AppendInTransaction(kSystemTenant, event, std::move(chunk)));
    done += count;
  } while (done < rows.size());
  return receipt;
}

Result<Receipt> AuditLog::AppendWith(std::string_view log, Event event, const Action& write) {
  Receipt receipt;
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(write(event));
    KOSEKI_ASSIGN_OR_RETURN(receipt, AppendInTransaction(log, event));
    return Ok();
  }));
  CheckpointAfter(receipt);
  return receipt;
}

Result<Receipt> AuditLog::Record(std::string_view log, Event event, const Action& action) {
  Receipt receipt;
  bool action_failed = false;
  auto done = backend_.InTransaction([&]() -> Result<void> {
    if (action) {
      if (auto acted = action(event); !acted) {
        action_failed = true;
        return acted;
      }
    }
    event.outcome = Outcome::kOk;
    event.error_id.clear();
    KOSEKI_ASSIGN_OR_RETURN(receipt, AppendInTransaction(log, event));
    return Ok();
  });
  if (!done) {
    if (action_failed) {
      // The action wrote nothing; its refusal or failure is recorded on its own.
      event.outcome = OutcomeOf(done.error());
      event.error_id = done.error().id;
      if (auto refused = Append(log, event); !refused) {
        log::Error("audit_refusal_not_recorded",
                   {{"error_id", done.error().id}, {"cause", refused.error().id}});
      }
    }
    return std::move(done).error();
  }
  CheckpointAfter(receipt);
  return receipt;
}

bool AuditLog::IsDue(const LogState& state, std::chrono::system_clock::time_point now) const {
  if (state.since_checkpoint == 0 && !state.dirty) return false;
  if (state.since_checkpoint >= options_.policy.every_entries) return true;
  return !state.last_checkpoint || now - *state.last_checkpoint >= options_.policy.every;
}

void AuditLog::CheckpointAfter(Receipt& receipt) {
  if (!key_ || backend_.InTransactionOnThisThread()) return;
  bool need_time = false;
  {
    std::lock_guard lock(mutex_);
    need_time = !logs_[receipt.log].last_checkpoint;
  }
  if (need_time) {
    // First checkpoint decision for this log in this process: ask the database how old the
    // latest checkpoint is.
    auto latest = backend_.GetLatestAuditCheckpoint(receipt.log);
    if (latest && *latest) {
      std::lock_guard lock(mutex_);
      logs_[receipt.log].last_checkpoint =
          std::chrono::system_clock::time_point(std::chrono::microseconds((*latest)->created_at));
    }
  }
  {
    // One checkpoint at a time per log: every commit that finds the log due while another
    // thread writes its checkpoint would otherwise queue for the witness lock and sign one
    // more, a few entries longer — with 50 approvers, dozens in a row, each waiting on the last.
    std::lock_guard lock(mutex_);
    LogState& state = logs_[receipt.log];
    if (state.checkpoint_running || !IsDue(state, clock_.Now())) return;
    state.checkpoint_running = true;
  }
  auto written = Checkpoint(receipt.log);
  {
    std::lock_guard lock(mutex_);
    logs_[receipt.log].checkpoint_running = false;
  }
  if (!written) {
    log::Error("audit_checkpoint_failed", {{"log", receipt.log}, {"error_id", written.error().id}});
    return;
  }
  if (*written && **written > receipt.index) receipt.checkpoint_size = **written;
}

Result<void> AuditLog::CheckpointIfDue() {
  if (!key_ || backend_.InTransactionOnThisThread()) return Ok();
  std::vector<std::string> logs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [log, state] : logs_) {
      if (state.dirty) logs.push_back(log);
    }
  }
  Result<void> first_error = Ok();
  for (const std::string& log : logs) {
    bool due = false;
    {
      std::lock_guard lock(mutex_);
      const LogState& state = logs_[log];
      due = !state.last_checkpoint || IsDue(state, clock_.Now());
    }
    if (!due) continue;
    if (auto written = Checkpoint(log); !written && first_error) first_error = written.error();
  }
  return first_error;
}

Result<void> AuditLog::Flush() {
  if (!key_) return Ok();
  std::vector<std::string> logs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [log, state] : logs_) {
      if (state.dirty) logs.push_back(log);
    }
  }
  Result<void> first_error = Ok();
  for (const std::string& log : logs) {
    if (auto written = Checkpoint(log); !written && first_error) first_error = written.error();
  }
  return first_error;
}

Result<std::optional<std::uint64_t>> AuditLog::Checkpoint(std::string_view log) {
  if (!key_) return NoSigning("no signing key");
  if (backend_.InTransactionOnThisThread()) return NoSigning("checkpoint inside a transaction");

  // The witness lock is taken before the database transaction and held until the note is in
  // the file, so that concurrent writers append to the file in the database's order.
  KOSEKI_ASSIGN_OR_RETURN(WitnessWriter witness, WitnessWriter::Lock(options_.witness_file));
  const auto now = clock_.Now();
  const auto now_seconds = std::chrono::floor<std::chrono::seconds>(now);
  std::optional<std::uint64_t> written;
  std::string note;
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction([&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> last,
                            backend_.GetLastAuditEntry(log));
    const std::uint64_t size = last ? last->index + 1 : 0;
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                            backend_.GetLatestAuditCheckpoint(log));
    if (size == 0 || (latest && latest->tree_size == size)) return Ok();

    KOSEKI_ASSIGN_OR_RETURN(const Hash root, CheckedRoot(log, latest, size));
    {
      // If this process appended the last entries, what it computed must match the stored
      // nodes it is about to sign: never sign a tree edited behind our back.
      std::lock_guard lock(mutex_);
      const LogState& state = logs_[std::string(log)];
      if (state.edge_known && state.frontier.size() == size && state.frontier.Root() != root) {
        return StoreInconsistent("stored nodes disagree with the appended entries");
      }
    }
    audit::Checkpoint checkpoint{OriginFor(key_->verifier(), log), size, root, now_seconds};
    KOSEKI_ASSIGN_OR_RETURN(note, SignCheckpoint(checkpoint, *key_));
    KOSEKI_RETURN_IF_ERROR(backend_.AppendAuditCheckpoint(
        log, size, note,
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count()));
    written = size;
    return Ok();
  }));
  {
    std::lock_guard lock(mutex_);
    LogState& state = logs_[std::string(log)];
    state.since_checkpoint = 0;
    state.dirty = false;
    state.last_checkpoint = now;
  }
  if (written) KOSEKI_RETURN_IF_ERROR(witness.Append(note));
  return written;
}

Result<Hash> AuditLog::CheckedRoot(std::string_view log,
                                   const std::optional<store::AuditCheckpointRow>& latest,
                                   std::uint64_t size) {
  const std::uint64_t signed_size = latest ? latest->tree_size : 0;
  const StoredHashSource source(backend_, log);
  KOSEKI_ASSIGN_OR_RETURN(Frontier edge, Frontier::FromSource(source, signed_size));
  if (latest) {
    auto checkpoint = OpenCheckpoint(latest->note, key_->verifier());
    if (!checkpoint || checkpoint->size != signed_size || checkpoint->root != edge.Root()) {
      return UnverifiedEntry(log, signed_size, "stored tree differs from its latest checkpoint");
    }
  }
  // Entries in format 1 (no MAC, no writes) are written only by a koseki from before row
  // commitments: acceptable until the installation's first keyed open of this version has
  // sealed them and taken its baseline (row_baseline.h), never after. Decided after the scan
  // (which may not call the store), and only if there is one: most checkpoints have none.
  std::optional<std::uint64_t> first_format1;
  // One range read: a checkpoint covers up to every_entries entries.
  std::uint64_t next = signed_size;
  std::optional<Error> failed;
  const auto fail = [&](std::uint64_t index, std::string_view what) -> Result<bool> {
    failed = UnverifiedEntry(log, index, what);
    return false;
  };
  KOSEKI_RETURN_IF_ERROR(backend_.ScanAuditEntries(
      log, signed_size, [&](const store::AuditEntryView& row) -> Result<bool> {
        if (next == size) return false;
        if (row.index != next) return fail(next, "missing");
        const Hash leaf = LeafHash(row.entry);
        if (!std::ranges::equal(row.leaf_hash, leaf)) return fail(next, "leaf hash");
        auto entry = Entry::Parse(row.entry);
        if (!entry || entry->index() != next || entry->tenant() != log) {
          return fail(next, "does not parse as this log's entry");
        }
        if (entry->keyed()) {
          if (options_.entry_key && !entry->MacValid(*options_.entry_key)) {
            return fail(next, "MAC");
          }
        } else if (options_.entry_key && entry->format() == kEntryFormatVersion1) {
          if (!first_format1) first_format1 = next;
        } else if (options_.entry_key &&
                   (entry->event().outcome == Outcome::kOk || !entry->writes().empty())) {
          // Recorded without the key: only a refusal or an error, and never a write.
          return fail(next, "unsealed entry records a success or a write");
        }
        edge.Append(leaf);
        ++next;
        return true;
      }));
  if (failed) return *std::move(failed);
  if (next != size) return UnverifiedEntry(log, next, "missing");
  if (first_format1) {
    KOSEKI_ASSIGN_OR_RETURN(const bool allowed, PredatesRowCommitments(backend_, key_->verifier()));
    if (!allowed) {
      return UnverifiedEntry(log, *first_format1, "format-1 entry after row commitments began");
    }
  }
  return edge.Root();
}

Result<void> AuditLog::SealAll() {
  if (!key_) return NoSigning("no signing key");
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> logs, backend_.ListAuditLogs());
  for (const std::string& log : logs) {
    // Most logs end at their latest checkpoint: two reads, and no witness lock or write
    // transaction at every open. (Checkpoint checks again inside its transaction.)
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> last,
                            backend_.GetLastAuditEntry(log));
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                            backend_.GetLatestAuditCheckpoint(log));
    const std::uint64_t size = last ? last->index + 1 : 0;
    if (size == 0 || (latest && latest->tree_size == size)) continue;
    KOSEKI_RETURN_IF_ERROR(Checkpoint(log));
  }
  return Ok();
}

}  // namespace koseki::audit
