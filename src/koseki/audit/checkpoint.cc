#include "koseki/audit/checkpoint.h"

#include <charconv>
#include <cstdio>
#include <vector>

#include "koseki/audit/internal/base64.h"
#include "koseki/crypto/sha256.h"

namespace koseki::audit {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::size_t kMaxNameSize = 256;
constexpr std::size_t kMaxNoteSize = 64 * 1024;
constexpr std::size_t kMaxSignatureLines = 100;
constexpr std::string_view kTimePrefix = "time ";

Error InvalidArgument(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-020",
                   "監査ログのチェックポイントまたは鍵の指定が正しくありません。",
                   std::move(detail));
}

Error MalformedNote(std::string detail) {
  return MakeError(
      ErrorCode::kDataLoss, "KSK-AUDIT-021",
      "監査ログのチェックポイントの形式が正しくありません。改ざんされている可能性があります。",
      std::move(detail));
}

Error BadSignature(std::string detail) {
  return MakeError(
      ErrorCode::kUnauthenticated, "KSK-AUDIT-022",
      "監査ログのチェックポイントの署名を検証できません。改ざんされている可能性があります。",
      std::move(detail));
}

Error MalformedCheckpoint(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-023",
                   "監査ログのチェックポイントの内容が正しくありません。", std::move(detail));
}

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Key names and origins: printable ASCII without space or '+' (the note spec forbids spaces
// and '+'; we also keep out non-ASCII so that look-alike names cannot be made).
bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameSize) return false;
  for (char c : name) {
    if (c <= 0x20 || c >= 0x7F || c == '+') return false;
  }
  return true;
}

// Returns whether `text` is UTF-8 without control characters other than newline.
bool IsValidNoteText(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t j = 1; j < length; ++j) {
      const auto cont = static_cast<unsigned char>(text[i + j]);
      if ((cont & 0xC0) != 0x80) return false;
      code = (code << 6) | (cont & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF, and C1 controls.
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF ||
        (code >= 0xD800 && code <= 0xDFFF) || (code >= 0x80 && code < 0xA0)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::uint32_t ComputeKeyId(std::string_view name, const crypto::Ed25519PublicKey& key) {
  const std::uint8_t separator[] = {'\n', kEd25519SignatureType};
  const crypto::Sha256Digest digest = crypto::Sha256({AsBytes(name), separator, key});
  return (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
         (std::uint32_t{digest[2]} << 8) | std::uint32_t{digest[3]};
}

std::string Hex8(std::uint32_t value) {
  char buffer[9];
  std::snprintf(buffer, sizeof(buffer), "%08x", value);
  return buffer;
}

// Parses a canonical unsigned decimal (no sign, no leading zero unless "0").
bool ParseDecimal(std::string_view text, std::uint64_t& value) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

Result<std::string> FormatTime(std::chrono::sys_seconds time) {
  using namespace std::chrono;
  const sys_days day = floor<days>(time);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> clock(time - day);
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return InvalidArgument("checkpoint time outside years 0000-9999");
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02uT%02d:%02d:%02dZ", y,
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return std::string(buffer);
}

bool ParseTime(std::string_view text, std::chrono::sys_seconds& time) {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SSZ, nothing else.
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return false;
  }
  auto number = [&](std::size_t at, std::size_t length, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!number(0, 4, y) || !number(5, 2, mo) || !number(8, 2, d) || !number(11, 2, h) ||
      !number(14, 2, mi) || !number(17, 2, s)) {
    return false;
  }
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return false;
  time = sys_days(ymd) + hours(h) + minutes(mi) + seconds(s);
  return true;
}

}  // namespace

VerifierKey::VerifierKey(std::string name, const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)), public_key_(key), key_id_(ComputeKeyId(name_, key)) {}

Result<VerifierKey> VerifierKey::Create(std::string_view name, std::span<const std::uint8_t> key) {
  if (!IsValidName(name)) return InvalidArgument("invalid key name");
  if (key.size() != crypto::kEd25519PublicKeySize) {
    return InvalidArgument("Ed25519 public key must be 32 bytes");
  }
  crypto::Ed25519PublicKey public_key{};
  std::copy(key.begin(), key.end(), public_key.begin());
  return VerifierKey(std::string(name), public_key);
}

Result<VerifierKey> VerifierKey::Parse(std::string_view text) {
  const std::size_t first = text.find('+');
  if (first == std::string_view::npos) return InvalidArgument("verifier key without '+'");
  const std::size_t second = text.find('+', first + 1);
  if (second == std::string_view::npos) return InvalidArgument("verifier key without key id");
  const std::string_view name = text.substr(0, first);
  const std::string_view hex = text.substr(first + 1, second - first - 1);
  const auto decoded = internal::Base64DecodeCanonical(text.substr(second + 1));
  if (!decoded || decoded->size() != 1 + crypto::kEd25519PublicKeySize ||
      (*decoded)[0] != kEd25519SignatureType) {
    return InvalidArgument("verifier key is not base64 of 0x01 and a 32-byte Ed25519 key");
  }
  KOSEKI_ASSIGN_OR_RETURN(VerifierKey key,
                          Create(name, std::span<const std::uint8_t>(*decoded).subspan(1)));
  if (hex != Hex8(key.key_id())) return InvalidArgument("verifier key id does not match the key");
  return key;
}

std::string VerifierKey::ToString() const {
  std::vector<std::uint8_t> typed;
  typed.push_back(kEd25519SignatureType);
  typed.insert(typed.end(), public_key_.begin(), public_key_.end());
  return name_ + "+" + Hex8(key_id_) + "+" + internal::Base64Encode(typed);
}

