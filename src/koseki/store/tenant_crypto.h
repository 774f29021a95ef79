// TenantCrypto: where the store gets each tenant's encryption and blind-index functions.
//
// The register store never sees key material: it asks for a tenant's TenantCipher and uses
// its AEAD (for register contents) and its blind-index function (for lookups). The production
// implementation is Installation (installation.h), which keeps crypto::TenantKeys unwrapped
// with the master key; KeyedTenantCipher below adapts one crypto::TenantKeys. A benchmark can
// substitute its own TenantCrypto (e.g. without encryption) to measure the store alone.
#pragma once

#include <memory>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/crypto/aead.h"
#include "koseki/crypto/tenant_keys.h"

namespace koseki::store {

// The cryptographic functions of one tenant. Immutable and thread-safe.
class TenantCipher {
 public:
  virtual ~TenantCipher() = default;
  // The tenant's AEAD (a versioned keyset in production).
  virtual const crypto::Aead& aead() const = 0;
  // Returns the blind index of an already normalized `value` for `purpose`.
  virtual crypto::Bytes BlindIndex(std::string_view purpose, std::string_view value) const = 0;
};

class TenantCrypto {
 public:
  virtual ~TenantCrypto() = default;
  // Returns the tenant's cipher; NotFound (KSK-STORE-013) for an unknown tenant. The returned
  // object stays valid as long as the caller holds it. Thread-safe.
  virtual Result<std::shared_ptr<const TenantCipher>> ForTenant(std::string_view tenant_code) = 0;
};

// A TenantCipher over unwrapped crypto::TenantKeys.
class KeyedTenantCipher final : public TenantCipher {
 public:
  explicit KeyedTenantCipher(crypto::TenantKeys keys) : keys_(std::move(keys)) {}
  const crypto::Aead& aead() const override { return keys_.keyset(); }
  crypto::Bytes BlindIndex(std::string_view purpose, std::string_view value) const override {
    return keys_.blind_indexer().Compute(purpose, value);
  }

 private:
  crypto::TenantKeys keys_;
};

}  // namespace koseki::store
