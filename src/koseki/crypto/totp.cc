#include "koseki/crypto/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t kMinVerifySecretSize = 16;

[[noreturn]] void Die(const char* what) {
  std::fputs("koseki crypto: HMAC-SHA1 unavailable: ", stderr);
  std::fputs(what, stderr);
  std::fputs("\n", stderr);
  std::abort();
}

// Returns the 5-bit value of a base32 character (either case), or -1.
int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

Error Base32Error(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-022",
                   "認証アプリの秘密鍵の形式が正しくありません。", std::move(detail));
}

std::int64_t StepOf(std::int64_t unix_seconds) {
  return unix_seconds < 0 ? 0 : unix_seconds / kTotpStepSeconds;
}

bool IsSixDigits(std::string_view code) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Appends `text` percent-encoded: RFC 3986 unreserved characters stay, every other byte
// (including each byte of a multi-byte UTF-8 character) becomes %XX.
void AppendPercentEncoded(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
}

}  // namespace

namespace internal {

std::string HotpCode(ByteView key, std::uint64_t counter, int digits) {
  if (digits < 6 || digits > 9) Die("HOTP digits outside 6..9");
  std::array<std::uint8_t, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  // OpenSSL wants a valid key pointer even for an empty key.
  static constexpr std::uint8_t kNoKey = 0;
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha1(), key.empty() ? &kNoKey : key.data(), static_cast<int>(key.size()),
           message.data(), message.size(), mac.data(), &mac_size) == nullptr ||
      mac_size != 20) {
    Die("HMAC");
  }
  // RFC 4226 section 5.3, dynamic truncation.
  const std::size_t offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  OPENSSL_cleanse(mac.data(), mac.size());
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::uint32_t value = binary % modulus;
  std::string code(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    code[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return code;
}

}  // namespace internal

Result<SecretBytes> NewTotpSecret() {
  SecretBytes secret(kTotpSecretSize);
  KOSEKI_RETURN_IF_ERROR(internal::FillRandom(secret.mutable_span()));
  return secret;
}

std::string Base32Encode(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1F];
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  return out;
}

Result<SecretBytes> Base32Decode(std::string_view text) {
  // First pass: validate and count, so the secret is written straight into locked memory.
  std::size_t symbols = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return Base32Error("base32 symbol after padding");
    if (Base32Value(c) < 0) return Base32Error("character outside the base32 alphabet");
    ++symbols;
  }
  // 8 symbols carry 5 bytes; a final group of 1, 3 or 6 symbols is never produced.
  const std::size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) return Base32Error("impossible base32 length");

  SecretBytes out(symbols * 5 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t written = 0;
  for (char c : text) {
    const int value = Base32Value(c);
    if (value < 0) continue;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.data()[written++] = static_cast<std::uint8_t>(buffer >> bits);
    }
  }
  const bool trailing_zero = (buffer & ((1U << bits) - 1)) == 0;
  buffer = 0;
  if (!trailing_zero) return Base32Error("non-zero base32 trailing bits");
  return out;
}

std::string TotpCode(const SecretBytes& secret, std::int64_t unix_seconds) {
  return internal::HotpCode(secret.span(), static_cast<std::uint64_t>(StepOf(unix_seconds)),
                            kTotpDigits);
}

std::optional<std::int64_t> VerifyTotp(const SecretBytes& secret, std::string_view code,
                                       std::int64_t unix_seconds, std::int64_t last_used_step) {
  if (secret.size() < kMinVerifySecretSize || !IsSixDigits(code)) return std::nullopt;
  const std::int64_t now_step = StepOf(unix_seconds);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared, so the time taken does not tell which matched.
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (step < 0) continue;
    const std::string expected =
        internal::HotpCode(secret.span(), static_cast<std::uint64_t>(step), kTotpDigits);
    if (CRYPTO_memcmp(expected.data(), code.data(), expected.size()) == 0 &&
        step > last_used_step) {
      matched = step;
    }
  }
  return matched;
}

std::string TotpProvisioningUri(std::string_view issuer, std::string_view account,
                                const SecretBytes& secret) {
  std::string uri = "otpauth://totp/";
  AppendPercentEncoded(uri, issuer);
  uri += ':';
  AppendPercentEncoded(uri, account);
  uri += "?secret=";
  uri += Base32Encode(secret.span());
  uri += "&issuer=";
  AppendPercentEncoded(uri, issuer);
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

}  // namespace koseki::crypto
