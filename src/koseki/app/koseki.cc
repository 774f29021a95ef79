#include "koseki/app/koseki.h"

#include <system_error>
#include <utility>

namespace koseki::app {
namespace {

std::filesystem::path DatabaseFile(const Location& location) {
  return location.data_dir / store::Installation::kDatabaseFileName;
}

}  // namespace

Koseki::Koseki(std::unique_ptr<SystemClock> clock,
               std::unique_ptr<store::Installation> installation)
    : clock_owner_(std::move(clock)),
      clock_(*clock_owner_),
      installation_(std::move(installation)),
      registers_(installation_->backend(), *installation_, clock_) {}

Result<void> Koseki::Init(const Location& location, const SecretBytes& passphrase,
                          crypto::KdfParams kdf) {
  KOSEKI_RETURN_IF_ERROR(CheckKeyFileOutsideDataDir(location));
  std::error_code ec;
  if (std::filesystem::exists(DatabaseFile(location), ec)) {
    return MakeError(ErrorCode::kAlreadyExists, "KSK-APP-002",
                     "このデータディレクトリには既にインストールがあります。",
                     "database file exists");
  }
  KOSEKI_ASSIGN_OR_RETURN(crypto::MasterKey master,
                          crypto::MasterKey::CreateKeyFile(location.key_file, passphrase, kdf));
  SystemClock clock;
  auto installation =
      store::Installation::OpenDirectory(location.data_dir, std::move(master), clock);
  if (!installation) {
    // Nothing half-made stays behind: a key file without its installation would only confuse.
    std::filesystem::remove(location.key_file, ec);
    return std::move(installation).error();
  }
  return Ok();
}

Result<std::unique_ptr<Koseki>> Koseki::Open(const Location& location,
                                             const SecretBytes& passphrase) {
  std::error_code ec;
  if (!std::filesystem::exists(DatabaseFile(location), ec)) {
    return MakeError(ErrorCode::kNotFound, "KSK-APP-001",
                     "データディレクトリにインストールがありません（koseki init で作成します）。",
                     "database file missing");
  }
  KOSEKI_ASSIGN_OR_RETURN(crypto::MasterKey master,
                          crypto::MasterKey::Unseal(location.key_file, passphrase));
  auto clock = std::make_unique<SystemClock>();
  KOSEKI_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Installation> installation,
      store::Installation::OpenDirectory(location.data_dir, std::move(master), *clock));
  return std::unique_ptr<Koseki>(new Koseki(std::move(clock), std::move(installation)));
}

Result<store::TenantRow> Koseki::Tenant(std::string_view tenant_code) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::TenantRow> tenants, installation_->ListTenants());
  for (auto& tenant : tenants) {
    if (tenant.tenant_code == tenant_code) return std::move(tenant);
  }
  return MakeError(ErrorCode::kNotFound, "KSK-STORE-013", "指定された自治体は登録されていません。",
                   "unknown tenant");
}

}  // namespace koseki::app
