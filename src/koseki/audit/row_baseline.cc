#include "koseki/audit/row_baseline.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "koseki/audit/internal/entry_view.h"
#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/merkle.h"

namespace koseki::audit {

using internal::StoreInconsistent;

Result<bool> PredatesRowCommitments(store::Backend& backend, const VerifierKey& key) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                          backend.GetLatestAuditCheckpoint(kSystemTenant));
  if (!latest || latest->tree_size == 0) return false;
  const std::uint64_t size = latest->tree_size;

  // Back over the entries recorded without the key (a mistyped passphrase before the first
  // keyed open of this version), to the last one written with it.
  std::vector<store::AuditEntryRow> read;
  std::uint64_t from = size;
  bool predates = false;
  while (from > 0) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> row,
                            backend.GetAuditEntry(kSystemTenant, from - 1));
    if (!row) return StoreInconsistent("system log entry " + std::to_string(from - 1) + " missing");
    auto view = internal::ParseEntryView(row->entry);
    if (!view) return false;  // `audit verify` names it; nothing is vouched for over it
    --from;
    const bool format1 = view->format == kEntryFormatVersion1;
    const bool sealed = !view->mac.empty();
    read.push_back(*std::move(row));
    if (format1 || sealed) {
      predates = format1;
      break;
    }
  }
  if (!predates) return false;

  // The entries read decide; the signed tree must contain exactly them.
  auto checkpoint = OpenCheckpoint(latest->note, key);
  if (!checkpoint || checkpoint->size != size) {
    return StoreInconsistent("system log's latest checkpoint does not open");
  }
  const internal::StoredHashSource source(backend, kSystemTenant);
  KOSEKI_ASSIGN_OR_RETURN(Frontier edge, Frontier::FromSource(source, from));
  for (auto row = read.rbegin(); row != read.rend(); ++row) edge.Append(LeafHash(row->entry));
  if (edge.Root() != checkpoint->root) {
    return StoreInconsistent("system log's last signed entries differ from their checkpoint");
  }
  return true;
}

Result<bool> NeedsRowBaseline(store::Backend& backend, const VerifierKey& key) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditEntryRow> last,
                          backend.GetLastAuditEntry(kSystemTenant));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::AuditCheckpointRow> latest,
                          backend.GetLatestAuditCheckpoint(kSystemTenant));
  // Not all of it signed yet: a later open decides.
  if (!last || !latest || latest->tree_size != last->index + 1) return false;
  return PredatesRowCommitments(backend, key);
}

Result<bool> RecordRowBaseline(AuditLog& log, store::Backend& backend, const VerifierKey& key,
                               const Event& event) {
  bool recorded = false;
  KOSEKI_RETURN_IF_ERROR(backend.InTransaction([&]() -> Result<void> {
    // Decided again under the write lock: two processes opening at once take one baseline.
    KOSEKI_ASSIGN_OR_RETURN(bool needed, NeedsRowBaseline(backend, key));
    if (!needed) return Ok();
    std::vector<store::RowCommitment> rows;
    KOSEKI_RETURN_IF_ERROR(backend.ScanState([&](const store::RowCommitment& row) -> Result<bool> {
      // A head is checked against the versions, never logged.
      if (row.table != store::RowTable::kRegisterHead) rows.push_back(row);
      return true;
    }));
    // In a stable order, so that a reader finds a tenant's rows together.
    std::sort(rows.begin(), rows.end());
    KOSEKI_RETURN_IF_ERROR(log.AppendRestated(event, rows));
    recorded = true;
    return Ok();
  }));
  return recorded;
}

}  // namespace koseki::audit
