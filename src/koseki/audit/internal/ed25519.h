// Ed25519 (RFC 8032, pure) through OpenSSL 3's EVP interface, with RAII owners for the handles.
//
// All OpenSSL calls for signatures in the audit module live here. The private key crosses this
// interface only as its 32-byte RFC 8032 seed inside a SecretBytes; OpenSSL keeps its own copy
// inside the EVP_PKEY and wipes it when the key is freed.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

// OpenSSL's EVP_PKEY, declared here so that users of the audit module need no OpenSSL headers.
struct evp_pkey_st;

namespace koseki::audit::internal {

inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

struct PkeyDeleter {
  void operator()(evp_pkey_st* key) const;
};
using PkeyPtr = std::unique_ptr<evp_pkey_st, PkeyDeleter>;

// Returns 32 fresh seed bytes from the OS CSPRNG (RAND_priv_bytes).
Result<SecretBytes> NewEd25519Seed();

// Builds a private key from its 32-byte seed. InvalidArgument KSK-AUDIT-024 on a wrong size.
Result<PkeyPtr> Ed25519PrivateKeyFromSeed(const SecretBytes& seed);

// Returns the 32-byte public key of `key` (private or public).
Result<Ed25519PublicKey> Ed25519PublicKeyOf(evp_pkey_st* key);

// Signs `message` with `key`.
Result<Ed25519Signature> Ed25519Sign(evp_pkey_st* key, std::span<const std::uint8_t> message);

// Returns whether `signature` is a valid Ed25519 signature of `message` under `public_key`.
// Any failure, including a malformed key, is simply "not valid".
bool Ed25519Verify(const Ed25519PublicKey& public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature);

// The Internal error for an unexpected OpenSSL failure (drains OpenSSL's error queue into the
// internal detail).
Error CryptoLibraryError(std::string what);

}  // namespace koseki::audit::internal
