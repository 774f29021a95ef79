#include "koseki/audit/internal/pinned_tree.h"

#include <algorithm>

namespace koseki::audit::internal {

PinnedTree::PinnedTree(int low_levels)
    : low_levels_(std::clamp(low_levels, 0, 62)), kept_(static_cast<std::size_t>(low_levels_)) {}

bool PinnedTree::Pin(std::uint64_t size) {
  if (size_ > 0) return false;
  if (size == 0) return true;  // the empty tree's root needs no node
  auto at = std::lower_bound(pins_.begin(), pins_.end(), size);
  if (at == pins_.end() || *at != size) pins_.insert(at, size);
  return true;
}

void PinnedTree::Append(const Hash& leaf_hash) {
  const std::uint64_t position = size_;
  // Every node still to complete below low_levels_ starts after position − 2^low_levels_, and a
  // pin beside it lies at most one such node further back.
  const std::uint64_t reach = std::uint64_t{2} << low_levels_;
  while (first_open_pin_ < pins_.size() && pins_[first_open_pin_] + reach < position) {
    ++first_open_pin_;
  }
  std::uint64_t index = position;
  std::size_t level = 0;
  Hash hash = leaf_hash;
  Completed(0, index, hash);
  // Each odd index completes a node one level up, exactly as a binary counter carries.
  while ((index & 1) == 1) {
    hash = NodeHash(left_[level], hash);
    ++level;
    index >>= 1;
    Completed(static_cast<int>(level), index, hash);
  }
  if (left_.size() <= level) left_.resize(level + 1);
  left_[level] = hash;
  ++size_;
}

bool PinnedTree::NearAPin(int level, std::uint64_t index) {
  // Node (level, index) lies beside size s when it is within one of the node of that level
  // holding leaf s or leaf s − 1: s in [(index − 1)·2^level, (index + 2)·2^level].
  const std::uint64_t lo = (index == 0 ? 0 : index - 1) << level;
  const std::uint64_t hi = (index + 2) << level;
  for (std::size_t i = first_open_pin_; i < pins_.size() && pins_[i] <= hi; ++i) {
    if (pins_[i] >= lo) return true;
  }
  return false;
}

void PinnedTree::Completed(int level, std::uint64_t index, const Hash& hash) {
  if (level >= low_levels_) {
    const auto high = static_cast<std::size_t>(level - low_levels_);
    if (high_.size() <= high) high_.resize(high + 1);
    high_[high].push_back(hash);  // nodes of one level complete in index order
  } else if (NearAPin(level, index)) {
    kept_[static_cast<std::size_t>(level)].emplace_back(index, hash);
  }
}

Result<Hash> PinnedTree::NodeHashAt(int level, std::uint64_t index) const {
  if (level >= low_levels_ && level < 64) {
    const auto high = static_cast<std::size_t>(level - low_levels_);
    if (high < high_.size() && index < high_[high].size()) return high_[high][index];
  } else if (level >= 0 && level < low_levels_) {
    const auto& kept = kept_[static_cast<std::size_t>(level)];
    auto it = std::lower_bound(kept.begin(), kept.end(), index,
                               [](const auto& node, std::uint64_t i) { return node.first < i; });
    if (it != kept.end() && it->first == index) return it->second;
  }
  return MissingNode(level, index);
}

std::size_t PinnedTree::hash_count() const {
  std::size_t count = left_.size();
  for (const auto& level : high_) count += level.size();
  for (const auto& level : kept_) count += level.size();
  return count;
}

}  // namespace koseki::audit::internal
