#include "koseki/audit/internal/stored_hash_source.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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
  const auto missing = [&] {
    return StoreInconsistent("stored hashes under node (" + std::to_string(level) + "," +
                             std::to_string(index) + ") missing or malformed");
  };
  if (level < 0 || level > 62) return missing();
  const int stored_level = level - level % kStoredLevelStride;
  const int height = level - stored_level;
  if (index >= (std::uint64_t{1} << (63 - height))) return missing();  // no such row key
  const std::uint64_t width = std::uint64_t{1} << height;
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::Bytes> stored,
                          backend_.GetAuditHashes(log_, stored_level, index << height, width));
  if (stored.size() != width) return missing();
  std::vector<Hash> hashes;
  hashes.reserve(width);
  for (const store::Bytes& bytes : stored) {
    std::optional<Hash> hash = ToHash(bytes);
    if (!hash) return missing();
    hashes.push_back(*hash);
  }
  // Hashed up in place: pairs of one level make the next.
  for (std::size_t n = hashes.size(); n > 1; n /= 2) {
    for (std::size_t i = 0; i < n / 2; ++i) hashes[i] = NodeHash(hashes[2 * i], hashes[2 * i + 1]);
  }
  return hashes.front();
}

}  // namespace koseki::audit::internal
