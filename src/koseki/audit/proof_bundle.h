// An inclusion proof an auditor can take away and check offline: the entry, its Merkle path and
// the signed checkpoint it leads to, in one plain-text blob (docs/formats.md, "Inclusion proof
// bundle"):
//
//   koseki audit inclusion proof 1
//   log 999997
//   index 5
//   entry <base64 of the entry bytes>
//   path <base64 of a hash>            zero or more, from the leaf upward (RFC 9162 PATH)
//                                      empty line
//   <the signed checkpoint note, verbatim>
//
// Checking needs only the verifier key (from the keys file beside the witness file, or given by
// hand): no database, no passphrase. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/checkpoint.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/merkle.h"
#include "koseki/base/result.h"

namespace koseki::audit {

struct InclusionProofBundle {
  std::string log;
  std::uint64_t index = 0;
  std::vector<std::uint8_t> entry;  // canonical entry bytes
  std::vector<Hash> path;
  std::string checkpoint;  // signed note

  friend bool operator==(const InclusionProofBundle&, const InclusionProofBundle&) = default;
};

std::string FormatProofBundle(const InclusionProofBundle& bundle);
// Parses FormatProofBundle's output exactly. DataLoss KSK-AUDIT-044 on any deviation.
Result<InclusionProofBundle> ParseProofBundle(std::string_view text);

struct CheckedProof {
  Entry entry;
  Checkpoint checkpoint;
  VerifierKey key;  // the key that signed the checkpoint
};

// Checks a bundle: the checkpoint is signed by the key among `keys` whose name is its origin's
// prefix (NotFound KSK-AUDIT-046 if none; the checkpoint's own errors if its signature fails),
// its origin names the bundle's log, the entry parses and carries that log and index, and the
// path leads from the entry's leaf hash to the checkpoint's root (Unauthenticated
// KSK-AUDIT-045 otherwise).
Result<CheckedProof> CheckProofBundle(const InclusionProofBundle& bundle,
                                      std::span<const VerifierKey> keys);

// Returns NotFound (KSK-AUDIT-046): no verifier key to check a log or checkpoint with (none
// given with --key or stored, or none whose name starts the checkpoint's origin).
Error VerifierKeyNotFound(std::string detail);

}  // namespace koseki::audit
