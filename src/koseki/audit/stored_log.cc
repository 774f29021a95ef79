#include "koseki/audit/stored_log.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <system_error>
#include <thread>
#include <utility>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/internal/entry_view.h"
#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/row_baseline.h"
#include "koseki/audit/witness_file.h"

namespace koseki::audit {
namespace {

using internal::StoredHashSource;
using internal::StoreInconsistent;
using internal::ToHash;

// Whether a witness record carries a signature line of `key`'s name (so it claims to be ours
// even if its origin line was altered).
bool SignedInTheNameOf(std::string_view note, const VerifierKey& key) {
  return note.find("\n\xE2\x80\x94 " + key.name() + " ") != std::string_view::npos;
}

// Feeds entries to a LogVerifier on a second thread, so that hashing and parsing overlap the
// reading of rows. Entries travel in batches. Examining a batch (leaf hashes, parsing) needs
// no order, so whichever thread has time does it: the worker normally, the reader when it
// finds the worker still behind (it would otherwise wait for queue space).
// The worker then adds each batch in order, exactly as inline AddEntry calls would, so the
// report is the same. If no thread can be started, everything runs inline.
class EntryPipeline {
 public:
  explicit EntryPipeline(LogVerifier& verifier) : verifier_(verifier) {
    try {
      worker_ = std::thread([this] { Run(); });
    } catch (const std::system_error&) {
      // Inline mode: Flush adds the batch on this thread.
    }
  }
  EntryPipeline(const EntryPipeline&) = delete;
  EntryPipeline& operator=(const EntryPipeline&) = delete;
  ~EntryPipeline() { Finish(); }

  void Add(std::span<const std::uint8_t> entry, const Hash& stored_leaf_hash) {
    current_.bytes.insert(current_.bytes.end(), entry.begin(), entry.end());
    current_.ends.push_back(current_.bytes.size());
    current_.stored.push_back(stored_leaf_hash);
    if (current_.ends.size() >= kBatchEntries) Flush();
  }

  // Adds everything given so far and stops the worker. Idempotent.
  void Finish() {
    Flush();
    if (!worker_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
    worker_.join();
  }

 private:
  static constexpr std::size_t kBatchEntries = 512;
  static constexpr std::size_t kMaxQueued = 16;

  struct Batch {
    std::vector<std::uint8_t> bytes;      // the entries back to back
    std::vector<std::size_t> ends;        // end offset of each entry in `bytes`
    std::vector<Hash> stored;             // the stored leaf hash of each entry
    std::vector<ExaminedEntry> examined;  // empty until examined, then one per entry
    void Clear() {
      bytes.clear();
      ends.clear();
      stored.clear();
      examined.clear();
    }
  };

  void Examine(Batch& batch) const {
    batch.examined.resize(batch.ends.size());
    std::size_t begin = 0;
    for (std::size_t i = 0; i < batch.ends.size(); ++i) {
      batch.examined[i] = verifier_.Examine(
          std::span(batch.bytes).subspan(begin, batch.ends[i] - begin), batch.stored[i]);
      begin = batch.ends[i];
    }
  }

  void AddBatch(Batch& batch) {
    if (batch.examined.empty()) Examine(batch);
    for (const ExaminedEntry& entry : batch.examined) verifier_.AddExamined(entry);
  }

  void Flush() {
    if (current_.ends.empty()) return;
    if (!worker_.joinable()) {
      AddBatch(current_);
      current_.Clear();
      return;
    }
    bool worker_behind = false;
    {
      std::lock_guard lock(mutex_);
      worker_behind = !queued_.empty();
    }
    if (worker_behind) Examine(current_);
    Batch next;
    {
      std::unique_lock lock(mutex_);
      space_.wait(lock, [&] { return queued_.size() < kMaxQueued; });
      queued_.push_back(std::move(current_));
      if (!spare_.empty()) {
        next = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    ready_.notify_one();
    current_ = std::move(next);
  }

  void Run() {
    while (true) {
      Batch batch;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queued_.empty() || closed_; });
        if (queued_.empty()) return;
        batch = std::move(queued_.front());
        queued_.pop_front();
      }
      space_.notify_one();
      AddBatch(batch);
      batch.Clear();
      std::lock_guard lock(mutex_);
      spare_.push_back(std::move(batch));  // keeps its capacity for the reader
    }
  }

