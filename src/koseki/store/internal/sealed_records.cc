#include "koseki/store/internal/sealed_records.h"

#include <chrono>

#include "koseki/base/hex.h"
#include "koseki/crypto/aead.h"

namespace koseki::store::internal {
namespace {

Error InvalidId(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-019", "指定された識別子が不正です。",
                   std::string(what) + " malformed");
}

Error Undecryptable(std::string_view register_id, std::uint64_t version, const Error& cause) {
  return MakeError(ErrorCode::kDataLoss, "KSK-STORE-016",
                   "戸籍データを復号できません。データが改ざんまたは破損している可能性があります。",
                   "register " + std::string(register_id) + " version " + std::to_string(version) +
                       ": " + cause.id + " " + cause.internal_detail);
}

std::vector<IndexEntry> Blind(const TenantCipher& cipher, std::span<const LookupKey> keys) {
  std::vector<IndexEntry> entries;
  entries.reserve(keys.size());
  for (const LookupKey& key : keys) {
    entries.push_back(IndexEntry{key.purpose, cipher.BlindIndex(key.purpose, key.value)});
  }
  return entries;
}

// Encrypts `plaintext` for its place: this tenant, register and version.
Result<crypto::Bytes> Seal(const TenantCipher& cipher, std::string_view tenant,
                           std::string_view register_id, std::uint64_t version,
                           crypto::ByteView plaintext) {
  return cipher.aead().Encrypt(
      plaintext, crypto::MakeAssociatedData(tenant, kRegisterVersionsTable, register_id, version));
}

}  // namespace

Result<void> ValidateTenantCode(std::string_view tenant_code) {
  if (tenant_code.empty() || tenant_code.size() > 32) return InvalidId("tenant code");
  for (char c : tenant_code) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '_' || c == '-';
    if (!ok) return InvalidId("tenant code");
  }
  return Ok();
}

Result<void> ValidateRegisterId(std::string_view register_id) {
  if (register_id.size() != 32) return InvalidId("register id");
  for (char c : register_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return InvalidId("register id");
  }
  return Ok();
}

Result<std::string> NewRegisterId() {
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes random, crypto::RandomBytes(16));
  return HexEncode(random);
}

std::int64_t NowMicros(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.Now().time_since_epoch())
      .count();
}

Result<std::string> SealedRecords::Create(std::string_view tenant, crypto::ByteView plaintext,
                                          std::span<const LookupKey> keys) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::string register_id, NewRegisterId());
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes ciphertext,
                          Seal(*cipher, tenant, register_id, 1, plaintext));
  KOSEKI_RETURN_IF_ERROR(backend_.CreateRegister(tenant, register_id, ciphertext, NowMicros(clock_),
                                                 Blind(*cipher, keys)));
  return register_id;
}

Result<std::uint64_t> SealedRecords::Append(std::string_view tenant, std::string_view register_id,
                                            std::uint64_t expected_version,
                                            crypto::ByteView plaintext,
                                            std::span<const LookupKey> keys) {
  KOSEKI_ASSIGN_OR_RETURN(const SealedVersion sealed,
                          SealVersion(tenant, register_id, expected_version, plaintext, keys));
  return Append(sealed);
}

Result<SealedVersion> SealedRecords::SealVersion(std::string_view tenant,
                                                 std::string_view register_id,
                                                 std::uint64_t expected_version,
                                                 crypto::ByteView plaintext,
                                                 std::span<const LookupKey> keys) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateRegisterId(register_id));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  SealedVersion sealed{std::string(tenant), std::string(register_id), expected_version, {}, {}};
  KOSEKI_ASSIGN_OR_RETURN(sealed.ciphertext,
                          Seal(*cipher, tenant, register_id, expected_version + 1, plaintext));
  sealed.entries = Blind(*cipher, keys);
  return sealed;
}

Result<std::uint64_t> SealedRecords::Append(const SealedVersion& sealed) {
  // Sealed for the version this write creates; if another writer got there first the backend
  // refuses the row (Aborted), so a ciphertext never sits at a version it was not made for.
  std::uint64_t version = 0;
  // (A named lambda: KOSEKI_RETURN_IF_ERROR cannot nest in itself.)
  const auto insert_rows = [&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(
        version, backend_.InsertVersion(sealed.tenant, sealed.register_id, sealed.expected_version,
                                        sealed.ciphertext, NowMicros(clock_)));
    return backend_.InsertIndexEntries(sealed.tenant, sealed.register_id, sealed.entries);
  };
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction(insert_rows));
  return version;
}

Result<std::uint64_t> SealedRecords::Head(std::string_view tenant, std::string_view register_id) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateRegisterId(register_id));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::uint64_t> head,
                          backend_.GetHeadVersion(tenant, register_id));
  if (!head || *head == 0) return RegisterNotFound();
  return *head;
}

Result<OpenedVersion> SealedRecords::Open(std::string_view tenant, std::string_view register_id,
                                          std::optional<std::uint64_t> version) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateRegisterId(register_id));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  std::uint64_t wanted = 0;
  if (version) {
    wanted = *version;
  } else {
    KOSEKI_ASSIGN_OR_RETURN(wanted, Head(tenant, register_id));
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<VersionRow> row,
                          backend_.GetVersion(tenant, register_id, wanted));
  if (!row) {
    KOSEKI_ASSIGN_OR_RETURN(std::optional<std::uint64_t> head,
                            backend_.GetHeadVersion(tenant, register_id));
    if (!head || *head == 0) return RegisterNotFound();
    return MakeError(ErrorCode::kNotFound, "KSK-STORE-012", "指定された版の戸籍が見つかりません。",
                     "version " + std::to_string(wanted) + " not found");
  }
  const crypto::Bytes ad =
      crypto::MakeAssociatedData(tenant, kRegisterVersionsTable, register_id, wanted);
  auto plaintext = cipher->aead().Decrypt(row->ciphertext, ad);
  if (!plaintext) return Undecryptable(register_id, wanted, plaintext.error());
  return OpenedVersion{wanted, row->created_at, std::move(*plaintext)};
}

Result<std::vector<VersionInfo>> SealedRecords::ListVersions(std::string_view tenant,
                                                             std::string_view register_id) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateRegisterId(register_id));
  KOSEKI_RETURN_IF_ERROR(crypto_.ForTenant(tenant));  // unknown tenant: NotFound
  KOSEKI_ASSIGN_OR_RETURN(std::vector<VersionInfo> versions,
                          backend_.ListVersions(tenant, register_id));
  if (versions.empty()) return RegisterNotFound();
  return versions;
}

Result<std::vector<std::string>> SealedRecords::Candidates(std::string_view tenant,
                                                           const LookupKey& key) {
  KOSEKI_RETURN_IF_ERROR(ValidateTenantCode(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  return backend_.LookupIndex(tenant, key.purpose, cipher->BlindIndex(key.purpose, key.value));
}

}  // namespace koseki::store::internal
