#include "koseki/store/sqlite/schema.h"

namespace koseki::store::sqlite_internal {
namespace {

// The schema, step by step. Rules for editing this list:
//   * Never change or reorder a step that has shipped; add a new step instead.
//   * Types are TEXT / INTEGER / BLOB only and the tenant code leads every primary key, so
//     that the PostgreSQL backend can mirror the tables one to one (its DDL differs only in
//     trigger syntax, BYTEA for BLOB and the missing WITHOUT ROWID).
//   * No column may ever hold personal data in plaintext (SECURITY.md): names, 本籍, dates
//     and free text live only inside `ciphertext`; lookups use `register_index.blind`.
//
// Append-only is enforced by the database itself (triggers), not only by the code: even a
// raw `UPDATE`/`DELETE` typed into sqlite3 by an administrator is refused. The triggers also
// keep the version numbering gapless: a version row must be head + 1 of its register, and a
// register's head may only move forward by one onto an existing version. INSERT OR REPLACE
// deletes without firing DELETE triggers, so tables whose key is not the whole row also refuse
// an INSERT whose key exists. (Triggers stop mistakes and casual edits; someone who drops them
// is caught by the authenticated encryption and the audit log, not by the schema.)
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE installation (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TRIGGER installation_no_replace BEFORE INSERT ON installation
WHEN EXISTS (SELECT 1 FROM installation WHERE name = NEW.name)
BEGIN SELECT RAISE(ABORT, 'installation value already exists (write-once)'); END;
CREATE TRIGGER installation_no_update BEFORE UPDATE ON installation
BEGIN SELECT RAISE(ABORT, 'installation values are write-once'); END;
CREATE TRIGGER installation_no_delete BEFORE DELETE ON installation
BEGIN SELECT RAISE(ABORT, 'installation values are write-once'); END;

CREATE TABLE tenants (
  tenant_code TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE tenant_keys (
  tenant_code TEXT NOT NULL REFERENCES tenants (tenant_code),
  key_version INTEGER NOT NULL CHECK (key_version >= 1),
  wrapped     BLOB NOT NULL CHECK (length(wrapped) > 0),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, key_version)
);
CREATE TRIGGER tenant_keys_no_replace BEFORE INSERT ON tenant_keys
WHEN EXISTS (SELECT 1 FROM tenant_keys
             WHERE tenant_code = NEW.tenant_code AND key_version = NEW.key_version)
BEGIN SELECT RAISE(ABORT, 'tenant key version already exists (append-only)'); END;
CREATE TRIGGER tenant_keys_no_update BEFORE UPDATE ON tenant_keys
BEGIN SELECT RAISE(ABORT, 'tenant_keys is append-only'); END;
CREATE TRIGGER tenant_keys_no_delete BEFORE DELETE ON tenant_keys
BEGIN SELECT RAISE(ABORT, 'tenant_keys is append-only'); END;

CREATE TABLE registers (
  tenant_code  TEXT NOT NULL REFERENCES tenants (tenant_code),
  register_id  TEXT NOT NULL,
  head_version INTEGER NOT NULL CHECK (head_version >= 0),
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, register_id)
);
CREATE TRIGGER registers_no_replace BEFORE INSERT ON registers
WHEN EXISTS (SELECT 1 FROM registers
             WHERE tenant_code = NEW.tenant_code AND register_id = NEW.register_id)
BEGIN SELECT RAISE(ABORT, 'register already exists (never replaced)'); END;
CREATE TRIGGER registers_no_delete BEFORE DELETE ON registers
BEGIN SELECT RAISE(ABORT, 'registers are never deleted'); END;

CREATE TABLE register_versions (
  tenant_code TEXT NOT NULL,
  register_id TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version >= 1),
  ciphertext  BLOB NOT NULL CHECK (length(ciphertext) > 0),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, register_id, version),
  FOREIGN KEY (tenant_code, register_id) REFERENCES registers (tenant_code, register_id)
);
CREATE TRIGGER registers_head_moves_forward BEFORE UPDATE ON registers
WHEN NEW.tenant_code IS NOT OLD.tenant_code
  OR NEW.register_id IS NOT OLD.register_id
  OR NEW.created_at IS NOT OLD.created_at
  OR NEW.head_version IS NOT OLD.head_version + 1
  OR NOT EXISTS (SELECT 1 FROM register_versions v
                 WHERE v.tenant_code = NEW.tenant_code AND v.register_id = NEW.register_id
                   AND v.version = NEW.head_version)
