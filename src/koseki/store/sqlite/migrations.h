// Versioned schema migrations of the SQLite backend.
//
// The schema is an ordered list of steps (schema.h); the table schema_migrations records
// which ones were applied. Applying is idempotent: on every open, each missing step runs in its
// own transaction (BEGIN IMMEDIATE, so two processes opening a fresh file at once cannot both
// apply a step), and is recorded in that same transaction. A database that records a step this
// program does not know (written by a newer koseki) is refused rather than guessed at.
// The schema itself is documented in docs/formats.md, "Database schema".
#pragma once

#include <cstdint>

#include "koseki/base/result.h"
#include "koseki/store/sqlite/internal/sqlite.h"
#include "koseki/store/sqlite/schema.h"

namespace koseki::store::sqlite_internal {

// Brings `db` up to the newest schema. FailedPrecondition (KSK-STORE-005) if the database has
// a newer schema than this program knows; Internal (KSK-STORE-004) if a step fails.
Result<void> Migrate(Database& db);

// Applies the missing steps up to `version` only (tests build databases of older versions
// with it to test the later steps). Same errors as Migrate.
Result<void> MigrateTo(Database& db, std::int64_t version);

// Returns the highest applied migration version (0 for an empty database).
Result<std::int64_t> SchemaVersion(Database& db);

}  // namespace koseki::store::sqlite_internal
