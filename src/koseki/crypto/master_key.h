// The master key and its sealed key file (R10: a copied installation cannot unseal).
//
// The master key (32 random bytes) never touches the database. It lives only in a key file,
// sealed under a passphrase with Argon2id (libsodium crypto_pwhash), and is used only to wrap
// tenant key material (tenant_keys.h). Key file layout: docs/formats.md, "Master key file".
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "koseki/crypto/aead.h"

namespace koseki::crypto {

// Argon2id cost. Production uses the defaults; tests may lower them (never below libsodium's
// minimums) so that a test suite can create many key files quickly.
struct KdfParams {
  std::uint64_t ops_limit = 3;                     // crypto_pwhash_OPSLIMIT_MODERATE
  std::uint64_t mem_limit = 256ULL * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_MODERATE
  static KdfParams Minimal();                      // for tests only
};

// Passphrases shorter than this are refused (KSK-CRYPTO-010).
inline constexpr std::size_t kMinPassphraseChars = 12;

class MasterKey {
 public:
  // Generates a new master key, seals it under `passphrase` and writes the key file at `path`
  // (mode 0600, created exclusively: an existing file is never overwritten — AlreadyExists).
  static Result<MasterKey> CreateKeyFile(const std::filesystem::path& path,
                                         const SecretBytes& passphrase, KdfParams params = {});
  // Reads and unseals the key file. A wrong passphrase or a modified file gives
  // Unauthenticated (KSK-CRYPTO-011); a missing file NotFound (KSK-CRYPTO-012).
  static Result<MasterKey> Unseal(const std::filesystem::path& path, const SecretBytes& passphrase);

  // Random id written in the key file in clear; the database records it so that a mismatched
  // key file is reported as such rather than as a decryption failure.
  const std::string& key_id() const { return key_id_; }

  // Wraps and unwraps key material under the master key (AES-256-GCM) with `context` as
  // associated data (e.g. "tenant:131016").
  Result<Bytes> Wrap(const SecretBytes& plaintext, std::string_view context) const;
  Result<SecretBytes> Unwrap(ByteView wrapped, std::string_view context) const;

 private:
  MasterKey(SecretBytes key, std::string key_id);
  std::unique_ptr<AesGcm> aead_;
  std::string key_id_;
};

}  // namespace koseki::crypto