BEGIN SELECT RAISE(ABORT, 'registers: head_version may only advance onto a stored version'); END;
CREATE TRIGGER register_versions_follow_head BEFORE INSERT ON register_versions
WHEN NEW.version IS NOT (SELECT r.head_version + 1 FROM registers r
                         WHERE r.tenant_code = NEW.tenant_code
                           AND r.register_id = NEW.register_id)
BEGIN SELECT RAISE(ABORT, 'register_versions: version must be head_version + 1'); END;
CREATE TRIGGER register_versions_no_update BEFORE UPDATE ON register_versions
BEGIN SELECT RAISE(ABORT, 'register_versions is append-only'); END;
CREATE TRIGGER register_versions_no_delete BEFORE DELETE ON register_versions
BEGIN SELECT RAISE(ABORT, 'register_versions is append-only'); END;

CREATE TABLE register_index (
  tenant_code TEXT NOT NULL,
  purpose     TEXT NOT NULL,
  blind       BLOB NOT NULL CHECK (length(blind) BETWEEN 1 AND 64),
  register_id TEXT NOT NULL,
  PRIMARY KEY (tenant_code, purpose, blind, register_id),
  FOREIGN KEY (tenant_code, register_id) REFERENCES registers (tenant_code, register_id)
) WITHOUT ROWID;
CREATE TRIGGER register_index_no_update BEFORE UPDATE ON register_index
BEGIN SELECT RAISE(ABORT, 'register_index is append-only'); END;
CREATE TRIGGER register_index_no_delete BEFORE DELETE ON register_index
BEGIN SELECT RAISE(ABORT, 'register_index is append-only'); END;
)sql";

// 発行番号: one row per certificate issued (R6: each issuance recorded). Numbers are gapless
// per tenant: a row must be the tenant's highest number + 1.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE certificate_issues (
  tenant_code  TEXT NOT NULL REFERENCES tenants (tenant_code),
  issue_number INTEGER NOT NULL CHECK (issue_number >= 1),
  register_id  TEXT NOT NULL,
  version      INTEGER NOT NULL CHECK (version >= 1),
  issued_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, issue_number),
  FOREIGN KEY (tenant_code, register_id) REFERENCES registers (tenant_code, register_id)
);
CREATE TRIGGER certificate_issues_sequential BEFORE INSERT ON certificate_issues
WHEN NEW.issue_number IS NOT (SELECT coalesce(max(issue_number), 0) + 1 FROM certificate_issues
                              WHERE tenant_code = NEW.tenant_code)
BEGIN SELECT RAISE(ABORT, 'certificate_issues: issue_number must be the next one'); END;
CREATE TRIGGER certificate_issues_no_update BEFORE UPDATE ON certificate_issues
BEGIN SELECT RAISE(ABORT, 'certificate_issues is append-only'); END;
CREATE TRIGGER certificate_issues_no_delete BEFORE DELETE ON certificate_issues
BEGIN SELECT RAISE(ABORT, 'certificate_issues is append-only'); END;
)sql";

// Audit logs (audit/audit_log.h, docs/formats.md "Audit log"): one per tenant plus "system",
// `log_id` leading every key. Entries are numbered 0, 1, 2, … without gaps; a node row is a
// completed perfect Merkle subtree (level ≥ 1) and may only be written once its last entry
// exists; checkpoints are numbered 1, 2, … and never shrink the tree. Like everything else
// append-only: someone who drops these triggers and edits rows is caught by `audit verify`
// (recomputed tree, signed checkpoints, witness file), not by the schema.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE audit_entries (
  log_id      TEXT NOT NULL CHECK (length(log_id) BETWEEN 1 AND 128),
  entry_index INTEGER NOT NULL CHECK (entry_index >= 0),
  entry       BLOB NOT NULL CHECK (length(entry) > 0),
  leaf_hash   BLOB NOT NULL CHECK (length(leaf_hash) = 32),
  PRIMARY KEY (log_id, entry_index)
) WITHOUT ROWID;
CREATE TRIGGER audit_entries_sequential BEFORE INSERT ON audit_entries
WHEN NEW.entry_index IS NOT (SELECT coalesce(max(entry_index) + 1, 0) FROM audit_entries
                             WHERE log_id = NEW.log_id)
