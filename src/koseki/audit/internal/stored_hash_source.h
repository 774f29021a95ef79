// A HashSource over an audit log's stored rows (leaf hashes in audit_entries, completed nodes
// in audit_nodes), so that roots, frontiers and proofs cost O(log n) or O(log² n) reads.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "koseki/audit/merkle.h"
#include "koseki/store/backend.h"

namespace koseki::audit::internal {

class StoredHashSource final : public HashSource {
 public:
  // `backend` must outlive this object.
  StoredHashSource(store::Backend& backend, std::string_view log) : backend_(backend), log_(log) {}

  // DataLoss KSK-AUDIT-047 if the node is not stored or is not 32 bytes.
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
