#include "koseki/audit/witness_check.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/merkle.h"
#include "koseki/audit/witness_file.h"

namespace koseki::audit {
namespace {

Error BehindTheWitness(std::string_view log, std::uint64_t size) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-054",
                   "データベースが、監査ログの立会いファイルに記録された状態より古いか、異なって"
                   "います（巻き戻しの疑い）。最新のデータベースを復元してください。復元できない"
                   "場合は koseki audit verify で確認のうえ、管理者が koseki audit reset-witness "
                   "を実行してください。",
                   "log " + std::string(log) + " does not hold its witnessed checkpoint of size " +
                       std::to_string(size));
}

Error WitnessMissing() {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-055",
                   "監査ログの立会いファイルが見つかりません。立会いファイルを元の場所に戻して"
                   "ください。失われた場合は koseki audit verify で確認のうえ、管理者が koseki "
                   "audit reset-witness を実行してください。",
                   "witness file missing while the database has checkpoints");
}

// The latest checkpoint of each log among `notes` that opens under `key`, by log id.
std::map<std::string, Checkpoint> LatestWitnessed(const std::vector<std::string>& notes,
                                                  const VerifierKey& key) {
  std::map<std::string, Checkpoint> latest;
  for (auto note = notes.rbegin(); note != notes.rend(); ++note) {
    // The origin is the note's first line; a log already settled needs no further signature
    // checks.
    const std::string_view origin = std::string_view(*note).substr(0, note->find('\n'));
    const std::optional<std::string> log = LogOfOrigin(key, origin);
    if (!log || latest.contains(*log)) continue;
    Result<Checkpoint> opened = OpenCheckpoint(*note, key);
    if (opened) latest.emplace(*log, std::move(*opened));
  }
  return latest;
}

Result<bool> AnyCheckpointStored(store::Backend& backend) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> logs, backend.ListAuditLogs());
  for (const std::string& log : logs) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> checkpoint,
                            backend.GetLatestAuditCheckpoint(log));
    if (checkpoint) return true;
  }
  return false;
}

}  // namespace

Result<void> CheckDatabaseAgainstWitness(store::Backend& backend, const VerifierKey& key,
                                         const std::filesystem::path& witness_file) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> notes,
                          ReadWitnessNotes(witness_file));
  if (!notes) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_checkpoints, AnyCheckpointStored(backend));
    if (has_checkpoints) return WitnessMissing();
    return Ok();
  }
  for (const auto& [log, checkpoint] : LatestWitnessed(*notes, key)) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> last,
                            backend.GetLastAuditEntry(log));
    const std::uint64_t size = last ? last->index + 1 : 0;
    if (size < checkpoint.size) return BehindTheWitness(log, checkpoint.size);
    const internal::StoredHashSource source(backend, log);
    Result<Frontier> frontier = Frontier::FromSource(source, checkpoint.size);
    if (!frontier || frontier->Root() != checkpoint.root) {
      return BehindTheWitness(log, checkpoint.size);
    }
  }
  return Ok();
}

}  // namespace koseki::audit