BEGIN SELECT RAISE(ABORT, 'audit_entries: entry_index must be the next one'); END;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;

CREATE TABLE audit_nodes (
  log_id     TEXT NOT NULL,
  level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 62),
  node_index INTEGER NOT NULL CHECK (node_index >= 0),
  hash       BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (log_id, level, node_index)
) WITHOUT ROWID;
CREATE TRIGGER audit_nodes_complete BEFORE INSERT ON audit_nodes
WHEN NOT EXISTS (SELECT 1 FROM audit_entries WHERE log_id = NEW.log_id
                 AND entry_index = ((NEW.node_index + 1) << NEW.level) - 1)
  OR EXISTS (SELECT 1 FROM audit_nodes WHERE log_id = NEW.log_id AND level = NEW.level
             AND node_index = NEW.node_index)
BEGIN SELECT RAISE(ABORT, 'audit_nodes: node already exists or its last entry is missing'); END;
CREATE TRIGGER audit_nodes_no_update BEFORE UPDATE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;

CREATE TABLE audit_checkpoints (
  log_id     TEXT NOT NULL,
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  tree_size  INTEGER NOT NULL CHECK (tree_size >= 0),
  note       TEXT NOT NULL CHECK (length(note) > 0),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (log_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER audit_checkpoints_sequential BEFORE INSERT ON audit_checkpoints
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoints
                     WHERE log_id = NEW.log_id)
  OR NEW.tree_size < (SELECT coalesce(max(tree_size), 0) FROM audit_checkpoints
                      WHERE log_id = NEW.log_id)
  OR NEW.tree_size > (SELECT coalesce(max(entry_index) + 1, 0) FROM audit_entries
                      WHERE log_id = NEW.log_id)
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints: next seq, tree size within the log, never shrinking'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
)sql";

// Cases (届出事件): a row per case and its actions, append-only. Kinds, user ids, roles and
// times are plaintext; each action's payload (entries, reasons) is ciphertext.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE cases (
  tenant_code       TEXT NOT NULL REFERENCES tenants (tenant_code),
  case_id           TEXT NOT NULL,
  uketsuke_bango    TEXT NOT NULL,
  receipt_year      INTEGER NOT NULL,
  notification_type TEXT NOT NULL,
  received_at       INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, case_id),
  UNIQUE (tenant_code, uketsuke_bango)
);
CREATE TRIGGER cases_no_replace BEFORE INSERT ON cases
WHEN EXISTS (SELECT 1 FROM cases WHERE tenant_code = NEW.tenant_code AND case_id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'case already exists (never replaced)'); END;
CREATE TRIGGER cases_no_update BEFORE UPDATE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are append-only'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are append-only'); END;

CREATE TABLE case_actions (
  tenant_code TEXT NOT NULL,
  case_id     TEXT NOT NULL,
  seq         INTEGER NOT NULL CHECK (seq >= 0),
  kind        TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_role  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  payload     BLOB NOT NULL CHECK (length(payload) > 0),
  PRIMARY KEY (tenant_code, case_id, seq),
  FOREIGN KEY (tenant_code, case_id) REFERENCES cases (tenant_code, case_id)
);
CREATE TRIGGER case_actions_next_seq BEFORE INSERT ON case_actions
WHEN NEW.seq IS NOT (SELECT count(*) FROM case_actions
                     WHERE tenant_code = NEW.tenant_code AND case_id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'case_actions: seq must be the next action number'); END;
