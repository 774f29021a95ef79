#include "koseki/crypto/blind_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::FromHex;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Eq;
using ::testing::Ne;
using ::testing::SizeIs;

constexpr std::string_view kPurpose = "honseki+hittosha";
constexpr std::string_view kValue = "青葉県みなと市|山川健一";

BlindIndexer NewIndexer() {
  Result<SecretBytes> key = RandomSecret(BlindIndexer::kKeySize);
  EXPECT_THAT(key, IsOk());
  Result<BlindIndexer> indexer = BlindIndexer::Create(std::move(key).value());
  EXPECT_THAT(indexer, IsOk());
  return std::move(indexer).value();
}

TEST(BlindIndexerTest, CreateRejectsKeysOfTheWrongSize) {
  EXPECT_THAT(BlindIndexer::Create(SecretBytes(16)), ErrorIdIs("KSK-CRYPTO-001"));
  EXPECT_THAT(BlindIndexer::Create(SecretBytes()), ErrorIdIs("KSK-CRYPTO-001"));
}

TEST(BlindIndexerTest, MatchesTheDocumentedConstruction) {
  // Key 00 01 .. 1f; expected value computed independently with Python's hmac module:
  // hmac.new(key, struct.pack('>I', len(p)) + p + v, sha256).digest()[:16]
  SecretBytes key(32);
  std::iota(key.data(), key.data() + key.size(), std::uint8_t{0});
  Result<BlindIndexer> indexer = BlindIndexer::Create(std::move(key));
  ASSERT_THAT(indexer, IsOk());

  EXPECT_THAT(indexer->Compute(kPurpose, kValue), Eq(FromHex("90a6f77dd8d08092e6ddfe67a7032883")));
}

TEST(BlindIndexerTest, IsDeterministicForTheSameKeyPurposeAndValue) {
  BlindIndexer indexer = NewIndexer();
  const Bytes first = indexer.Compute(kPurpose, kValue);

  EXPECT_THAT(first, SizeIs(BlindIndexer::kOutputSize));
  EXPECT_THAT(indexer.Compute(kPurpose, kValue), Eq(first));
}

TEST(BlindIndexerTest, DiffersForAnotherValue) {
  BlindIndexer indexer = NewIndexer();
  EXPECT_THAT(indexer.Compute(kPurpose, "青葉県みなと市|山川健二"),
              Ne(indexer.Compute(kPurpose, kValue)));
}

TEST(BlindIndexerTest, DiffersForAnotherPurpose) {
  BlindIndexer indexer = NewIndexer();
  EXPECT_THAT(indexer.Compute("name+birth", kValue), Ne(indexer.Compute(kPurpose, kValue)));
}

TEST(BlindIndexerTest, DiffersForAnotherKey) {
  BlindIndexer indexer = NewIndexer();
  BlindIndexer other = NewIndexer();
  EXPECT_THAT(other.Compute(kPurpose, kValue), Ne(indexer.Compute(kPurpose, kValue)));
}

TEST(BlindIndexerTest, PurposeLengthPrefixKeepsPurposeAndValueApart) {
  BlindIndexer indexer = NewIndexer();
  EXPECT_THAT(indexer.Compute("ab", "c"), Ne(indexer.Compute("a", "bc")));
}

}  // namespace
}  // namespace koseki::crypto
