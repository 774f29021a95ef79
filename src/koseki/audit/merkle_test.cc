#include "koseki/audit/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>

#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::audit::testing::FromHex;
using ::koseki::audit::testing::HashFromHex;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;
using ::testing::ElementsAreArray;

// Leaves and hashes of the RFC 6962 reference tree used by Certificate Transparency and
// transparency-dev/merkle (testonly/constants.go, proof/verify_test.go).
std::vector<std::vector<std::uint8_t>> VectorLeaves() {
  return {FromHex(""),
          FromHex("00"),
          FromHex("10"),
          FromHex("2021"),
          FromHex("3031"),
          FromHex("40414243"),
          FromHex("5051525354555657"),
          FromHex("606162636465666768696a6b6c6d6e6f")};
}

const char* const kVectorRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryTree VectorTree() {
  MemoryTree tree;
  for (const auto& leaf : VectorLeaves()) tree.Append(LeafHash(leaf));
  return tree;
}

std::vector<Hash> Hashes(std::initializer_list<const char*> hex) {
  std::vector<Hash> out;
  for (const char* h : hex) out.push_back(HashFromHex(h));
  return out;
}

// A deliberately naive reference: RFC 9162's recursive definitions over a vector of leaf
// hashes, with no shared code with merkle.cc beyond the two hash functions.
std::uint64_t Split(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash RefMth(const std::vector<Hash>& leaves, std::uint64_t lo, std::uint64_t hi) {
  if (hi == lo) return EmptyTreeHash();
  if (hi - lo == 1) return leaves[lo];
  const std::uint64_t k = Split(hi - lo);
  return NodeHash(RefMth(leaves, lo, lo + k), RefMth(leaves, lo + k, hi));
}

std::vector<Hash> RefPath(const std::vector<Hash>& leaves, std::uint64_t m, std::uint64_t lo,
                          std::uint64_t hi) {
  if (hi - lo <= 1) return {};
  const std::uint64_t k = Split(hi - lo);
  std::vector<Hash> out;
  if (m < k) {
    out = RefPath(leaves, m, lo, lo + k);
    out.push_back(RefMth(leaves, lo + k, hi));
  } else {
    out = RefPath(leaves, m - k, lo + k, hi);
    out.push_back(RefMth(leaves, lo, lo + k));
  }
  return out;
}

std::vector<Hash> RefSubProof(const std::vector<Hash>& leaves, std::uint64_t m, std::uint64_t lo,
                              std::uint64_t hi, bool b) {
  if (m == hi - lo) return b ? std::vector<Hash>{} : std::vector<Hash>{RefMth(leaves, lo, hi)};
  const std::uint64_t k = Split(hi - lo);
  std::vector<Hash> out;
  if (m <= k) {
    out = RefSubProof(leaves, m, lo, lo + k, b);
    out.push_back(RefMth(leaves, lo + k, hi));
  } else {
    out = RefSubProof(leaves, m - k, lo + k, hi, false);
    out.push_back(RefMth(leaves, lo, lo + k));
  }
  return out;
}

std::vector<Hash> SyntheticLeaves(std::size_t count) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t bytes[] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8),
                                  0x5a};
    leaves.push_back(LeafHash(bytes));
  }
  return leaves;
}

MemoryTree TreeOf(const std::vector<Hash>& leaves) {
  MemoryTree tree;
  for (const Hash& leaf : leaves) tree.Append(leaf);
  return tree;
}

std::vector<Hash> FlipBit(std::vector<Hash> proof, std::size_t element) {
  proof[element][0] ^= 0x08;
  return proof;
}

