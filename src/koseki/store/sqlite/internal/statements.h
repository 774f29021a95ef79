// Every SQL statement the SQLite backend runs, in one place so that a test can ask SQLite how
// it runs each of them (query_plan_test.cc). Each connection prepares a statement once, on
// first use (Database::Cached; the bulk import path runs them hundreds of thousands of times).
// Values are always bound, never part of the SQL text.
#pragma once

#include <array>
#include <string_view>

namespace koseki::store::sqlite_internal::statements {

constexpr std::string_view kGetInstallationSql = "SELECT value FROM installation WHERE name = ?1";
constexpr std::string_view kInsertInstallationSql =
    "INSERT INTO installation (name, value) VALUES (?1, ?2)";
constexpr std::string_view kInsertTenantSql =
    "INSERT INTO tenants (tenant_code, name, created_at) VALUES (?1, ?2, ?3)";
constexpr std::string_view kGetTenantSql =
    "SELECT tenant_code, name, created_at FROM tenants WHERE tenant_code = ?1";
constexpr std::string_view kListTenantsSql =
    "SELECT tenant_code, name, created_at FROM tenants ORDER BY tenant_code";
constexpr std::string_view kInsertTenantKeySql =
    "INSERT INTO tenant_keys (tenant_code, key_version, wrapped, created_at) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kLatestTenantKeySql =
    "SELECT key_version, wrapped, created_at FROM tenant_keys WHERE tenant_code = ?1 "
    "ORDER BY key_version DESC LIMIT 1";
constexpr std::string_view kInsertRegisterSql =
    "INSERT INTO registers (tenant_code, register_id, head_version, created_at) "
    "VALUES (?1, ?2, 0, ?3)";
constexpr std::string_view kGetHeadSql =
    "SELECT head_version FROM registers WHERE tenant_code = ?1 AND register_id = ?2";
constexpr std::string_view kInsertVersionSql =
    "INSERT INTO register_versions (tenant_code, register_id, version, ciphertext, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kAdvanceHeadSql =
    "UPDATE registers SET head_version = ?3 WHERE tenant_code = ?1 AND register_id = ?2 "
    "AND head_version = ?4";
constexpr std::string_view kGetVersionSql =
    "SELECT ciphertext, created_at FROM register_versions WHERE tenant_code = ?1 AND "
    "register_id = ?2 AND version = ?3";
constexpr std::string_view kListVersionsSql =
    "SELECT version, created_at FROM register_versions WHERE tenant_code = ?1 AND "
    "register_id = ?2 ORDER BY version";
constexpr std::string_view kInsertIndexSql =
    "INSERT INTO register_index (tenant_code, purpose, blind, register_id) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
constexpr std::string_view kLookupIndexSql =
    "SELECT DISTINCT register_id FROM register_index WHERE tenant_code = ?1 AND purpose = ?2 "
    "AND blind = ?3 ORDER BY register_id";
constexpr std::string_view kNextIssueNumberSql =
    "SELECT coalesce(max(issue_number), 0) + 1 FROM certificate_issues WHERE tenant_code = ?1";
constexpr std::string_view kInsertIssueSql =
    "INSERT INTO certificate_issues (tenant_code, issue_number, register_id, version, issued_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kInsertAuditEntrySql =
    "INSERT INTO audit_entries (log_id, entry_index, entry, leaf_hash) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kInsertAuditObjectSql =
    "INSERT INTO audit_objects (log_id, object_id, entry_index) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
constexpr std::string_view kObjectEntryIndexesSql =
    "SELECT entry_index FROM audit_objects WHERE log_id = ?1 AND object_id = ?2 "
    "ORDER BY entry_index";
constexpr std::string_view kInsertAuditNodeSql =
    "INSERT INTO audit_nodes (log_id, level, node_index, hash) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kLastAuditEntrySql =
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
    "ORDER BY entry_index DESC LIMIT 1";
constexpr std::string_view kGetAuditEntrySql =
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
    "AND entry_index = ?2";
constexpr std::string_view kGetAuditLeavesSql =
    "SELECT entry_index, leaf_hash FROM audit_entries WHERE log_id = ?1 AND entry_index >= ?2 "
    "AND entry_index < ?3 ORDER BY entry_index";
constexpr std::string_view kGetAuditNodesSql =
    "SELECT node_index, hash FROM audit_nodes WHERE log_id = ?1 AND level = ?2 "
    "AND node_index >= ?3 AND node_index < ?4 ORDER BY node_index";
constexpr std::string_view kScanEntriesFromSql =
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE log_id = ?1 "
    "AND entry_index >= ?2 ORDER BY entry_index";
// Bundles of 256 entries (audit_bundles.h): whether the store has them yet (a store opened
// read-only is not migrated), the next one's index, one, the last, a range.
constexpr std::string_view kHasAuditBundlesSql =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry_bundles'";
// The logs with a complete run of 256 still in rows: the append that completes a run bundles
// it, so only a store written before bundles has any. Reads the rows above the bundles (fewer
// than 256 per log once bundled).
constexpr std::string_view kLogsWithCompleteRunsSql =
    "SELECT DISTINCT log_id FROM audit_entries WHERE entry_index % 256 = 255";
constexpr std::string_view kNextAuditBundleSql =
    "SELECT coalesce(max(bundle_index) + 1, 0) FROM audit_entry_bundles WHERE log_id = ?1";
constexpr std::string_view kInsertAuditBundleSql =
    "INSERT INTO audit_entry_bundles (log_id, bundle_index, entries, leaf_hashes) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kDeleteBundledEntriesSql =
    "DELETE FROM audit_entries WHERE log_id = ?1 AND entry_index >= ?2 AND entry_index < ?3";
constexpr std::string_view kGetAuditBundleSql =
    "SELECT bundle_index, entries, leaf_hashes FROM audit_entry_bundles WHERE log_id = ?1 "
    "AND bundle_index = ?2";
constexpr std::string_view kLastAuditBundleSql =
    "SELECT bundle_index, entries, leaf_hashes FROM audit_entry_bundles WHERE log_id = ?1 "
    "ORDER BY bundle_index DESC LIMIT 1";
constexpr std::string_view kGetAuditBundleLeavesSql =
    "SELECT bundle_index, leaf_hashes FROM audit_entry_bundles WHERE log_id = ?1 "
    "AND bundle_index >= ?2 AND bundle_index < ?3 ORDER BY bundle_index";
constexpr std::string_view kScanAuditBundlesFromSql =
    "SELECT bundle_index, entries, leaf_hashes FROM audit_entry_bundles WHERE log_id = ?1 "
    "AND bundle_index >= ?2 ORDER BY bundle_index";
constexpr std::string_view kScanNodesSql =
    "SELECT level, node_index, hash FROM audit_nodes WHERE log_id = ?1 ORDER BY level, node_index";
constexpr std::string_view kNextCheckpointSeqSql =
    "SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoints WHERE log_id = ?1";
constexpr std::string_view kInsertCheckpointSql =
    "INSERT INTO audit_checkpoints (log_id, seq, tree_size, note, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kListCheckpointsSql =
    "SELECT seq, tree_size, note, created_at FROM audit_checkpoints WHERE log_id = ?1 "
    "ORDER BY seq";
constexpr std::string_view kLatestCheckpointSql =
    "SELECT seq, tree_size, note, created_at FROM audit_checkpoints WHERE log_id = ?1 "
    "ORDER BY seq DESC LIMIT 1";
// The ids of the logs with an entry row, a bundle, a checkpoint: each in order and once, one
// index seek per log (a loose index scan: SELECT DISTINCT would read every row); the caller
// merges them.
constexpr std::string_view kListEntryLogsSql =
    "WITH RECURSIVE e(id) AS (SELECT min(log_id) FROM audit_entries UNION ALL "
    "SELECT (SELECT min(log_id) FROM audit_entries WHERE log_id > e.id) FROM e "
    "WHERE e.id IS NOT NULL) SELECT id FROM e WHERE id IS NOT NULL";
constexpr std::string_view kListBundleLogsSql =
    "WITH RECURSIVE b(id) AS (SELECT min(log_id) FROM audit_entry_bundles UNION ALL "
    "SELECT (SELECT min(log_id) FROM audit_entry_bundles WHERE log_id > b.id) FROM b "
    "WHERE b.id IS NOT NULL) SELECT id FROM b WHERE id IS NOT NULL";
constexpr std::string_view kListCheckpointLogsSql =
    "WITH RECURSIVE c(id) AS (SELECT min(log_id) FROM audit_checkpoints UNION ALL "
    "SELECT (SELECT min(log_id) FROM audit_checkpoints WHERE log_id > c.id) FROM c "
    "WHERE c.id IS NOT NULL) SELECT id FROM c WHERE id IS NOT NULL";
constexpr std::string_view kSetTenantSettingSql =
    "INSERT INTO tenant_settings (tenant_code, name, version, value, set_at) "
    "SELECT ?1, ?2, coalesce(max(version), 0) + 1, ?3, ?4 FROM tenant_settings "
    "WHERE tenant_code = ?1 AND name = ?2";
constexpr std::string_view kLatestSettingVersionSql =
    "SELECT max(version) FROM tenant_settings WHERE tenant_code = ?1 AND name = ?2";
constexpr std::string_view kGetTenantSettingsSql =
    "SELECT name, value FROM tenant_settings s WHERE tenant_code = ?1 AND version = "
    "(SELECT max(version) FROM tenant_settings WHERE tenant_code = s.tenant_code "
    "AND name = s.name)";
constexpr std::string_view kInsertCaseSql =
    "INSERT INTO cases (tenant_code, case_id, uketsuke_bango, receipt_year, notification_type, "
    "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kGetCaseSql =
    "SELECT case_id, uketsuke_bango, receipt_year, notification_type, received_at FROM cases "
    "WHERE tenant_code = ?1 AND case_id = ?2";
// A page of cases, newest first, from the index cases_by_received: the first page, and the page
// after a cursor (the received_at and case_id of the last case shown).
constexpr std::string_view kListCasesFirstSql =
    "SELECT case_id, uketsuke_bango, receipt_year, notification_type, received_at FROM cases "
    "WHERE tenant_code = ?1 ORDER BY received_at DESC, case_id DESC LIMIT ?2";
constexpr std::string_view kListCasesBeforeSql =
    "SELECT case_id, uketsuke_bango, receipt_year, notification_type, received_at FROM cases "
    "WHERE tenant_code = ?1 AND (received_at, case_id) < (?2, ?3) "
    "ORDER BY received_at DESC, case_id DESC LIMIT ?4";
constexpr std::string_view kCountCaseActionsSql =
    "SELECT (SELECT count(*) FROM cases WHERE tenant_code = ?1 AND case_id = ?2), "
    "(SELECT count(*) FROM case_actions WHERE tenant_code = ?1 AND case_id = ?2)";
constexpr std::string_view kInsertCaseActionSql =
    "INSERT INTO case_actions (tenant_code, case_id, seq, kind, actor_id, actor_role, at, "
    "payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr std::string_view kListCaseActionsSql =
    "SELECT seq, kind, actor_id, actor_role, at, payload FROM case_actions "
    "WHERE tenant_code = ?1 AND case_id = ?2 ORDER BY seq";
// The year's highest 受付番号 (`YYYY-NNNNNN`, so text order is number order) from the index
// cases_by_year, plus one.
constexpr std::string_view kNextReceiptNumberSql =
    "SELECT coalesce((SELECT CAST(substr(uketsuke_bango, 6) AS INTEGER) FROM cases "
    "WHERE tenant_code = ?1 AND receipt_year = ?2 ORDER BY uketsuke_bango DESC LIMIT 1), 0) + 1";

// Objects: the tenant's existence and the object's head in one read, so that InsertObjectVersion
// tells an unknown tenant (left to the foreign key) from a version conflict.
constexpr std::string_view kObjectWriteStateSql =
    "SELECT (SELECT count(*) FROM tenants WHERE tenant_code = ?1), "
    "(SELECT coalesce(max(version), 0) FROM object_versions WHERE tenant_code = ?1 AND kind = ?2 "
    "AND object_id = ?3)";
constexpr std::string_view kInsertObjectVersionSql =
    "INSERT INTO object_versions (tenant_code, kind, object_id, version, ciphertext, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kGetObjectHeadSql =
    "SELECT version, ciphertext, created_at FROM object_versions WHERE tenant_code = ?1 AND "
    "kind = ?2 AND object_id = ?3 ORDER BY version DESC LIMIT 1";
constexpr std::string_view kListObjectHeadsSql =
    "SELECT object_id, version, ciphertext, created_at FROM object_versions o "
    "WHERE tenant_code = ?1 AND kind = ?2 AND version = (SELECT max(version) FROM object_versions "
    "WHERE tenant_code = o.tenant_code AND kind = o.kind AND object_id = o.object_id) "
    "ORDER BY object_id";
// An upsert rather than INSERT OR REPLACE: the same statement works in PostgreSQL.
constexpr std::string_view kPutSessionSql =
    "INSERT INTO sessions (token_hash, tenant_code, ciphertext, expires_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (token_hash) DO UPDATE SET "
    "tenant_code = excluded.tenant_code, ciphertext = excluded.ciphertext, "
    "expires_at = excluded.expires_at";
constexpr std::string_view kGetSessionSql =
    "SELECT tenant_code, ciphertext, expires_at FROM sessions WHERE token_hash = ?1";
constexpr std::string_view kDeleteSessionSql = "DELETE FROM sessions WHERE token_hash = ?1";
// Uses the index sessions_by_expiry.
constexpr std::string_view kDeleteExpiredSessionsSql =
    "DELETE FROM sessions WHERE expires_at <= ?1";

// ScanState: every committed row, one statement per table (row_commitment.h); column 0 is
// always the tenant.
constexpr std::string_view kStateTenantSql = "SELECT tenant_code, name, created_at FROM tenants";
constexpr std::string_view kStateTenantKeysSql =
    "SELECT tenant_code, key_version, wrapped, created_at FROM tenant_keys";
constexpr std::string_view kStateRegistersSql =
    "SELECT tenant_code, register_id, head_version, created_at FROM registers";
constexpr std::string_view kStateVersionsSql =
    "SELECT tenant_code, register_id, version, ciphertext, created_at FROM register_versions";
constexpr std::string_view kStateIssuesSql =
    "SELECT tenant_code, issue_number, register_id, version, issued_at FROM certificate_issues";
constexpr std::string_view kStateCasesSql =
    "SELECT tenant_code, case_id, uketsuke_bango, receipt_year, notification_type, received_at "
    "FROM cases";
constexpr std::string_view kStateCaseActionsSql =
    "SELECT tenant_code, case_id, seq, kind, actor_id, actor_role, at, payload FROM case_actions";
constexpr std::string_view kStateSettingsSql =
    "SELECT tenant_code, name, version, value, set_at FROM tenant_settings";
constexpr std::string_view kStateObjectsSql =
    "SELECT tenant_code, kind, object_id, version, ciphertext, created_at FROM object_versions";

struct Named {
  std::string_view name;
  std::string_view sql;
  // Reads a whole table or log by design (verify, the state check, a handful of tenants);
  // every other statement must find its rows through an index, never by a scan or a sort.
  bool whole = false;
};

// Every statement above. The reasons for the whole ones: the tenants are a handful; verify,
// show and the state check read everything they report on; a checkpoint reads the entries it
// signs.
inline constexpr auto kAll = std::to_array<Named>({
    {"GetInstallation", kGetInstallationSql, false},
    {"InsertInstallation", kInsertInstallationSql, false},
    {"InsertTenant", kInsertTenantSql, false},
    {"GetTenant", kGetTenantSql, false},
    {"ListTenants", kListTenantsSql, true},
    {"InsertTenantKey", kInsertTenantKeySql, false},
    {"LatestTenantKey", kLatestTenantKeySql, false},
    {"InsertRegister", kInsertRegisterSql, false},
    {"GetHead", kGetHeadSql, false},
    {"InsertVersion", kInsertVersionSql, false},
    {"AdvanceHead", kAdvanceHeadSql, false},
    {"GetVersion", kGetVersionSql, false},
    {"ListVersions", kListVersionsSql, false},
    {"InsertIndex", kInsertIndexSql, false},
    {"LookupIndex", kLookupIndexSql, false},
    {"NextIssueNumber", kNextIssueNumberSql, false},
    {"InsertIssue", kInsertIssueSql, false},
    {"InsertAuditEntry", kInsertAuditEntrySql, false},
    {"InsertAuditObject", kInsertAuditObjectSql, false},
    {"ObjectEntryIndexes", kObjectEntryIndexesSql, false},
    {"InsertAuditNode", kInsertAuditNodeSql, false},
    {"LastAuditEntry", kLastAuditEntrySql, false},
    {"GetAuditEntry", kGetAuditEntrySql, false},
    {"GetAuditLeaves", kGetAuditLeavesSql, false},
    {"GetAuditNodes", kGetAuditNodesSql, false},
    {"ScanEntriesFrom", kScanEntriesFromSql, true},
    {"HasAuditBundles", kHasAuditBundlesSql, true},
    {"LogsWithCompleteRuns", kLogsWithCompleteRunsSql, true},
    {"NextAuditBundle", kNextAuditBundleSql, false},
    {"InsertAuditBundle", kInsertAuditBundleSql, false},
    {"DeleteBundledEntries", kDeleteBundledEntriesSql, false},
    {"GetAuditBundle", kGetAuditBundleSql, false},
    {"LastAuditBundle", kLastAuditBundleSql, false},
    {"GetAuditBundleLeaves", kGetAuditBundleLeavesSql, false},
    {"ScanAuditBundlesFrom", kScanAuditBundlesFromSql, true},
    {"ScanNodes", kScanNodesSql, true},
    {"NextCheckpointSeq", kNextCheckpointSeqSql, false},
    {"InsertCheckpoint", kInsertCheckpointSql, false},
    {"ListCheckpoints", kListCheckpointsSql, true},
    {"LatestCheckpoint", kLatestCheckpointSql, false},
    {"ListEntryLogs", kListEntryLogsSql, false},
    {"ListBundleLogs", kListBundleLogsSql, false},
    {"ListCheckpointLogs", kListCheckpointLogsSql, false},
    {"SetTenantSetting", kSetTenantSettingSql, false},
    {"LatestSettingVersion", kLatestSettingVersionSql, false},
    {"GetTenantSettings", kGetTenantSettingsSql, false},
    {"InsertCase", kInsertCaseSql, false},
    {"GetCase", kGetCaseSql, false},
    {"ListCasesFirst", kListCasesFirstSql, false},
    {"ListCasesBefore", kListCasesBeforeSql, false},
    {"CountCaseActions", kCountCaseActionsSql, false},
    {"InsertCaseAction", kInsertCaseActionSql, false},
    {"ListCaseActions", kListCaseActionsSql, false},
    {"NextReceiptNumber", kNextReceiptNumberSql, false},
    {"ObjectWriteState", kObjectWriteStateSql, false},
    {"InsertObjectVersion", kInsertObjectVersionSql, false},
    {"GetObjectHead", kGetObjectHeadSql, false},
    {"ListObjectHeads", kListObjectHeadsSql, false},
    {"PutSession", kPutSessionSql, false},
    {"GetSession", kGetSessionSql, false},
    {"DeleteSession", kDeleteSessionSql, false},
    {"DeleteExpiredSessions", kDeleteExpiredSessionsSql, false},
    {"StateTenant", kStateTenantSql, true},
    {"StateTenantKeys", kStateTenantKeysSql, true},
    {"StateRegisters", kStateRegistersSql, true},
    {"StateVersions", kStateVersionsSql, true},
    {"StateIssues", kStateIssuesSql, true},
    {"StateCases", kStateCasesSql, true},
    {"StateCaseActions", kStateCaseActionsSql, true},
    {"StateSettings", kStateSettingsSql, true},
    {"StateObjects", kStateObjectsSql, true},
});

}  // namespace koseki::store::sqlite_internal::statements
