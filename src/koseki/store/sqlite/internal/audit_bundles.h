// Audit entries in bundles of 256, the entry bundles of C2SP tlog-tiles: verify reads a log at
// one row per 256 entries, where SQLite's cost per entry row was as large as hashing the entry.
//
// Entries are appended as rows of audit_entries. The append that stores entry 256·b + 255 moves
// entries 256·b … 256·b + 255 into bundle b in the same transaction (BundleAuditEntries), so a
// log is its bundles 0 … B − 1 followed by its rows from 256·B on (schema.cc, step 11, keeps
// that order). The readers here put the two back together; the rest of the backend never
// reads audit_entries for an entry directly.
//
// Entries the store cannot read back come out with empty bytes at their positions (a bundle
// whose entries do not decode: all 256; misshapen leaf hashes: those hashes empty), so that
// verify reports them as modified there and every other reader finds them unreadable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/store/backend.h"
#include "koseki/store/sqlite/internal/sqlite.h"

namespace koseki::store::sqlite_internal {

inline constexpr std::uint64_t kAuditBundleEntries = 256;

// A bundle's entries as stored: each entry as a 4-byte big-endian length, then its bytes.
// Appends `entry` so to `bundle`.
void AppendToAuditBundle(Bytes& bundle, std::span<const std::uint8_t> entry);
// The entries of a stored bundle, as views into `stored`; nullopt unless it holds exactly
// kAuditBundleEntries non-empty entries and nothing after them.
std::optional<std::vector<std::span<const std::uint8_t>>> DecodeAuditBundle(
    std::span<const std::uint8_t> stored);

// Moves every complete run of 256 entry rows above the log's last bundle into the next
// bundles. Inside a write transaction.
Result<void> BundleAuditEntries(Database& db, std::string_view log_id);

// The ids of every log with an entry or a checkpoint, sorted.
Result<std::vector<std::string>> ListAuditLogIds(Database& db);

// Bundles the complete runs of every log whose rows hold one (a store written before bundles
// existed). Takes a write transaction only if there is something to bundle.
Result<void> BundleAllAuditLogs(Database& db);

// Reads one log's entries in index order from entry `from` on: its bundles, then its rows. The
// caller holds one read snapshot (ReadSnapshot) or transaction for the cursor's life; a view is
// valid until the next call of Next.
class AuditEntryCursor {
 public:
  static Result<std::unique_ptr<AuditEntryCursor>> Open(Database& db, std::string_view log_id,
                                                        std::uint64_t from);
  AuditEntryCursor(const AuditEntryCursor&) = delete;
  AuditEntryCursor& operator=(const AuditEntryCursor&) = delete;

  // The next entry, or nullopt after the last.
  Result<std::optional<AuditEntryView>> Next();

 private:
  AuditEntryCursor(Statement& rows, std::uint64_t from) : rows_(rows), from_(from) {}
  Result<bool> NextBundle();

  std::optional<Lease> bundles_;  // none in a store not yet migrated to bundles
  Lease rows_;
  std::uint64_t from_;
  bool bundles_done_ = false;
  // The bundle being read: its first entry's index, its entries (empty if they do not decode),
  // its leaf hashes (empty if misshapen), the position of the next entry in it.
  std::uint64_t bundle_first_ = 0;
  std::vector<std::span<const std::uint8_t>> bundle_entries_;
  std::span<const std::uint8_t> bundle_leaves_;
  std::uint64_t bundle_next_ = kAuditBundleEntries;
};

// The entry at `index`, or nullopt if the log has none there.
Result<std::optional<AuditEntryRow>> ReadAuditEntry(Database& db, std::string_view log_id,
                                                    std::uint64_t index);
// The entry with the highest index, or nullopt for an empty log.
Result<std::optional<AuditEntryRow>> ReadLastAuditEntry(Database& db, std::string_view log_id);
// The leaf hashes of entries [first, end), in order, ending early at the first entry missing.
// In one read snapshot or transaction.
Result<std::vector<Bytes>> ReadAuditLeafHashes(Database& db, std::string_view log_id,
                                               std::uint64_t first, std::uint64_t end);

}  // namespace koseki::store::sqlite_internal
