#include "koseki/audit/stored_log.h"

#include <algorithm>
#include <map>
#include <set>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/witness_file.h"

namespace koseki::audit {
namespace {

using internal::StoredHashSource;
using internal::ToHash;

Error StoreInconsistent(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-047",
                   "監査ログの保存内容に矛盾があります。koseki audit verify で検査してください。",
                   std::move(detail));
}

// Whether a witness record carries a signature line of `key`'s name (so it claims to be ours
// even if its origin line was altered).
bool SignedInTheNameOf(std::string_view note, const VerifierKey& key) {
  return note.find("\n\xE2\x80\x94 " + key.name() + " ") != std::string_view::npos;
}

}  // namespace

bool StoreVerification::ok() const {
  if (witness_missing) return false;
  return std::all_of(logs.begin(), logs.end(),
                     [](const LogVerification& log) { return log.report.ok(); });
}

Result<StoreVerification> VerifyStoredLogs(store::Backend& backend, const VerifierKey& key,
                                           const std::filesystem::path& witness_file,
                                           std::optional<std::string_view> only_log) {
  StoreVerification result;
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> witness,
                          ReadWitnessNotes(witness_file));
  result.witness_found = witness.has_value();

  // Witness records by log. One that claims our key but names no log of ours (an altered
  // origin line) goes to the system log, whose verifier reports it.
  std::map<std::string, std::vector<std::string>, std::less<>> witness_by_log;
  if (witness) {
    for (std::string& note : *witness) {
      const std::string_view origin = std::string_view(note).substr(0, note.find('\n'));
      if (auto log = LogOfOrigin(key, origin)) {
        witness_by_log[*log].push_back(std::move(note));
      } else if (SignedInTheNameOf(note, key)) {
        witness_by_log[std::string(kSystemTenant)].push_back(std::move(note));
      }
    }
  }

  std::set<std::string, std::less<>> logs;
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> stored_logs, backend.ListAuditLogs());
  logs.insert(stored_logs.begin(), stored_logs.end());
  for (const auto& [log, notes] : witness_by_log) logs.insert(log);
  if (only_log) logs = {std::string(*only_log)};

  bool any_checkpoint = false;
  for (const std::string& log : logs) {
    LogVerifier verifier(log, OriginFor(key, log), key);
    KOSEKI_RETURN_IF_ERROR(
        backend.ScanAuditEntries(log, 0, [&](const store::AuditEntryRow& row) -> Result<bool> {
          // A stored hash of the wrong size cannot equal the recomputed one: pass one that
          // differs, so the row is reported as modified.
          std::optional<Hash> stored = ToHash(row.leaf_hash);
          if (!stored) {
            stored = LeafHash(row.entry);
            (*stored)[0] ^= 1;
          }
          verifier.AddEntry(row.entry, stored);
          return true;
        }));
    KOSEKI_RETURN_IF_ERROR(
        backend.ScanAuditNodes(log, [&](const store::AuditNodeRow& node) -> Result<bool> {
          verifier.AddStoredNode(node.level, node.index, ToHash(node.hash).value_or(Hash{}));
          return true;
        }));
    KOSEKI_ASSIGN_OR_RETURN(std::vector<store::AuditCheckpointRow> checkpoints,
                            backend.ListAuditCheckpoints(log));
    any_checkpoint = any_checkpoint || !checkpoints.empty();
    for (const store::AuditCheckpointRow& row : checkpoints) verifier.AddCheckpoint(row.note);
    if (auto it = witness_by_log.find(log); it != witness_by_log.end()) {
      for (const std::string& note : it->second) verifier.AddWitnessCheckpoint(note);
    }
    result.logs.push_back({log, verifier.Finish()});
  }
  result.witness_missing = !witness && any_checkpoint;
  return result;
}

Result<std::vector<Entry>> FindEntries(store::Backend& backend, std::string_view log,
                                       const EntryFilter& filter) {
  std::vector<Entry> found;
  KOSEKI_RETURN_IF_ERROR(
      backend.ScanAuditEntries(log, 0, [&](const store::AuditEntryRow& row) -> Result<bool> {
        KOSEKI_ASSIGN_OR_RETURN(Entry entry, Entry::Parse(row.entry));
        if (filter.from && entry.time() < *filter.from) return true;
        if (filter.to && entry.time() >= *filter.to) return true;
        const Actor& actor = entry.event().actor;
        if (!filter.actor.empty() && actor.user_id != filter.actor &&
            actor.device_id != filter.actor) {
          return true;
        }
        if (!filter.object.empty() && entry.event().object_id != filter.object) return true;
        found.push_back(std::move(entry));
        return true;
      }));
  return found;
}

Result<InclusionProofBundle> ProveInclusion(store::Backend& backend, const VerifierKey& key,
                                            std::string_view log, std::uint64_t index) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> row,
                          backend.GetAuditEntry(log, index));
  if (!row) {
    return MakeError(ErrorCode::kNotFound, "KSK-AUDIT-043",
                     "指定された番号の監査ログ記録はありません。", "no such entry");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                          backend.GetLatestAuditCheckpoint(log));
  if (!latest || latest->tree_size <= index) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-AUDIT-042",
                     "この記録はまだチェックポイントに含まれていません。しばらくしてから再実行して"
                     "ください。",
                     "entry not yet covered by a checkpoint");
  }
  KOSEKI_ASSIGN_OR_RETURN(Checkpoint checkpoint, OpenCheckpoint(latest->note, key));
  if (LogOfOrigin(key, checkpoint.origin) != log || checkpoint.size != latest->tree_size) {
    return StoreInconsistent("latest checkpoint is not this log's");
  }
  const StoredHashSource source(backend, log);
  KOSEKI_ASSIGN_OR_RETURN(std::vector<Hash> path, InclusionProof(source, index, checkpoint.size));
  InclusionProofBundle bundle{std::string(log), index, std::move(row->entry), std::move(path),
                              latest->note};
  // Hand out only what checks: a proof from edited rows would fail at the auditor's desk.
  const VerifierKey keys[] = {key};
  if (auto checked = CheckProofBundle(bundle, keys); !checked) {
    return StoreInconsistent("stored rows do not match the checkpoint: " +
                             checked.error().internal_detail);
  }
  return bundle;
}

}  // namespace koseki::audit