CREATE TRIGGER case_actions_no_update BEFORE UPDATE ON case_actions
BEGIN SELECT RAISE(ABORT, 'case_actions is append-only'); END;
CREATE TRIGGER case_actions_no_delete BEFORE DELETE ON case_actions
BEGIN SELECT RAISE(ABORT, 'case_actions is append-only'); END;
)sql";

// Per-tenant settings (e.g. the workflow policy), versioned: a change appends the next version
// of the setting; the latest version is in force and the history stays.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE tenant_settings (
  tenant_code TEXT NOT NULL REFERENCES tenants (tenant_code),
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version >= 1),
  value       TEXT NOT NULL,
  set_at      INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, name, version)
);
CREATE TRIGGER tenant_settings_next_version BEFORE INSERT ON tenant_settings
WHEN NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1 FROM tenant_settings
                         WHERE tenant_code = NEW.tenant_code AND name = NEW.name)
BEGIN SELECT RAISE(ABORT, 'tenant_settings: version must be the next one'); END;
CREATE TRIGGER tenant_settings_no_update BEFORE UPDATE ON tenant_settings
BEGIN SELECT RAISE(ABORT, 'tenant_settings is append-only'); END;
CREATE TRIGGER tenant_settings_no_delete BEFORE DELETE ON tenant_settings
BEGIN SELECT RAISE(ABORT, 'tenant_settings is append-only'); END;
)sql";

// Every stored time becomes Unix microseconds, the one unit of the store (backend.h); steps 1–5
// stored seconds everywhere but in cases and case_actions. A value is converted only if it is
// below 10^11 in magnitude: as seconds that is beyond the year 5000, as microseconds within the
// first day of 1970, so no value can be converted twice or a microsecond value taken for
// seconds. The append-only triggers that forbid these UPDATEs are dropped for the step and
// recreated exactly as before, inside the same transaction.
constexpr std::string_view kSchemaV6 = R"sql(
UPDATE tenants SET created_at = created_at * 1000000 WHERE abs(created_at) < 100000000000;

DROP TRIGGER tenant_keys_no_update;
UPDATE tenant_keys SET created_at = created_at * 1000000 WHERE abs(created_at) < 100000000000;
CREATE TRIGGER tenant_keys_no_update BEFORE UPDATE ON tenant_keys
BEGIN SELECT RAISE(ABORT, 'tenant_keys is append-only'); END;

DROP TRIGGER registers_head_moves_forward;
UPDATE registers SET created_at = created_at * 1000000 WHERE abs(created_at) < 100000000000;
CREATE TRIGGER registers_head_moves_forward BEFORE UPDATE ON registers
WHEN NEW.tenant_code IS NOT OLD.tenant_code
  OR NEW.register_id IS NOT OLD.register_id
  OR NEW.created_at IS NOT OLD.created_at
  OR NEW.head_version IS NOT OLD.head_version + 1
  OR NOT EXISTS (SELECT 1 FROM register_versions v
                 WHERE v.tenant_code = NEW.tenant_code AND v.register_id = NEW.register_id
                   AND v.version = NEW.head_version)
BEGIN SELECT RAISE(ABORT, 'registers: head_version may only advance onto a stored version'); END;

DROP TRIGGER register_versions_no_update;
UPDATE register_versions SET created_at = created_at * 1000000
WHERE abs(created_at) < 100000000000;
CREATE TRIGGER register_versions_no_update BEFORE UPDATE ON register_versions
BEGIN SELECT RAISE(ABORT, 'register_versions is append-only'); END;

DROP TRIGGER certificate_issues_no_update;
UPDATE certificate_issues SET issued_at = issued_at * 1000000 WHERE abs(issued_at) < 100000000000;
CREATE TRIGGER certificate_issues_no_update BEFORE UPDATE ON certificate_issues
BEGIN SELECT RAISE(ABORT, 'certificate_issues is append-only'); END;

DROP TRIGGER audit_checkpoints_no_update;
UPDATE audit_checkpoints SET created_at = created_at * 1000000
WHERE abs(created_at) < 100000000000;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

