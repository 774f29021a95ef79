// Known-answer tests for the raw primitives: AES-256-GCM against McGrew & Viega, "The
// Galois/Counter Mode of Operation (GCM)", test cases 13-16 (the 256-bit-key cases with 96-bit
// IVs), and HMAC-SHA-256 against RFC 4231.
#include "koseki/crypto/internal/primitives.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto::internal {
namespace {

using ::koseki::crypto::testing::FromHex;
using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOkAndHolds;
using ::testing::Eq;

struct GcmVector {
  std::string name;
  std::string key;
  std::string nonce;
  std::string plaintext;
  std::string associated_data;
  std::string ciphertext;
  std::string tag;
};

const std::string kKey15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
const std::string kPlain15 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const std::string kCipher15 =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

class GcmKnownAnswerTest : public ::testing::TestWithParam<GcmVector> {};

TEST_P(GcmKnownAnswerTest, SealWithNonceMatchesPublishedCiphertextAndTag) {
  const GcmVector& v = GetParam();
  Bytes expected = FromHex(v.nonce);
  const Bytes ciphertext = FromHex(v.ciphertext);
  const Bytes tag = FromHex(v.tag);
  expected.insert(expected.end(), ciphertext.begin(), ciphertext.end());
  expected.insert(expected.end(), tag.begin(), tag.end());

  EXPECT_THAT(AesGcmSealWithNonce(FromHex(v.key), FromHex(v.nonce), FromHex(v.plaintext),
                                  FromHex(v.associated_data)),
              IsOkAndHolds(Eq(expected)));
}

TEST_P(GcmKnownAnswerTest, OpenRecoversPublishedPlaintext) {
  const GcmVector& v = GetParam();
  Bytes sealed = FromHex(v.nonce + v.ciphertext + v.tag);

  EXPECT_THAT(AesGcmOpen(FromHex(v.key), sealed, FromHex(v.associated_data)),
              IsOkAndHolds(Eq(FromHex(v.plaintext))));
}

INSTANTIATE_TEST_SUITE_P(
    McGrewViega, GcmKnownAnswerTest,
    ::testing::Values(
        GcmVector{"TestCase13", std::string(64, '0'), std::string(24, '0'), "", "", "",
                  "530f8afbc74536b9a963b4f1c4cb738b"},
        GcmVector{"TestCase14", std::string(64, '0'), std::string(24, '0'), std::string(32, '0'),
                  "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
        GcmVector{"TestCase15", kKey15, "cafebabefacedbaddecaf888", kPlain15, "", kCipher15,
                  "b094dac5d93471bdec1a502270e3cc6c"},
        // Test case 16: the plaintext and ciphertext of case 15 cut to 60 bytes, with AAD.
        GcmVector{"TestCase16", kKey15, "cafebabefacedbaddecaf888", kPlain15.substr(0, 120),
                  "feedfacedeadbeeffeedfacedeadbeefabaddad2", kCipher15.substr(0, 120),
                  "76fc6ece0f4e1768cddf8853bb2d551b"}),
    [](const ::testing::TestParamInfo<GcmVector>& param_info) { return param_info.param.name; });

TEST(AesGcmPrimitiveTest, SealRejectsANonceOfTheWrongSize) {
  EXPECT_THAT(AesGcmSealWithNonce(Bytes(32), Bytes(8), ToBytes("x"), {}),
              ErrorIs(ErrorCode::kInvalidArgument));
}

TEST(AesGcmPrimitiveTest, OpenOfKnownAnswerFailsWhenTheTagIsWrong) {
  Bytes sealed = FromHex(std::string(24, '0') + "530f8afbc74536b9a963b4f1c4cb738c");
  EXPECT_THAT(AesGcmOpen(Bytes(32), sealed, {}), ErrorIdIs("KSK-CRYPTO-002"));
}

struct HmacVector {
  std::string name;
  Bytes key;
  Bytes data;
  std::string mac;
};

class HmacKnownAnswerTest : public ::testing::TestWithParam<HmacVector> {};

TEST_P(HmacKnownAnswerTest, MatchesRfc4231) {
  const HmacVector& v = GetParam();
  EXPECT_THAT(HmacSha256(v.key, {v.data}), IsOkAndHolds(Eq(FromHex(v.mac))));
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4231, HmacKnownAnswerTest,
    ::testing::Values(
        HmacVector{"TestCase1", Bytes(20, 0x0b), ToBytes("Hi There"),
                   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        HmacVector{"TestCase2", ToBytes("Jefe"), ToBytes("what do ya want for nothing?"),
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        HmacVector{"TestCase3", Bytes(20, 0xaa), Bytes(50, 0xdd),
                   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        HmacVector{"TestCase6", Bytes(131, 0xaa),
                   ToBytes("Test Using Larger Than Block-Size Key - Hash Key First"),
                   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        HmacVector{"TestCase7", Bytes(131, 0xaa),
                   ToBytes("This is a test using a larger than block-size key and a larger "
                           "than block-size data. The key needs to be hashed before being "
                           "used by the HMAC algorithm."),
                   "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"}),
    [](const ::testing::TestParamInfo<HmacVector>& param_info) { return param_info.param.name; });

TEST(HmacPrimitiveTest, MessageInPartsEqualsTheConcatenatedMessage) {
  const Bytes key(32, 0x42);
  EXPECT_THAT(HmacSha256(key, {ToBytes("Hi "), ToBytes(""), ToBytes("There")}),
              IsOkAndHolds(Eq(HmacSha256(key, {ToBytes("Hi There")}).value())));
}

TEST(HmacPrimitiveTest, RejectsAnEmptyKey) {
  EXPECT_THAT(HmacSha256({}, {ToBytes("x")}), ErrorIs(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace koseki::crypto::internal
