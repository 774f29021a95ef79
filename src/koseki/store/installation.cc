#include "koseki/store/installation.h"

#include "koseki/base/hex.h"
#include "koseki/store/internal/sealed_records.h"

namespace koseki::store {
namespace {

constexpr std::string_view kFormatVersionKey = "format_version";
constexpr std::string_view kMasterKeyIdKey = "master_key_id";
constexpr std::string_view kCreatedAtKey = "created_at";

Error TenantKeysUnusable(std::string_view detail) {
  return MakeError(
      ErrorCode::kDataLoss, "KSK-STORE-018",
      "自治体の暗号鍵を読み出せません。鍵ファイルまたはデータベースを確認してください。",
      std::string(detail));
}

Error SealedSecretUnusable(std::string_view detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-STORE-023",
                   "インストールの秘密鍵を読み出せません。鍵ファイルまたはデータベースを確認して"
                   "ください。",
                   std::string(detail));
}

std::string SealedSecretContext(std::string_view name) {
  return "installation:" + std::string(name);
}

}  // namespace

Result<std::unique_ptr<Installation>> Installation::Open(std::unique_ptr<Backend> backend,
                                                         crypto::MasterKey master,
                                                         const Clock& clock) {
  std::unique_ptr<Installation> installation(
      new Installation(std::move(backend), std::move(master), clock));
  KOSEKI_RETURN_IF_ERROR(installation->CheckOrRecordMasterKey());
  return installation;
}

Result<void> Installation::CheckOrRecordMasterKey() {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> recorded,
                          backend_->GetInstallationValue(kMasterKeyIdKey));
  if (!recorded) {
    auto recorded_now = backend_->InTransaction([&]() -> Result<void> {
      KOSEKI_RETURN_IF_ERROR(backend_->InsertInstallationValue(kFormatVersionKey, kFormatVersion));
      KOSEKI_RETURN_IF_ERROR(backend_->InsertInstallationValue(kMasterKeyIdKey, master_.key_id()));
      return backend_->InsertInstallationValue(kCreatedAtKey,
                                               std::to_string(internal::NowMicros(clock_)));
    });
    // AlreadyExists: another process initialized the directory at the same moment; compare
    // with what it recorded.
    if (!recorded_now && recorded_now.error().code != ErrorCode::kAlreadyExists) {
      return recorded_now;
    }
    KOSEKI_ASSIGN_OR_RETURN(recorded, backend_->GetInstallationValue(kMasterKeyIdKey));
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> format,
                          backend_->GetInstallationValue(kFormatVersionKey));
  if (!format || *format != kFormatVersion) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-STORE-021",
                     "このデータディレクトリの形式には対応していません。",
                     "installation format_version unsupported");
  }
  if (!recorded || *recorded != master_.key_id()) {
    return MakeError(ErrorCode::kUnauthenticated, "KSK-STORE-015",
                     "指定された鍵ファイルはこのデータディレクトリのものではありません。",
                     "master key id mismatch");
  }
  return Ok();
}

Result<void> Installation::CreateTenant(std::string_view tenant_code, std::string_view name) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant_code));
  if (tenant_code == kReservedSystemLog) {
    // The installation-wide audit log is named "system"; a tenant of that code would share it.
    return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-025", "この自治体コードは使えません。",
                     "tenant code reserved");
  }
  if (name.empty() || name.size() > 200) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-026", "自治体名が不正です。",
                     "tenant name length " + std::to_string(name.size()));
  }
  KOSEKI_ASSIGN_OR_RETURN(crypto::TenantKeys keys, crypto::TenantKeys::Generate());
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes wrapped, keys.Wrap(master_, tenant_code));
  const std::int64_t now = internal::NowMicros(clock_);
  // (The transaction body is a named lambda: KOSEKI_RETURN_IF_ERROR cannot nest in itself.)
  const auto insert_rows = [&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(
        backend_->InsertTenant(TenantRow{std::string(tenant_code), std::string(name), now}));
    return backend_->InsertTenantKey(tenant_code, TenantKeyRow{1, std::move(wrapped), now});
  };
  KOSEKI_RETURN_IF_ERROR(backend_->InTransaction(insert_rows));
  std::lock_guard lock(mutex_);
  ciphers_[std::string(tenant_code)] = std::make_shared<KeyedTenantCipher>(std::move(keys));
  return Ok();
}

Result<std::vector<TenantRow>> Installation::ListTenants() { return backend_->ListTenants(); }

Result<TenantRow> Installation::GetTenant(std::string_view tenant_code) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant_code));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<TenantRow> tenant, backend_->GetTenant(tenant_code));
  if (!tenant) return TenantNotFound();
  return std::move(*tenant);
}

