// Login passwords: Argon2id hashing, the password policy, and one-time passwords for new users.
//
// A stored password is libsodium's encoded Argon2id string ("$argon2id$v=19$m=65536,t=2,p=1$
// <salt>$<hash>"), which carries its own salt and costs, so costs can be raised later: a login
// that verifies under old costs is re-hashed when PasswordNeedsRehash says so. Verification is
// constant-time in libsodium. All functions are thread-safe; none keeps state. Hashing
// allocates mem_limit bytes for the duration of the call (64 MiB by default), so callers bound
// how many logins hash at the same time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::crypto {

// Argon2id costs of a new hash. The defaults are libsodium's INTERACTIVE level (static_assert
// in the .cc), meant for a login a person waits for; tests pass PasswordHashParams::Minimal().
struct PasswordHashParams {
  std::uint64_t ops_limit = 2;                    // crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
  std::size_t mem_limit = std::size_t{64} << 20;  // crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE

  // Returns libsodium's minimum costs (1 pass, 8 KiB): fast, only for tests.
  static constexpr PasswordHashParams Minimal() { return {.ops_limit = 1, .mem_limit = 8192}; }
};

// Bounds HashPassword accepts (the same as the master key's KDF bounds).
inline constexpr std::uint64_t kMaxPasswordOpsLimit = 16;
inline constexpr std::size_t kMaxPasswordMemLimit = std::size_t{2} << 30;

// The password policy users are told (CheckPasswordPolicy).
inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordChars = 128;

// Length of NewOneTimePassword's result.
inline constexpr std::size_t kOneTimePasswordChars = 16;

// Returns the encoded Argon2id hash of `password` under a fresh random salt. Fails with
// InvalidArgument (KSK-CRYPTO-021) if `params` is outside [Minimal(), kMaxPassword*] and with
// Internal (KSK-CRYPTO-003) if libsodium cannot hash (out of memory). Does not check the
// policy: callers that accept a password from a person call CheckPasswordPolicy first.
Result<std::string> HashPassword(const SecretBytes& password, PasswordHashParams params = {});

// Returns true if `password` matches `encoded`. Returns false, never an error, for a wrong
// password, an empty or malformed `encoded`, another algorithm than Argon2id, or costs too
// large to allocate: a login only needs to know yes or no.
bool VerifyPassword(const SecretBytes& password, std::string_view encoded);

// Returns true unless `encoded` is a well-formed Argon2id hash with exactly `params`' costs;
// call it after a successful VerifyPassword and store HashPassword's new value if true.
bool PasswordNeedsRehash(std::string_view encoded, PasswordHashParams params = {});

// Checks a password a person chose against the policy users are told: 12 to 128 characters
// (Unicode code points, so a kanji counts as one), not a single character repeated, and not the
// login itself (ASCII letters compared without case). Fails with InvalidArgument whose message
// states the broken rule: KSK-CRYPTO-017 (length), -018 (repetition), -019 (login), -020 (not
// UTF-8).
Result<void> CheckPasswordPolicy(const SecretBytes& password, std::string_view login);

// Returns a fresh password for a new or reset user, to be told once and changed at the first
// login: kOneTimePasswordChars characters drawn uniformly from 56 letters and digits that
// cannot be mistaken for each other on paper (no 0/O/o, 1/I/l), about 93 bits. It is never one
// character repeated (redrawn in that 56^-15 case), so it meets CheckPasswordPolicy's length and
// repetition rules.
Result<SecretBytes> NewOneTimePassword();

}  // namespace koseki::crypto
