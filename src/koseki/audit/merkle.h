// Merkle tree hashing and proofs of RFC 9162 §2.1 (the same tree as RFC 6962) over SHA-256.
//
//   leaf hash  = SHA-256(0x00 ‖ entry bytes)
//   node hash  = SHA-256(0x01 ‖ left ‖ right)
//   MTH({})    = SHA-256("")                   (the empty tree)
//   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two smaller than n
//
// Every hash a proof or root needs is the hash of a *perfect subtree*: 2^level consecutive
// leaves starting at a multiple of 2^level, named (level, index). Proof generation reads those
// through the HashSource interface, so a persistent store can answer from stored node hashes
// (Frontier::Append reports each node as it is completed) or from stored leaf hashes
// (LeafHashSource); MemoryTree keeps them all in memory. Verification functions are pure.
//
// Proofs are lists of hashes in the order of RFC 9162 (from the leaf, or the old root, upward).
// Nothing here does I/O. Classes are not thread-safe; free functions are.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::audit {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<std::uint8_t, kHashSize>;

// Returns SHA-256 of the empty string, the root of the empty tree.
Hash EmptyTreeHash();
// Returns SHA-256(0x00 ‖ entry).
Hash LeafHash(std::span<const std::uint8_t> entry);
// Returns SHA-256(0x01 ‖ left ‖ right).
Hash NodeHash(const Hash& left, const Hash& right);

// The error of a HashSource that lacks node (level, index): NotFound KSK-AUDIT-004.
Error MissingNode(int level, std::uint64_t index);

// Supplies hashes of perfect subtrees: NodeHashAt(level, index) covers the leaves
// [index·2^level, (index+1)·2^level). The proof functions below only ask for nodes lying
// entirely inside the tree sizes they are given; a source that lacks one returns an error, which
// is passed on unchanged.
class HashSource {
 public:
  virtual ~HashSource() = default;
  virtual Result<Hash> NodeHashAt(int level, std::uint64_t index) const = 0;
};

// A HashSource over leaf hashes only (e.g. a `leaf_hash` column): a node of level L costs 2^L
// leaf reads and 2^L − 1 hashes, so a proof over a tree of n leaves costs O(n). Fine for an
// auditor's occasional `audit proof`; for frequent proofs store the nodes instead.
class LeafHashSource final : public HashSource {
 public:
  using LeafFn = std::function<Result<Hash>(std::uint64_t index)>;
  explicit LeafHashSource(LeafFn leaf_hash_at) : leaf_hash_at_(std::move(leaf_hash_at)) {}
  Result<Hash> NodeHashAt(int level, std::uint64_t index) const override;

 private:
  LeafFn leaf_hash_at_;
};

// The whole tree in memory: every leaf hash and every completed node (about 2n hashes, 64 bytes
// per leaf). Append is amortised O(1); NodeHashAt is O(1); roots of any prefix cost O(log n).
class MemoryTree final : public HashSource {
 public:
  void Append(const Hash& leaf_hash);
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Result<Hash> NodeHashAt(int level, std::uint64_t index) const override;

 private:
  std::vector<std::vector<Hash>> levels_;
};

// Returns MTH of the first `size` leaves of `source`.
Result<Hash> RootHash(const HashSource& source, std::uint64_t size);

// Returns PATH(index, D[size]) of RFC 9162 §2.1.3.1. InvalidArgument KSK-AUDIT-001 unless
// index < size.
Result<std::vector<Hash>> InclusionProof(const HashSource& source, std::uint64_t index,
                                         std::uint64_t size);

// Returns PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1 (empty when size1 is 0 or equals size2).
// InvalidArgument KSK-AUDIT-001 unless size1 <= size2.
Result<std::vector<Hash>> ConsistencyProof(const HashSource& source, std::uint64_t size1,
                                           std::uint64_t size2);

// Runs the verification algorithm of RFC 9162 §2.1.3.2 and returns the root it arrives at.
// DataLoss KSK-AUDIT-002 if index >= size or the proof has the wrong length for (index, size).
Result<Hash> RootFromInclusionProof(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof);

// Checks that the leaf with hash `leaf_hash` is at `index` in the tree of `size` leaves with
// root `root`. DataLoss KSK-AUDIT-002 otherwise.
Result<void> VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                             std::span<const Hash> proof, const Hash& root);

// Checks (RFC 9162 §2.1.4.2) that the tree of size2 leaves with root2 extends the tree of size1
// leaves with root1. size1 == size2 needs equal roots and an empty proof; size1 == 0 needs an
// empty proof. DataLoss KSK-AUDIT-002 otherwise.
Result<void> VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                               std::span<const Hash> proof, const Hash& root1, const Hash& root2);

// The right edge of a growing tree: the hashes of the perfect subtrees that make up the first
// `size` leaves (one per set bit of size, largest first). Appending a leaf and computing the
// new root are O(log n) with O(log n) memory, which is what each audit append needs.
class Frontier {
 public:
  // A perfect subtree completed by an Append (the leaf itself is level 0).
  struct Node {
    int level = 0;
    std::uint64_t index = 0;
    Hash hash{};
  };

  Frontier() = default;
  // Restores a frontier from hashes kept elsewhere (e.g. the latest stored nodes).
  // InvalidArgument KSK-AUDIT-003 unless hashes.size() is the number of set bits of size.
  static Result<Frontier> Restore(std::uint64_t size, std::vector<Hash> hashes);
  // Reads the frontier of the first `size` leaves from `source`.
  static Result<Frontier> FromSource(const HashSource& source, std::uint64_t size);

  // Appends a leaf; returns the perfect subtrees this completed, lowest level first, so that a
  // store can persist them as a HashSource.
  std::vector<Node> Append(const Hash& leaf_hash);
  // Returns MTH of the leaves appended so far.
  Hash Root() const;
  std::uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }

 private:
  Frontier(std::uint64_t size, std::vector<Hash> hashes)
      : size_(size), hashes_(std::move(hashes)) {}
  std::uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

}  // namespace koseki::audit
