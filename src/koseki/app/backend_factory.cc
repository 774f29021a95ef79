#include "koseki/app/backend_factory.h"

#include <filesystem>
#include <string_view>
#include <system_error>

#include "koseki/store/sqlite/sqlite_backend.h"

namespace koseki::app {
namespace {

// The SQLite database of a data directory.
constexpr std::string_view kSqliteFileName = "koseki.db";

std::filesystem::path SqliteFile(const Location& location) {
  return location.data_dir / kSqliteFileName;
}

}  // namespace

bool HasInstallation(const Location& location) {
  if (location.data_dir.empty()) return false;
  std::error_code ec;
  return std::filesystem::exists(SqliteFile(location), ec);
}

Result<void> RequireInstallation(const Location& location) {
  if (HasInstallation(location)) return Ok();
  return MakeError(ErrorCode::kNotFound, "KSK-APP-001",
                   "データディレクトリにインストールがありません（koseki init で作成します）。",
                   "database file missing");
}

Result<void> RequireNoInstallation(const Location& location) {
  if (!HasInstallation(location)) return Ok();
  return MakeError(ErrorCode::kAlreadyExists, "KSK-APP-002",
                   "このデータディレクトリには既にインストールがあります。",
                   "database file exists");
}

Result<std::unique_ptr<store::Backend>> OpenBackend(const Location& location) {
  KOSEKI_RETURN_IF_ERROR(RequireInstallation(location));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteBackend> backend,
                          store::SqliteBackend::Open(SqliteFile(location)));
  return std::unique_ptr<store::Backend>(std::move(backend));
}

Result<std::unique_ptr<store::Backend>> OpenBackendReadOnly(const Location& location) {
  KOSEKI_RETURN_IF_ERROR(RequireInstallation(location));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteBackend> backend,
                          store::SqliteBackend::OpenReadOnly(SqliteFile(location)));
  return std::unique_ptr<store::Backend>(std::move(backend));
}

Result<std::unique_ptr<store::Backend>> CreateBackend(const Location& location) {
  KOSEKI_RETURN_IF_ERROR(RequireNoInstallation(location));
  std::error_code ec;
  if (std::filesystem::create_directories(location.data_dir, ec)) {
    std::filesystem::permissions(location.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (ec || !std::filesystem::is_directory(location.data_dir, ec)) {
    return MakeError(ErrorCode::kUnavailable, "KSK-STORE-020",
                     "データディレクトリを作成または使用できません。",
                     "data directory: " + ec.message());
  }
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::SqliteBackend> backend,
                          store::SqliteBackend::Open(SqliteFile(location)));
  return std::unique_ptr<store::Backend>(std::move(backend));
}

}  // namespace koseki::app
