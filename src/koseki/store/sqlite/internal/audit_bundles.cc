#include "koseki/store/sqlite/internal/audit_bundles.h"

#include <algorithm>
#include <string>

#include "koseki/store/sqlite/internal/statements.h"

namespace koseki::store::sqlite_internal {
namespace {

namespace sql = statements;

constexpr std::size_t kLengthBytes = 4;
constexpr std::size_t kLeafHashBytes = 32;

std::int64_t Signed(std::uint64_t value) { return static_cast<std::int64_t>(value); }

// The leaf hash of entry `position` of a bundle's stored hashes, or an empty view if they are
// not 256 hashes.
std::span<const std::uint8_t> LeafAt(std::span<const std::uint8_t> leaves, std::uint64_t position) {
  if (leaves.size() != kAuditBundleEntries * kLeafHashBytes) return {};
  return leaves.subspan(position * kLeafHashBytes, kLeafHashBytes);
}

// Entry `position` of the bundle row (bundle_index, entries, leaf_hashes) that `stmt` steps to,
// copied, with empty bytes where the bundle cannot be read back; nullopt if no row.
Result<std::optional<AuditEntryRow>> StepToBundleEntry(Statement& stmt, std::uint64_t position) {
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<AuditEntryRow>();
  AuditEntryRow row;
  row.index = static_cast<std::uint64_t>(stmt.ColumnInt64(0)) * kAuditBundleEntries + position;
  if (auto entries = DecodeAuditBundle(stmt.ColumnBlobView(1))) {
    const std::span<const std::uint8_t> entry = (*entries)[position];
    row.entry.assign(entry.begin(), entry.end());
  }
  const std::span<const std::uint8_t> leaf = LeafAt(stmt.ColumnBlobView(2), position);
  row.leaf_hash.assign(leaf.begin(), leaf.end());
  return std::optional<AuditEntryRow>(std::move(row));
}

// The entry row (entry_index, entry, leaf_hash) that `stmt` steps to, copied; nullopt if none.
Result<std::optional<AuditEntryRow>> StepToEntryRow(Statement& stmt) {
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<AuditEntryRow>();
  return std::optional<AuditEntryRow>(AuditEntryRow{
      static_cast<std::uint64_t>(stmt.ColumnInt64(0)), stmt.ColumnBlob(1), stmt.ColumnBlob(2), {}});
}

// Whether the store has the bundles table: one opened read-only before its migration to
// bundles has only rows.
Result<bool> HasBundles(Database& db) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kHasAuditBundlesSql));
  Lease stmt(*raw);
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  return has_row && stmt->ColumnInt64(0) > 0;
}

Result<std::int64_t> NextBundleIndex(Database& db, std::string_view log_id) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kNextAuditBundleSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return InternalError("aggregate returned no row");
  return stmt->ColumnInt64(0);
}

// Moves rows 256·`bundle` … 256·`bundle` + 255 into bundle `bundle`; false (nothing written) if
// they are not all stored.
Result<bool> BundleOne(Database& db, std::string_view log_id, std::int64_t bundle) {
  const auto first = static_cast<std::uint64_t>(bundle) * kAuditBundleEntries;
  Bytes entries;
  Bytes leaves;
  leaves.reserve(kAuditBundleEntries * kLeafHashBytes);
  std::uint64_t count = 0;
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kScanEntriesFromSql));
    Lease rows(*raw);
    KOSEKI_RETURN_IF_ERROR(rows->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(rows->Bind(2, Signed(first)));
    while (count < kAuditBundleEntries) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, rows->Step());
      if (!has_row || static_cast<std::uint64_t>(rows->ColumnInt64(0)) != first + count) break;
      AppendToAuditBundle(entries, rows->ColumnBlobView(1));
      const std::span<const std::uint8_t> leaf = rows->ColumnBlobView(2);
      leaves.insert(leaves.end(), leaf.begin(), leaf.end());
      ++count;
    }
  }
  if (count < kAuditBundleEntries) return false;
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kInsertAuditBundleSql));
    Lease insert(*raw);
    KOSEKI_RETURN_IF_ERROR(insert->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(insert->Bind(2, bundle));
    KOSEKI_RETURN_IF_ERROR(insert->BindBlob(3, entries));
    KOSEKI_RETURN_IF_ERROR(insert->BindBlob(4, leaves));
    KOSEKI_RETURN_IF_ERROR(insert->Run());
  }
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kDeleteBundledEntriesSql));
  Lease remove(*raw);
  KOSEKI_RETURN_IF_ERROR(remove->Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(remove->Bind(2, Signed(first)));
  KOSEKI_RETURN_IF_ERROR(remove->Bind(3, Signed(first + kAuditBundleEntries)));
  KOSEKI_RETURN_IF_ERROR(remove->Run());
  return true;
}

}  // namespace

