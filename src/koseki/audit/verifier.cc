#include "koseki/audit/verifier.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/internal/entry_view.h"

namespace koseki::audit {
namespace {

// Order among findings at the same index: the most specific explanation first.
int Priority(VerifyReason reason) {
  switch (reason) {
    case VerifyReason::kDeleted:
      return 0;
    case VerifyReason::kSwapped:
      return 1;
    case VerifyReason::kModified:
      return 2;
    case VerifyReason::kTruncated:
      return 3;
    case VerifyReason::kRollback:
      return 4;
    case VerifyReason::kInconsistent:
      return 5;
    case VerifyReason::kBadSignature:
      return 6;
    case VerifyReason::kOk:
      break;
  }
  return 7;
}

std::string Ordinal(bool witness, std::size_t ordinal) {
  return std::string(witness ? "witness checkpoint #" : "checkpoint #") + std::to_string(ordinal);
}

// Returns the largest of `sizes` below `limit`, or 0.
std::uint64_t LargestBelow(const std::vector<std::uint64_t>& sizes, std::uint64_t limit) {
  std::uint64_t best = 0;
  for (std::uint64_t size : sizes) {
    if (size < limit) best = std::max(best, size);
  }
  return best;
}

}  // namespace

std::string_view VerifyReasonCode(VerifyReason reason) {
  switch (reason) {
    case VerifyReason::kOk:
      return "ok";
    case VerifyReason::kModified:
      return "modified";
    case VerifyReason::kDeleted:
      return "deleted";
    case VerifyReason::kSwapped:
      return "swapped";
    case VerifyReason::kTruncated:
      return "truncated";
    case VerifyReason::kRollback:
      return "rollback";
    case VerifyReason::kBadSignature:
      return "bad-signature";
    case VerifyReason::kInconsistent:
      return "inconsistent";
  }
  return "unknown";
}

Error VerifyReport::ToError() const {
  std::string detail = "reason=" + std::string(VerifyReasonCode(reason)) +
                       " first_bad_index=" + std::to_string(first_bad_index);
  if (!findings.empty()) detail += " " + findings.front().detail;
  return MakeError(
      ErrorCode::kDataLoss, "KSK-AUDIT-030",
      "監査ログの検証に失敗しました。記録が改ざん・削除・巻き戻しされている可能性があります。",
      std::move(detail));
}

LogVerifier::LogVerifier(std::string tenant, std::string origin, VerifierKey key)
    : tenant_(std::move(tenant)), origin_(std::move(origin)), key_(std::move(key)) {}

void LogVerifier::Add(VerifyReason reason, std::uint64_t index, std::string detail) {
  for (const VerifyFinding& f : findings_) {
    if (f.reason == reason && f.index == index) return;
  }
  findings_.push_back({reason, index, std::move(detail)});
}

void LogVerifier::AddEntry(std::span<const std::uint8_t> encoded,
                           const std::optional<Hash>& stored_leaf_hash) {
  AddExamined(Examine(encoded, stored_leaf_hash));
}

ExaminedEntry LogVerifier::Examine(std::span<const std::uint8_t> encoded,
                                   const std::optional<Hash>& stored_leaf_hash) const {
  ExaminedEntry examined;
  examined.leaf = LeafHash(encoded);
  examined.stored_hash_differs = stored_leaf_hash && *stored_leaf_hash != examined.leaf;
  // Parsed in place: the same rules as Entry::Parse without a copy of every field.
  auto entry = internal::ParseEntryView(encoded);
  if (!entry) {
    examined.parse_error = std::move(entry).error().internal_detail;
    return examined;
  }
  examined.parsed = true;
  examined.index = entry->index;
  examined.other_tenant = entry->tenant != tenant_;
  examined.unsealed = entry->mac.empty();
  examined.unsealed_claims_too_much = examined.unsealed && entry->format != kEntryFormatVersion1 &&
                                      (entry->outcome == Outcome::kOk || entry->write_count > 0);
  if (entry->write_count > 0) examined.writes = internal::ParseWrites(*entry);
  examined.baseline = tenant_ == kSystemTenant && entry->action == actions::kRowBaseline;
  return examined;
}

void LogVerifier::AddExamined(const ExaminedEntry& entry) {
  const std::uint64_t position = tree_.size();
  tree_.Append(entry.leaf);
  // Entry-level findings come in index order, so keeping the first ones loses nothing that
  // could be reported first.
  const bool room = findings_.size() < kMaxFindings;
  if (entry.stored_hash_differs && room) {
    Add(VerifyReason::kModified, position, "stored leaf hash differs from the entry bytes");
  }
  if (!entry.parsed) {
    if (room) Add(VerifyReason::kModified, position, "entry does not parse: " + entry.parse_error);
    return;
  }
  if (entry.other_tenant && room) {
    Add(VerifyReason::kModified, position, "entry belongs to another tenant's log");
  }
  if (entry.unsealed) ++unsealed_;
  if (entry.unsealed_claims_too_much && room) {
    Add(VerifyReason::kModified, position, "entry without a MAC records a success or a write");
  }
  for (const store::RowCommitment& write : entry.writes) {
    writes_.push_back({position, write, entry.baseline});
  }
  if (!first_index_gap_) {
    if (entry.index != position) {
      first_index_gap_ = position;
      index_at_gap_ = entry.index;
    }
  } else if (entry.index == *first_index_gap_) {
    gap_index_seen_later_ = true;
  }
}

LogVerifier::Signed LogVerifier::Open(std::size_t ordinal, std::string_view note) {
  Signed signed_note{ordinal, std::string(note), Checkpoint{}};
  if (auto it = opened_notes_.find(signed_note.note); it != opened_notes_.end()) {
    signed_note.opened = it->second;
  } else {
    signed_note.opened = OpenCheckpoint(note, key_);
    if (signed_note.opened) opened_notes_.emplace(signed_note.note, *signed_note.opened);
  }
  // Only an opened note's root is checked against the tree, so only its size is pinned.
  if (signed_note.opened && !tree_.Pin(signed_note.opened->size)) {
    std::fputs("koseki audit: LogVerifier was given a checkpoint after an entry\n", stderr);
    std::abort();
  }
  return signed_note;
}

void LogVerifier::AddCheckpoint(std::string_view note, std::optional<std::uint64_t> stored_size) {
  Signed checkpoint = Open(checkpoints_.size(), note);
  if (stored_size && checkpoint.opened && checkpoint.opened->size != *stored_size) {
    Add(VerifyReason::kModified, std::min(checkpoint.opened->size, *stored_size),
        "checkpoint " + std::to_string(checkpoints_.size() + 1) +
            ": stored tree size differs from the signed one");
  }
  checkpoints_.push_back(std::move(checkpoint));
}

void LogVerifier::AddWitnessCheckpoint(std::string_view note) {
  witness_.push_back(Open(witness_.size(), note));
}

void LogVerifier::AddStoredNodes(std::vector<StoredNode> nodes) {
  if (stored_nodes_.empty()) {
    stored_nodes_ = std::move(nodes);
  } else {
    stored_nodes_.insert(stored_nodes_.end(), nodes.begin(), nodes.end());
  }
}

void LogVerifier::AddStoredKeyMismatch(std::uint64_t position, std::uint64_t stored_key) {
  Add(VerifyReason::kModified, position,
      "entry stored under index " + std::to_string(stored_key) + " at position " +
          std::to_string(position));
}

void LogVerifier::CheckStoredNodes() {
  const std::uint64_t n = tree_.size();
  // Entry-level findings name the exact index; a node over (or after, as entries shifted) such
  // an entry differs as a consequence and would only blur the report.
  std::uint64_t first_entry_finding = n;
  for (const VerifyFinding& f : findings_)
    first_entry_finding = std::min(first_entry_finding, f.index);
  for (const StoredNode& node : stored_nodes_) {
    if (node.level < 1 || node.level > 62) {
      Add(VerifyReason::kModified, 0, "stored node with invalid level");
      continue;
    }
    const std::uint64_t first = node.index << node.level;
    const std::uint64_t end = (node.index + 1) << node.level;
    if ((first >> node.level) != node.index || end > n) {
      // A node over entries that are not there: the log lost entries it once had.
      Add(VerifyReason::kTruncated, n,
          "stored node (" + std::to_string(node.level) + "," + std::to_string(node.index) +
              ") covers entries the log does not have");
      continue;
    }
    if (first_entry_finding < end) continue;
    // A node of a level the store does not keep (a row an older schema wrote, which the next
    // keyed open drops) is read by nothing, and the tree keeps no such level to compare it with.
    if (stored_level_stride_ > 0 && node.level % stored_level_stride_ != 0) continue;
    auto recomputed = tree_.NodeHashAt(node.level, node.index);
    if (!recomputed || *recomputed != node.hash) {
      Add(VerifyReason::kModified, first,
          "stored node (" + std::to_string(node.level) + "," + std::to_string(node.index) +
              ") over entries [" + std::to_string(first) + "," + std::to_string(end) +
              ") differs from the entries");
    }
  }
  if (stored_level_stride_ > 0) CheckStoredNodesComplete(first_entry_finding);
  stored_nodes_.clear();
}

void LogVerifier::CheckStoredNodesComplete(std::uint64_t first_entry_finding) {
  const std::uint64_t n = tree_.size();
  std::sort(stored_nodes_.begin(), stored_nodes_.end(),
            [](const StoredNode& a, const StoredNode& b) {
              return std::pair(a.level, a.index) < std::pair(b.level, b.index);
            });
  for (int level = stored_level_stride_; level <= 62 && (n >> level) > 0;
       level += stored_level_stride_) {
    auto it = std::lower_bound(stored_nodes_.begin(), stored_nodes_.end(), level,
                               [](const StoredNode& node, int l) { return node.level < l; });
    for (std::uint64_t index = 0; index < (n >> level); ++index, ++it) {
      if (it != stored_nodes_.end() && it->level == level && it->index == index) continue;
      const std::uint64_t first = index << level;
      // Under an entry-level finding the entries themselves are the better answer.
      if (first_entry_finding < ((index + 1) << level)) break;
      Add(VerifyReason::kModified, first,
          "stored node (" + std::to_string(level) + "," + std::to_string(index) +
              ") over entries [" + std::to_string(first) + "," +
              std::to_string((index + 1) << level) + ") is missing");
      break;  // the first missing one of a level says enough
    }
  }
}

void LogVerifier::CheckSequence(const std::vector<Signed>& notes, bool witness) {
  const std::uint64_t n = tree_.size();
  // Sizes in this sequence that match the tree. Each sequence vouches for one history; a
  // match in the other sequence says nothing about where this one diverges.
  std::vector<std::uint64_t> matched;
  std::optional<Checkpoint> previous;
  auto has_finding_in = [&](std::uint64_t lo, std::uint64_t hi) {
    return std::any_of(findings_.begin(), findings_.end(),
                       [&](const VerifyFinding& f) { return f.index >= lo && f.index < hi; });
  };

  for (const Signed& stored : notes) {
    const std::string what = Ordinal(witness, stored.ordinal);
    const std::uint64_t vouched = previous ? previous->size : 0;
    const Result<Checkpoint>& opened = stored.opened;
    if (!opened) {
      Add(VerifyReason::kBadSignature, vouched,
          what + ": " + opened.error().id + " " + opened.error().internal_detail);
      continue;
    }
    const Checkpoint& cp = *opened;
    if (cp.origin != origin_) {
      Add(VerifyReason::kBadSignature, vouched, what + ": checkpoint of another log");
      continue;
    }

    // Against the recomputed tree.
    bool matches = false;
    if (cp.size > n) {
      Add(witness ? VerifyReason::kRollback : VerifyReason::kTruncated, n,
          what + " has size " + std::to_string(cp.size) + " but the log has " + std::to_string(n) +
              " entries");
    } else {
      auto root = RootHash(tree_, cp.size);
      matches = root && *root == cp.root;
      if (matches) {
        matched.push_back(cp.size);
      } else {
        const std::uint64_t from = LargestBelow(matched, cp.size);
        // An entry-level finding inside the disputed range already names the exact index.
        if (!has_finding_in(from, cp.size)) {
          Add(witness ? VerifyReason::kRollback : VerifyReason::kModified, from,
              what + " (size " + std::to_string(cp.size) + ") does not match the entries");
        }
      }
    }

    // Against the previous checkpoint of the same sequence.
    if (previous) {
      if (cp.size < previous->size) {
        Add(VerifyReason::kInconsistent, cp.size,
            what + ": size decreases from " + std::to_string(previous->size) + " to " +
                std::to_string(cp.size));
      } else if (cp.size <= n) {
        auto proof = ConsistencyProof(tree_, previous->size, cp.size);
        const bool consistent =
            proof && VerifyConsistency(previous->size, cp.size, *proof, previous->root, cp.root);
        const std::uint64_t from = LargestBelow(matched, previous->size + 1);
        if (!consistent && !has_finding_in(from, cp.size)) {
          Add(VerifyReason::kInconsistent, from,
              what + " is not consistent with the checkpoint before it");
        }
      } else if (cp.size == previous->size && cp.root != previous->root) {
        Add(VerifyReason::kInconsistent, LargestBelow(matched, cp.size),
            what + ": two roots for one size");
      }
    }
    previous = cp;
  }
  // Only a size vouched for in this sequence counts as covered.
  for (std::uint64_t size : matched) covered_size_ = std::max(covered_size_, size);
}

VerifyReport LogVerifier::Finish() {
  if (first_index_gap_) {
    const std::uint64_t at = *first_index_gap_;
    const VerifyReason reason = gap_index_seen_later_ || index_at_gap_ < at
                                    ? VerifyReason::kSwapped
                                    : VerifyReason::kDeleted;
    Add(reason, at,
        "entry at position " + std::to_string(at) + " carries index " +
            std::to_string(index_at_gap_));
  }
  CheckStoredNodes();
  CheckSequence(checkpoints_, /*witness=*/false);
  CheckSequence(witness_, /*witness=*/true);
  if (witnessed_must_be_stored_) {
    std::set<std::string_view> stored;
    for (const Signed& checkpoint : checkpoints_) stored.insert(checkpoint.note);
    for (const Signed& witnessed : witness_) {
      if (stored.contains(witnessed.note) || !witnessed.opened) continue;
      Add(VerifyReason::kDeleted, witnessed.opened->size,
          "witness checkpoint " + std::to_string(witnessed.ordinal + 1) + " (size " +
              std::to_string(witnessed.opened->size) + ") is missing from the database");
    }
  }

  std::stable_sort(findings_.begin(), findings_.end(),
                   [](const VerifyFinding& a, const VerifyFinding& b) {
                     if (a.index != b.index) return a.index < b.index;
                     return Priority(a.reason) < Priority(b.reason);
                   });
  if (findings_.size() > kMaxFindings) findings_.resize(kMaxFindings);

  VerifyReport report;
  report.entry_count = tree_.size();
  report.unsealed_entries = unsealed_;
  report.covered_size = covered_size_;
  report.checkpoints = checkpoints_.size();
  report.witness_checkpoints = witness_.size();
  if (!findings_.empty()) {
    report.reason = findings_.front().reason;
    report.first_bad_index = findings_.front().index;
  }
  report.findings = std::move(findings_);
  findings_.clear();
  return report;
}

VerifyReport VerifyLog(std::string tenant, std::string origin, const VerifierKey& key,
                       const LogContents& log) {
  LogVerifier verifier(std::move(tenant), std::move(origin), key);
  for (const std::string& note : log.checkpoints) verifier.AddCheckpoint(note);
  for (const std::string& note : log.witness_checkpoints) verifier.AddWitnessCheckpoint(note);
  for (std::size_t i = 0; i < log.entries.size(); ++i) {
    verifier.AddEntry(log.entries[i], i < log.stored_leaf_hashes.size() ? log.stored_leaf_hashes[i]
                                                                        : std::optional<Hash>());
  }
  return verifier.Finish();
}

}  // namespace koseki::audit
