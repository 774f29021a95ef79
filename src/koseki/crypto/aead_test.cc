#include "koseki/crypto/aead.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::FromHex;
using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;
using ::testing::Eq;
using ::testing::Ne;
using ::testing::SizeIs;

std::unique_ptr<AesGcm> NewAead() {
  Result<SecretBytes> key = RandomSecret(AesGcm::kKeySize);
  EXPECT_THAT(key, IsOk());
  Result<std::unique_ptr<AesGcm>> aead = AesGcm::Create(std::move(key).value());
  EXPECT_THAT(aead, IsOk());
  return std::move(aead).value();
}

const Bytes kPlaintext = ToBytes("本籍 青葉県みなと市 筆頭者 山川健一");
const Bytes kAssociatedData = MakeAssociatedData("131016", "registers", "row-1", 3);

TEST(AesGcmTest, CreateRejectsKeysOfTheWrongSize) {
  EXPECT_THAT(AesGcm::Create(SecretBytes(16)), ErrorIdIs("KSK-CRYPTO-001"));
  EXPECT_THAT(AesGcm::Create(SecretBytes(33)), ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(AesGcm::Create(SecretBytes()), ErrorIs(ErrorCode::kInvalidArgument));
}

TEST(AesGcmTest, DecryptReturnsWhatWasEncrypted) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(aead->Decrypt(*ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
}

TEST(AesGcmTest, EmptyPlaintextAndEmptyAssociatedDataRoundTrip) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt({}, {});
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(*ciphertext, SizeIs(AesGcm::kNonceSize + AesGcm::kTagSize));
  EXPECT_THAT(aead->Decrypt(*ciphertext, {}), IsOkAndHolds(Eq(Bytes{})));
}

TEST(AesGcmTest, OutputIsNonceCiphertextTagAndHidesThePlaintext) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(*ciphertext, SizeIs(AesGcm::kNonceSize + kPlaintext.size() + AesGcm::kTagSize));
  const Bytes body(ciphertext->begin() + AesGcm::kNonceSize, ciphertext->end() - AesGcm::kTagSize);
  EXPECT_THAT(body, Ne(kPlaintext));
}

TEST(AesGcmTest, EncryptingTwiceUsesFreshNonces) {
  auto aead = NewAead();
  Result<Bytes> first = aead->Encrypt(kPlaintext, kAssociatedData);
  Result<Bytes> second = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());

  EXPECT_THAT(Bytes(first->begin(), first->begin() + AesGcm::kNonceSize),
              Ne(Bytes(second->begin(), second->begin() + AesGcm::kNonceSize)));
  EXPECT_THAT(*first, Ne(*second));
}

TEST(AesGcmTest, DecryptFailsForEveryFlippedByte) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  for (std::size_t i = 0; i < ciphertext->size(); ++i) {
    for (std::uint8_t mask : {0x01, 0x80, 0xff}) {
      Bytes modified = *ciphertext;
      modified[i] ^= mask;
      Result<Bytes> plain = aead->Decrypt(modified, kAssociatedData);
      EXPECT_THAT(plain, ErrorIs(ErrorCode::kDataLoss)) << "byte " << i << " mask " << int{mask};
      EXPECT_THAT(plain, ErrorIdIs("KSK-CRYPTO-002")) << "byte " << i;
    }
  }
}

TEST(AesGcmTest, DecryptFailsForEveryTruncation) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  for (std::size_t length = 0; length < ciphertext->size(); ++length) {
    const Bytes truncated(ciphertext->begin(), ciphertext->begin() + length);
    EXPECT_THAT(aead->Decrypt(truncated, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"))
        << "length " << length;
    // Dropping bytes from the front must fail as well (a shifted nonce).
    const Bytes tail(ciphertext->end() - length, ciphertext->end());
    EXPECT_THAT(aead->Decrypt(tail, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"))
        << "tail length " << length;
  }
}

TEST(AesGcmTest, DecryptFailsIfBytesAreAppended) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());
  ciphertext->push_back(0);

  EXPECT_THAT(aead->Decrypt(*ciphertext, kAssociatedData), ErrorIs(ErrorCode::kDataLoss));
}

TEST(AesGcmTest, DecryptFailsWithAnotherKey) {
  auto aead = NewAead();
  auto other = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(other->Decrypt(*ciphertext, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(AesGcmTest, DecryptFailsIfAssociatedDataDiffers) {
  auto aead = NewAead();
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  Bytes modified = kAssociatedData;
  modified.back() ^= 1;
  EXPECT_THAT(aead->Decrypt(*ciphertext, modified), ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(aead->Decrypt(*ciphertext, {}), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(AesGcmTest, CiphertextOfOneRowDoesNotDecryptAsAnotherRow) {
  auto aead = NewAead();
  const Bytes row_a = MakeAssociatedData("131016", "registers", "row-A", 1);
  Result<Bytes> ciphertext = aead->Encrypt(kPlaintext, row_a);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(aead->Decrypt(*ciphertext, MakeAssociatedData("131016", "registers", "row-B", 1)),
              ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(aead->Decrypt(*ciphertext, MakeAssociatedData("131016", "registers", "row-A", 2)),
              ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(aead->Decrypt(*ciphertext, MakeAssociatedData("131016", "persons", "row-A", 1)),
              ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(aead->Decrypt(*ciphertext, MakeAssociatedData("999999", "registers", "row-A", 1)),
              ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(aead->Decrypt(*ciphertext, row_a), IsOkAndHolds(Eq(kPlaintext)));
}

TEST(MakeAssociatedDataTest, EncodesTheDocumentedLayout) {
  const Bytes expected = FromHex(
      "6b6f73656b692d61642d7631"  // "koseki-ad-v1"
      "00000002"
      "5431"  // "T1"
      "00000003"
      "746162"  // "tab"
      "00000000"
      "0102030405060708");
  EXPECT_THAT(MakeAssociatedData("T1", "tab", "", 0x0102030405060708ULL), Eq(expected));
}

TEST(MakeAssociatedDataTest, LengthPrefixesKeepPartBoundariesDistinct) {
  EXPECT_THAT(MakeAssociatedData("ab", "c", "r", 1), Ne(MakeAssociatedData("a", "bc", "r", 1)));
  EXPECT_THAT(MakeAssociatedData("t", "", "x", 1), Ne(MakeAssociatedData("t", "x", "", 1)));
}

TEST(RandomTest, ReturnsTheRequestedSizeAndDifferentBytesEachTime) {
  Result<Bytes> first = RandomBytes(32);
  Result<Bytes> second = RandomBytes(32);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(*first, SizeIs(32));
  EXPECT_THAT(*first, Ne(*second));

  Result<SecretBytes> secret = RandomSecret(32);
  ASSERT_THAT(secret, IsOk());
  EXPECT_EQ(secret->size(), 32u);
  EXPECT_FALSE(secret->Equals(SecretBytes(32)));
}

}  // namespace
}  // namespace koseki::crypto