  LogVerifier& verifier_;
  // The reader's batch being filled; only the reader touches it. Kept off the cache lines of
  // the shared state below, which the worker writes (false sharing slowed every Add).
  alignas(64) Batch current_;
  alignas(64) std::mutex mutex_;
  std::condition_variable ready_;  // a batch was queued, or closed_
  std::condition_variable space_;  // a batch was taken off the queue
  std::deque<Batch> queued_;
  std::vector<Batch> spare_;
  bool closed_ = false;
  std::thread worker_;
};

}  // namespace

bool StoreVerification::ok() const {
  if (witness_missing || !state.empty()) return false;
  return std::all_of(logs.begin(), logs.end(),
                     [](const LogVerification& log) { return log.report.ok(); });
}

Result<StoreVerification> VerifyStoredLogs(store::Backend& backend, const VerifierKey& key,
                                           const std::filesystem::path& witness_file,
                                           std::optional<std::string_view> only_log) {
  StoreVerification result;
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> witness,
                          ReadWitnessNotes(witness_file));
  result.witness_found = witness.has_value();

  // Witness records by log. One that claims our key but names no log of ours (an altered
  // origin line) goes to the system log, whose verifier reports it.
  std::map<std::string, std::vector<std::string>, std::less<>> witness_by_log;
  if (witness) {
    for (std::string& note : *witness) {
      const std::string_view origin = std::string_view(note).substr(0, note.find('\n'));
      if (auto log = LogOfOrigin(key, origin)) {
        witness_by_log[*log].push_back(std::move(note));
      } else if (SignedInTheNameOf(note, key)) {
        witness_by_log[std::string(kSystemTenant)].push_back(std::move(note));
      }
    }
  }

  std::set<std::string, std::less<>> logs;
  if (only_log) {
    logs = {std::string(*only_log)};
  } else {
    KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> stored_logs, backend.ListAuditLogs());
    logs.insert(stored_logs.begin(), stored_logs.end());
    for (const auto& [log, notes] : witness_by_log) logs.insert(log);
  }

  bool any_checkpoint = false;
  StateCheck state;
  for (const std::string& log : logs) {
    LogVerifier verifier(log, OriginFor(key, log), key);
    verifier.RequireWitnessedCheckpointsStored();
    verifier.ExpectStoredNodesEvery(internal::kStoredLevelStride);
    // Read in the order the log is written (entries, then checkpoints over them, then witness
    // records of those): witness first (above), checkpoints next, entries last. A verify that
    // runs while koseki appends then sees at least every entry its checkpoints cover, and the
    // newer entries are merely not covered yet, instead of a false "truncated".
    KOSEKI_ASSIGN_OR_RETURN(std::vector<store::AuditCheckpointRow> checkpoints,
                            backend.ListAuditCheckpoints(log));
    any_checkpoint = any_checkpoint || !checkpoints.empty();
    for (const store::AuditCheckpointRow& row : checkpoints) {
      verifier.AddCheckpoint(row.note, row.tree_size);
    }
    if (auto it = witness_by_log.find(log); it != witness_by_log.end()) {
      for (const std::string& note : it->second) verifier.AddWitnessCheckpoint(note);
    }
    // The verifier hashes and parses the entries on a second thread while this one reads the
    // rows; it is touched here again only after Finish.
    EntryPipeline pipeline(verifier);
    std::vector<StoredNode> nodes;  // one per 255 entries (internal/stored_hash_source.h)
    // The first entry kept under a key other than its position: the tree and the entry's own
    // index may still agree, but the store looks entries up (and appends) by that key.
    std::uint64_t position = 0;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> key_mismatch;
    KOSEKI_RETURN_IF_ERROR(backend.ScanAuditLog(
        log,
        [&](const store::AuditEntryView& row) -> Result<bool> {
          if (row.index != position && !key_mismatch) key_mismatch = {position, row.index};
          ++position;
          // A stored hash of the wrong size cannot equal the recomputed one: pass one that
          // differs, so the row is reported as modified.
          std::optional<Hash> stored = ToHash(row.leaf_hash);
          if (!stored) {
            stored = LeafHash(row.entry);
            (*stored)[0] ^= 1;
          }
          pipeline.Add(row.entry, *stored);
          return true;
        },
        [&](const store::AuditNodeView& node) -> Result<bool> {
          nodes.push_back({node.level, node.index, ToHash(node.hash).value_or(Hash{})});
          return true;
        }));
    pipeline.Finish();
    if (key_mismatch) verifier.AddStoredKeyMismatch(key_mismatch->first, key_mismatch->second);
    verifier.AddStoredNodes(std::move(nodes));
    result.logs.push_back({log, verifier.Finish()});
    state.AddLog(log, verifier.TakeWrites());
  }
  result.witness_missing = !witness && any_checkpoint;
  // A tenant's rows are committed to by its own log and the system log (its creation), so the
  // state is checked only when every log was read.
  // An installation from before row commitments has nothing to compare its rows with until
  // its first keyed open restates them (row_baseline.h). If the signed log cannot say, the
  // state is checked (and the logs' own findings say why).
  if (!only_log) {
    auto predates = PredatesRowCommitments(backend, key);
    result.state_awaits_baseline = predates && *predates;
    if (!result.state_awaits_baseline) {
      KOSEKI_ASSIGN_OR_RETURN(result.state, state.Run(backend));
      result.state_checked = true;
    }
  }
  return result;
}

