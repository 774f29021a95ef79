#include "koseki/store/sqlite/migrations.h"

#include <chrono>
#include <string>

namespace koseki::store::sqlite_internal {
namespace {

Error MigrationFailed(std::int64_t version, const Error& cause) {
  return MakeError(
      ErrorCode::kInternal, "KSK-STORE-004", "データベースの構造を更新できませんでした。",
      "migration " + std::to_string(version) + ": " + cause.id + " " + cause.internal_detail);
}

Result<bool> IsApplied(Database& db, std::int64_t version) {
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1"));
  KOSEKI_RETURN_IF_ERROR(stmt.Bind(1, version));
  return stmt.Step();
}

}  // namespace

Result<std::int64_t> SchemaVersion(Database& db) {
  KOSEKI_RETURN_IF_ERROR(db.Exec(CreateMigrationsTableSql()));
  KOSEKI_ASSIGN_OR_RETURN(Statement stmt,
                          db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  KOSEKI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row ? stmt.ColumnInt64(0) : 0;
}

Result<void> Migrate(Database& db) {
  const std::vector<Migration>& steps = Migrations();
  return MigrateTo(db, steps.empty() ? 0 : steps.back().version);
}

Result<void> MigrateTo(Database& db, std::int64_t version) {
  KOSEKI_ASSIGN_OR_RETURN(std::int64_t current, SchemaVersion(db));
  const std::vector<Migration>& steps = Migrations();
  const std::int64_t newest = steps.empty() ? 0 : steps.back().version;
  if (current > newest) {
    return MakeError(
        ErrorCode::kFailedPrecondition, "KSK-STORE-005",
        "データベースがこのプログラムより新しい版で作成されています。koseki "
        "を更新してください。",
        "schema version " + std::to_string(current) + " > known " + std::to_string(newest));
  }
  for (const Migration& step : steps) {
    if (step.version <= current || step.version > version) continue;
    KOSEKI_ASSIGN_OR_RETURN(TransactionScope tx, TransactionScope::Begin(db));
    // Checked again under the write lock: another process may have applied it meanwhile.
    KOSEKI_ASSIGN_OR_RETURN(bool applied, IsApplied(db, step.version));
    if (applied) continue;  // tx rolls back (nothing written)
    if (auto run = db.Exec(step.sql); !run) return MigrationFailed(step.version, run.error());
    KOSEKI_ASSIGN_OR_RETURN(Statement record,
                            db.Prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                                       "VALUES (?1, ?2, ?3)"));
    KOSEKI_RETURN_IF_ERROR(record.Bind(1, step.version));
    KOSEKI_RETURN_IF_ERROR(record.Bind(2, step.name));
    // Unix microseconds, like every time in the store (no Clock here: when a step ran is
    // information for an administrator, not a fact of the register).
    KOSEKI_RETURN_IF_ERROR(record.Bind(3, std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count()));
    KOSEKI_RETURN_IF_ERROR(record.Run());
    KOSEKI_RETURN_IF_ERROR(tx.Commit());
  }
  return Ok();
}

}  // namespace koseki::store::sqlite_internal
