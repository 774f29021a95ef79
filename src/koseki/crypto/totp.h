// Time-based one-time passwords (TOTP, RFC 6238) as authenticator apps implement them: HMAC-SHA1
// (RFC 4226 HOTP), 30-second steps counted from the Unix epoch, 6 digits. The second login
// factor of koseki's users; the secret is shared with the app once, through an otpauth:// URI
// shown as a QR code (render/qr_svg.h), and stored in base32.
//
// A code is accepted in the step of `now` and one step either side (clock drift of the phone),
// and each step only once: the caller stores the step VerifyTotp returns and passes it back as
// `last_used_step`, so a code seen over a shoulder or replayed is refused. Brute force is the
// caller's to stop (lock the account after a few failures): one guess succeeds with odds 3e-6.
//
// All functions are thread-safe and keep no state. If OpenSSL cannot compute HMAC-SHA1 at all
// (no memory, no default provider) TotpCode aborts the process, as sha256.h does, rather than
// return a code that is not one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/aead.h"

namespace koseki::crypto {

inline constexpr std::size_t kTotpSecretSize = 20;  // 160 bits, RFC 4226's recommendation
inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// Returns a new random secret of kTotpSecretSize bytes.
Result<SecretBytes> NewTotpSecret();

// Returns `bytes` in RFC 4648 base32 (A–Z, 2–7) without '=' padding, the form authenticator
// apps expect in an otpauth URI and people type when they cannot scan.
std::string Base32Encode(ByteView bytes);

// Decodes base32 as people type it: upper or lower case, spaces anywhere, '=' padding at the
// end optional. Fails with InvalidArgument (KSK-CRYPTO-022) on any other character, on a length
// no encoding produces, or on non-zero bits after the last whole byte (so each secret has
// exactly one accepted spelling apart from case and spaces).
Result<SecretBytes> Base32Decode(std::string_view text);

// Returns the 6-digit code of the step that contains `unix_seconds`, e.g. "012345". Seconds
// before the epoch count as step 0.
std::string TotpCode(const SecretBytes& secret, std::int64_t unix_seconds);

// Returns the step number whose code is `code`, trying the steps of unix_seconds - 30, of
// unix_seconds and of unix_seconds + 30; if two match, the later. Returns nullopt if none
// matches, if the matching step is <= `last_used_step` (already used: pass -1 before the first
// use), if `code` is not exactly 6 ASCII digits, or if `secret` is shorter than 16 bytes (RFC
// 4226 requires at least 128 bits). Codes are compared in constant time.
std::optional<std::int64_t> VerifyTotp(const SecretBytes& secret, std::string_view code,
                                       std::int64_t unix_seconds, std::int64_t last_used_step);

// Returns the URI an authenticator app enrols from:
//   otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6
//   &period=30
// with issuer and account percent-encoded as UTF-8 (everything but RFC 3986's unreserved
// characters), so a municipality name in kanji or a ':' in either stays unambiguous. The URI
// holds the secret: show it once, never log it.
std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                const SecretBytes& secret);

namespace internal {

// Returns the RFC 4226 HOTP value of `counter` under `key` with `digits` digits (6 to 9),
// zero-padded. TotpCode is HotpCode(secret, step, 6); exposed so that tests can check the
// 8-digit vectors of RFC 6238 appendix B.
std::string HotpCode(ByteView key, std::uint64_t counter, int digits);

}  // namespace internal
}  // namespace koseki::crypto
