// TOTP against the RFC 6238 appendix B (SHA-1) and RFC 4226 appendix D vectors, base32 against
// RFC 4648 section 10, and the verification window, replay refusal and enrolment URI.
#include "koseki/crypto/totp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Optional;

// The ASCII secret of both RFCs' SHA-1 vectors.
SecretBytes RfcSecret() { return SecretBytes::FromString("12345678901234567890"); }

std::string ToText(const SecretBytes& bytes) {
  return std::string(bytes.span().begin(), bytes.span().end());
}

TEST(HotpTest, MatchesTheRfc4226Vectors) {
  const char* const kCodes[] = {"755224", "287082", "359152", "969429", "338314",
                                "254676", "287922", "162583", "399871", "520489"};
  const SecretBytes secret = RfcSecret();
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(internal::HotpCode(secret.span(), counter, 6), kCodes[counter]) << counter;
  }
}

struct Rfc6238Vector {
  std::int64_t unix_seconds;
  const char* code8;
};

// RFC 6238 appendix B, the SHA-1 column.
constexpr Rfc6238Vector kRfc6238[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(TotpTest, HotpCoreMatchesTheRfc6238EightDigitVectors) {
  const SecretBytes secret = RfcSecret();
  for (const Rfc6238Vector& v : kRfc6238) {
    EXPECT_EQ(internal::HotpCode(secret.span(), static_cast<std::uint64_t>(v.unix_seconds / 30), 8),
              v.code8)
        << v.unix_seconds;
  }
}

TEST(TotpTest, SixDigitCodesAreTheLastSixOfTheRfc6238Vectors) {
  const SecretBytes secret = RfcSecret();
  for (const Rfc6238Vector& v : kRfc6238) {
    EXPECT_EQ(TotpCode(secret, v.unix_seconds), std::string_view(v.code8).substr(2))
        << v.unix_seconds;
  }
}

TEST(TotpTest, KeepsLeadingZeros) {
  // 1111111109 gives 07081804: its six-digit code is 081804, which must stay six characters.
  EXPECT_EQ(TotpCode(RfcSecret(), 1111111109), "081804");
}

TEST(TotpTest, CodeIsConstantWithinAStep) {
  const SecretBytes secret = RfcSecret();
  EXPECT_EQ(TotpCode(secret, 1111111110), TotpCode(secret, 1111111139));
  EXPECT_NE(TotpCode(secret, 1111111139), TotpCode(secret, 1111111140));
}

TEST(TotpTest, NewSecretsAreTwentyRandomBytes) {
  Result<SecretBytes> a = NewTotpSecret();
  Result<SecretBytes> b = NewTotpSecret();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->size(), kTotpSecretSize);
  EXPECT_FALSE(a->Equals(*b));
}

constexpr std::int64_t kNow = 1234567890;  // step 41152263
constexpr std::int64_t kNowStep = kNow / 30;

TEST(VerifyTotpTest, AcceptsTheCurrentCodeAndReturnsItsStep) {
  const SecretBytes secret = RfcSecret();
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, kNow), kNow, -1), Optional(kNowStep));
}

TEST(VerifyTotpTest, AcceptsOneStepOfDriftEitherSide) {
  const SecretBytes secret = RfcSecret();
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, kNow - 30), kNow, -1), Optional(kNowStep - 1));
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, kNow + 30), kNow, -1), Optional(kNowStep + 1));
}

TEST(VerifyTotpTest, RefusesCodesTwoStepsAway) {
  const SecretBytes secret = RfcSecret();
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, kNow - 60), kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, kNow + 60), kNow, -1), std::nullopt);
}

TEST(VerifyTotpTest, RefusesACodeOfAStepAlreadyUsed) {
  const SecretBytes secret = RfcSecret();
  const std::string code = TotpCode(secret, kNow);
  const std::optional<std::int64_t> used = VerifyTotp(secret, code, kNow, -1);
  ASSERT_THAT(used, Optional(kNowStep));
  EXPECT_EQ(VerifyTotp(secret, code, kNow, *used), std::nullopt);
  // Still refused a step later, when the same code is inside the drift window.
  EXPECT_EQ(VerifyTotp(secret, code, kNow + 30, *used), std::nullopt);
}

TEST(VerifyTotpTest, RefusesAnEarlierStepOnceALaterOneIsUsed) {
  const SecretBytes secret = RfcSecret();
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, kNow - 30), kNow, kNowStep), std::nullopt);
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, kNow + 30), kNow, kNowStep),
              Optional(kNowStep + 1));
}

TEST(VerifyTotpTest, RefusesAWrongCode) {
  const SecretBytes secret = RfcSecret();
  std::string code = TotpCode(secret, kNow);
  code[5] = code[5] == '9' ? '0' : static_cast<char>(code[5] + 1);
  // The altered code could, with odds 2e-6, be a neighbouring step's; these vectors are not.
  ASSERT_NE(code, TotpCode(secret, kNow - 30));
  ASSERT_NE(code, TotpCode(secret, kNow + 30));
  EXPECT_EQ(VerifyTotp(secret, code, kNow, -1), std::nullopt);
}

