// The tree a verify recomputes, kept small. A full tree holds 64 bytes per entry (6.4 GB for a
// city's 100 million entries, and on this kind of machine faulting that memory in costs as much
// as hashing it); what a verify asks of its tree is only
//   - the stored node hashes of levels 8, 16, … (internal/stored_hash_source.h), and
//   - the root at each checkpoint's size and the consistency proofs between those sizes.
// PinnedTree keeps every node of the levels at and above `low_levels` (one hash per 2^low_levels
// entries and level: with 8, under 1/128 of the full tree) and, below them, only the nodes next
// to a size pinned before the first leaf. RFC 9162's root of the first s leaves and its
// consistency proof between s1 and s2 ask for perfect subtrees below a level only where they lie
// beside the boundary at s1 or s2: on the path of leaf s−1 or leaf s, or a sibling of a node on
// it. pinned_tree_test.cc checks that claim against MemoryTree for every pair of sizes of small
// trees. A node it does not keep is reported missing (KSK-AUDIT-004), never made up.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "koseki/audit/merkle.h"

namespace koseki::audit::internal {

class PinnedTree final : public HashSource {
 public:
  static constexpr int kDefaultLowLevels = 8;

  explicit PinnedTree(int low_levels = kDefaultLowLevels);

  // Keeps what RootHash(size) and consistency proofs between pinned sizes need. Returns false
  // once a leaf has been appended: the nodes it needs may already be gone.
  bool Pin(std::uint64_t size);
  void Append(const Hash& leaf_hash);
  std::uint64_t size() const { return size_; }
  Result<Hash> NodeHashAt(int level, std::uint64_t index) const override;
  // The hashes held (nodes kept and the right edge), for tests and benchmarks.
  std::size_t hash_count() const;

 private:
  // Whether node (level, index), level < low_levels_, lies beside a pinned size.
  bool NearAPin(int level, std::uint64_t index);
  void Completed(int level, std::uint64_t index, const Hash& hash);

  int low_levels_;
  std::uint64_t size_ = 0;
  // By level: the last completed node of even index, waiting for its right sibling.
  std::vector<Hash> left_;
  // high_[l]: every node of level low_levels_ + l, by index.
  std::vector<std::vector<Hash>> high_;
  // kept_[l]: the nodes of level l < low_levels_ next to a pin, in index order.
  std::vector<std::vector<std::pair<std::uint64_t, Hash>>> kept_;
  std::vector<std::uint64_t> pins_;  // sorted, without 0
  std::size_t first_open_pin_ = 0;   // pins_ before it lie behind every node still to complete
};

}  // namespace koseki::audit::internal