DROP TRIGGER tenant_settings_no_update;
UPDATE tenant_settings SET set_at = set_at * 1000000 WHERE abs(set_at) < 100000000000;
CREATE TRIGGER tenant_settings_no_update BEFORE UPDATE ON tenant_settings
BEGIN SELECT RAISE(ABORT, 'tenant_settings is append-only'); END;

DROP TRIGGER installation_no_update;
UPDATE installation SET value = CAST(CAST(value AS INTEGER) * 1000000 AS TEXT)
WHERE name = 'created_at' AND value GLOB '[0-9]*' AND NOT value GLOB '*[^0-9]*'
  AND abs(CAST(value AS INTEGER)) < 100000000000;
CREATE TRIGGER installation_no_update BEFORE UPDATE ON installation
BEGIN SELECT RAISE(ABORT, 'installation values are write-once'); END;

UPDATE schema_migrations SET applied_at = applied_at * 1000000
WHERE abs(applied_at) < 100000000000;
)sql";

// Versioned objects of a tenant (users, devices, device CAs, …), sealed by store/sealed_objects.h:
// like register versions, a change appends the object's next version (max + 1, from 1) and the
// history stays; there is no head pointer, the highest version is the head. Kind and id are
// checked here too ([a-z_]{1,32}, [0-9A-Za-z_.:-]{1,128}; backend.h, ValidateObjectKey), so
// nothing else can be stored in these plaintext columns. INSERT OR REPLACE over an existing
// key is refused by the sequence trigger (its version is not the next one).
//
// Server sessions are the one mutable table, by design: a session's last activity and expiry
// change on every request, and it ends by deletion (logout, expiry). Its integrity does not
// rest on the schema: each row's ciphertext is sealed with associated data binding the tenant,
// the token hash and expires_at, so a row moved to another token or tenant, or given a later
// expiry, no longer authenticates; deleting a row only logs someone out. The key is the
// SHA-256 of the token (the database never holds a usable token) and is not led by the tenant
// code: a request presents only its token, and the session tells the tenant. secure_delete
// (docs/formats.md) zeroes the pages of replaced and deleted sessions.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE object_versions (
  tenant_code TEXT NOT NULL REFERENCES tenants (tenant_code),
  kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32 AND kind NOT GLOB '*[^a-z_]*'),
  object_id   TEXT NOT NULL CHECK (length(object_id) BETWEEN 1 AND 128
                                   AND object_id NOT GLOB '*[^0-9A-Za-z_.:-]*'),
  version     INTEGER NOT NULL CHECK (version >= 1),
  ciphertext  BLOB NOT NULL CHECK (length(ciphertext) > 0),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_code, kind, object_id, version)
) WITHOUT ROWID;
CREATE TRIGGER object_versions_next_version BEFORE INSERT ON object_versions
WHEN NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1 FROM object_versions
                         WHERE tenant_code = NEW.tenant_code AND kind = NEW.kind
                           AND object_id = NEW.object_id)
BEGIN SELECT RAISE(ABORT, 'object_versions: version must be the next one'); END;
CREATE TRIGGER object_versions_no_update BEFORE UPDATE ON object_versions
BEGIN SELECT RAISE(ABORT, 'object_versions is append-only'); END;
CREATE TRIGGER object_versions_no_delete BEFORE DELETE ON object_versions
BEGIN SELECT RAISE(ABORT, 'object_versions is append-only'); END;

CREATE TABLE sessions (
  token_hash  BLOB NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
  tenant_code TEXT NOT NULL REFERENCES tenants (tenant_code),
  ciphertext  BLOB NOT NULL CHECK (length(ciphertext) > 0),
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
)sql";

