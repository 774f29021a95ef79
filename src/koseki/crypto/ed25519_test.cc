// Known answers for Ed25519 from RFC 8032 §7.1 (tests 1–3), and the ways a signature must fail
// to verify.
#include "koseki/crypto/ed25519.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::FromHex;
using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAreArray;

struct Rfc8032Vector {
  std::string name;
  std::string seed;
  std::string public_key;
  std::string message;
  std::string signature;
};

Ed25519PublicKey PublicKeyFromHex(std::string_view hex) {
  const Bytes bytes = FromHex(hex);
  Ed25519PublicKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

Ed25519KeyPtr KeyFromSeed(const SecretBytes& seed) {
  Result<Ed25519KeyPtr> key = Ed25519PrivateKeyFromSeed(seed);
  EXPECT_THAT(key, IsOk());
  return std::move(key).value();
}

class Ed25519KnownAnswerTest : public ::testing::TestWithParam<Rfc8032Vector> {};

TEST_P(Ed25519KnownAnswerTest, DerivesThePublishedPublicKey) {
  const Ed25519KeyPtr key = KeyFromSeed(SecretBytes::FromBytes(FromHex(GetParam().seed)));
  const Result<Ed25519PublicKey> public_key = Ed25519PublicKeyOf(key.get());
  ASSERT_THAT(public_key, IsOk());
  EXPECT_THAT(*public_key, ElementsAreArray(FromHex(GetParam().public_key)));
}

TEST_P(Ed25519KnownAnswerTest, SignsToThePublishedSignature) {
  const Ed25519KeyPtr key = KeyFromSeed(SecretBytes::FromBytes(FromHex(GetParam().seed)));
  const Result<Ed25519Signature> signature = Ed25519Sign(key.get(), FromHex(GetParam().message));
  ASSERT_THAT(signature, IsOk());
  EXPECT_THAT(*signature, ElementsAreArray(FromHex(GetParam().signature)));
}

TEST_P(Ed25519KnownAnswerTest, VerifiesThePublishedSignature) {
  EXPECT_TRUE(Ed25519Verify(PublicKeyFromHex(GetParam().public_key), FromHex(GetParam().message),
                            FromHex(GetParam().signature)));
}

INSTANTIATE_TEST_SUITE_P(
    Rfc8032, Ed25519KnownAnswerTest,
    ::testing::Values(
        Rfc8032Vector{"Test1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        Rfc8032Vector{"Test2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        Rfc8032Vector{"Test3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                      "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"}),
    [](const ::testing::TestParamInfo<Rfc8032Vector>& vector) { return vector.param.name; });

// A freshly generated key and one signature by it, for the negative tests.
class Ed25519Test : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SecretBytes> seed = NewEd25519Seed();
    ASSERT_THAT(seed, IsOk());
    key_ = KeyFromSeed(*seed);
    Result<Ed25519PublicKey> public_key = Ed25519PublicKeyOf(key_.get());
    ASSERT_THAT(public_key, IsOk());
    public_key_ = *public_key;
    Result<Ed25519Signature> signature = Ed25519Sign(key_.get(), message_);
    ASSERT_THAT(signature, IsOk());
    signature_ = Bytes(signature->begin(), signature->end());
  }

  const Bytes message_ = ToBytes("koseki.invalid/audit/999997\n1\n");
  Ed25519KeyPtr key_;
  Ed25519PublicKey public_key_{};
  Bytes signature_;
};

TEST_F(Ed25519Test, NewSeedIsThirtyTwoBytesAndDiffersEachTime) {
  const Result<SecretBytes> first = NewEd25519Seed();
  const Result<SecretBytes> second = NewEd25519Seed();
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->size(), kEd25519SeedSize);
  EXPECT_FALSE(ConstantTimeEquals(first->span(), second->span()));
}

TEST_F(Ed25519Test, PrivateKeyFromSeedRejectsSeedsOfTheWrongSize) {
  EXPECT_THAT(Ed25519PrivateKeyFromSeed(SecretBytes(31)), ErrorIdIs("KSK-AUDIT-024"));
  EXPECT_THAT(Ed25519PrivateKeyFromSeed(SecretBytes(33)), ErrorIdIs("KSK-AUDIT-024"));
  EXPECT_THAT(Ed25519PrivateKeyFromSeed(SecretBytes()), ErrorIdIs("KSK-AUDIT-024"));
}

TEST_F(Ed25519Test, VerifyAcceptsTheSignatureOfTheSignedMessage) {
  EXPECT_TRUE(Ed25519Verify(public_key_, message_, signature_));
}

TEST_F(Ed25519Test, VerifyRejectsAnyChangedByteOfTheSignature) {
  for (std::size_t i = 0; i < signature_.size(); ++i) {
    Bytes modified = signature_;
    modified[i] ^= 0x01;
    EXPECT_FALSE(Ed25519Verify(public_key_, message_, modified)) << "byte " << i;
  }
}

TEST_F(Ed25519Test, VerifyRejectsAChangedMessage) {
  Bytes modified = message_;
  modified.back() ^= 0x01;
  EXPECT_FALSE(Ed25519Verify(public_key_, modified, signature_));
  EXPECT_FALSE(Ed25519Verify(public_key_, Bytes{}, signature_));
}

TEST_F(Ed25519Test, VerifyRejectsTruncatedOrExtendedSignatures) {
  const Bytes truncated(signature_.begin(), signature_.end() - 1);
  Bytes extended = signature_;
  extended.push_back(0);
  EXPECT_FALSE(Ed25519Verify(public_key_, message_, truncated));
  EXPECT_FALSE(Ed25519Verify(public_key_, message_, extended));
  EXPECT_FALSE(Ed25519Verify(public_key_, message_, Bytes{}));
}

TEST_F(Ed25519Test, VerifyRejectsAnotherKey) {
  Ed25519PublicKey other = public_key_;
  other[0] ^= 0x01;
  EXPECT_FALSE(Ed25519Verify(other, message_, signature_));
  EXPECT_FALSE(
      Ed25519Verify(PublicKeyFromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a"
                                     "68f707511a"),
                    message_, signature_));
}

}  // namespace
}  // namespace koseki::crypto
