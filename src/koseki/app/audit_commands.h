// The auditor's commands (`koseki audit verify | show | proof | check-proof`).
//
// They read the database and files only, and need no passphrase: the audit trail holds no
// personal data, and an auditor (the city's internal audit, the Legal Affairs Bureau) must be
// able to check it without the means to read the registers. check-proof needs not even the
// database.
//
// Trust anchor: the verifier key is taken from outside the database — `--key` (a verifier key,
// or a file of them), else the keys file beside the witness file — and compared with the key
// the database stores; the database's own key is used alone only when neither exists (and the
// result says so).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/app/location.h"
#include "koseki/audit/proof_bundle.h"
#include "koseki/audit/stored_log.h"
#include "koseki/base/result.h"

namespace koseki::app {

struct AuditVerifyResult {
  audit::StoreVerification verification;
  std::string key;  // the verifier key used
  // The key came from the database only: nothing outside it was compared.
  bool key_unchecked = false;
};

// `koseki audit verify [--tenant CODE]`. An installation without audit logs verifies trivially.
// DataLoss KSK-AUDIT-049 if the database's verifier key differs from the external one.
Result<AuditVerifyResult> VerifyAudit(const Location& location, std::string_view key_arg,
                                      std::optional<std::string_view> log);

// `koseki audit show`: the entries of `log` (a tenant code or "system") matching `filter`.
Result<std::vector<audit::Entry>> ShowAudit(const Location& location, std::string_view log,
                                            const audit::EntryFilter& filter);

// `koseki audit proof`: a checked inclusion proof bundle of entry `index` of `log`.
Result<audit::InclusionProofBundle> ProveAudit(const Location& location, std::string_view key_arg,
                                               std::string_view log, std::uint64_t index);

// `koseki audit check-proof`: checks a bundle offline with the key from `key_arg` or the keys
// file beside `location.witness_file` (either may be empty, not both).
Result<audit::CheckedProof> CheckProof(const Location& location, std::string_view key_arg,
                                       std::string_view bundle_text);

// Parses an ISO 8601 time: YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.ffffff]] followed by Z or
// ±HH:MM; without a zone, Japan time (+09:00) is meant. As an upper bound (`end_of`), a date
// alone means the end of that day and a time the end of that second/microsecond given, so that
// `--to 2026-11-26` includes all of the 26th. InvalidArgument KSK-AUDIT-051 otherwise.
Result<audit::Timestamp> ParseIsoTime(std::string_view text, bool end_of);

// Formats a time as ISO 8601 UTC with microseconds, e.g. 2026-11-26T10:00:00.000000Z.
std::string FormatIsoTime(audit::Timestamp time);

// Returns the entry as one JSON object (ids, time, outcome; the encrypted detail by size only;
// whether it is sealed with a MAC and how many rows it commits to).
std::string EntryJson(const audit::Entry& entry);

}  // namespace koseki::app