void AppendToAuditBundle(Bytes& bundle, std::span<const std::uint8_t> entry) {
  for (std::size_t byte = kLengthBytes; byte-- > 0;) {
    bundle.push_back(static_cast<std::uint8_t>(entry.size() >> (8 * byte)));
  }
  bundle.insert(bundle.end(), entry.begin(), entry.end());
}

std::optional<std::vector<std::span<const std::uint8_t>>> DecodeAuditBundle(
    std::span<const std::uint8_t> stored) {
  std::vector<std::span<const std::uint8_t>> entries;
  entries.reserve(kAuditBundleEntries);
  while (!stored.empty()) {
    if (stored.size() < kLengthBytes || entries.size() == kAuditBundleEntries) return std::nullopt;
    std::size_t length = 0;
    for (std::size_t i = 0; i < kLengthBytes; ++i) length = (length << 8) | stored[i];
    stored = stored.subspan(kLengthBytes);
    if (length == 0 || length > stored.size()) return std::nullopt;
    entries.push_back(stored.first(length));
    stored = stored.subspan(length);
  }
  if (entries.size() != kAuditBundleEntries) return std::nullopt;
  return entries;
}

Result<void> BundleAuditEntries(Database& db, std::string_view log_id) {
  KOSEKI_ASSIGN_OR_RETURN(std::int64_t next, NextBundleIndex(db, log_id));
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool bundled, BundleOne(db, log_id, next));
    if (!bundled) return Ok();
    ++next;
  }
}

Result<std::vector<std::string>> ListAuditLogIds(Database& db) {
  std::vector<std::string_view> queries = {sql::kListEntryLogsSql, sql::kListCheckpointLogsSql};
  KOSEKI_ASSIGN_OR_RETURN(bool has_bundles, HasBundles(db));
  if (has_bundles) queries.push_back(sql::kListBundleLogsSql);
  std::vector<std::string> logs;
  for (std::string_view query : queries) {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(query));
    Lease stmt(*raw);
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) break;
      logs.push_back(stmt->ColumnText(0));
    }
  }
  std::sort(logs.begin(), logs.end());
  logs.erase(std::unique(logs.begin(), logs.end()), logs.end());
  return logs;
}

Result<void> BundleAllAuditLogs(Database& db) {
  std::vector<std::string> due;
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLogsWithCompleteRunsSql));
    Lease stmt(*raw);
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) break;
      due.push_back(stmt->ColumnText(0));
    }
  }
  if (due.empty()) return Ok();
  KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::Begin(db));
  for (const std::string& log : due) KOSEKI_RETURN_IF_ERROR(BundleAuditEntries(db, log));
  return tx.Commit();
}

Result<std::unique_ptr<AuditEntryCursor>> AuditEntryCursor::Open(Database& db,
                                                                 std::string_view log_id,
                                                                 std::uint64_t from) {
  KOSEKI_ASSIGN_OR_RETURN(Statement * rows, db.Cached(sql::kScanEntriesFromSql));
  std::unique_ptr<AuditEntryCursor> cursor(new AuditEntryCursor(*rows, from));
  KOSEKI_ASSIGN_OR_RETURN(bool has_bundles, HasBundles(db));
  if (has_bundles) {
    KOSEKI_ASSIGN_OR_RETURN(Statement * bundles, db.Cached(sql::kScanAuditBundlesFromSql));
    cursor->bundles_.emplace(*bundles);
    KOSEKI_RETURN_IF_ERROR((*cursor->bundles_)->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR((*cursor->bundles_)->Bind(2, Signed(from / kAuditBundleEntries)));
  }
  KOSEKI_RETURN_IF_ERROR(cursor->rows_->Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(cursor->rows_->Bind(2, Signed(from)));
  return cursor;
}

Result<bool> AuditEntryCursor::NextBundle() {
  if (!bundles_) return false;
  Statement& bundles = **bundles_;
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, bundles.Step());
  if (!has_row) return false;
  bundle_first_ = static_cast<std::uint64_t>(bundles.ColumnInt64(0)) * kAuditBundleEntries;
  auto entries = DecodeAuditBundle(bundles.ColumnBlobView(1));
  bundle_entries_ = entries ? std::move(*entries) : std::vector<std::span<const std::uint8_t>>();
  bundle_leaves_ = bundles.ColumnBlobView(2);
  // The first bundle may begin before `from`.
  bundle_next_ = from_ > bundle_first_ ? from_ - bundle_first_ : 0;
  return true;
}

Result<std::optional<AuditEntryView>> AuditEntryCursor::Next() {
  while (!bundles_done_ && bundle_next_ >= kAuditBundleEntries) {
    KOSEKI_ASSIGN_OR_RETURN(bool found, NextBundle());
    bundles_done_ = !found;
  }
  if (!bundles_done_) {
    const std::uint64_t position = bundle_next_++;
    return AuditEntryView{
        bundle_first_ + position,
        bundle_entries_.empty() ? std::span<const std::uint8_t>() : bundle_entries_[position],
        LeafAt(bundle_leaves_, position)};
  }
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, rows_->Step());
  if (!has_row) return std::optional<AuditEntryView>();
  return AuditEntryView{static_cast<std::uint64_t>(rows_->ColumnInt64(0)), rows_->ColumnBlobView(1),
                        rows_->ColumnBlobView(2)};
}