Result<SigningKey> SigningKey::Generate(std::string_view name) {
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes seed, crypto::NewEd25519Seed());
  return FromSeed(name, seed);
}

Result<SigningKey> SigningKey::FromSeed(std::string_view name, const SecretBytes& seed) {
  if (!IsValidName(name)) return InvalidArgument("invalid key name");
  KOSEKI_ASSIGN_OR_RETURN(crypto::Ed25519KeyPtr key, crypto::Ed25519PrivateKeyFromSeed(seed));
  KOSEKI_ASSIGN_OR_RETURN(const crypto::Ed25519PublicKey public_key,
                          crypto::Ed25519PublicKeyOf(key.get()));
  KOSEKI_ASSIGN_OR_RETURN(VerifierKey verifier, VerifierKey::Create(name, public_key));
  return SigningKey(seed.Copy(), std::move(key), std::move(verifier));
}

Result<crypto::Ed25519Signature> SigningKey::Sign(std::string_view message) const {
  return crypto::Ed25519Sign(key_.get(), AsBytes(message));
}

Result<std::string> SignNote(std::string_view text, const SigningKey& key) {
  if (text.empty() || text.back() != '\n' || text.size() > kMaxNoteSize || !IsValidNoteText(text)) {
    return InvalidArgument("note text must be UTF-8 ending in a newline, without controls");
  }
  KOSEKI_ASSIGN_OR_RETURN(const crypto::Ed25519Signature signature, key.Sign(text));
  const std::uint32_t id = key.verifier().key_id();
  std::vector<std::uint8_t> blob = {
      static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
      static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
  blob.insert(blob.end(), signature.begin(), signature.end());
  std::string note(text);
  note += '\n';
  note += kSignaturePrefix;
  note += key.verifier().name();
  note += ' ';
  note += internal::Base64Encode(blob);
  note += '\n';
  return note;
}

Result<std::string> OpenNote(std::string_view note, const VerifierKey& key) {
  if (note.size() > kMaxNoteSize) return MalformedNote("note too large");
  if (!IsValidNoteText(note)) return MalformedNote("note is not UTF-8 text without controls");
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return MalformedNote("no blank line before signatures");
  const std::string_view text = note.substr(0, split + 1);
  std::string_view signatures = note.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return MalformedNote("signature block missing or not ending in a newline");
  }

  std::size_t lines = 0;
  bool verified = false;
  while (!signatures.empty()) {
    const std::size_t end = signatures.find('\n');
    std::string_view line = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    if (++lines > kMaxSignatureLines) return MalformedNote("too many signature lines");
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return MalformedNote("signature line does not start with an em dash and a space");
    }
    line.remove_prefix(kSignaturePrefix.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return MalformedNote("signature line without signature");
    const std::string_view name = line.substr(0, space);
    const auto blob = internal::Base64DecodeCanonical(line.substr(space + 1));
    if (!IsValidName(name) || !blob || blob->size() < 5) {
      return MalformedNote("malformed signature line");
    }
    const std::uint32_t id = (std::uint32_t{(*blob)[0]} << 24) | (std::uint32_t{(*blob)[1]} << 16) |
                             (std::uint32_t{(*blob)[2]} << 8) | std::uint32_t{(*blob)[3]};
    // Signatures by other keys are ignored (the note spec: a witness may cosign).
    if (name != key.name() || id != key.key_id()) continue;
    if (verified) return MalformedNote("two signatures by the same key");
    if (!crypto::Ed25519Verify(key.public_key(), AsBytes(text),
                               std::span<const std::uint8_t>(*blob).subspan(4))) {
      return BadSignature("signature by " + key.name() + " does not verify");
    }
    verified = true;
  }
  if (!verified) return BadSignature("no signature by " + key.name());
  return std::string(text);
}

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsValidName(checkpoint.origin)) return InvalidArgument("invalid checkpoint origin");
  KOSEKI_ASSIGN_OR_RETURN(const std::string time, FormatTime(checkpoint.time));
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
         internal::Base64Encode(checkpoint.root) + "\n" + std::string(kTimePrefix) + time + "\n";
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return MalformedCheckpoint("last line without newline");
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  if (lines.size() != 4) return MalformedCheckpoint("checkpoint must have exactly four lines");
  Checkpoint checkpoint;
  if (!IsValidName(lines[0])) return MalformedCheckpoint("invalid origin");
  checkpoint.origin = std::string(lines[0]);
  if (!ParseDecimal(lines[1], checkpoint.size)) return MalformedCheckpoint("invalid tree size");
  const auto root = internal::Base64DecodeCanonical(lines[2]);
  if (!root || root->size() != kHashSize) return MalformedCheckpoint("invalid root hash");
  std::copy(root->begin(), root->end(), checkpoint.root.begin());
  if (lines[3].substr(0, kTimePrefix.size()) != kTimePrefix ||
      !ParseTime(lines[3].substr(kTimePrefix.size()), checkpoint.time)) {
    return MalformedCheckpoint("invalid time line");
  }
  return checkpoint;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const SigningKey& key) {
  KOSEKI_ASSIGN_OR_RETURN(const std::string text, FormatCheckpoint(checkpoint));
  return SignNote(text, key);
}

Result<Checkpoint> OpenCheckpoint(std::string_view note, const VerifierKey& key) {
  KOSEKI_ASSIGN_OR_RETURN(const std::string text, OpenNote(note, key));
  return ParseCheckpoint(text);
}

}  // namespace koseki::audit
