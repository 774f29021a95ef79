// The read side of the stored audit logs: verification (`koseki audit verify`), search
// (`koseki audit show`) and inclusion proofs (`koseki audit proof`). Needs the database and the
// verifier key only — never the signing key or the master key — so an auditor can run it on a
// copy of the data directory without the passphrase. Reads only.
//
// The verifier key given here is the trust anchor: take it from outside the database (the keys
// file beside the witness file, or an auditor's own copy), since whoever rewrites the database
// can rewrite a key stored there.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/checkpoint.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/proof_bundle.h"
#include "koseki/audit/state_check.h"
#include "koseki/audit/verifier.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::audit {

struct LogVerification {
  std::string log;
  VerifyReport report;
};

struct StoreVerification {
  std::vector<LogVerification> logs;  // sorted by log id
  bool witness_found = false;
  // The database holds checkpoints but the witness file is missing: nothing outside the
  // database vouches for the logs (a rollback would go unnoticed), which fails verification.
  bool witness_missing = false;
  // Whether the store's state was compared with the logs (state_check.h; all logs verified),
  // and where they disagree.
  bool state_checked = false;
  std::vector<StateFinding> state;
  // Not checked because the installation predates row commitments and its first keyed open has
  // not yet restated its rows (row_baseline.h).
  bool state_awaits_baseline = false;
  bool ok() const;
};

// Verifies the stored logs against `key` and the witness file: every log in the database and
// every log of this key's origin in the witness file (a log the witness knows but the database
// does not is a rollback), or only `only_log`. Witness records of other keys' origins (another
// installation sharing the file) are skipped. Errors only if the store or file cannot be read;
// tampering is reported in the result.
Result<StoreVerification> VerifyStoredLogs(store::Backend& backend, const VerifierKey& key,
                                           const std::filesystem::path& witness_file,
                                           std::optional<std::string_view> only_log);

struct EntryFilter {
  std::optional<Timestamp> from;  // inclusive
  std::optional<Timestamp> to;    // exclusive
  std::string actor;              // matches the user id or the device id; empty: any
  std::string object;             // matches the object id; empty: any
};

// Returns the log's entries matching `filter`, in index order; with an object, only the
// entries the store indexed under it are read (O(log n) each), unless the installation's
// older entries are not indexed yet (IndexEntryObjects), when the whole log is. DataLoss
// KSK-AUDIT-011 if a stored entry does not parse (run verify).
Result<std::vector<Entry>> FindEntries(store::Backend& backend, std::string_view log,
                                       const EntryFilter& filter);

// Indexes the objects of the entries appended before the store kept an index of them, once
// (Backend::IndexAuditObjects); the keyed open runs it. Returns whether it ran.
Result<bool> IndexEntryObjects(store::Backend& backend);

// Returns an inclusion proof of entry `index` against the log's latest checkpoint, after
// checking it. NotFound KSK-AUDIT-043 if there is no such entry; FailedPrecondition
// KSK-AUDIT-042 if no checkpoint covers it yet; DataLoss KSK-AUDIT-047 if the stored rows do
// not match their own checkpoint (run verify).
Result<InclusionProofBundle> ProveInclusion(store::Backend& backend, const VerifierKey& key,
                                            std::string_view log, std::uint64_t index);

}  // namespace koseki::audit
