#include "koseki/audit/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

#include "koseki/crypto/sha256.h"

namespace koseki::audit {
namespace {

constexpr std::uint8_t kLeafPrefix[] = {0x00};
constexpr std::uint8_t kNodePrefix[] = {0x01};

Error BadRequest(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-001",
                   "監査ログの証明の要求が正しくありません。", std::move(detail));
}

Error ProofFails(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-002",
                   "監査ログの証明を検証できません。記録が改ざんされている可能性があります。",
                   std::move(detail));
}

// The largest power of two strictly smaller than n (n >= 2): the split point k of RFC 9162.
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

// Returns MTH(D[lo:hi]) for a range that occurs in RFC 9162's recursion from [0, n): such a
// range starts at a multiple of the smallest power of two >= its length, so it decomposes into
// aligned perfect subtrees (one per set bit of its length, largest first).
Result<Hash> RangeHash(const HashSource& source, std::uint64_t lo, std::uint64_t hi) {
  const std::uint64_t length = hi - lo;
  if (std::has_single_bit(length)) {
    const int level = std::countr_zero(length);
    if (lo % length != 0) return BadRequest("unaligned perfect subtree");
    return source.NodeHashAt(level, lo >> level);
  }
  const std::uint64_t k = SplitPoint(length);
  KOSEKI_ASSIGN_OR_RETURN(const Hash left, RangeHash(source, lo, lo + k));
  KOSEKI_ASSIGN_OR_RETURN(const Hash right, RangeHash(source, lo + k, hi));
  return NodeHash(left, right);
}

// PATH(m, D[lo:hi]), appended leaf-first to `out`.
Result<void> Path(const HashSource& source, std::uint64_t m, std::uint64_t lo, std::uint64_t hi,
                  std::vector<Hash>& out) {
  const std::uint64_t n = hi - lo;
  if (n == 1) return Ok();
  const std::uint64_t k = SplitPoint(n);
  if (m < k) {
    KOSEKI_RETURN_IF_ERROR(Path(source, m, lo, lo + k, out));
    KOSEKI_ASSIGN_OR_RETURN(const Hash sibling, RangeHash(source, lo + k, hi));
    out.push_back(sibling);
  } else {
    KOSEKI_RETURN_IF_ERROR(Path(source, m - k, lo + k, hi, out));
    KOSEKI_ASSIGN_OR_RETURN(const Hash sibling, RangeHash(source, lo, lo + k));
    out.push_back(sibling);
  }
  return Ok();
}

// SUBPROOF(m, D[lo:hi], b), appended to `out`.
Result<void> SubProof(const HashSource& source, std::uint64_t m, std::uint64_t lo, std::uint64_t hi,
                      bool b, std::vector<Hash>& out) {
  const std::uint64_t n = hi - lo;
  if (m == n) {
    if (!b) {
      KOSEKI_ASSIGN_OR_RETURN(const Hash hash, RangeHash(source, lo, hi));
      out.push_back(hash);
    }
    return Ok();
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    KOSEKI_RETURN_IF_ERROR(SubProof(source, m, lo, lo + k, b, out));
    KOSEKI_ASSIGN_OR_RETURN(const Hash hash, RangeHash(source, lo + k, hi));
    out.push_back(hash);
  } else {
    KOSEKI_RETURN_IF_ERROR(SubProof(source, m - k, lo + k, hi, false, out));
    KOSEKI_ASSIGN_OR_RETURN(const Hash hash, RangeHash(source, lo, lo + k));
    out.push_back(hash);
  }
  return Ok();
}

// Right-shifts fn and sn together until fn's lowest bit is set or fn is zero.
void ShiftUntilOddOrZero(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Error MissingNode(int level, std::uint64_t index) {
  return MakeError(ErrorCode::kNotFound, "KSK-AUDIT-004", "監査ログのハッシュが見つかりません。",
                   "no node at level " + std::to_string(level) + " index " + std::to_string(index));
}

Hash EmptyTreeHash() { return crypto::Sha256({}); }

Hash LeafHash(std::span<const std::uint8_t> entry) { return crypto::Sha256({kLeafPrefix, entry}); }

Hash NodeHash(const Hash& left, const Hash& right) {
  // One 65-byte input rather than three parts: each digest update has a fixed cost, and the
  // verifier computes one node hash per entry.
  std::array<std::uint8_t, 1 + 2 * kHashSize> input;
  input[0] = kNodePrefix[0];
  std::copy(left.begin(), left.end(), input.begin() + 1);
  std::copy(right.begin(), right.end(), input.begin() + 1 + kHashSize);
  return crypto::Sha256({input});
}

Result<Hash> LeafHashSource::NodeHashAt(int level, std::uint64_t index) const {
  if (level < 0 || level > 63 || index > (~std::uint64_t{0} >> level)) {
    return MissingNode(level, index);
  }
  if (level == 0) return leaf_hash_at_(index);
  KOSEKI_ASSIGN_OR_RETURN(const Hash left, NodeHashAt(level - 1, 2 * index));
  KOSEKI_ASSIGN_OR_RETURN(const Hash right, NodeHashAt(level - 1, 2 * index + 1));
  return NodeHash(left, right);
}

void MemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  std::uint64_t index = levels_[0].size() - 1;
  std::size_t level = 0;
  Hash hash = leaf_hash;
  // Each odd index completes a node one level up, exactly as a binary counter carries.
  while ((index & 1) == 1) {
    hash = NodeHash(levels_[level][index - 1], hash);
    ++level;
    index >>= 1;
    if (levels_.size() <= level) levels_.emplace_back();
    levels_[level].push_back(hash);
  }
}