Result<std::optional<AuditEntryRow>> ReadAuditEntry(Database& db, std::string_view log_id,
                                                    std::uint64_t index) {
  // The row first: a row found missing may have been bundled since, and its bundle is then
  // found; the other order could miss an entry bundled between the two reads.
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetAuditEntrySql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, Signed(index)));
    KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryRow> row, StepToEntryRow(*stmt));
    if (row) return row;
  }
  KOSEKI_ASSIGN_OR_RETURN(bool has_bundles, HasBundles(db));
  if (!has_bundles) return std::optional<AuditEntryRow>();
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetAuditBundleSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, Signed(index / kAuditBundleEntries)));
  return StepToBundleEntry(*stmt, index % kAuditBundleEntries);
}

Result<std::optional<AuditEntryRow>> ReadLastAuditEntry(Database& db, std::string_view log_id) {
  {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLastAuditEntrySql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_ASSIGN_OR_RETURN(std::optional<AuditEntryRow> row, StepToEntryRow(*stmt));
    if (row) return row;
  }
  // No rows: the log ends with its last bundle (or is empty).
  KOSEKI_ASSIGN_OR_RETURN(bool has_bundles, HasBundles(db));
  if (!has_bundles) return std::optional<AuditEntryRow>();
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kLastAuditBundleSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  return StepToBundleEntry(*stmt, kAuditBundleEntries - 1);
}

Result<std::vector<Bytes>> ReadAuditLeafHashes(Database& db, std::string_view log_id,
                                               std::uint64_t first, std::uint64_t end) {
  std::vector<Bytes> hashes;
  if (first >= end) return hashes;
  KOSEKI_ASSIGN_OR_RETURN(bool has_bundles, HasBundles(db));
  if (has_bundles) {
    KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetAuditBundleLeavesSql));
    Lease stmt(*raw);
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
    KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, Signed(first / kAuditBundleEntries)));
    KOSEKI_RETURN_IF_ERROR(
        stmt->Bind(3, Signed((end + kAuditBundleEntries - 1) / kAuditBundleEntries)));
    while (true) {
      KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
      if (!has_row) break;
      const std::uint64_t bundle_first =
          static_cast<std::uint64_t>(stmt->ColumnInt64(0)) * kAuditBundleEntries;
      const std::uint64_t next = first + hashes.size();
      if (bundle_first > next) return hashes;  // a bundle missing
      const std::span<const std::uint8_t> leaves = stmt->ColumnBlobView(1);
      for (std::uint64_t i = next; i < end && i < bundle_first + kAuditBundleEntries; ++i) {
        const std::span<const std::uint8_t> leaf = LeafAt(leaves, i - bundle_first);
        hashes.emplace_back(leaf.begin(), leaf.end());
      }
    }
  }
  if (first + hashes.size() == end) return hashes;
  KOSEKI_ASSIGN_OR_RETURN(Statement * raw, db.Cached(sql::kGetAuditLeavesSql));
  Lease stmt(*raw);
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(1, log_id));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(2, Signed(first + hashes.size())));
  KOSEKI_RETURN_IF_ERROR(stmt->Bind(3, Signed(end)));
  while (true) {
    KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row || static_cast<std::uint64_t>(stmt->ColumnInt64(0)) != first + hashes.size()) {
      break;
    }
    hashes.push_back(stmt->ColumnBlob(1));
  }
  return hashes;
}

}  // namespace koseki::store::sqlite_internal
