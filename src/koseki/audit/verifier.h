// The pure part of `koseki audit verify`: recomputes one log's Merkle tree from its stored
// entries and checks it against the log's stored checkpoints and the witness file.
//
// Fed checkpoints first, then entries, then Finish():
//   AddCheckpoint       every checkpoint kept in the database, in the order written;
//   AddWitnessCheckpoint every checkpoint of this log in the witness file, in file order;
//   AddEntry            every stored entry, in storage order (ORDER BY the index column);
//   AddStoredNodes      optionally, every stored interior node (the store keeps them for
//                       proofs, at levels 8, 16, …); one that differs from the recomputed tree
//                       is "modified" at the first entry it covers, and one over entries the log
//                       no longer has is "truncated". With ExpectStoredNodesEvery(stride), a
//                       node of those levels that is missing is "modified" too (appends and
//                       proofs need it), and nodes of other levels, which nothing reads, are
//                       not compared.
// Checkpoints come before entries because the recomputed tree keeps only what their sizes need
// (internal/pinned_tree.h: under half a byte per entry instead of 64); adding one after an entry
// is a programming error and aborts. Entry bytes are consumed at once, so a caller can stream
// SQLite rows without holding the log in memory. AddEntry is Examine (hashing and parsing, which
// need none of the verifier's state and may run on any thread) followed by AddExamined (in
// storage order); a caller with a second core splits the two.
//
// Checks: every checkpoint's signature and origin; each checkpoint's root equals the root of
// the first `size` recomputed entries; successive checkpoints have non-decreasing sizes and a
// consistency proof from the recomputed tree that verifies between their signed roots; each
// witness checkpoint is matched by the log (a database restored from an older copy, or
// truncated, fails this); entries parse, belong to the tenant, and carry indexes 0..n−1 in
// order; a stored leaf hash, when given, equals the hash of the stored bytes.
//
// Where a checkpoint mismatch cannot be pinned to one entry (an attacker who rewrote the row
// and everything derived from it), the first bad index is the start of the range the
// checkpoints no longer vouch for: the size of the largest earlier checkpoint that still
// matches. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "koseki/audit/checkpoint.h"
#include "koseki/audit/internal/pinned_tree.h"
#include "koseki/audit/merkle.h"
#include "koseki/base/error.h"
#include "koseki/store/row_commitment.h"

namespace koseki::audit {

enum class VerifyReason {
  kOk,
  kModified,      // an entry's bytes differ from what was logged (or do not parse)
  kDeleted,       // an index is missing from the sequence
  kSwapped,       // entries are out of order (or one appears twice)
  kTruncated,     // the log's own checkpoints cover entries that are gone
  kRollback,      // the witness saw a log this database is not (older copy, or a fork)
  kBadSignature,  // a checkpoint is forged or altered, or belongs to another log
  kInconsistent,  // two signed checkpoints cannot both be heads of one log
};

// Returns the stable code: "ok", "modified", "deleted", "swapped", "truncated", "rollback",
// "bad-signature", "inconsistent".
std::string_view VerifyReasonCode(VerifyReason reason);

struct VerifyFinding {
  VerifyReason reason = VerifyReason::kOk;
  std::uint64_t index = 0;  // first entry index affected
  std::string detail;       // for operators: sizes, ordinals, ids; never entry contents
};

struct VerifyReport {
  bool ok() const { return findings.empty(); }
  // The first finding by index (ties: deleted, swapped, modified, truncated, rollback,
  // inconsistent, bad-signature), or kOk / 0 when all holds.
  VerifyReason reason = VerifyReason::kOk;
  std::uint64_t first_bad_index = 0;
  std::vector<VerifyFinding> findings;  // sorted the same way; at most kMaxFindings

  std::uint64_t entry_count = 0;
  // Largest size vouched for by a valid checkpoint matching the tree; entries at or beyond it
  // are not yet covered by any checkpoint.
  std::uint64_t covered_size = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t witness_checkpoints = 0;
  // Entries without a MAC: version-1 entries, and refusals recorded without the key.
  std::uint64_t unsealed_entries = 0;

  // Returns DataLoss KSK-AUDIT-030 describing the first finding (reason code and index in the
  // internal detail). Only meaningful when !ok().
  Error ToError() const;
};

inline constexpr std::size_t kMaxFindings = 100;

// What one entry says on its own: its leaf hash and what parsing it found.
struct ExaminedEntry {
  Hash leaf{};
  bool stored_hash_differs = false;
  bool parsed = false;
  std::string parse_error;    // when !parsed; for operators, never entry contents
  std::uint64_t index = 0;    // when parsed: the index the entry carries
  bool other_tenant = false;  // when parsed: the entry names another tenant
  bool unsealed = false;      // when parsed: the entry has no MAC
  // When parsed: a version-2 entry without a MAC that records a success or a write, which only
  // a process with the key may record.
  bool unsealed_claims_too_much = false;
  std::vector<store::RowCommitment> writes;  // when parsed: the rows the entry commits to
  // When parsed: a system-log entry recording the row baseline, whose writes restate rows. This
  // says only what the entry claims: the verifier checks no MAC. The entry is trusted because a
  // signed checkpoint covers it, and the MAC of every entry is checked before a checkpoint is
  // signed over it (AuditLog); one without a MAC is caught by unsealed_claims_too_much.
  bool baseline = false;
};

// A row commitment and the entry that carries it.
struct LoggedWrite {
  std::uint64_t index = 0;
  store::RowCommitment row;
  // Written by the row baseline (audit/row_baseline.h): the row as it stood, which may also have
  // been logged before, with the same digest.
  bool restated = false;
};

// A stored node hash (level ≥ 1) covering entries [index·2^level, (index+1)·2^level).
struct StoredNode {
  int level = 0;
  std::uint64_t index = 0;
  Hash hash{};
};

class LogVerifier {
 public:
  // `tenant` as in the entries (or kSystemTenant); `origin` as in the log's checkpoints.
  LogVerifier(std::string tenant, std::string origin, VerifierKey key);

