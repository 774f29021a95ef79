// SealedRecords: the backend-neutral, serialization-neutral core of the register store.
//
// It turns plaintext bytes into encrypted, append-only version rows and plaintext lookup keys
// into blind-index rows, and back. RegisterStore (register_store.h) puts domain::Register
// JSON on top; keeping this layer free of the domain lets it be tested on its own.
//
// Encryption: the tenant's AEAD with associated data
//   crypto::MakeAssociatedData(tenant, "register_versions", register_id, version)
// so that a ciphertext copied to another row, version or tenant fails to decrypt (DataLoss,
// KSK-STORE-016). Lookup keys are (purpose, normalized value) pairs; only their blind index
// is stored. Thread-safe if the backend and the TenantCrypto are.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"
#include "koseki/store/tenant_crypto.h"

namespace koseki::store::internal {

// The table name bound into every register ciphertext's associated data.
inline constexpr std::string_view kRegisterVersionsTable = "register_versions";

// A lookup key before blinding: `value` is already normalized (text::SearchKey) and is never
// stored; only BlindIndex(purpose, value) is.
struct LookupKey {
  std::string purpose;
  std::string value;
  friend bool operator==(const LookupKey&, const LookupKey&) = default;
};

// A register version sealed for its place — tenant, register and version number, all bound
// into the ciphertext — with its blinded index rows: all the cryptography of an append, done
// before its transaction (SealedRecords::SealVersion), so that the transaction only writes.
struct SealedVersion {
  std::string tenant;
  std::string register_id;
  std::uint64_t expected_version = 0;  // sealed as version expected_version + 1
  crypto::Bytes ciphertext;
  std::vector<IndexEntry> entries;
};

struct OpenedVersion {
  std::uint64_t version = 0;
  std::int64_t created_at = 0;
  Bytes plaintext;  // personal data: callers wipe it when done (WipeBytes)
};

// Checks a tenant code: 1–32 characters of [0-9A-Za-z_-] (InvalidArgument, KSK-STORE-019).
Result<void> ValidateTenantCode(std::string_view tenant_code);
// Checks a register id: 32 lowercase hex digits (InvalidArgument, KSK-STORE-019).
Result<void> ValidateRegisterId(std::string_view register_id);
// Returns a new random register id: 16 bytes from the CSPRNG as 32 lowercase hex digits.
Result<std::string> NewRegisterId();
// Returns `clock`'s now as Unix microseconds, the unit of every time the store keeps.
std::int64_t NowMicros(const Clock& clock);

class SealedRecords {
 public:
  // All three must outlive this object.
  SealedRecords(Backend& backend, TenantCrypto& crypto, const Clock& clock)
      : backend_(backend), crypto_(crypto), clock_(clock) {}

  // Creates a register whose version 1 is `plaintext`, indexed under `keys`; returns its id.
  Result<std::string> Create(std::string_view tenant, crypto::ByteView plaintext,
                             std::span<const LookupKey> keys);
  // Appends version expected_version + 1 (Aborted, KSK-STORE-010, if the head moved on).
  Result<std::uint64_t> Append(std::string_view tenant, std::string_view register_id,
                               std::uint64_t expected_version, crypto::ByteView plaintext,
                               std::span<const LookupKey> keys);
  // Seals `plaintext` as version expected_version + 1 of the register, indexed under `keys`,
  // for Append.
  // With the tenant's current key: if the key is rotated before the append, the version is
  // sealed as any written just before the rotation (the keyset keeps the old key to open it).
  Result<SealedVersion> SealVersion(std::string_view tenant, std::string_view register_id,
                                    std::uint64_t expected_version, crypto::ByteView plaintext,
                                    std::span<const LookupKey> keys);
  // Appends a sealed version (Aborted, KSK-STORE-010, if the head moved on from
  // sealed.expected_version).
  Result<std::uint64_t> Append(const SealedVersion& sealed);
  // Decrypts one version (the head if `version` is empty). NotFound (KSK-STORE-011/012) for
  // a missing register or version; DataLoss (KSK-STORE-016) if the ciphertext does not
  // authenticate in this place.
  Result<OpenedVersion> Open(std::string_view tenant, std::string_view register_id,
                             std::optional<std::uint64_t> version);
  // Returns the versions of a register, oldest first; NotFound if it does not exist.
  Result<std::vector<VersionInfo>> ListVersions(std::string_view tenant,
                                                std::string_view register_id);
  // Returns ids whose index rows match `key`. Candidates only: a truncated HMAC can collide
  // and old versions' rows stay, so callers check the decrypted head.
  Result<std::vector<std::string>> Candidates(std::string_view tenant, const LookupKey& key);
  // Returns the head version, NotFound if the register does not exist.
  Result<std::uint64_t> Head(std::string_view tenant, std::string_view register_id);

  Backend& backend() { return backend_; }

 private:
  Backend& backend_;
  TenantCrypto& crypto_;
  const Clock& clock_;
};

}  // namespace koseki::store::internal
