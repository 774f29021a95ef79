// TenantKeys: all key material of one tenant — its DEK keyset and its blind-index key — kept
// together and stored in the database only wrapped by the master key.
//
// Wrapped plaintext: Keyset::Serialize() ‖ blind-index key (32 bytes), wrapped by
// MasterKey::Wrap with context "tenant:<code>" (docs/formats.md, "Wrapped tenant keys").
// Thread safety: const methods may run concurrently; mutable_keyset().Rotate() may not.
#pragma once

#include <string_view>

#include "koseki/crypto/blind_index.h"
#include "koseki/crypto/keyset.h"
#include "koseki/crypto/master_key.h"

namespace koseki::crypto {

class TenantKeys {
 public:
  // Creates fresh keys for a new tenant.
  static Result<TenantKeys> Generate();
  // Unwraps keys stored by Wrap(); fails (DataLoss KSK-CRYPTO-002) if they were wrapped for
  // another tenant or under another master key, or were modified.
  static Result<TenantKeys> Unwrap(const MasterKey& master, std::string_view tenant_code,
                                   ByteView wrapped);
  // Wraps for storage; the tenant code is bound as associated data.
  Result<Bytes> Wrap(const MasterKey& master, std::string_view tenant_code) const;

  const Keyset& keyset() const { return keyset_; }
  Keyset& mutable_keyset() { return keyset_; }
  const BlindIndexer& blind_indexer() const { return blind_indexer_; }

 private:
  TenantKeys(Keyset keyset, SecretBytes blind_key, BlindIndexer indexer);
  Keyset keyset_;
  SecretBytes blind_key_;
  BlindIndexer blind_indexer_;
};

}  // namespace koseki::crypto
