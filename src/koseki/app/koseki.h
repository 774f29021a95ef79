// Koseki: the composition root — the only place that names concrete classes (ARCHITECTURE.md).
//
// Opens an installation (data directory + sealed key file) and wires the store over it. The
// CLI calls the use cases (import_registers.h, generate_registers.h, certificate.h) with it.
// Not thread-safe as a whole; one per process.
#pragma once

#include <memory>

#include "koseki/app/location.h"
#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/master_key.h"
#include "koseki/store/installation.h"
#include "koseki/store/register_store.h"

namespace koseki::app {

class Koseki {
 public:
  // Creates a new installation: seals a fresh master key under `passphrase` into the key file
  // and creates the data directory's database. Refuses, writing nothing: a key file inside the
  // data directory (KSK-CLI-002), an existing installation (AlreadyExists, KSK-APP-002), an
  // existing key file (KSK-CRYPTO-013), an empty or short passphrase (KSK-CRYPTO-010).
  static Result<void> Init(const Location& location, const SecretBytes& passphrase,
                           crypto::KdfParams kdf = {});

  // Opens an existing installation. NotFound (KSK-APP-001) if the data directory holds none;
  // the key file's own errors otherwise (missing, wrong passphrase, another installation's).
  static Result<std::unique_ptr<Koseki>> Open(const Location& location,
                                              const SecretBytes& passphrase);

  store::Installation& installation() { return *installation_; }
  store::RegisterStore& registers() { return registers_; }
  const Clock& clock() const { return clock_; }

  // Returns the tenant's row; NotFound (KSK-STORE-013) for an unknown tenant code.
  Result<store::TenantRow> Tenant(std::string_view tenant_code);

  Koseki(const Koseki&) = delete;
  Koseki& operator=(const Koseki&) = delete;

 private:
  explicit Koseki(std::unique_ptr<SystemClock> clock,
                  std::unique_ptr<store::Installation> installation);
  std::unique_ptr<SystemClock> clock_owner_;
  const Clock& clock_;
  std::unique_ptr<store::Installation> installation_;
  store::RegisterStore registers_;
};

}  // namespace koseki::app
