// The check every keyed open of an installation makes (app::Koseki::Open: each CLI command and
// the server) before anything is read or written: the database is not behind what the witness
// file saw. Without it, an older copy of the database restored over the current one would be
// used by every ordinary command without a word — a case approved twice, the log forked — and
// deleting the witness as well would let the next command start a new one.
//
// For each log, the latest checkpoint in the witness file that opens under this installation's
// verifier key (notes of other keys, or that do not open, are passed over: an attacker who can
// write the file cannot sign) must be in the database's tree: the log has at least that many
// entries and the stored tree has that root at that size. And a database that has checkpoints
// needs its witness file. Cost: one signature check per log and O(log n) node reads per log;
// the witness file is read once.
//
// What to do when refused is the custodian's decision, never the program's: restore the newest
// copy of the database, or — after `koseki audit verify` has shown what is missing — start a new
// witness with `koseki audit reset-witness` (recorded).
#pragma once

#include <filesystem>

#include "koseki/audit/checkpoint.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::audit {

// DataLoss KSK-AUDIT-054 if a log is behind (or has another history than) its latest witnessed
// checkpoint; DataLoss KSK-AUDIT-055 if the witness file is missing while the database has
// checkpoints; Unavailable KSK-AUDIT-040 if the witness file cannot be read.
Result<void> CheckDatabaseAgainstWitness(store::Backend& backend, const VerifierKey& key,
                                         const std::filesystem::path& witness_file);

}  // namespace koseki::audit
