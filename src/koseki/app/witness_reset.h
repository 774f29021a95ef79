// `koseki audit reset-witness`: the custodian's deliberate answer to KSK-AUDIT-054/055 (the
// database is behind its witness file, or the witness is gone), after `koseki audit verify` has
// shown what is missing — never something an ordinary command does by itself.
//
// The old witness file, if any, is kept beside the new one as
// "<witness>.replaced-<ISO 8601 UTC time>" (never deleted: it is the evidence of what the database
// once held). The new file starts with each log's latest checkpoint from the database (each checked
// against the installation's verifier key first), then the reset is recorded in the system log
// (admin.witness_reset) and checkpointed into the new file. The database itself is not changed
// beyond that entry.
#pragma once

#include <filesystem>
#include <optional>

#include "koseki/access/actor.h"
#include "koseki/app/koseki.h"
#include "koseki/base/result.h"

namespace koseki::app {

struct WitnessReset {
  std::optional<std::filesystem::path> replaced;  // where the old file was kept
  std::size_t logs = 0;                           // logs whose latest checkpoint was carried over
};

// `koseki` must have been opened with Koseki::WitnessCheck::kSkippedToReset. PermissionDenied
// for an actor who may not administer; DataLoss KSK-AUDIT-056 if a stored checkpoint does not
// open under the verifier key (nothing is renamed or written then); Unavailable KSK-AUDIT-040 if
// a file cannot be renamed or written.
Result<WitnessReset> ResetWitness(Koseki& koseki, const access::Actor& actor);

}  // namespace koseki::app
