// Argon2id password hashes (minimal costs except one round trip at the defaults), the password
// policy and one-time passwords.
#include "koseki/crypto/password_hash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "koseki/base/testing/matchers.h"

namespace koseki::crypto {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr PasswordHashParams kFast = PasswordHashParams::Minimal();

SecretBytes Password(std::string_view text) { return SecretBytes::FromString(text); }

std::string HashOf(std::string_view password, PasswordHashParams params = kFast) {
  Result<std::string> hash = HashPassword(Password(password), params);
  EXPECT_THAT(hash, IsOk());
  return hash ? *hash : std::string();
}

TEST(PasswordHashTest, HashIsAnEncodedArgon2idStringWithTheGivenCosts) {
  EXPECT_THAT(HashOf("やまびこ町 correct horse"),
              MatchesRegex(R"(\$argon2id\$v=19\$m=8,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+)"));
}

TEST(PasswordHashTest, DefaultCostsRoundTrip) {
  Result<std::string> hash = HashPassword(Password("やまびこ町 correct horse"));
  ASSERT_THAT(hash, IsOk());
  EXPECT_THAT(*hash, StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword(Password("やまびこ町 correct horse"), *hash));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(PasswordHashTest, VerifyAcceptsTheRightPassword) {
  EXPECT_TRUE(VerifyPassword(Password("battery staple 42"), HashOf("battery staple 42")));
}

TEST(PasswordHashTest, VerifyRefusesAWrongPassword) {
  const std::string hash = HashOf("battery staple 42");
  EXPECT_FALSE(VerifyPassword(Password("battery staple 43"), hash));
  EXPECT_FALSE(VerifyPassword(Password("battery staple 4"), hash));
  EXPECT_FALSE(VerifyPassword(Password(""), hash));
}

TEST(PasswordHashTest, EqualPasswordsGetDifferentSaltsAndHashes) {
  EXPECT_NE(HashOf("battery staple 42"), HashOf("battery staple 42"));
}

TEST(PasswordHashTest, EmptyPasswordHashesAndVerifies) {
  const std::string hash = HashOf("");
  EXPECT_TRUE(VerifyPassword(Password(""), hash));
  EXPECT_FALSE(VerifyPassword(Password("x"), hash));
}

TEST(PasswordHashTest, PasswordWithANulByteIsHashedWhole) {
  const std::string with_nul("abc\0def", 7);
  const std::string hash = HashOf(with_nul);
  EXPECT_TRUE(VerifyPassword(Password(with_nul), hash));
  EXPECT_FALSE(VerifyPassword(Password("abc"), hash));
}

TEST(PasswordHashTest, VerifyRefusesMalformedHashes) {
  const SecretBytes password = Password("battery staple 42");
  const std::string hash = HashOf("battery staple 42");
  EXPECT_FALSE(VerifyPassword(password, ""));
  EXPECT_FALSE(VerifyPassword(password, "battery staple 42"));
  EXPECT_FALSE(VerifyPassword(password, "$argon2id$"));
  EXPECT_FALSE(VerifyPassword(password, hash.substr(0, hash.size() - 4)));
  EXPECT_FALSE(VerifyPassword(password, hash + std::string(200, 'A')));
  EXPECT_FALSE(VerifyPassword(password, hash + std::string(1, '\0') + "tail"));
}

TEST(PasswordHashTest, VerifyRefusesAModifiedHash) {
  std::string hash = HashOf("battery staple 42");
  hash[hash.size() - 2] = hash[hash.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword(Password("battery staple 42"), hash));
}

TEST(PasswordHashTest, VerifyRefusesOtherAlgorithms) {
  // libsodium's generic verifier would also accept Argon2i; koseki only ever stores Argon2id.
  std::string hash = HashOf("battery staple 42");
  hash.replace(0, std::string_view("$argon2id$").size(), "$argon2i$");
  EXPECT_FALSE(VerifyPassword(Password("battery staple 42"), hash));
}

TEST(PasswordHashTest, NeedsRehashWhenCostsDiffer) {
  const std::string hash = HashOf("battery staple 42");
  EXPECT_FALSE(PasswordNeedsRehash(hash, kFast));
  EXPECT_TRUE(PasswordNeedsRehash(hash));
  EXPECT_TRUE(PasswordNeedsRehash(hash, {.ops_limit = 2, .mem_limit = 8192}));
  EXPECT_TRUE(PasswordNeedsRehash(hash, {.ops_limit = 1, .mem_limit = 16384}));
}

TEST(PasswordHashTest, NeedsRehashForMalformedHashes) {
  EXPECT_TRUE(PasswordNeedsRehash("", kFast));
  EXPECT_TRUE(PasswordNeedsRehash("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", kFast));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash", kFast));
}

TEST(PasswordHashTest, HashRefusesCostsOutsideTheBounds) {
  const SecretBytes password = Password("battery staple 42");
  EXPECT_THAT(HashPassword(password, {.ops_limit = 0, .mem_limit = 8192}),
              ErrorIdIs("KSK-CRYPTO-021"));
  EXPECT_THAT(HashPassword(password, {.ops_limit = 1, .mem_limit = 8191}),
              ErrorIdIs("KSK-CRYPTO-021"));
  EXPECT_THAT(HashPassword(password, {.ops_limit = kMaxPasswordOpsLimit + 1, .mem_limit = 8192}),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(HashPassword(password, {.ops_limit = 1, .mem_limit = kMaxPasswordMemLimit + 1}),
              ErrorIdIs("KSK-CRYPTO-021"));
}

TEST(PasswordPolicyTest, AcceptsAPasswordThatMeetsEveryRule) {
  EXPECT_THAT(CheckPasswordPolicy(Password("battery staple"), "clerk01"), IsOk());
}

TEST(PasswordPolicyTest, CountsCharactersNotBytes) {
  // Twelve kanji are 36 bytes and twelve characters; eleven are too few.
  EXPECT_THAT(CheckPasswordPolicy(Password("山川谷海空星月花鳥風雪雲"), "clerk01"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy(Password("山川谷海空星月花鳥風雪"), "clerk01"),
              ErrorIdIs("KSK-CRYPTO-017"));
  // A supplementary-plane character (𠮟, 4 bytes) counts once.
  EXPECT_THAT(CheckPasswordPolicy(Password("𠮟𠮟𠮟𠮟𠮟𠮟𠮟𠮟𠮟𠮟𠮟a"), "clerk01"), IsOk());
}

TEST(PasswordPolicyTest, RefusesFewerThanTwelveOrMoreThan128Characters) {
  EXPECT_THAT(CheckPasswordPolicy(Password("abcdefghijk"), "clerk01"), ErrorIdIs("KSK-CRYPTO-017"));
  EXPECT_THAT(CheckPasswordPolicy(Password("abcdefghijkl"), "clerk01"), IsOk());
  std::string longest(127, 'a');
  longest += 'b';
  EXPECT_THAT(CheckPasswordPolicy(Password(longest), "clerk01"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy(Password(longest + "c"), "clerk01"), ErrorIdIs("KSK-CRYPTO-017"));
  EXPECT_THAT(CheckPasswordPolicy(Password(""), "clerk01"), ErrorIdIs("KSK-CRYPTO-017"));
}

TEST(PasswordPolicyTest, LengthMessageStatesTheRule) {
  Result<void> result = CheckPasswordPolicy(Password("short"), "clerk01");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.error().public_message, HasSubstr("12 文字以上 128 文字以下"));
}

TEST(PasswordPolicyTest, RefusesOneCharacterRepeated) {
  EXPECT_THAT(CheckPasswordPolicy(Password("aaaaaaaaaaaaaaaa"), "clerk01"),
              ErrorIdIs("KSK-CRYPTO-018"));
  EXPECT_THAT(CheckPasswordPolicy(Password("ああああああああああああ"), "clerk01"),
              ErrorIdIs("KSK-CRYPTO-018"));
  EXPECT_THAT(CheckPasswordPolicy(Password("aaaaaaaaaaaaaaab"), "clerk01"), IsOk());
}

TEST(PasswordPolicyTest, RefusesTheLoginInAnyCase) {
  EXPECT_THAT(CheckPasswordPolicy(Password("clerk.minato01"), "clerk.minato01"),
              ErrorIdIs("KSK-CRYPTO-019"));
  EXPECT_THAT(CheckPasswordPolicy(Password("Clerk.Minato01"), "clerk.minato01"),
              ErrorIdIs("KSK-CRYPTO-019"));
  EXPECT_THAT(CheckPasswordPolicy(Password("clerk.minato01!"), "clerk.minato01"), IsOk());
}

TEST(PasswordPolicyTest, RefusesBytesThatAreNotUtf8) {
  const char* const kMalformed[] = {
      "abcdefghijkl\xff",              // a byte that never starts a character
      "abcdefghijkl\xe5\xb1",          // a character cut short
      "abcdefghijkl\xc0\xaf",          // an overlong '/'
      "abcdefghijkl\xed\xa0\x80",      // a UTF-16 surrogate
      "abcdefghijkl\xf4\x90\x80\x80",  // above U+10FFFF
  };
  for (const char* text : kMalformed) {
    EXPECT_THAT(CheckPasswordPolicy(Password(text), "clerk01"), ErrorIdIs("KSK-CRYPTO-020"))
        << text;
  }
}

TEST(OneTimePasswordTest, HasSixteenUnambiguousCharacters) {
  Result<SecretBytes> password = NewOneTimePassword();
  ASSERT_THAT(password, IsOk());
  ASSERT_EQ(password->size(), kOneTimePasswordChars);
  for (std::uint8_t c : password->span()) {
    EXPECT_NE(std::string_view("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")
                  .find(static_cast<char>(c)),
              std::string_view::npos)
        << static_cast<char>(c);
  }
}

TEST(OneTimePasswordTest, MeetsThePolicy) {
  Result<SecretBytes> password = NewOneTimePassword();
  ASSERT_THAT(password, IsOk());
  EXPECT_THAT(CheckPasswordPolicy(*password, "clerk01"), IsOk());
}

TEST(OneTimePasswordTest, DrawsFromTheWholeAlphabetAndNeverRepeatsAPassword) {
  std::set<std::string> passwords;
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    Result<SecretBytes> password = NewOneTimePassword();
    ASSERT_THAT(password, IsOk());
    passwords.emplace(password->span().begin(), password->span().end());
    seen.insert(password->span().begin(), password->span().end());
  }
  EXPECT_EQ(passwords.size(), 200u);
  // 3200 uniform draws from 56 symbols miss one with odds below 1e-22.
  EXPECT_EQ(seen.size(), 56u);
}

}  // namespace
}  // namespace koseki::crypto
