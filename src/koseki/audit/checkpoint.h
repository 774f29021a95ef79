// Signed checkpoints (signed tree heads) of an audit log, as plain-text signed notes in the
// style of C2SP tlog-checkpoint and signed-note, so that an auditor can read and check one by
// hand (docs/formats.md, "Audit log"):
//
//   koseki.invalid/audit/131016                          origin: which log
//   1234                                                 tree size, decimal
//   Z9F1sQ3v0Jw7m6oQm0v2S9nQ3m0Yb1w7y9kq2fQ2x0A=         root hash, base64
//   time 2026-11-26T10:00:00Z                            signing time (extension line)
//                                                        blank line
//   — koseki.invalid/audit <base64(key id ‖ Ed25519 signature)>
//
// key id = first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key), big-endian.
// The signature covers the note text (the four lines, with their newlines). Verifier keys are
// written "<name>+<8 hex key id>+<base64(0x01 ‖ public key)>" exactly as golang.org/x/mod's
// sumdb/note, so existing note tools can check koseki checkpoints.
//
// Opening is strict: any changed, added or removed byte of a checkpoint makes it fail (base64
// and decimals must be canonical, exactly four body lines). Signatures by other keys are
// ignored as the note spec requires, but at least one by the given key must verify and none by
// it may fail. Nothing here does I/O; SigningKey is move-only and not thread-safe to share
// while being moved; all other functions are thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "koseki/audit/merkle.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/ed25519.h"

namespace koseki::audit {

inline constexpr std::uint8_t kEd25519SignatureType = 0x01;

// The public half: a name, its key id and the Ed25519 public key.
class VerifierKey {
 public:
  // InvalidArgument KSK-AUDIT-020 if the name is empty, longer than 256 bytes, or has a byte
  // outside printable ASCII, a space or '+', or the key is not 32 bytes.
  static Result<VerifierKey> Create(std::string_view name, std::span<const std::uint8_t> key);
  // Parses "<name>+<hex key id>+<base64(0x01 ‖ key)>"; InvalidArgument KSK-AUDIT-020 unless it
  // is exactly what ToString() would print (the key id must match the key).
  static Result<VerifierKey> Parse(std::string_view text);

  std::string ToString() const;
  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  const crypto::Ed25519PublicKey& public_key() const { return public_key_; }

  friend bool operator==(const VerifierKey&, const VerifierKey&) = default;

 private:
  VerifierKey(std::string name, const crypto::Ed25519PublicKey& key);
  std::string name_;
  crypto::Ed25519PublicKey public_key_{};
  std::uint32_t key_id_ = 0;
};

// The private half. The seed (RFC 8032 private key, 32 bytes) is what the caller seals under
// the master key and gives back to FromSeed.
class SigningKey {
 public:
  static Result<SigningKey> Generate(std::string_view name);
  static Result<SigningKey> FromSeed(std::string_view name, const SecretBytes& seed);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;

  const SecretBytes& seed() const { return seed_; }
  const VerifierKey& verifier() const { return verifier_; }
  // Returns the raw Ed25519 signature of `message`.
  Result<crypto::Ed25519Signature> Sign(std::string_view message) const;

 private:
  SigningKey(SecretBytes seed, crypto::Ed25519KeyPtr key, VerifierKey verifier)
      : seed_(std::move(seed)), key_(std::move(key)), verifier_(std::move(verifier)) {}
  SecretBytes seed_;
  crypto::Ed25519KeyPtr key_;
  VerifierKey verifier_;
};

// Returns `text` followed by a blank line and this key's signature line. InvalidArgument
// KSK-AUDIT-020 unless text is non-empty UTF-8 ending in a newline, without control characters.
Result<std::string> SignNote(std::string_view text, const SigningKey& key);

// Returns the text of `note` if it is a well-formed signed note with a valid signature by `key`
// and no failing one. DataLoss KSK-AUDIT-021 if malformed; Unauthenticated KSK-AUDIT-022 if no
// signature by `key` verifies.
Result<std::string> OpenNote(std::string_view note, const VerifierKey& key);

struct Checkpoint {
  std::string origin;  // the log's name, e.g. "koseki.invalid/audit/131016"
  std::uint64_t size = 0;
  Hash root{};
  std::chrono::sys_seconds time{};  // UTC, years 0000–9999

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Returns the note text (four lines). InvalidArgument KSK-AUDIT-020 on a bad origin or a time
// outside years 0000–9999.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);
// Parses note text produced by FormatCheckpoint; DataLoss KSK-AUDIT-023 on any deviation.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// Formats and signs a checkpoint: the text to store and append to the witness file.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const SigningKey& key);
// Verifies and parses a signed checkpoint (errors as OpenNote and ParseCheckpoint).
Result<Checkpoint> OpenCheckpoint(std::string_view note, const VerifierKey& key);

}  // namespace koseki::audit
