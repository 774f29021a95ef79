#include "koseki/audit/internal/pinned_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "koseki/base/testing/matchers.h"

namespace koseki::audit::internal {
namespace {

using ::koseki::testing::ErrorIdIs;

std::vector<Hash> Leaves(std::uint64_t n) {
  std::vector<Hash> leaves;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string bytes = "entry " + std::to_string(i);
    leaves.push_back(
        LeafHash(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())));
  }
  return leaves;
}

// The claim the verifier rests on: with two sizes pinned, the tree answers their roots and the
// consistency proof between them exactly as the full tree does, for every pair of sizes and
// every tree size, with blocks of 2, 4 and 8 leaves below the levels kept whole.
TEST(PinnedTreeTest, AnswersRootsAndConsistencyProofsOfPinnedSizesLikeTheFullTree) {
  constexpr std::uint64_t kMaxLeaves = 36;
  const std::vector<Hash> leaves = Leaves(kMaxLeaves);
  for (int low_levels = 1; low_levels <= 3; ++low_levels) {
    for (std::uint64_t n = 1; n <= kMaxLeaves; ++n) {
      MemoryTree full;
      for (std::uint64_t i = 0; i < n; ++i) full.Append(leaves[i]);
      for (std::uint64_t size2 = 0; size2 <= n; ++size2) {
        for (std::uint64_t size1 = 0; size1 <= size2; ++size1) {
          PinnedTree tree(low_levels);
          ASSERT_TRUE(tree.Pin(size1));
          ASSERT_TRUE(tree.Pin(size2));
          for (std::uint64_t i = 0; i < n; ++i) tree.Append(leaves[i]);
          const std::string where = "low_levels " + std::to_string(low_levels) + " n " +
                                    std::to_string(n) + " sizes " + std::to_string(size1) + "," +
                                    std::to_string(size2);
          ASSERT_EQ(tree.size(), n);
          auto root1 = RootHash(tree, size1);
          auto root2 = RootHash(tree, size2);
          auto proof = ConsistencyProof(tree, size1, size2);
          ASSERT_TRUE(root1.has_value()) << where;
          ASSERT_TRUE(root2.has_value()) << where;
          ASSERT_TRUE(proof.has_value()) << where << ": " << proof.error().internal_detail;
          EXPECT_EQ(*root1, *RootHash(full, size1)) << where;
          EXPECT_EQ(*root2, *RootHash(full, size2)) << where;
          EXPECT_EQ(*proof, *ConsistencyProof(full, size1, size2)) << where;
        }
      }
    }
  }
}

TEST(PinnedTreeTest, KeepsEveryNodeOfTheHighLevelsAndFewBelow) {
  constexpr std::uint64_t kLeaves = 4096;
  const std::vector<Hash> leaves = Leaves(kLeaves);
  MemoryTree full;
  PinnedTree tree;  // levels 8 and up kept whole
  ASSERT_TRUE(tree.Pin(1000));
  ASSERT_TRUE(tree.Pin(3001));
  for (const Hash& leaf : leaves) {
    full.Append(leaf);
    tree.Append(leaf);
  }
  for (int level = 8; level <= 12; ++level) {
    for (std::uint64_t index = 0; index < (kLeaves >> level); ++index) {
      EXPECT_EQ(*tree.NodeHashAt(level, index), *full.NodeHashAt(level, index));
    }
  }
  // A full tree holds 2n − 1 hashes; this one the 31 nodes of levels 8–12, its right edge, and
  // a few per level beside each pin.
  EXPECT_LT(tree.hash_count(), 31u + 13u + 2u * 8u * 6u);
  // A leaf far from both pins is not kept, and is reported missing rather than made up.
  EXPECT_THAT(tree.NodeHashAt(0, 2000), ErrorIdIs("KSK-AUDIT-004"));
  EXPECT_THAT(tree.NodeHashAt(13, 0), ErrorIdIs("KSK-AUDIT-004"));
}

TEST(PinnedTreeTest, RefusesAPinOnceLeavesAreAppended) {
  PinnedTree tree;
  ASSERT_TRUE(tree.Pin(5));
  tree.Append(Leaves(1)[0]);
  EXPECT_FALSE(tree.Pin(300));
}

}  // namespace
}  // namespace koseki::audit::internal