TEST(VerifyTotpTest, RefusesMalformedCodes) {
  const SecretBytes secret = RfcSecret();
  const std::string code = TotpCode(secret, kNow);
  EXPECT_EQ(VerifyTotp(secret, code.substr(0, 5), kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, code + "0", kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, "0" + code, kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, "12a456", kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, "abcdef", kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, " " + code.substr(1), kNow, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(secret, "", kNow, -1), std::nullopt);
  // The eight-digit RFC code of the step contains the six-digit one but is not it.
  EXPECT_EQ(VerifyTotp(secret, "89005924", kNow, -1), std::nullopt);
}

TEST(VerifyTotpTest, RefusesSecretsShorterThan128Bits) {
  const SecretBytes short_secret = SecretBytes::FromString("123456789012345");
  EXPECT_EQ(VerifyTotp(short_secret, TotpCode(short_secret, kNow), kNow, -1), std::nullopt);
  const SecretBytes empty;
  EXPECT_EQ(VerifyTotp(empty, TotpCode(empty, kNow), kNow, -1), std::nullopt);
}

TEST(VerifyTotpTest, SkipsStepsBeforeTheEpoch) {
  const SecretBytes secret = RfcSecret();
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, 0), 10, -1), Optional(0));
  EXPECT_THAT(VerifyTotp(secret, TotpCode(secret, 0), -100, -1), Optional(0));
}

struct Base32Vector {
  const char* plain;
  const char* encoded;
};

// RFC 4648 section 10, without the padding.
constexpr Base32Vector kBase32[] = {
    {"", ""},
    {"f", "MY"},
    {"fo", "MZXQ"},
    {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI"},
};

TEST(Base32Test, EncodesTheRfc4648VectorsWithoutPadding) {
  for (const Base32Vector& v : kBase32) {
    EXPECT_EQ(Base32Encode(ToBytes(v.plain)), v.encoded) << v.plain;
  }
}

TEST(Base32Test, DecodesTheRfc4648Vectors) {
  for (const Base32Vector& v : kBase32) {
    Result<SecretBytes> decoded = Base32Decode(v.encoded);
    ASSERT_THAT(decoded, IsOk()) << v.encoded;
    EXPECT_EQ(ToText(*decoded), v.plain);
  }
}

TEST(Base32Test, DecodesPaddingLowerCaseAndSpaces) {
  Result<SecretBytes> padded = Base32Decode("MZXW6YTBOI======");
  ASSERT_THAT(padded, IsOk());
  EXPECT_EQ(ToText(*padded), "foobar");
  Result<SecretBytes> typed = Base32Decode("mzxw 6ytb oi");
  ASSERT_THAT(typed, IsOk());
  EXPECT_EQ(ToText(*typed), "foobar");
}

TEST(Base32Test, RoundTripsATotpSecret) {
  Result<SecretBytes> secret = NewTotpSecret();
  ASSERT_THAT(secret, IsOk());
  const std::string text = Base32Encode(secret->span());
  EXPECT_EQ(text.size(), 32u);
  Result<SecretBytes> decoded = Base32Decode(text);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_TRUE(decoded->Equals(*secret));
}

TEST(Base32Test, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_THAT(Base32Decode("MZXW0YTB"), ErrorIdIs("KSK-CRYPTO-022"));  // 0 is not base32
  EXPECT_THAT(Base32Decode("MZXW1YTB"), ErrorIdIs("KSK-CRYPTO-022"));
  EXPECT_THAT(Base32Decode("MZXW-YTB"), ErrorIdIs("KSK-CRYPTO-022"));
  EXPECT_THAT(Base32Decode("MZXW\tYTB"), ErrorIdIs("KSK-CRYPTO-022"));
  EXPECT_THAT(Base32Decode("MZ=XW6YTB"), ErrorIdIs("KSK-CRYPTO-022"));
}

TEST(Base32Test, RefusesLengthsNoEncodingProduces) {
  EXPECT_THAT(Base32Decode("M"), ErrorIdIs("KSK-CRYPTO-022"));
  EXPECT_THAT(Base32Decode("MZX"), ErrorIdIs("KSK-CRYPTO-022"));
  EXPECT_THAT(Base32Decode("MZXW6Y"), ErrorIdIs("KSK-CRYPTO-022"));
}

TEST(Base32Test, RefusesNonZeroTrailingBits) {
  // "MZ" is "f"; "M3" sets bits after the byte.
  EXPECT_THAT(Base32Decode("M3"), ErrorIdIs("KSK-CRYPTO-022"));
}

TEST(ProvisioningUriTest, HasTheAuthenticatorAppLayout) {
  EXPECT_EQ(TotpProvisioningUri("koseki", "clerk01", RfcSecret()),
            "otpauth://totp/koseki:clerk01?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=koseki&algorithm=SHA1&digits=6&period=30");
}

TEST(ProvisioningUriTest, PercentEncodesKanjiSpacesAndReservedCharacters) {
  // 港 is E6 B8 AF in UTF-8, 区 is E5 8C BA.
  EXPECT_EQ(TotpProvisioningUri("koseki 港区", "clerk.01_a-b~c", RfcSecret()),
            "otpauth://totp/koseki%20%E6%B8%AF%E5%8C%BA:clerk.01_a-b~c"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=koseki%20%E6%B8%AF%E5%8C%BA&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpProvisioningUri("a:b&c", "d?e/f#g", RfcSecret()),
            "otpauth://totp/a%3Ab%26c:d%3Fe%2Ff%23g?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=a%3Ab%26c&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace koseki::crypto
