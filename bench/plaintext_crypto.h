// PlaintextTenantCrypto: the benchmark's "encryption off" baseline (bench only, never in src/).
//
// It plugs into RegisterStore exactly where the production TenantCrypto (store::Installation)
// does, so baseline (b) runs the same schema, the same SQL and the same code path as the real
// store (a); only the cryptography differs:
//   * aead(): an identity "cipher" — Encrypt and Decrypt return a copy of their input and
//     ignore the associated data, so version rows hold the register JSON in plaintext;
//   * BlindIndex(): the same HMAC-SHA-256 (crypto::BlindIndexer, truncated to 16 bytes) as
//     production, under a random key. The plain key bytes cannot be used: the schema limits
//     `register_index.blind` to 64 bytes, and 本籍 + 筆頭者 in UTF-8 is often longer.
// So (a) / (b) measures the cost of the register encryption (AES-256-GCM with a keyset) and of
// the production key lookup, not of the blind index.
//
// Every tenant code maps to the same cipher. Immutable after Create(); thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/crypto/aead.h"
#include "koseki/crypto/blind_index.h"
#include "koseki/store/tenant_crypto.h"

namespace koseki::bench {

// An Aead that does not encrypt: output == input. For the plaintext baseline only.
class IdentityAead final : public crypto::Aead {
 public:
  Result<crypto::Bytes> Encrypt(crypto::ByteView plaintext,
                                crypto::ByteView associated_data) const override;
  Result<crypto::Bytes> Decrypt(crypto::ByteView ciphertext,
                                crypto::ByteView associated_data) const override;
};

class PlaintextTenantCrypto final : public store::TenantCrypto {
 public:
  // Creates the crypto with a fresh random blind-index key.
  static Result<std::unique_ptr<PlaintextTenantCrypto>> Create();

  Result<std::shared_ptr<const store::TenantCipher>> ForTenant(
      std::string_view tenant_code) override;

 private:
  explicit PlaintextTenantCrypto(std::shared_ptr<const store::TenantCipher> cipher)
      : cipher_(std::move(cipher)) {}
  std::shared_ptr<const store::TenantCipher> cipher_;
};

}  // namespace koseki::bench
