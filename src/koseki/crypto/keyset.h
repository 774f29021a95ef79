// Keyset: versioned data-encryption keys (DEKs) of one tenant.
//
// One key is primary and encrypts; every key still decrypts, so rotation never re-encrypts old
// rows. Ciphertext layout (docs/formats.md, "Keyset ciphertext"):
//   byte 0      format version, 0x01
//   bytes 1..4  key id, u32 big-endian
//   bytes 5..   AesGcm output: nonce (12) ‖ ciphertext ‖ tag (16)
// The 5 header bytes are authenticated too (prepended to the associated data), so a key id or
// version byte cannot be swapped. A ciphertext under a key id the keyset does not hold, or with
// another version byte, fails like any modified ciphertext: DataLoss KSK-CRYPTO-002 (the internal
// detail names the cause). Thread-safe for concurrent Encrypt/Decrypt; Rotate is not.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "koseki/crypto/aead.h"

namespace koseki::crypto {

class Keyset final : public Aead {
 public:
  static constexpr std::uint8_t kFormatVersion = 0x01;
  static constexpr std::size_t kHeaderSize = 5;

  // Creates a keyset with one fresh random primary key (id 1).
  static Result<Keyset> Generate();
  // Parses the serialized form produced by Serialize(). The input is plaintext key material:
  // callers keep it in SecretBytes and only ever store it wrapped (tenant_keys.h). A malformed
  // input (length, version, count, duplicate or zero id, primary not in the set) gives DataLoss
  // KSK-CRYPTO-004.
  static Result<Keyset> Parse(const SecretBytes& serialized);

  Keyset(Keyset&&) noexcept = default;
  Keyset& operator=(Keyset&&) noexcept = default;

  // Adds a fresh key (id = largest id + 1) and makes it primary; returns its id. On failure the
  // keyset is unchanged.
  Result<std::uint32_t> Rotate();
  std::uint32_t primary_key_id() const { return primary_id_; }
  std::size_t size() const { return keys_.size(); }

  // Serialized layout: u8 version (0x01) ‖ u32be primary id ‖ u32be count ‖
  //                    count × (u32be id ‖ 32 key bytes)
  SecretBytes Serialize() const;

  Result<Bytes> Encrypt(ByteView plaintext, ByteView associated_data) const override;
  Result<Bytes> Decrypt(ByteView ciphertext, ByteView associated_data) const override;

 private:
  Keyset() = default;
  std::map<std::uint32_t, SecretBytes> raw_keys_;
  std::map<std::uint32_t, std::unique_ptr<AesGcm>> keys_;
  std::uint32_t primary_id_ = 0;
};

}  // namespace koseki::crypto