  // Adds the next stored entry. `stored_leaf_hash` is the hash kept beside the row, if the
  // store keeps one; it pins a naive modification of the row to its exact index.
  void AddEntry(std::span<const std::uint8_t> encoded,
                const std::optional<Hash>& stored_leaf_hash = std::nullopt);
  // AddEntry in two halves, for callers with a second core. Examine reads only what the
  // constructor set, so it may run on other threads, concurrently with AddExamined, which
  // takes the entries in storage order.
  ExaminedEntry Examine(std::span<const std::uint8_t> encoded,
                        const std::optional<Hash>& stored_leaf_hash) const;
  void AddExamined(const ExaminedEntry& entry);

  // Before the first entry. `stored_size`, if given, is the tree size the database keeps
  // beside the note (and uses when it extends the tree); a size that differs from the signed
  // one is a finding.
  void AddCheckpoint(std::string_view note, std::optional<std::uint64_t> stored_size = {});
  // Before the first entry.
  void AddWitnessCheckpoint(std::string_view note);
  // Adds stored node hashes, in any order (the store keeps them for proofs).
  void AddStoredNodes(std::vector<StoredNode> nodes);
  // The store keeps every completed node of the levels that are multiples of `stride` (and no
  // others are needed): one of them missing is reported, since proofs and appends need it.
  void ExpectStoredNodesEvery(int stride) { stored_level_stride_ = stride; }
  // Reports that the entry stored at `position` is kept under another key (`stored_key`):
  // the store would not find it at its index, and would refuse the next append.
  void AddStoredKeyMismatch(std::uint64_t position, std::uint64_t stored_key);

  // Runs the checks. Call once.
  // Every witness checkpoint must also be among the database's checkpoints (the database
  // writes each one before the witness does): one missing is reported as deleted at its size.
  // For a whole store (stored_log.h); off for a verifier fed only what a caller has.
  void RequireWitnessedCheckpointsStored() { witnessed_must_be_stored_ = true; }
  VerifyReport Finish();
  // The row commitments of every parsed entry, in index order (for the state check,
  // state_check.h). Moved out; call after Finish.
  std::vector<LoggedWrite> TakeWrites() { return std::move(writes_); }

  // The recomputed tree (after the entries are added): every node of levels 8 and up, and
  // the roots and consistency proofs of the checkpoints' sizes.
  const HashSource& tree() const { return tree_; }

 private:
  struct Signed {
    std::size_t ordinal = 0;
    std::string note;
    Result<Checkpoint> opened;  // signature checked under key_
  };
  void Add(VerifyReason reason, std::uint64_t index, std::string detail);
  // Opens `note` under key_ (once per distinct note: the witness file repeats the database's
  // notes byte for byte) and pins its size in the tree.
  Signed Open(std::size_t ordinal, std::string_view note);
  void CheckSequence(const std::vector<Signed>& notes, bool witness);
  void CheckStoredNodes();
  void CheckStoredNodesComplete(std::uint64_t first_entry_finding);

  std::string tenant_;
  std::string origin_;
  VerifierKey key_;
  internal::PinnedTree tree_;
  std::unordered_map<std::string, Checkpoint> opened_notes_;
  std::vector<Signed> checkpoints_;
  std::vector<Signed> witness_;
  std::vector<StoredNode> stored_nodes_;
  std::vector<VerifyFinding> findings_;
  std::vector<LoggedWrite> writes_;
  std::uint64_t unsealed_ = 0;
  bool witnessed_must_be_stored_ = false;
  int stored_level_stride_ = 0;  // 0: stored nodes are only compared, not counted

  // The first position whose entry carries another index, and whether the index expected there
  // turned up later (swapped) or never (deleted).
  std::optional<std::uint64_t> first_index_gap_;
  std::uint64_t index_at_gap_ = 0;
  bool gap_index_seen_later_ = false;
  // Largest checkpoint size found to match the tree.
  std::uint64_t covered_size_ = 0;
};

// Convenience for callers holding everything in memory.
struct LogContents {
  std::vector<std::vector<std::uint8_t>> entries;
  std::vector<std::optional<Hash>> stored_leaf_hashes;  // empty, or one per entry
  std::vector<std::string> checkpoints;
  std::vector<std::string> witness_checkpoints;
};
VerifyReport VerifyLog(std::string tenant, std::string origin, const VerifierKey& key,
                       const LogContents& log);

}  // namespace koseki::audit
