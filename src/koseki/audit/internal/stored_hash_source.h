// A HashSource over an audit log's stored rows: the leaf hashes in audit_entries and, in
// audit_nodes, the completed perfect subtrees of every eighth level (8, 16, …; the levels of
// C2SP tlog-tiles' tiles). A node of another level is hashed up from the stored level below it,
// at most 128 hashes read in one range and 127 hashed, so roots, frontiers and proofs still cost
// O(log n) reads — while a log stores one node row per 255 entries instead of one per entry,
// which is what `audit verify` and every append would otherwise read and write.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "koseki/audit/merkle.h"
#include "koseki/store/backend.h"

namespace koseki::audit::internal {

// Nodes of levels that are multiples of this are stored; the others are computed.
inline constexpr int kStoredLevelStride = 8;

// Whether the append that completes node (level, ·) stores it (level ≥ 1: leaves live in the
// entry rows).
constexpr bool IsStoredLevel(int level) { return level > 0 && level % kStoredLevelStride == 0; }

class StoredHashSource final : public HashSource {
 public:
  // `backend` must outlive this object.
  StoredHashSource(store::Backend& backend, std::string_view log) : backend_(backend), log_(log) {}

  // DataLoss KSK-AUDIT-047 if a hash it needs is not stored or is not 32 bytes.
  Result<Hash> NodeHashAt(int level, std::uint64_t index) const override;

 private:
  store::Backend& backend_;
  std::string log_;
};

// Returns DataLoss (KSK-AUDIT-047): the stored rows of a log contradict each other or miss a
// row (run `koseki audit verify`). `detail` names the rows, never their content.
Error StoreInconsistent(std::string detail);

// Returns `bytes` as a Hash, or nullopt unless it is 32 bytes long.
std::optional<Hash> ToHash(std::span<const std::uint8_t> bytes);

}  // namespace koseki::audit::internal
