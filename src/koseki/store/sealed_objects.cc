#include "koseki/store/sealed_objects.h"

#include <memory>

#include "koseki/base/hex.h"
#include "koseki/store/internal/sealed_records.h"

namespace koseki::store {
namespace {

// `what` names the place (kind and version, or "session"), never the id: object ids may be
// logins, which stay out of logs.
Error Undecryptable(std::string what, const Error& cause) {
  return MakeError(
      ErrorCode::kDataLoss, "KSK-STORE-033",
      "保存されているデータを復号できません。データが改ざんまたは破損している可能性があります。",
      what + ": " + cause.id + " " + cause.internal_detail);
}

std::string ObjectRowId(std::string_view kind, std::string_view object_id) {
  std::string row_id;
  row_id.reserve(kind.size() + 1 + object_id.size());
  row_id.append(kind).append("/").append(object_id);
  return row_id;
}

crypto::Bytes ObjectAssociatedData(std::string_view tenant, std::string_view kind,
                                   std::string_view object_id, std::uint64_t version) {
  return crypto::MakeAssociatedData(tenant, kObjectVersionsTable, ObjectRowId(kind, object_id),
                                    version);
}

// The session's expiry is bound as the "version" (its two's complement bits), so that a row
// whose plaintext expires_at column was moved no longer authenticates.
crypto::Bytes SessionAssociatedData(std::string_view tenant, crypto::ByteView token_hash,
                                    std::int64_t expires_at) {
  return crypto::MakeAssociatedData(tenant, kSessionsTable, HexEncode(token_hash),
                                    static_cast<std::uint64_t>(expires_at));
}

Result<OpenedObject> OpenObject(const TenantCipher& cipher, std::string_view tenant,
                                std::string_view kind, std::string object_id,
                                const ObjectVersionRow& row) {
  auto plaintext = cipher.aead().Decrypt(
      row.ciphertext, ObjectAssociatedData(tenant, kind, object_id, row.version));
  if (!plaintext) {
    return Undecryptable(
        "object of kind " + std::string(kind) + " version " + std::to_string(row.version),
        plaintext.error());
  }
  return OpenedObject{std::move(object_id), row.version, row.created_at, std::move(*plaintext)};
}

}  // namespace

Result<std::uint64_t> SealedObjects::Put(std::string_view tenant, std::string_view kind,
                                         std::string_view object_id, std::uint64_t expected_version,
                                         crypto::ByteView plaintext) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKey(kind, object_id));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  // Sealed for the version this write creates; if another writer got there first the backend
  // refuses the row (Aborted), so a ciphertext never sits at a version it was not made for.
  KOSEKI_ASSIGN_OR_RETURN(
      crypto::Bytes ciphertext,
      cipher->aead().Encrypt(plaintext,
                             ObjectAssociatedData(tenant, kind, object_id, expected_version + 1)));
  return backend_.InsertObjectVersion(tenant, kind, object_id, expected_version, ciphertext,
                                      UnixMicros(clock_.Now()));
}

Result<std::optional<OpenedObject>> SealedObjects::Get(std::string_view tenant,
                                                       std::string_view kind,
                                                       std::string_view object_id) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKey(kind, object_id));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<ObjectVersionRow> row,
                          backend_.GetObjectHead(tenant, kind, object_id));
  if (!row) return std::optional<OpenedObject>();
  KOSEKI_ASSIGN_OR_RETURN(OpenedObject opened,
                          OpenObject(*cipher, tenant, kind, std::string(object_id), *row));
  return std::optional<OpenedObject>(std::move(opened));
}

Result<std::vector<OpenedObject>> SealedObjects::List(std::string_view tenant,
                                                      std::string_view kind) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant));
  KOSEKI_RETURN_IF_ERROR(ValidateObjectKind(kind));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::vector<ObjectHeadRow> rows, backend_.ListObjectHeads(tenant, kind));
  std::vector<OpenedObject> opened;
  opened.reserve(rows.size());
  for (ObjectHeadRow& row : rows) {
    KOSEKI_ASSIGN_OR_RETURN(OpenedObject object,
                            OpenObject(*cipher, tenant, kind, std::move(row.object_id), row.head));
    opened.push_back(std::move(object));
  }
  return opened;
}

Result<void> SealedObjects::PutSession(std::string_view tenant, crypto::ByteView token_hash,
                                       crypto::ByteView plaintext, std::int64_t expires_at) {
  KOSEKI_RETURN_IF_ERROR(internal::ValidateTenantCode(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher, crypto_.ForTenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(
      crypto::Bytes ciphertext,
      cipher->aead().Encrypt(plaintext, SessionAssociatedData(tenant, token_hash, expires_at)));
  return backend_.PutSession(SessionRow{Bytes(token_hash.begin(), token_hash.end()),
                                        std::string(tenant), std::move(ciphertext), expires_at});
}

Result<std::optional<SealedObjects::TenantAndPlaintext>> SealedObjects::GetSession(
    crypto::ByteView token_hash) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<SessionRow> row, backend_.GetSession(token_hash));
  // An expired session is gone as far as callers know, even before DeleteExpiredSessions ran.
  if (!row || row->expires_at <= UnixMicros(clock_.Now())) {
    return std::optional<TenantAndPlaintext>();
  }
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const TenantCipher> cipher,
                          crypto_.ForTenant(row->tenant_code));
  auto plaintext = cipher->aead().Decrypt(
      row->ciphertext, SessionAssociatedData(row->tenant_code, token_hash, row->expires_at));
  if (!plaintext) return Undecryptable("session", plaintext.error());
  return std::optional<TenantAndPlaintext>(
      TenantAndPlaintext{std::move(row->tenant_code), std::move(*plaintext)});
}

Result<void> SealedObjects::DeleteSession(crypto::ByteView token_hash) {
  return backend_.DeleteSession(token_hash);
}

Result<std::uint64_t> SealedObjects::DeleteExpiredSessions() {
  return backend_.DeleteExpiredSessions(UnixMicros(clock_.Now()));
}

}  // namespace koseki::store
