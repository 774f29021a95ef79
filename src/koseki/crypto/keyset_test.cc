#include "koseki/crypto/keyset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::SizeIs;

const Bytes kPlaintext = ToBytes("父 山川健一 母 山川花子");
const Bytes kAssociatedData = MakeAssociatedData("131016", "persons", "p-7", 1);

Keyset NewKeyset() {
  Result<Keyset> keyset = Keyset::Generate();
  EXPECT_THAT(keyset, IsOk());
  return std::move(keyset).value();
}

std::uint32_t KeyIdOf(const Bytes& ciphertext) { return internal::ReadU32Be(ciphertext, 1); }

TEST(KeysetTest, GenerateMakesOnePrimaryKeyWithIdOne) {
  Keyset keyset = NewKeyset();
  EXPECT_EQ(keyset.primary_key_id(), 1u);
  EXPECT_EQ(keyset.size(), 1u);
}

TEST(KeysetTest, CiphertextStartsWithVersionAndPrimaryKeyId) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(*ciphertext, SizeIs(Keyset::kHeaderSize + AesGcm::kNonceSize + kPlaintext.size() +
                                  AesGcm::kTagSize));
  EXPECT_THAT(Bytes(ciphertext->begin(), ciphertext->begin() + 5), ElementsAre(1, 0, 0, 0, 1));
}

