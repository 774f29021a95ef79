// The baseline of an installation from before row commitments (docs/security.md, "State
// against the log").
//
// Rows written before koseki committed to rows from the audit log have no entry naming them,
// so `audit verify` would report every one as never logged. The first keyed open of such an
// installation restates every committed row it holds, as they stand, in the system log
// (actions::kRowBaseline, in entries of at most kMaxWrites rows, all in one transaction); the
// state check then holds those rows to what the baseline says.
//
// The baseline vouches only for rows no entry had committed to: a row an earlier entry logged
// must be restated with the same digest, or the state check reports it. And it is taken once:
// only while the system log's last entry written with the key is still in format 1 (from before
// commitments), which an attacker cannot fake — the entries read to decide are checked against
// the log's signed checkpoint. What was changed in the file before the baseline is not
// detected by it; it is what the upgrade found.
#pragma once

#include "koseki/audit/audit_log.h"
#include "koseki/audit/checkpoint.h"
#include "koseki/audit/entry.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::audit {

// Returns true if the installation predates row commitments: the system log's signed part
// (the entries its latest checkpoint, signed by `key`, covers) ends — past any refusals
// recorded without the key — with an entry in format 1. The entries read are checked against
// that checkpoint first: DataLoss KSK-AUDIT-047 if they differ.
Result<bool> PredatesRowCommitments(store::Backend& backend, const VerifierKey& key);

// Returns true if the installation's rows need their baseline: PredatesRowCommitments, and
// that checkpoint covers the whole system log.
Result<bool> NeedsRowBaseline(store::Backend& backend, const VerifierKey& key);

// If NeedsRowBaseline, restates every committed row (Backend::ScanState) in the system log with
// `event`, in one transaction, and returns true; otherwise writes nothing and returns false.
Result<bool> RecordRowBaseline(AuditLog& log, store::Backend& backend, const VerifierKey& key,
                               const Event& event);

}  // namespace koseki::audit
