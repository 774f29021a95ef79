#include "koseki/store/sqlite/internal/audit_bundles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace koseki::store::sqlite_internal {
namespace {

using ::testing::ElementsAreArray;
using Entry = std::span<const std::uint8_t>;

// 256 entries of 1 to 300 bytes (lengths over 255 use the length's upper bytes).
std::vector<Bytes> SampleEntries(std::size_t count = kAuditBundleEntries) {
  std::vector<Bytes> entries;
  for (std::size_t i = 0; i < count; ++i) {
    entries.emplace_back(1 + (i * 37) % 300, static_cast<std::uint8_t>(i));
  }
  return entries;
}

Bytes Encode(const std::vector<Bytes>& entries) {
  Bytes bundle;
  for (const Bytes& entry : entries) AppendToAuditBundle(bundle, entry);
  return bundle;
}

TEST(AuditBundlesTest, ABundleDecodesToTheEntriesItWasEncodedFrom) {
  const std::vector<Bytes> entries = SampleEntries();
  const Bytes stored = Encode(entries);

  const auto decoded = DecodeAuditBundle(stored);

  ASSERT_TRUE(decoded.has_value());
  std::vector<Bytes> copies;
  for (Entry entry : *decoded) copies.emplace_back(entry.begin(), entry.end());
  EXPECT_THAT(copies, ElementsAreArray(entries));
  // A length is 4 bytes, big-endian: entry 7 (260 bytes) starts after entries 0…6.
  std::size_t offset = 0;
  for (std::size_t i = 0; i < 7; ++i) offset += 4 + entries[i].size();
  EXPECT_EQ(entries[7].size(), 260u);
  EXPECT_THAT(std::vector<std::uint8_t>(stored.begin() + static_cast<std::ptrdiff_t>(offset),
                                        stored.begin() + static_cast<std::ptrdiff_t>(offset) + 4),
              ElementsAreArray({0, 0, 1, 4}));
}

TEST(AuditBundlesTest, AnythingButExactly256NonEmptyEntriesIsRefused) {
  const Bytes good = Encode(SampleEntries());
  Bytes truncated = good;
  truncated.pop_back();
  Bytes trailing = good;
  trailing.push_back(0);
  Bytes overlong = good;
  overlong[0] = 0xff;  // the first length runs past the end
  std::vector<Bytes> with_empty = SampleEntries();
  with_empty[100].clear();

  EXPECT_FALSE(DecodeAuditBundle(Encode(SampleEntries(255))).has_value());
  EXPECT_FALSE(DecodeAuditBundle(Encode(SampleEntries(257))).has_value());
  EXPECT_FALSE(DecodeAuditBundle(truncated).has_value());
  EXPECT_FALSE(DecodeAuditBundle(trailing).has_value());
  EXPECT_FALSE(DecodeAuditBundle(overlong).has_value());
  EXPECT_FALSE(DecodeAuditBundle(Encode(with_empty)).has_value());
  EXPECT_FALSE(DecodeAuditBundle({}).has_value());
  EXPECT_TRUE(DecodeAuditBundle(good).has_value());
}

}  // namespace
}  // namespace koseki::store::sqlite_internal
