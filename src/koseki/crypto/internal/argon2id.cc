#include "koseki/crypto/internal/argon2id.h"

#include <sodium.h>

#include <string>

namespace koseki::crypto::internal {

static_assert(kArgon2idOpsLimitMin == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kArgon2idMemLimitMin == crypto_pwhash_argon2id_MEMLIMIT_MIN);
static_assert(kArgon2idSaltSize == crypto_pwhash_argon2id_SALTBYTES);

Result<SecretBytes> DeriveArgon2id(const SecretBytes& passphrase, ByteView salt,
                                   std::uint64_t ops_limit, std::uint64_t mem_limit,
                                   std::size_t size) {
  // sodium_init is idempotent and thread-safe; calling it here means no caller can forget it.
  if (sodium_init() < 0) return LibraryError("sodium_init failed");
  if (salt.size() != kArgon2idSaltSize) return LibraryError("Argon2id salt has a wrong size");
  SecretBytes key(size);
  // An empty SecretBytes has a null data pointer; libsodium wants a valid one even for length 0.
  const char* passphrase_chars =
      passphrase.empty() ? "" : reinterpret_cast<const char*>(passphrase.data());
  if (crypto_pwhash(key.data(), key.size(), passphrase_chars, passphrase.size(), salt.data(),
                    ops_limit, static_cast<std::size_t>(mem_limit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return LibraryError("crypto_pwhash failed (out of memory?) with ops=" +
                        std::to_string(ops_limit) + " mem=" + std::to_string(mem_limit));
  }
  return key;
}

}  // namespace koseki::crypto::internal
