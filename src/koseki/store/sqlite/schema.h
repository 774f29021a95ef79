// The SQLite schema as data: the ordered migration steps (version, name, SQL) of the SQLite
// backend, without any dependency on SQLite itself.
//
// migrations.h applies them to koseki's databases; the SQLCipher benchmark (bench/
// sqlcipher_bench.cc, which must not link libsqlite3) runs the same steps on SQLCipher, so that
// its tables cannot drift from koseki's. The schema is documented in docs/formats.md,
// "Database schema".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace koseki::store::sqlite_internal {

struct Migration {
  std::int64_t version;   // 1, 2, 3, ... without gaps
  std::string_view name;  // short description, recorded in schema_migrations
  std::string_view sql;   // one or more statements, run as one step
};

// Returns the migrations in order.
const std::vector<Migration>& Migrations();

// Returns the statement that creates the table recording applied steps (idempotent):
// schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER microseconds).
std::string_view CreateMigrationsTableSql();

}  // namespace koseki::store::sqlite_internal
