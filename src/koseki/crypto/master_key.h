// The master key and its sealed key file (R10: a copied installation cannot unseal).
//
// The master key (32 random bytes) never touches the database. It lives only in a key file,
// sealed under a passphrase with Argon2id (libsodium crypto_pwhash), and is used only to wrap
// tenant key material (tenant_keys.h). Key file layout: docs/formats.md, "Master key file".
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "koseki/crypto/aead.h"

namespace koseki::crypto {

// Argon2id cost. Production uses the defaults; tests may lower them (never below libsodium's
// minimums) so that a test suite can create many key files quickly.
struct KdfParams {
  std::uint64_t ops_limit = 3;                     // crypto_pwhash_OPSLIMIT_MODERATE
  std::uint64_t mem_limit = 256ULL * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_MODERATE
  static KdfParams Minimal();                      // for tests only
};

// Passphrases shorter than this many characters (UTF-8 code points, not bytes) are refused
// (KSK-CRYPTO-010).
inline constexpr std::size_t kMinPassphraseChars = 12;

// Bounds on the Argon2id cost accepted from a key file (and for a new one), so that a crafted
// file cannot make Unseal allocate or compute without limit. Above libsodium's SENSITIVE level
// (4 passes, 1 GiB) with room to spare, below anything a server would survive.
inline constexpr std::uint64_t kMaxKdfOpsLimit = 16;
inline constexpr std::uint64_t kMaxKdfMemLimit = 2ULL * 1024 * 1024 * 1024;

// Immutable after creation; Wrap/Unwrap are thread-safe. Movable, not copyable.
class MasterKey {
 public:
  // Generates a new master key, seals it under `passphrase` and writes the key file at `path`
  // (mode 0600, created exclusively: an existing file is never overwritten — AlreadyExists
  // KSK-CRYPTO-013). A short passphrase gives InvalidArgument KSK-CRYPTO-010; KDF params outside
  // [KdfParams::Minimal(), kMaxKdf*] give InvalidArgument KSK-CRYPTO-016.
  static Result<MasterKey> CreateKeyFile(const std::filesystem::path& path,
                                         const SecretBytes& passphrase, KdfParams params = {});
  // Reads and unseals the key file. A wrong passphrase or a modified file gives
  // Unauthenticated (KSK-CRYPTO-011); a missing file NotFound (KSK-CRYPTO-012); a file that is
  // not a key file at all (bad magic, size, version, KDF id, KDF params out of bounds) DataLoss
  // (KSK-CRYPTO-014); an unreadable one PermissionDenied/Unavailable (KSK-CRYPTO-015).
  static Result<MasterKey> Unseal(const std::filesystem::path& path, const SecretBytes& passphrase);

  // Random id written in the key file in clear; the database records it so that a mismatched
  // key file is reported as such rather than as a decryption failure.
  const std::string& key_id() const { return key_id_; }

  // Wraps and unwraps key material under the master key (AES-256-GCM) with `context` as
  // associated data (e.g. "tenant:131016"). Layout: docs/formats.md, "Wrapped tenant keys".
  // Unwrap with another context, another master key or modified bytes gives DataLoss
  // (KSK-CRYPTO-002).
  Result<Bytes> Wrap(const SecretBytes& plaintext, std::string_view context) const;
  Result<SecretBytes> Unwrap(ByteView wrapped, std::string_view context) const;

 private:
  MasterKey(std::unique_ptr<AesGcm> aead, std::string key_id)
      : aead_(std::move(aead)), key_id_(std::move(key_id)) {}
  std::unique_ptr<AesGcm> aead_;
  std::string key_id_;
};

}  // namespace koseki::crypto
