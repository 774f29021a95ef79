#include "koseki/audit/proof_bundle.h"

#include <algorithm>
#include <charconv>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/internal/base64.h"

namespace koseki::audit {
namespace {

constexpr std::string_view kHeader = "koseki audit inclusion proof 1";
// More path hashes than this cannot belong to a tree of fewer than 2^64 leaves.
constexpr std::size_t kMaxPathLength = 64;

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-044", "包含証明の形式が正しくありません。",
                   std::move(detail));
}

Error ProofFails(std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, "KSK-AUDIT-045",
                   "包含証明を検証できません。記録またはチェックポイントが改ざんされている可能性"
                   "があります。",
                   std::move(detail));
}

// Splits off the next line (without its newline); false if there is no complete line.
bool NextLine(std::string_view& text, std::string_view& line) {
  const std::size_t end = text.find('\n');
  if (end == std::string_view::npos) return false;
  line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return true;
}

bool StripPrefix(std::string_view& line, std::string_view prefix) {
  if (line.substr(0, prefix.size()) != prefix) return false;
  line.remove_prefix(prefix.size());
  return true;
}

// Canonical decimal (no sign, no leading zeros).
bool ParseDecimal(std::string_view text, std::uint64_t& value) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string Base64(std::span<const std::uint8_t> bytes) { return internal::Base64Encode(bytes); }

}  // namespace

std::string FormatProofBundle(const InclusionProofBundle& bundle) {
  std::string out(kHeader);
  out += "\nlog " + bundle.log + "\nindex " + std::to_string(bundle.index) + "\nentry " +
         Base64(bundle.entry) + "\n";
  for (const Hash& hash : bundle.path) out += "path " + Base64(hash) + "\n";
  out += "\n" + bundle.checkpoint;
  return out;
}

Result<InclusionProofBundle> ParseProofBundle(std::string_view text) {
  InclusionProofBundle bundle;
  std::string_view line;
  if (!NextLine(text, line) || line != kHeader) return Malformed("missing header line");
  if (!NextLine(text, line) || !StripPrefix(line, "log ") || !IsOpaqueId(line)) {
    return Malformed("bad log line");
  }
  bundle.log = std::string(line);
  if (!NextLine(text, line) || !StripPrefix(line, "index ") || !ParseDecimal(line, bundle.index)) {
    return Malformed("bad index line");
  }
  if (!NextLine(text, line) || !StripPrefix(line, "entry ")) return Malformed("bad entry line");
  auto entry = internal::Base64DecodeCanonical(line);
  if (!entry || entry->empty()) return Malformed("entry is not canonical base64");
  bundle.entry = std::move(*entry);
  while (true) {
    if (!NextLine(text, line)) return Malformed("missing checkpoint");
    if (line.empty()) break;
    if (!StripPrefix(line, "path ")) return Malformed("unexpected line before the checkpoint");
    auto hash = internal::Base64DecodeCanonical(line);
    if (!hash || hash->size() != kHashSize) return Malformed("path hash is not 32 bytes");
    if (bundle.path.size() == kMaxPathLength) return Malformed("path too long");
    Hash h{};
    std::copy(hash->begin(), hash->end(), h.begin());
    bundle.path.push_back(h);
  }
  if (text.empty()) return Malformed("missing checkpoint");
  bundle.checkpoint = std::string(text);
  return bundle;
}

Error VerifierKeyNotFound(std::string detail) {
  return MakeError(ErrorCode::kNotFound, "KSK-AUDIT-046",
                   "監査ログの検証鍵が見つかりません（--key で指定してください）。",
                   std::move(detail));
}

Result<CheckedProof> CheckProofBundle(const InclusionProofBundle& bundle,
                                      std::span<const VerifierKey> keys) {
  const std::string_view origin =
      std::string_view(bundle.checkpoint).substr(0, bundle.checkpoint.find('\n'));
  const auto key = std::find_if(keys.begin(), keys.end(), [&](const VerifierKey& k) {
    return LogOfOrigin(k, origin).has_value();
  });
  if (key == keys.end()) {
    return VerifierKeyNotFound("no verifier key for the checkpoint origin");
  }
  KOSEKI_ASSIGN_OR_RETURN(Checkpoint checkpoint, OpenCheckpoint(bundle.checkpoint, *key));
  if (LogOfOrigin(*key, checkpoint.origin) != bundle.log) {
    return ProofFails("checkpoint is of another log");
  }
  auto entry = Entry::Parse(bundle.entry);
  if (!entry) return ProofFails("entry does not parse: " + entry.error().internal_detail);
  if (entry->tenant() != bundle.log || entry->index() != bundle.index) {
    return ProofFails("entry carries another log or index");
  }
  if (bundle.index >= checkpoint.size) return ProofFails("index not covered by the checkpoint");
  if (auto included = VerifyInclusion(bundle.index, checkpoint.size, LeafHash(bundle.entry),
                                      bundle.path, checkpoint.root);
      !included) {
    return ProofFails("path does not lead to the checkpoint root");
  }
  return CheckedProof{*std::move(entry), std::move(checkpoint), *key};
}

}  // namespace koseki::audit
