// Ed25519 signatures (RFC 8032, pure Ed25519) through OpenSSL 3's EVP interface. The audit log
// signs its checkpoints with them (audit/checkpoint.h).
//
// The private key crosses this interface only as its 32-byte RFC 8032 seed inside a
// SecretBytes; OpenSSL keeps its own copy inside the EVP_PKEY and wipes it when the key is
// freed. The key handle is an opaque OpenSSL EVP_PKEY, forward-declared so that callers need
// no OpenSSL headers. The errors keep their KSK-AUDIT ids: the audit log's checkpoint key is
// the only Ed25519 key koseki has. All functions are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

// OpenSSL's EVP_PKEY.
struct evp_pkey_st;

namespace koseki::crypto {

inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

// Frees the key (EVP_PKEY_free, which cleanses the private key).
struct Ed25519KeyDeleter {
  void operator()(evp_pkey_st* key) const;
};
using Ed25519KeyPtr = std::unique_ptr<evp_pkey_st, Ed25519KeyDeleter>;

// Returns 32 fresh seed bytes from the OS CSPRNG (RAND_priv_bytes). Internal KSK-AUDIT-025 if
// OpenSSL fails.
Result<SecretBytes> NewEd25519Seed();

// Builds a private key from its 32-byte seed. InvalidArgument KSK-AUDIT-024 on a wrong size.
Result<Ed25519KeyPtr> Ed25519PrivateKeyFromSeed(const SecretBytes& seed);

// Returns the 32-byte public key of `key` (private or public).
Result<Ed25519PublicKey> Ed25519PublicKeyOf(evp_pkey_st* key);

// Signs `message` with the private key `key`. Ed25519 is deterministic: the same key and
// message always give the same signature.
Result<Ed25519Signature> Ed25519Sign(evp_pkey_st* key, std::span<const std::uint8_t> message);

// Returns whether `signature` is a valid Ed25519 signature of `message` under `public_key`.
// Any failure, including a malformed key or a signature of the wrong size, is simply "not
// valid".
bool Ed25519Verify(const Ed25519PublicKey& public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature);

}  // namespace koseki::crypto