Result<std::vector<Entry>> FindEntries(store::Backend& backend, std::string_view log,
                                       const EntryFilter& filter) {
  std::vector<Entry> found;
  const auto consider = [&](const store::AuditEntryView& row) -> Result<bool> {
    KOSEKI_ASSIGN_OR_RETURN(Entry entry, Entry::Parse(row.entry));
    if (filter.from && entry.time() < *filter.from) return true;
    if (filter.to && entry.time() >= *filter.to) return true;
    const Actor& actor = entry.event().actor;
    if (!filter.actor.empty() && actor.user_id != filter.actor && actor.device_id != filter.actor) {
      return true;
    }
    // Checked on the entry itself too: the index only finds.
    if (!filter.object.empty() && entry.event().object_id != filter.object) return true;
    found.push_back(std::move(entry));
    return true;
  };
  if (!filter.object.empty()) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> indexed,
                            backend.GetInstallationValue(store::kAuditObjectsIndexedValue));
    if (indexed) {
      KOSEKI_RETURN_IF_ERROR(backend.ScanAuditEntriesOf(log, filter.object, consider));
      return found;
    }
  }
  KOSEKI_RETURN_IF_ERROR(backend.ScanAuditEntries(log, 0, consider));
  return found;
}

Result<bool> IndexEntryObjects(store::Backend& backend) {
  return backend.IndexAuditObjects([](std::span<const std::uint8_t> encoded) {
    auto view = internal::ParseEntryView(encoded);
    return view ? std::string(view->object_id) : std::string();
  });
}

Result<InclusionProofBundle> ProveInclusion(store::Backend& backend, const VerifierKey& key,
                                            std::string_view log, std::uint64_t index) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> row,
                          backend.GetAuditEntry(log, index));
  if (!row) {
    return MakeError(ErrorCode::kNotFound, "KSK-AUDIT-043",
                     "指定された番号の監査ログ記録はありません。", "no such entry");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                          backend.GetLatestAuditCheckpoint(log));
  if (!latest || latest->tree_size <= index) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-AUDIT-042",
                     "この記録はまだチェックポイントに含まれていません。しばらくしてから再実行して"
                     "ください。",
                     "entry not yet covered by a checkpoint");
  }
  KOSEKI_ASSIGN_OR_RETURN(Checkpoint checkpoint, OpenCheckpoint(latest->note, key));
  if (LogOfOrigin(key, checkpoint.origin) != log || checkpoint.size != latest->tree_size) {
    return StoreInconsistent("latest checkpoint is not this log's");
  }
  const StoredHashSource source(backend, log);
  KOSEKI_ASSIGN_OR_RETURN(std::vector<Hash> path, InclusionProof(source, index, checkpoint.size));
  InclusionProofBundle bundle{std::string(log), index, std::move(row->entry), std::move(path),
                              latest->note};
  // Hand out only what checks: a proof from edited rows would fail at the auditor's desk.
  const VerifierKey keys[] = {key};
  if (auto checked = CheckProofBundle(bundle, keys); !checked) {
    return StoreInconsistent("stored rows do not match the checkpoint: " +
                             checked.error().internal_detail);
  }
  return bundle;
}

}  // namespace koseki::audit