Result<Hash> MemoryTree::NodeHashAt(int level, std::uint64_t index) const {
  if (level < 0 || static_cast<std::size_t>(level) >= levels_.size() ||
      index >= levels_[static_cast<std::size_t>(level)].size()) {
    return MissingNode(level, index);
  }
  return levels_[static_cast<std::size_t>(level)][index];
}

Result<Hash> RootHash(const HashSource& source, std::uint64_t size) {
  if (size == 0) return EmptyTreeHash();
  return RangeHash(source, 0, size);
}

Result<std::vector<Hash>> InclusionProof(const HashSource& source, std::uint64_t index,
                                         std::uint64_t size) {
  if (index >= size) {
    return BadRequest("inclusion proof for index " + std::to_string(index) + " in size " +
                      std::to_string(size));
  }
  std::vector<Hash> proof;
  KOSEKI_RETURN_IF_ERROR(Path(source, index, 0, size, proof));
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(const HashSource& source, std::uint64_t size1,
                                           std::uint64_t size2) {
  if (size1 > size2) {
    return BadRequest("consistency proof from size " + std::to_string(size1) + " to " +
                      std::to_string(size2));
  }
  std::vector<Hash> proof;
  if (size1 == 0 || size1 == size2) return proof;
  KOSEKI_RETURN_IF_ERROR(SubProof(source, size1, 0, size2, true, proof));
  return proof;
}

Result<Hash> RootFromInclusionProof(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof) {
  if (index >= size) return ProofFails("index not below tree size");
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return ProofFails("inclusion proof too long");
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      ShiftUntilOddOrZero(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return ProofFails("inclusion proof too short");
  return r;
}

Result<void> VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                             std::span<const Hash> proof, const Hash& root) {
  KOSEKI_ASSIGN_OR_RETURN(const Hash computed,
                          RootFromInclusionProof(index, size, leaf_hash, proof));
  if (computed != root) return ProofFails("inclusion proof leads to another root");
  return Ok();
}

Result<void> VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                               std::span<const Hash> proof, const Hash& root1, const Hash& root2) {
  if (size1 > size2) return ProofFails("consistency proof to a smaller tree");
  if (size1 == size2) {
    if (!proof.empty() || root1 != root2) return ProofFails("equal sizes need equal roots");
    return Ok();
  }
  if (size1 == 0) {
    if (!proof.empty()) return ProofFails("proof from the empty tree must be empty");
    return Ok();
  }
  if (proof.empty()) return ProofFails("empty consistency proof");

  // Step 2: when size1 is a power of two its root is itself a node of the new tree and is left
  // out of the proof; put it back at the front.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());

  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return ProofFails("consistency proof too long");
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftUntilOddOrZero(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return ProofFails("consistency proof too short");
  if (fr != root1) return ProofFails("consistency proof does not lead to the old root");
  if (sr != root2) return ProofFails("consistency proof does not lead to the new root");
  return Ok();
}

Result<Frontier> Frontier::Restore(std::uint64_t size, std::vector<Hash> hashes) {
  if (hashes.size() != static_cast<std::size_t>(std::popcount(size))) {
    return MakeError(
        ErrorCode::kInvalidArgument, "KSK-AUDIT-003", "監査ログの状態を復元できません。",
        "frontier of size " + std::to_string(size) + " needs " +
            std::to_string(std::popcount(size)) + " hashes, got " + std::to_string(hashes.size()));
  }
  return Frontier(size, std::move(hashes));
}

Result<Frontier> Frontier::FromSource(const HashSource& source, std::uint64_t size) {
  std::vector<Hash> hashes;
  std::uint64_t covered = 0;
  for (int level = 63; level >= 0; --level) {
    const std::uint64_t span = std::uint64_t{1} << level;
    if ((size & span) == 0) continue;
    KOSEKI_ASSIGN_OR_RETURN(const Hash hash, source.NodeHashAt(level, covered >> level));
    hashes.push_back(hash);
    covered += span;
  }
  return Frontier(size, std::move(hashes));
}

std::vector<Frontier::Node> Frontier::Append(const Hash& leaf_hash) {
  std::vector<Node> completed;
  std::uint64_t index = size_;
  int level = 0;
  Hash hash = leaf_hash;
  completed.push_back({level, index, hash});
  while ((index & 1) == 1) {
    hash = NodeHash(hashes_.back(), hash);
    hashes_.pop_back();
    index >>= 1;
    ++level;
    completed.push_back({level, index, hash});
  }
  hashes_.push_back(hash);
  ++size_;
  return completed;
}

Hash Frontier::Root() const {
  if (hashes_.empty()) return EmptyTreeHash();
  Hash root = hashes_.back();
  for (std::size_t i = hashes_.size() - 1; i-- > 0;) root = NodeHash(hashes_[i], root);
  return root;
}

}  // namespace koseki::audit
