#include "koseki/crypto/tenant_keys.h"

#include <algorithm>
#include <string>

#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

std::string Context(std::string_view tenant_code) { return "tenant:" + std::string(tenant_code); }

}  // namespace

TenantKeys::TenantKeys(Keyset keyset, SecretBytes blind_key, BlindIndexer indexer)
    : keyset_(std::move(keyset)),
      blind_key_(std::move(blind_key)),
      blind_indexer_(std::move(indexer)) {}

Result<TenantKeys> TenantKeys::Generate() {
  KOSEKI_ASSIGN_OR_RETURN(Keyset keyset, Keyset::Generate());
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes blind_key, RandomSecret(BlindIndexer::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(BlindIndexer indexer, BlindIndexer::Create(blind_key.Copy()));
  return TenantKeys(std::move(keyset), std::move(blind_key), std::move(indexer));
}

Result<TenantKeys> TenantKeys::Unwrap(const MasterKey& master, std::string_view tenant_code,
                                      ByteView wrapped) {
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes plain, master.Unwrap(wrapped, Context(tenant_code)));
  if (plain.size() <= BlindIndexer::kKeySize) {
    return MakeError(ErrorCode::kDataLoss, "KSK-CRYPTO-006", "暗号鍵データが破損しています。",
                     "tenant key material too short: " + std::to_string(plain.size()));
  }
  const std::size_t keyset_size = plain.size() - BlindIndexer::kKeySize;
  KOSEKI_ASSIGN_OR_RETURN(Keyset keyset,
                          Keyset::Parse(SecretBytes::FromBytes(plain.span().first(keyset_size))));
  SecretBytes blind_key = SecretBytes::FromBytes(plain.span().subspan(keyset_size));
  KOSEKI_ASSIGN_OR_RETURN(BlindIndexer indexer, BlindIndexer::Create(blind_key.Copy()));
  return TenantKeys(std::move(keyset), std::move(blind_key), std::move(indexer));
}

Result<Bytes> TenantKeys::Wrap(const MasterKey& master, std::string_view tenant_code) const {
  const SecretBytes keyset = keyset_.Serialize();
  // Assembled directly in locked memory: keyset serialization ‖ blind-index key.
  SecretBytes plain(keyset.size() + blind_key_.size());
  std::copy(keyset.span().begin(), keyset.span().end(), plain.data());
  std::copy(blind_key_.span().begin(), blind_key_.span().end(), plain.data() + keyset.size());
  return master.Wrap(plain, Context(tenant_code));
}

}  // namespace koseki::crypto
