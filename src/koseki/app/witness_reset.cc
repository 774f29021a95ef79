#include "koseki/app/witness_reset.h"

#include <chrono>
#include <string>
#include <system_error>
#include <vector>

#include "koseki/app/audit_commands.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/checkpoint.h"
#include "koseki/audit/witness_file.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

Error StoredCheckpointDoesNotOpen(const std::string& log) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-056",
                   "データベースのチェックポイントが署名を検証できません。立会いファイルは作り"
                   "直せません。koseki audit verify で確認してください。",
                   "stored checkpoint of log " + log + " does not open under the verifier key");
}

Error CannotSetAside(const std::error_code& ec) {
  return MakeError(ErrorCode::kUnavailable, "KSK-AUDIT-057",
                   "以前の立会いファイルを退避できません。", "rename: " + ec.message());
}

// "<witness>.replaced-<ISO 8601 UTC time>"
std::filesystem::path SetAsidePath(const std::filesystem::path& witness,
                                   std::chrono::system_clock::time_point now) {
  return witness.string() + ".replaced-" +
         FormatIsoTime(std::chrono::time_point_cast<std::chrono::microseconds>(now));
}

}  // namespace

Result<WitnessReset> ResetWitness(Koseki& koseki, const access::Actor& actor) {
  KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
  audit::AuditLog& log = koseki.audit();
  const std::optional<audit::VerifierKey> verifier = log.verifier();
  if (!verifier) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-AUDIT-058",
                     "監査ログの署名鍵がないため、立会いファイルを作り直せません。",
                     "witness reset without a signing key");
  }
  store::Backend& backend = koseki.installation().backend();

  // Every log's latest checkpoint, checked before anything on disk changes.
  std::vector<std::string> notes;
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> logs, backend.ListAuditLogs());
  for (const std::string& id : logs) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                            backend.GetLatestAuditCheckpoint(id));
    if (!latest) continue;
    if (!audit::OpenCheckpoint(latest->note, *verifier)) return StoredCheckpointDoesNotOpen(id);
    notes.push_back(latest->note);
  }

  WitnessReset reset;
  const std::filesystem::path& witness = log.witness_file();
  std::error_code ec;
  if (std::filesystem::exists(witness, ec)) {
    reset.replaced = SetAsidePath(witness, koseki.clock().Now());
    std::filesystem::rename(witness, *reset.replaced, ec);
    if (ec) return CannotSetAside(ec);
  }
  {
    KOSEKI_ASSIGN_OR_RETURN(audit::WitnessWriter writer, audit::WitnessWriter::Lock(witness));
    for (const std::string& note : notes) KOSEKI_RETURN_IF_ERROR(writer.Append(note));
  }
  reset.logs = notes.size();

  audit::Event event = workflow::EventOf(actor, audit::actions::kWitnessReset);
  event.context_id = reset.replaced ? "replaced" : "missing";
  KOSEKI_RETURN_IF_ERROR(log.Append(audit::kSystemTenant, event));
  KOSEKI_RETURN_IF_ERROR(log.Checkpoint(audit::kSystemTenant));
  return reset;
}

}  // namespace koseki::app
