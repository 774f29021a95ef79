// Installation: one koseki store (a Backend) and the keys that make its contents readable.
//
// The store holds nothing secret: tenant keys are stored there only wrapped by the master key,
// which lives in a separate key file (crypto/master_key.h). Which backend holds the store, and
// where, is the composition root's choice (app/backend_factory.h); the installation receives it
// opened. On the first open the installation records the master key's id; later opens with
// another key file are refused (Unauthenticated, KSK-STORE-015) with a message saying so,
// instead of failing later with puzzling decryption errors.
//
// Small installation-wide secrets (the audit log's checkpoint signing key) are kept in the
// database too, sealed under the master key (StoreSealedSecret / LoadSealedSecret).
//
// Installation is also the production TenantCrypto: it unwraps each tenant's keys on first
// use and keeps them (in locked memory, via SecretBytes) for its lifetime. Unknown tenants are
// refused (NotFound, KSK-STORE-013). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/clock.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/master_key.h"
#include "koseki/store/backend.h"
#include "koseki/store/tenant_crypto.h"

namespace koseki::store {

class Installation final : public TenantCrypto {
 public:
  // The id of the installation-wide audit log (audit::kSystemTenant); never a tenant code.
  static constexpr std::string_view kReservedSystemLog = "system";
  // Value of the "format_version" installation entry this program writes and understands.
  static constexpr std::string_view kFormatVersion = "1";

  // Opens the installation whose store `backend` is (recording `master`'s id if it is new).
  // `clock` must outlive the installation.
  static Result<std::unique_ptr<Installation>> Open(std::unique_ptr<Backend> backend,
                                                    crypto::MasterKey master, const Clock& clock);

  // Creates a tenant (a municipality) with fresh keys; only their wrapped form is stored.
  // InvalidArgument for a malformed code (KSK-STORE-019), the reserved code "system"
  // (KSK-STORE-025) or an empty or over-long name (KSK-STORE-026); AlreadyExists
  // (KSK-STORE-014) if the code is taken.
  Result<void> CreateTenant(std::string_view tenant_code, std::string_view name);
  Result<std::vector<TenantRow>> ListTenants();
  // Returns one tenant; NotFound (KSK-STORE-013) if unknown.
  Result<TenantRow> GetTenant(std::string_view tenant_code);
  // Adds a new primary data key to the tenant's keyset (old keys keep decrypting old rows) and
  // stores the keyset wrapped as the next key version. Returns the new key version. Outside a
  // transaction only (Internal, KSK-STORE-036): the key is durable before it is used.
  Result<std::uint32_t> RotateTenantKey(std::string_view tenant_code);

  Result<std::shared_ptr<const TenantCipher>> ForTenant(std::string_view tenant_code) override;

  // Wraps `secret` under the master key (associated data "installation:<name>") and stores it
  // as the write-once installation value `name` (hex). AlreadyExists (KSK-STORE-014) if set.
  Result<void> StoreSealedSecret(std::string_view name, const SecretBytes& secret);
  // Returns the secret stored under `name`, nullopt if none. DataLoss (KSK-STORE-023) if the
  // stored value does not unwrap with this master key in this place.
  Result<std::optional<SecretBytes>> LoadSealedSecret(std::string_view name);
  // Returns the secret stored under `name`, first storing a random one of `size` bytes if there
  // is none (when two processes race, the first stored wins and both return it).
  Result<SecretBytes> LoadOrCreateSealedSecret(std::string_view name, std::size_t size);

  Backend& backend() { return *backend_; }
  const Clock& clock() const { return clock_; }
  const std::string& master_key_id() const { return master_.key_id(); }

 private:
  Installation(std::unique_ptr<Backend> backend, crypto::MasterKey master, const Clock& clock)
      : backend_(std::move(backend)), master_(std::move(master)), clock_(clock) {}
  Result<void> CheckOrRecordMasterKey();
  Result<crypto::TenantKeys> LoadTenantKeys(std::string_view tenant_code,
                                            std::uint32_t* key_version);

  std::unique_ptr<Backend> backend_;
  crypto::MasterKey master_;
  const Clock& clock_;
  std::mutex mutex_;  // guards ciphers_
  std::map<std::string, std::shared_ptr<const TenantCipher>, std::less<>> ciphers_;
};

}  // namespace koseki::store