// Nothing a call does may read more of the store as its history grows. A new checkpoint was
// checked against the largest tree size of all its log's checkpoints, read one by one; the
// sequence rule makes the latest checkpoint's size that largest, one index seek. The year's
// last 受付番号 and a page of cases, newest first, come from indexes of their own.
constexpr std::string_view kSchemaV8 = R"sql(
DROP TRIGGER audit_checkpoints_sequential;
CREATE TRIGGER audit_checkpoints_sequential BEFORE INSERT ON audit_checkpoints
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoints
                     WHERE log_id = NEW.log_id)
  OR NEW.tree_size < coalesce((SELECT tree_size FROM audit_checkpoints WHERE log_id = NEW.log_id
                               ORDER BY seq DESC LIMIT 1), 0)
  OR NEW.tree_size > (SELECT coalesce(max(entry_index) + 1, 0) FROM audit_entries
                      WHERE log_id = NEW.log_id)
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints: next seq, tree size within the log, never shrinking'); END;
CREATE INDEX cases_by_year ON cases (tenant_code, receipt_year, uketsuke_bango);
CREATE INDEX cases_by_received ON cases (tenant_code, received_at, case_id);
)sql";

// The audit entries of one object (`koseki audit show --object`: who saw or changed this
// register, this case) without reading whole logs: an index from (log, object id) to the entry,
// filled on append and, for older entries, once by Backend::IndexAuditObjects. A finder only:
// every entry found is read and its own object id checked, so a forged row finds nothing new;
// a deleted one hides an entry from that one query (docs/security.md).
constexpr std::string_view kSchemaV9 = R"sql(
CREATE TABLE audit_objects (
  log_id      TEXT NOT NULL,
  object_id   TEXT NOT NULL CHECK (length(object_id) BETWEEN 1 AND 128),
  entry_index INTEGER NOT NULL CHECK (entry_index >= 0),
  PRIMARY KEY (log_id, object_id, entry_index)
) WITHOUT ROWID;
CREATE TRIGGER audit_objects_no_update BEFORE UPDATE ON audit_objects
BEGIN SELECT RAISE(ABORT, 'audit_objects is append-only'); END;
CREATE TRIGGER audit_objects_no_delete BEFORE DELETE ON audit_objects
BEGIN SELECT RAISE(ABORT, 'audit_objects is append-only'); END;
)sql";

// The audit logs keep the Merkle nodes of every eighth level only (audit/internal/
// stored_hash_source.h computes the others from the level below): one node row per 255 entries
// instead of one per entry, for `audit verify` to read and every append to write. Nodes are
// derived data — verify recomputes every one from the entries — so the rows of the other levels
// are dropped here once, the only delete this table ever sees.
constexpr std::string_view kSchemaV10 = R"sql(
DROP TRIGGER audit_nodes_no_delete;
DELETE FROM audit_nodes WHERE level % 8 != 0;
CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
)sql";

// Audit entries in bundles of 256 (the entry bundles of C2SP tlog-tiles): a verify reads a
// log at one row per 256 entries (SQLite's cost per row was as large as hashing the entry).
// Entries are appended as rows; the append that completes entries 256·b … 256·b + 255 moves
// them into bundle b in its own transaction (sqlite/internal/audit_bundles.h), so a log is
// its bundles 0 … B − 1 followed by the rows from 256·B on. The log's size is therefore the
// last row's index + 1 or, with no rows, 256 × the bundle count. Rows leave audit_entries only
// into a bundle that exists. Entries from before this step are bundled when the store is next
// opened for writing. A rowid table, unlike the other audit tables: a seek in a WITHOUT ROWID
// table reads each whole row it compares with, and a bundle is some 40 KB; here the key lives in
// its own small index. The leaf hashes come first, so that reading them stops before the
// entries.
constexpr std::string_view kSchemaV11 = R"sql(
CREATE TABLE audit_entry_bundles (
  log_id       TEXT NOT NULL CHECK (length(log_id) BETWEEN 1 AND 128),
  bundle_index INTEGER NOT NULL CHECK (bundle_index >= 0),
  leaf_hashes  BLOB NOT NULL CHECK (length(leaf_hashes) = 256 * 32),
  entries      BLOB NOT NULL CHECK (length(entries) >= 256 * 5),
  PRIMARY KEY (log_id, bundle_index)
);
CREATE TRIGGER audit_entry_bundles_sequential BEFORE INSERT ON audit_entry_bundles
WHEN NEW.bundle_index IS NOT (SELECT coalesce(max(bundle_index) + 1, 0) FROM audit_entry_bundles
                              WHERE log_id = NEW.log_id)
  OR (SELECT count(*) FROM audit_entries WHERE log_id = NEW.log_id
      AND entry_index BETWEEN NEW.bundle_index * 256 AND NEW.bundle_index * 256 + 255) != 256