TEST(KeysetTest, DecryptReturnsWhatWasEncrypted) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(keyset.Decrypt(*ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
}

TEST(KeysetTest, DecryptFailsForEveryFlippedByte) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  for (std::size_t i = 0; i < ciphertext->size(); ++i) {
    Bytes modified = *ciphertext;
    modified[i] ^= 0x01;
    EXPECT_THAT(keyset.Decrypt(modified, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"))
        << "byte " << i;
  }
}

TEST(KeysetTest, DecryptFailsForEveryTruncation) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  for (std::size_t length = 0; length < ciphertext->size(); ++length) {
    const Bytes truncated(ciphertext->begin(), ciphertext->begin() + length);
    EXPECT_THAT(keyset.Decrypt(truncated, kAssociatedData), ErrorIs(ErrorCode::kDataLoss))
        << "length " << length;
  }
}

TEST(KeysetTest, DecryptFailsIfAssociatedDataDiffers) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(keyset.Decrypt(*ciphertext, MakeAssociatedData("131016", "persons", "p-8", 1)),
              ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(KeysetTest, DecryptFailsWithAnotherKeysetHoldingTheSameKeyId) {
  Keyset keyset = NewKeyset();
  Keyset other = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(other.Decrypt(*ciphertext, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(KeysetTest, DecryptFailsCleanlyForAnUnknownKeyId) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());
  (*ciphertext)[4] = 9;  // key id 9, which this keyset never had

  Result<Bytes> plain = keyset.Decrypt(*ciphertext, kAssociatedData);
  EXPECT_THAT(plain, ErrorIs(ErrorCode::kDataLoss));
  ASSERT_FALSE(plain.has_value());
  EXPECT_THAT(plain.error().internal_detail, ::testing::HasSubstr("unknown key id 9"));
}

TEST(KeysetTest, HeaderIsAuthenticatedSoAKeyIdCannotBeSwapped) {
  Keyset keyset = NewKeyset();
  Result<Bytes> ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());
  ASSERT_THAT(keyset.Rotate(), IsOkAndHolds(2u));
  // Key 2 exists now; relabelling a key-1 ciphertext as key 2 must not pass, and neither must
  // decrypting its body under key 1 with the header of key 2.
  (*ciphertext)[4] = 2;

  EXPECT_THAT(keyset.Decrypt(*ciphertext, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(KeysetTest, HeaderIsAuthenticatedEvenWhenTwoIdsShareKeyBytes) {
  // Ids 1 and 2 hold the same key bytes, so only the authenticated header can tell a key-2
  // ciphertext from one relabelled as key 1.
  Keyset original = NewKeyset();
  ASSERT_THAT(original.Rotate(), IsOk());
  SecretBytes serialized = original.Serialize();
  std::copy(serialized.data() + 13, serialized.data() + 45, serialized.data() + 49);
  Result<Keyset> keyset = Keyset::Parse(serialized);
  ASSERT_THAT(keyset, IsOk());
  Result<Bytes> ciphertext = keyset->Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());
  ASSERT_THAT(keyset->Decrypt(*ciphertext, kAssociatedData), IsOk());

  (*ciphertext)[4] = 1;
  EXPECT_THAT(keyset->Decrypt(*ciphertext, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST(KeysetTest, RotateAddsANewPrimaryAndOldCiphertextsStillDecrypt) {
  Keyset keyset = NewKeyset();
  Result<Bytes> old_ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(old_ciphertext, IsOk());

  ASSERT_THAT(keyset.Rotate(), IsOkAndHolds(2u));
  Result<Bytes> new_ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(new_ciphertext, IsOk());

  EXPECT_EQ(keyset.primary_key_id(), 2u);
  EXPECT_EQ(keyset.size(), 2u);
  EXPECT_EQ(KeyIdOf(*old_ciphertext), 1u);
  EXPECT_EQ(KeyIdOf(*new_ciphertext), 2u);
  EXPECT_THAT(keyset.Decrypt(*old_ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
  EXPECT_THAT(keyset.Decrypt(*new_ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
}

TEST(KeysetTest, SerializeThenParseKeepsEveryKeyAndThePrimary) {
  Keyset keyset = NewKeyset();
  Result<Bytes> old_ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(old_ciphertext, IsOk());
  ASSERT_THAT(keyset.Rotate(), IsOk());
  ASSERT_THAT(keyset.Rotate(), IsOk());
  Result<Bytes> new_ciphertext = keyset.Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(new_ciphertext, IsOk());

  const SecretBytes serialized = keyset.Serialize();
  EXPECT_EQ(serialized.size(), 1u + 4 + 4 + 3 * (4 + 32));
  Result<Keyset> parsed = Keyset::Parse(serialized);
  ASSERT_THAT(parsed, IsOk());

  EXPECT_EQ(parsed->primary_key_id(), 3u);
  EXPECT_EQ(parsed->size(), 3u);
  EXPECT_TRUE(parsed->Serialize().Equals(serialized));
  EXPECT_THAT(parsed->Decrypt(*old_ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
  EXPECT_THAT(parsed->Decrypt(*new_ciphertext, kAssociatedData), IsOkAndHolds(Eq(kPlaintext)));
}

TEST(KeysetTest, SerializedLayoutIsVersionPrimaryCountThenEntries) {
  Keyset keyset = NewKeyset();
  ASSERT_THAT(keyset.Rotate(), IsOk());
  const SecretBytes serialized = keyset.Serialize();
  const ByteView bytes = serialized.span();

  EXPECT_EQ(bytes[0], 0x01);
  EXPECT_EQ(internal::ReadU32Be(bytes, 1), 2u);   // primary
  EXPECT_EQ(internal::ReadU32Be(bytes, 5), 2u);   // count
  EXPECT_EQ(internal::ReadU32Be(bytes, 9), 1u);   // first id
  EXPECT_EQ(internal::ReadU32Be(bytes, 45), 2u);  // second id after 32 key bytes
}

SecretBytes Modified(const SecretBytes& serialized, std::size_t index, std::uint8_t value) {
  SecretBytes copy = serialized.Copy();
  copy.data()[index] = value;
  return copy;
}

TEST(KeysetTest, ParseRefusesCorruptedSerializations) {
  Keyset keyset = NewKeyset();
  ASSERT_THAT(keyset.Rotate(), IsOk());
  const SecretBytes serialized = keyset.Serialize();

  // Every truncation, and one extra byte.
  for (std::size_t length = 0; length < serialized.size(); ++length) {
    EXPECT_THAT(Keyset::Parse(SecretBytes::FromBytes(serialized.span().first(length))),
                ErrorIdIs("KSK-CRYPTO-004"))
        << "length " << length;
  }
  SecretBytes longer(serialized.size() + 1);
  std::copy(serialized.span().begin(), serialized.span().end(), longer.data());
  EXPECT_THAT(Keyset::Parse(longer), ErrorIs(ErrorCode::kDataLoss));

  EXPECT_THAT(Keyset::Parse(Modified(serialized, 0, 0x02)), ErrorIdIs("KSK-CRYPTO-004"));
  EXPECT_THAT(Keyset::Parse(Modified(serialized, 4, 7)), ErrorIdIs("KSK-CRYPTO-004"))
      << "primary id not in the set";
  EXPECT_THAT(Keyset::Parse(Modified(serialized, 8, 3)), ErrorIdIs("KSK-CRYPTO-004"))
      << "count does not match";
  EXPECT_THAT(Keyset::Parse(Modified(serialized, 48, 1)), ErrorIdIs("KSK-CRYPTO-004"))
      << "duplicate id";
  EXPECT_THAT(Keyset::Parse(Modified(serialized, 12, 0)), ErrorIdIs("KSK-CRYPTO-004")) << "id zero";
}

TEST(KeysetTest, ParseRefusesAnEmptyKeyset) {
  SecretBytes empty(9);
  empty.data()[0] = 0x01;
  EXPECT_THAT(Keyset::Parse(empty), ErrorIdIs("KSK-CRYPTO-004"));
}

}  // namespace
}  // namespace koseki::crypto
