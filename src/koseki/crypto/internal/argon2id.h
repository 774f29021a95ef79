// Argon2id (version 1.3) passphrase-based key derivation through libsodium's crypto_pwhash.
// The master key file (master_key.h) derives its key-encryption key here.
#pragma once

#include <cstdint>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto::internal {

// libsodium's crypto_pwhash_argon2id_{OPS,MEM}LIMIT_MIN (checked by static_assert in the .cc).
inline constexpr std::uint64_t kArgon2idOpsLimitMin = 1;
inline constexpr std::uint64_t kArgon2idMemLimitMin = 8192;
inline constexpr std::size_t kArgon2idSaltSize = 16;

// Returns a `size`-byte key derived from `passphrase` and `salt` (kArgon2idSaltSize bytes).
// Callers bound ops_limit and mem_limit first: this function would try to allocate mem_limit
// bytes.
Result<SecretBytes> DeriveArgon2id(const SecretBytes& passphrase, ByteView salt,
                                   std::uint64_t ops_limit, std::uint64_t mem_limit,
                                   std::size_t size);

}  // namespace koseki::crypto::internal