TEST(MerkleTest, EmptyTreeHashIsSha256OfTheEmptyString) {
  EXPECT_EQ(EmptyTreeHash(),
            HashFromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_THAT(RootHash(MemoryTree(), 0), IsOkAndHolds(EmptyTreeHash()));
  EXPECT_EQ(Frontier().Root(), EmptyTreeHash());
}

TEST(MerkleTest, LeafAndNodeHashesMatchPublishedVectors) {
  EXPECT_EQ(LeafHash({}),
            HashFromHex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
  EXPECT_EQ(NodeHash(LeafHash({}), LeafHash(FromHex("00"))),
            HashFromHex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
}

TEST(MerkleTest, RootsMatchPublishedRfc6962VectorsForEverySizeUpToEight) {
  const MemoryTree tree = VectorTree();
  Frontier frontier;
  for (std::uint64_t size = 1; size <= 8; ++size) {
    frontier.Append(LeafHash(VectorLeaves()[size - 1]));
    EXPECT_THAT(RootHash(tree, size), IsOkAndHolds(HashFromHex(kVectorRoots[size - 1])))
        << "size " << size;
    EXPECT_EQ(frontier.Root(), HashFromHex(kVectorRoots[size - 1])) << "size " << size;
  }
}

TEST(MerkleTest, InclusionProofsMatchPublishedVectors) {
  const MemoryTree tree = VectorTree();
  struct Vector {
    std::uint64_t index, size;
    std::vector<Hash> proof;
  };
  const std::vector<Vector> vectors = {
      {0, 8,
       Hashes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       Hashes({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
               "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, Hashes({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       Hashes({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  for (const Vector& v : vectors) {
    EXPECT_THAT(InclusionProof(tree, v.index, v.size), IsOkAndHolds(ElementsAreArray(v.proof)));
    EXPECT_THAT(VerifyInclusion(v.index, v.size, LeafHash(VectorLeaves()[v.index]), v.proof,
                                HashFromHex(kVectorRoots[v.size - 1])),
                IsOk());
  }
}

TEST(MerkleTest, ConsistencyProofsMatchPublishedVectors) {
  const MemoryTree tree = VectorTree();
  struct Vector {
    std::uint64_t size1, size2;
    std::vector<Hash> proof;
  };
  const std::vector<Vector> vectors = {
      {1, 1, {}},
      {1, 8,
       Hashes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hashes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
               "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hashes({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
      {6, 7,
       Hashes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
               "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
  };
  for (const Vector& v : vectors) {
    EXPECT_THAT(ConsistencyProof(tree, v.size1, v.size2), IsOkAndHolds(ElementsAreArray(v.proof)));
    EXPECT_THAT(VerifyConsistency(v.size1, v.size2, v.proof, HashFromHex(kVectorRoots[v.size1 - 1]),
                                  HashFromHex(kVectorRoots[v.size2 - 1])),
                IsOk());
  }
}

TEST(MerkleTest, InclusionProofsEqualBruteForceForEveryLeafOfEveryTreeUpTo64) {
  const std::vector<Hash> all = SyntheticLeaves(64);
  const MemoryTree tree = TreeOf(all);
  const LeafHashSource leaf_source([&](std::uint64_t i) -> Result<Hash> { return all[i]; });
  for (std::uint64_t size = 1; size <= 64; ++size) {
    const Hash root = RefMth(all, 0, size);
    ASSERT_THAT(RootHash(tree, size), IsOkAndHolds(root));
    for (std::uint64_t index = 0; index < size; ++index) {
      const std::vector<Hash> expected = RefPath(all, index, 0, size);
      ASSERT_THAT(InclusionProof(tree, index, size), IsOkAndHolds(ElementsAreArray(expected)))
          << index << "/" << size;
      ASSERT_THAT(InclusionProof(leaf_source, index, size),
                  IsOkAndHolds(ElementsAreArray(expected)));
      ASSERT_THAT(VerifyInclusion(index, size, all[index], expected, root), IsOk())
          << index << "/" << size;
    }
  }
}

TEST(MerkleTest, VerifyInclusionRefusesEveryAlteredProofForEveryTreeUpTo64) {
  const std::vector<Hash> all = SyntheticLeaves(65);
  const Hash other = LeafHash(FromHex("ff"));
  for (std::uint64_t size = 1; size <= 64; ++size) {
    const Hash root = RefMth(all, 0, size);
    for (std::uint64_t index = 0; index < size; ++index) {
      const std::vector<Hash> proof = RefPath(all, index, 0, size);
      for (std::size_t e = 0; e < proof.size(); ++e) {
        ASSERT_FALSE(VerifyInclusion(index, size, all[index], FlipBit(proof, e), root).has_value());
      }
      ASSERT_FALSE(VerifyInclusion(index, size, other, proof, root).has_value());
      ASSERT_FALSE(VerifyInclusion(index, size, all[index], proof, other).has_value());
      if (index + 1 < size) {
        ASSERT_FALSE(VerifyInclusion(index + 1, size, all[index], proof, root).has_value());
      }
      // (A wrong size is not always detectable from the proof alone — index 0 hashes along the
      // same path in trees of 6 and 7 leaves — the signed checkpoint binds the size.)
      ASSERT_FALSE(VerifyInclusion(index, 2 * size + 1, all[index], proof, root).has_value());
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      ASSERT_FALSE(VerifyInclusion(index, size, all[index], longer, root).has_value());
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        ASSERT_FALSE(VerifyInclusion(index, size, all[index], shorter, root).has_value());
      }
    }
    EXPECT_THAT(VerifyInclusion(size, size, all[size], {}, root), ErrorIdIs("KSK-AUDIT-002"));
  }
}

TEST(MerkleTest, ConsistencyProofsEqualBruteForceForEveryPairOfSizesUpTo64) {
  const std::vector<Hash> all = SyntheticLeaves(64);
  const MemoryTree tree = TreeOf(all);
  const LeafHashSource leaf_source([&](std::uint64_t i) -> Result<Hash> { return all[i]; });
  for (std::uint64_t size2 = 0; size2 <= 64; ++size2) {
    const Hash root2 = RefMth(all, 0, size2);
    for (std::uint64_t size1 = 0; size1 <= size2; ++size1) {
      const Hash root1 = RefMth(all, 0, size1);
      const std::vector<Hash> expected = (size1 == 0 || size1 == size2)
                                             ? std::vector<Hash>{}
                                             : RefSubProof(all, size1, 0, size2, true);
      ASSERT_THAT(ConsistencyProof(tree, size1, size2), IsOkAndHolds(ElementsAreArray(expected)))
          << size1 << "->" << size2;
      ASSERT_THAT(ConsistencyProof(leaf_source, size1, size2),
                  IsOkAndHolds(ElementsAreArray(expected)));
      ASSERT_THAT(VerifyConsistency(size1, size2, expected, root1, root2), IsOk())
          << size1 << "->" << size2;
    }
  }
}

TEST(MerkleTest, VerifyConsistencyRefusesEveryAlteredProofForEveryPairUpTo64) {
  const std::vector<Hash> all = SyntheticLeaves(64);
  const Hash other = LeafHash(FromHex("ff"));
  for (std::uint64_t size2 = 2; size2 <= 64; ++size2) {
    const Hash root2 = RefMth(all, 0, size2);
    for (std::uint64_t size1 = 1; size1 < size2; ++size1) {
      const Hash root1 = RefMth(all, 0, size1);
      const std::vector<Hash> proof = RefSubProof(all, size1, 0, size2, true);
      for (std::size_t e = 0; e < proof.size(); ++e) {
        ASSERT_FALSE(VerifyConsistency(size1, size2, FlipBit(proof, e), root1, root2).has_value())
            << size1 << "->" << size2 << " element " << e;
      }
      ASSERT_FALSE(VerifyConsistency(size1, size2, proof, other, root2).has_value());
      ASSERT_FALSE(VerifyConsistency(size1, size2, proof, root1, other).has_value());
      ASSERT_FALSE(VerifyConsistency(size1, size2, proof, root2, root1).has_value());
      ASSERT_FALSE(VerifyConsistency(size1, size2, {}, root1, root2).has_value());
      ASSERT_FALSE(VerifyConsistency(size2, size1, proof, root2, root1).has_value());
      std::vector<Hash> longer = proof;
      longer.push_back(root1);
      ASSERT_FALSE(VerifyConsistency(size1, size2, longer, root1, root2).has_value());
      std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
      ASSERT_FALSE(VerifyConsistency(size1, size2, shorter, root1, root2).has_value());
    }
  }
}

TEST(MerkleTest, VerifyConsistencyOfEqualSizesNeedsEqualRootsAndNoProof) {
  const Hash a = LeafHash(FromHex("01"));
  const Hash b = LeafHash(FromHex("02"));
  EXPECT_THAT(VerifyConsistency(3, 3, {}, a, a), IsOk());
  EXPECT_THAT(VerifyConsistency(3, 3, {}, a, b), ErrorIdIs("KSK-AUDIT-002"));
  EXPECT_THAT(VerifyConsistency(3, 3, std::vector<Hash>{a}, a, a), ErrorIdIs("KSK-AUDIT-002"));
  EXPECT_THAT(VerifyConsistency(0, 5, {}, a, b), IsOk());
  EXPECT_THAT(VerifyConsistency(0, 5, std::vector<Hash>{a}, a, b), ErrorIdIs("KSK-AUDIT-002"));
}

TEST(MerkleTest, FrontierRootEqualsMthForEverySizeUpTo200) {
  const std::vector<Hash> all = SyntheticLeaves(200);
  Frontier frontier;
  MemoryTree tree;
  for (std::uint64_t size = 1; size <= 200; ++size) {
    const auto completed = frontier.Append(all[size - 1]);
    tree.Append(all[size - 1]);
    ASSERT_EQ(frontier.size(), size);
    ASSERT_EQ(frontier.Root(), RefMth(all, 0, size)) << "size " << size;
    // Every node the frontier reports is the tree's node at that place.
    for (const Frontier::Node& node : completed) {
      ASSERT_THAT(tree.NodeHashAt(node.level, node.index), IsOkAndHolds(node.hash));
    }
    ASSERT_EQ(completed.size(), 1u + static_cast<std::size_t>(std::countr_one(size - 1)));
  }
}

TEST(MerkleTest, FrontierRestoredFromStoredNodesContinuesTheSameTree) {
  const std::vector<Hash> all = SyntheticLeaves(100);
  const MemoryTree tree = TreeOf(std::vector<Hash>(all.begin(), all.begin() + 77));
  auto restored = Frontier::FromSource(tree, 77);
  ASSERT_THAT(restored, IsOk());
  auto copy = Frontier::Restore(77, restored->hashes());
  ASSERT_THAT(copy, IsOk());
  for (std::size_t i = 77; i < 100; ++i) copy->Append(all[i]);
  EXPECT_EQ(copy->Root(), RefMth(all, 0, 100));
}

TEST(MerkleTest, FrontierRestoreRefusesTheWrongNumberOfHashes) {
  EXPECT_THAT(Frontier::Restore(5, {EmptyTreeHash()}), ErrorIdIs("KSK-AUDIT-003"));
  EXPECT_THAT(Frontier::Restore(0, {EmptyTreeHash()}), ErrorIdIs("KSK-AUDIT-003"));
}

TEST(MerkleTest, ProofRequestsOutsideTheTreeAreRefused) {
  const MemoryTree tree = VectorTree();
  EXPECT_THAT(InclusionProof(tree, 8, 8), ErrorIdIs("KSK-AUDIT-001"));
  EXPECT_THAT(ConsistencyProof(tree, 5, 4), ErrorIdIs("KSK-AUDIT-001"));
  // The tree has 8 leaves; a proof in a tree of 9 needs a node it does not have.
  EXPECT_THAT(InclusionProof(tree, 0, 9), ErrorIdIs("KSK-AUDIT-004"));
  EXPECT_THAT(RootHash(tree, 12), ErrorIdIs("KSK-AUDIT-004"));
}

}  // namespace
}  // namespace koseki::audit