BEGIN SELECT RAISE(ABORT, 'audit_entry_bundles: the next bundle, of entries all stored'); END;
CREATE TRIGGER audit_entry_bundles_no_update BEFORE UPDATE ON audit_entry_bundles
BEGIN SELECT RAISE(ABORT, 'audit_entry_bundles is append-only'); END;
CREATE TRIGGER audit_entry_bundles_no_delete BEFORE DELETE ON audit_entry_bundles
BEGIN SELECT RAISE(ABORT, 'audit_entry_bundles is append-only'); END;

DROP TRIGGER audit_entries_sequential;
CREATE TRIGGER audit_entries_sequential BEFORE INSERT ON audit_entries
WHEN NEW.entry_index IS NOT coalesce(
       (SELECT max(entry_index) + 1 FROM audit_entries WHERE log_id = NEW.log_id),
       (SELECT (max(bundle_index) + 1) * 256 FROM audit_entry_bundles WHERE log_id = NEW.log_id),
       0)
BEGIN SELECT RAISE(ABORT, 'audit_entries: entry_index must be the next one'); END;
DROP TRIGGER audit_entries_no_delete;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
WHEN NOT EXISTS (SELECT 1 FROM audit_entry_bundles WHERE log_id = OLD.log_id
                 AND bundle_index = OLD.entry_index / 256)
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only (rows leave only into a bundle)'); END;

DROP TRIGGER audit_nodes_complete;
CREATE TRIGGER audit_nodes_complete BEFORE INSERT ON audit_nodes
WHEN (NOT EXISTS (SELECT 1 FROM audit_entries WHERE log_id = NEW.log_id
                  AND entry_index = ((NEW.node_index + 1) << NEW.level) - 1)
      AND NOT EXISTS (SELECT 1 FROM audit_entry_bundles WHERE log_id = NEW.log_id
                      AND bundle_index = (((NEW.node_index + 1) << NEW.level) - 1) / 256))
  OR EXISTS (SELECT 1 FROM audit_nodes WHERE log_id = NEW.log_id AND level = NEW.level
             AND node_index = NEW.node_index)
BEGIN SELECT RAISE(ABORT, 'audit_nodes: node already exists or its last entry is missing'); END;

DROP TRIGGER audit_checkpoints_sequential;
CREATE TRIGGER audit_checkpoints_sequential BEFORE INSERT ON audit_checkpoints
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoints
                     WHERE log_id = NEW.log_id)
  OR NEW.tree_size < coalesce((SELECT tree_size FROM audit_checkpoints WHERE log_id = NEW.log_id
                               ORDER BY seq DESC LIMIT 1), 0)
  OR NEW.tree_size > coalesce(
       (SELECT max(entry_index) + 1 FROM audit_entries WHERE log_id = NEW.log_id),
       (SELECT (max(bundle_index) + 1) * 256 FROM audit_entry_bundles WHERE log_id = NEW.log_id),
       0)
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints: next seq, tree size within the log, never shrinking'); END;
)sql";

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)
)sql";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* const kMigrations = new std::vector<Migration>{
      {1, "registers, tenants, keys, blind index", kSchemaV1},
      {2, "certificate issues", kSchemaV2},
      {3, "audit logs: entries, Merkle nodes, checkpoints", kSchemaV3},
      {4, "cases and their actions", kSchemaV4},
      {5, "tenant settings", kSchemaV5},
      {6, "times in microseconds", kSchemaV6},
      {7, "sealed objects and sessions", kSchemaV7},
      {8, "indexes for calls that must not grow with history", kSchemaV8},
      {9, "audit entries by object", kSchemaV9},
      {10, "audit nodes of every eighth level only", kSchemaV10},
      {11, "audit entries in bundles of 256", kSchemaV11},
  };
  return *kMigrations;
}

std::string_view CreateMigrationsTableSql() { return kCreateMigrationsTable; }

}  // namespace koseki::store::sqlite_internal
