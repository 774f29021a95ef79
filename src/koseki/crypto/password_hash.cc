#include "koseki/crypto/password_hash.h"

#include <sodium.h>

#include <array>
#include <optional>
#include <span>
#include <string>

#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

static_assert(PasswordHashParams{}.ops_limit == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(PasswordHashParams{}.mem_limit == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(PasswordHashParams::Minimal().ops_limit == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(PasswordHashParams::Minimal().mem_limit == crypto_pwhash_argon2id_MEMLIMIT_MIN);

// No 0/O/o, 1/I/l: a one-time password is read off paper or a screen and typed by hand.
constexpr std::string_view kOneTimeAlphabet =
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
static_assert(kOneTimeAlphabet.size() == 56);

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// libsodium wants a valid pointer even for an empty password; an empty SecretBytes has none.
const char* PasswordChars(const SecretBytes& password) {
  return password.empty() ? "" : reinterpret_cast<const char*>(password.data());
}

// Copies `encoded` into the NUL-terminated buffer libsodium reads, or returns nullopt if it
// cannot be one of our hashes (too long to be, or holding a NUL that would cut it short).
std::optional<std::array<char, crypto_pwhash_argon2id_STRBYTES>> EncodedBuffer(
    std::string_view encoded) {
  if (encoded.size() >= crypto_pwhash_argon2id_STRBYTES ||
      encoded.find('\0') != std::string_view::npos ||
      encoded.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) {
    return std::nullopt;
  }
  std::array<char, crypto_pwhash_argon2id_STRBYTES> buffer{};
  encoded.copy(buffer.data(), encoded.size());
  return buffer;
}

// Decodes strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF) one code point
// at a time, reading the password in place so that no unwiped copy is made.
class Utf8Reader {
 public:
  explicit Utf8Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool AtEnd() const { return pos_ == bytes_.size(); }

  // Returns the next code point, or nullopt if the bytes at the cursor are not UTF-8.
  std::optional<char32_t> Next() {
    const std::uint8_t lead = bytes_[pos_];
    if (lead < 0x80) {
      ++pos_;
      return lead;
    }
    // The lead byte's high bits give the length: 110xxxxx, 1110xxxx, 11110xxx.
    const std::size_t length = (lead & 0xE0) == 0xC0   ? 2
                               : (lead & 0xF0) == 0xE0 ? 3
                               : (lead & 0xF8) == 0xF0 ? 4
                                                       : 0;
    if (length == 0) return std::nullopt;
    char32_t value = lead & (0x7Fu >> length);
    // The smallest value that needs `length` bytes; anything below is an overlong form.
    const char32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (bytes_.size() - pos_ < length) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
      const std::uint8_t byte = bytes_[pos_ + i];
      if ((byte & 0xC0) != 0x80) return std::nullopt;
      value = (value << 6) | (byte & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return std::nullopt;
    }
    pos_ += length;
    return value;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLoginIgnoringAsciiCase(const SecretBytes& password, std::string_view login) {
  if (password.size() != login.size()) return false;
  for (std::size_t i = 0; i < login.size(); ++i) {
    if (AsciiLower(static_cast<char>(password.data()[i])) != AsciiLower(login[i])) return false;
  }
  return true;
}

}  // namespace

Result<std::string> HashPassword(const SecretBytes& password, PasswordHashParams params) {
  if (params.ops_limit < PasswordHashParams::Minimal().ops_limit ||
      params.ops_limit > kMaxPasswordOpsLimit ||
      params.mem_limit < PasswordHashParams::Minimal().mem_limit ||
      params.mem_limit > kMaxPasswordMemLimit) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-021",
                     "パスワードハッシュの設定値が許容範囲外です。",
                     "password hash params out of bounds: ops=" + std::to_string(params.ops_limit) +
                         " mem=" + std::to_string(params.mem_limit));
  }
  // sodium_init is idempotent and thread-safe; calling it here means no caller can forget it.
  if (sodium_init() < 0) return internal::LibraryError("sodium_init failed");
  std::array<char, crypto_pwhash_argon2id_STRBYTES> out{};
  if (crypto_pwhash_argon2id_str(out.data(), PasswordChars(password), password.size(),
                                 params.ops_limit, params.mem_limit) != 0) {
    return internal::LibraryError("crypto_pwhash_argon2id_str failed (out of memory?) with mem=" +
                                  std::to_string(params.mem_limit));
  }
  return std::string(out.data());
}

bool VerifyPassword(const SecretBytes& password, std::string_view encoded) {
  if (sodium_init() < 0) return false;
  const auto buffer = EncodedBuffer(encoded);
  if (!buffer) return false;
  return crypto_pwhash_argon2id_str_verify(buffer->data(), PasswordChars(password),
                                           password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded, PasswordHashParams params) {
  if (sodium_init() < 0) return true;
  const auto buffer = EncodedBuffer(encoded);
  if (!buffer) return true;
  // 0: same algorithm and costs; 1: other costs; -1: not an Argon2id hash at all.
  return crypto_pwhash_argon2id_str_needs_rehash(buffer->data(), params.ops_limit,
                                                 params.mem_limit) != 0;
}

Result<void> CheckPasswordPolicy(const SecretBytes& password, std::string_view login) {
  Utf8Reader reader(password.span());
  std::size_t count = 0;
  std::optional<char32_t> first;
  bool all_same = true;
  while (!reader.AtEnd()) {
    const std::optional<char32_t> c = reader.Next();
    if (!c) {
      return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-020",
                       "パスワードに使用できない文字が含まれています。",
                       "password is not valid UTF-8");
    }
    if (!first) first = c;
    all_same = all_same && *c == *first;
    ++count;
  }
  if (count < kMinPasswordChars || count > kMaxPasswordChars) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-017",
                     "パスワードは " + std::to_string(kMinPasswordChars) + " 文字以上 " +
                         std::to_string(kMaxPasswordChars) + " 文字以下にしてください。",
                     "password length " + std::to_string(count) + " outside the policy");
  }
  if (all_same) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-018",
                     "パスワードを同じ文字だけの繰り返しにすることはできません。",
                     "password is one character repeated");
  }
  if (EqualsLoginIgnoringAsciiCase(password, login)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-019",
                     "パスワードをログイン ID と同じにすることはできません。",
                     "password equals the login");
  }
  return Ok();
}

Result<SecretBytes> NewOneTimePassword() {
  if (sodium_init() < 0) return internal::LibraryError("sodium_init failed");
  SecretBytes password(kOneTimePasswordChars);
  bool all_same = true;
  do {
    for (std::uint8_t& c : password.mutable_span()) {
      // randombytes_uniform rejects the biased tail itself, so every character is uniform.
      c = static_cast<std::uint8_t>(kOneTimeAlphabet[randombytes_uniform(
          static_cast<std::uint32_t>(kOneTimeAlphabet.size()))]);
    }
    all_same = true;
    for (std::uint8_t c : password.span()) all_same = all_same && c == password.data()[0];
  } while (all_same);
  return password;
}

}  // namespace koseki::crypto