Result<crypto::TenantKeys> Installation::LoadTenantKeys(std::string_view tenant_code,
                                                        std::uint32_t* key_version) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant_code));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<TenantRow> tenant, backend_->GetTenant(tenant_code));
  if (!tenant) return TenantNotFound();
  KOSEKI_ASSIGN_OR_RETURN(std::optional<TenantKeyRow> key,
                          backend_->GetLatestTenantKey(tenant_code));
  if (!key) return TenantKeysUnusable("tenant has no key row");
  auto keys = crypto::TenantKeys::Unwrap(master_, tenant_code, key->wrapped);
  if (!keys) {
    return TenantKeysUnusable("unwrap key version " + std::to_string(key->key_version) + ": " +
                              keys.error().id);
  }
  *key_version = key->key_version;
  return std::move(*keys);
}

Result<std::shared_ptr<const TenantCipher>> Installation::ForTenant(std::string_view tenant_code) {
  std::lock_guard lock(mutex_);
  if (auto it = ciphers_.find(tenant_code); it != ciphers_.end()) return it->second;
  std::uint32_t key_version = 0;
  KOSEKI_ASSIGN_OR_RETURN(crypto::TenantKeys keys, LoadTenantKeys(tenant_code, &key_version));
  auto cipher = std::make_shared<const KeyedTenantCipher>(std::move(keys));
  ciphers_[std::string(tenant_code)] = cipher;
  return std::shared_ptr<const TenantCipher>(std::move(cipher));
}

Result<void> Installation::StoreSealedSecret(std::string_view name, const SecretBytes& secret) {
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes wrapped, master_.Wrap(secret, SealedSecretContext(name)));
  return backend_->InsertInstallationValue(name, HexEncode(wrapped));
}

Result<std::optional<SecretBytes>> Installation::LoadSealedSecret(std::string_view name) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> stored, backend_->GetInstallationValue(name));
  if (!stored) return std::optional<SecretBytes>();
  const std::optional<Bytes> wrapped = HexDecode(*stored);
  if (!wrapped) return SealedSecretUnusable("sealed secret is not hex");
  auto secret = master_.Unwrap(*wrapped, SealedSecretContext(name));
  if (!secret) return SealedSecretUnusable("unwrap sealed secret: " + secret.error().id);
  return std::optional<SecretBytes>(std::move(*secret));
}

Result<SecretBytes> Installation::LoadOrCreateSealedSecret(std::string_view name,
                                                           std::size_t size) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<SecretBytes> stored, LoadSealedSecret(name));
  if (stored) return std::move(*stored);
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes fresh, crypto::RandomSecret(size));
  Result<void> written = StoreSealedSecret(name, fresh);
  if (written) return fresh;
  if (written.error().code != ErrorCode::kAlreadyExists) return std::move(written).error();
  KOSEKI_ASSIGN_OR_RETURN(stored, LoadSealedSecret(name));  // another process was first
  if (!stored) return std::move(written).error();
  return std::move(*stored);
}

Result<std::uint32_t> Installation::RotateTenantKey(std::string_view tenant_code) {
  // Not under mutex_: the write below waits for the writer, and the transaction holding it
  // may need ForTenant (and so mutex_) before it can finish. Two rotations at once both
  // load version v; the store takes only one row v + 1.
  if (backend_->InTransactionOnThisThread()) {
    // The new key is cached as soon as it is stored: a rollback would leave in use a key that
    // no stored row holds, and what it sealed could not be read after a restart.
    return MakeError(ErrorCode::kInternal, "KSK-STORE-036", "鍵を更新できませんでした。",
                     "tenant key rotated inside a transaction");
  }
  std::uint32_t key_version = 0;
  KOSEKI_ASSIGN_OR_RETURN(crypto::TenantKeys keys, LoadTenantKeys(tenant_code, &key_version));
  KOSEKI_RETURN_IF_ERROR(keys.mutable_keyset().Rotate());
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes wrapped, keys.Wrap(master_, tenant_code));
  const std::uint32_t next = key_version + 1;
  // Fails with AlreadyExists if another process rotated concurrently; nothing is replaced.
  KOSEKI_RETURN_IF_ERROR(backend_->InsertTenantKey(
      tenant_code, TenantKeyRow{next, std::move(wrapped), internal::NowMicros(clock_)}));
  // A ForTenant that missed the cache meanwhile loaded v or v + 1 under the lock and is done
  // with it: setting v + 1 now leaves the newest key in the cache either way.
  std::lock_guard lock(mutex_);
  ciphers_[std::string(tenant_code)] = std::make_shared<const KeyedTenantCipher>(std::move(keys));
  return next;
}

}  // namespace koseki::store
