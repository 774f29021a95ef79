// Authenticated encryption with associated data (AEAD).
//
// Aead is the one interface the rest of koseki encrypts through (Tink's layering, scaled down):
// AesGcm is the single implementation (OpenSSL EVP AES-256-GCM); Keyset (keyset.h) adds key ids
// and rotation on top. Implementations are immutable after creation and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

class Aead {
 public:
  virtual ~Aead() = default;
  // Encrypts `plaintext`, binding `associated_data` (not stored in the output).
  virtual Result<Bytes> Encrypt(ByteView plaintext, ByteView associated_data) const = 0;
  // Decrypts; any modification of ciphertext or associated data gives a DataLoss error
  // (id KSK-CRYPTO-002), never garbage.
  virtual Result<Bytes> Decrypt(ByteView ciphertext, ByteView associated_data) const = 0;
};

// AES-256-GCM with a random 96-bit nonce per message.
// Output layout: nonce (12 bytes) ‖ ciphertext (len(plaintext) bytes) ‖ tag (16 bytes).
class AesGcm final : public Aead {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;

  // Fails with InvalidArgument unless `key` has kKeySize bytes.
  static Result<std::unique_ptr<AesGcm>> Create(SecretBytes key);

  Result<Bytes> Encrypt(ByteView plaintext, ByteView associated_data) const override;
  Result<Bytes> Decrypt(ByteView ciphertext, ByteView associated_data) const override;

 private:
  explicit AesGcm(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

// Returns `size` bytes from the OS CSPRNG (OpenSSL RAND_bytes).
Result<SecretBytes> RandomSecret(std::size_t size);
Result<Bytes> RandomBytes(std::size_t size);

// Canonical associated data binding a ciphertext to its place:
//   "koseki-ad-v1" ‖ u32be(len(tenant)) ‖ tenant ‖ u32be(len(table)) ‖ table ‖
//   u32be(len(row_id)) ‖ row_id ‖ u64be(version)
// A ciphertext moved to another tenant, table, row or version fails to decrypt. The length
// prefixes make the encoding injective ("ab","c" and "a","bc" differ). Each part must be
// shorter than 4 GiB (ids are short; a longer one aborts rather than being encoded ambiguously).
Bytes MakeAssociatedData(std::string_view tenant, std::string_view table, std::string_view row_id,
                         std::uint64_t version);

}  // namespace koseki::crypto
