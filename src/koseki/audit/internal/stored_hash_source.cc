#include "koseki/audit/internal/stored_hash_source.h"

#include <algorithm>
#include <utility>

namespace koseki::audit::internal {

Error StoreInconsistent(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-047",
                   "監査ログの保存内容に矛盾があります。koseki audit verify で検査してください。",
                   std::move(detail));
}

std::optional<Hash> ToHash(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kHashSize) return std::nullopt;
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

Result<Hash> StoredHashSource::NodeHashAt(int level, std::uint64_t index) const {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::Bytes> stored,
                          backend_.GetAuditNode(log_, level, index));
  std::optional<Hash> hash = stored ? ToHash(*stored) : std::nullopt;
  if (!hash) {
    return StoreInconsistent("stored node (" + std::to_string(level) + "," + std::to_string(index) +
                             ") missing or malformed");
  }
  return *hash;
}

}  // namespace koseki::audit::internal
