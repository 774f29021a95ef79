// Koseki: the composition root — the only place that names concrete classes (ARCHITECTURE.md).
//
// Opens an installation (data directory + sealed key file) and wires what is process-wide over
// it: the store, the audit log, the clock, the keys. What is per request — the actor — is an
// argument of every use case (import_registers.h, generate_registers.h, tenant_settings.h,
// tenant_desk.h, AddTenant below); each records itself in the audit log in the same
// transaction as its writes (audit/audit_log.h). Close() writes the closing checkpoints.
// One per process. Thread-safe once opened: the store, the audit log and the installation's
// keys are, and nothing else here changes after Open (the server's requests share it).
//
// The audit log's checkpoint signing key (Ed25519) is created with the installation, sealed
// under the master key in the database (installation value "audit_signing_key"); its verifier
// key is stored in clear ("audit_verifier_key") and listed in the keys file beside the witness
// file (audit/witness_file.h). Installations from before the audit log get theirs at the first
// open.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "koseki/access/actor.h"
#include "koseki/access/directory.h"
#include "koseki/app/location.h"
#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/master_key.h"
#include "koseki/store/installation.h"
#include "koseki/store/register_store.h"
#include "koseki/store/sealed_objects.h"

namespace koseki::app {

// Installation values of the audit signing key.
inline constexpr std::string_view kAuditSigningKeyValue = "audit_signing_key";
inline constexpr std::string_view kAuditVerifierKeyValue = "audit_verifier_key";
// Installation value of the audit entry key (audit/entry.h), sealed like the signing key.
inline constexpr std::string_view kAuditEntryKeyValue = "audit_entry_key";

// Records, in the system log of the installation at `location` (if it has a database), a
// command refused before the store could be opened — a wrong passphrase, a missing or foreign
// key file. Needs no key: appending an entry does not, and the next command that can sign
// covers it with a checkpoint. `object` (e.g. a tenant code) is recorded only if it is an
// opaque id. Best effort: failures are ignored, the refusal itself is what the user sees.
void RecordRefusalWithoutKey(const Location& location, const access::Actor& actor,
                             std::string_view action, const Error& error,
                             std::string_view object = {});

// Returns OK if the data directory of `location` holds an installation's database; NotFound
// (KSK-APP-001) otherwise.
Result<void> CheckInstalled(const Location& location);

class Koseki {
 public:
  // Creates a new installation: seals a fresh master key under `passphrase` into the key file,
  // creates the data directory's database and the audit signing key, and records cli.init in
  // the system log. Refuses, writing nothing: a key file inside the data directory
  // (KSK-CLI-002), an existing installation (AlreadyExists, KSK-APP-002), an existing key file
  // (KSK-CRYPTO-013), an empty or short passphrase (KSK-CRYPTO-010).
  static Result<void> Init(const Location& location, const access::Actor& actor,
                           const SecretBytes& passphrase, crypto::KdfParams kdf = {});

  // Opens an existing installation; `actor` is recorded if the first open creates the audit
  // signing key of an installation from before the audit log, or a device CA for a tenant from
  // before devices. NotFound (KSK-APP-001) if the data directory holds none; the key file's own
  // errors otherwise (missing, wrong passphrase, another installation's); DataLoss KSK-AUDIT-048
  // if the stored signing and verifier keys do not belong together. `clock` (tests: a fake
  // one) must outlive the object; the system clock if null.
  // Before anything else, the database is checked against the witness file
  // (audit/witness_check.h: DataLoss KSK-AUDIT-054, KSK-AUDIT-055) unless `witness_check` is
  // kSkippedToReset — only for `koseki audit reset-witness` (witness_reset.h). Then every log's
  // entries since its latest checkpoint are checked and sealed by a checkpoint
  // (AuditLog::SealAll): an entry added or changed without the key is refused, DataLoss
  // KSK-AUDIT-059. From then on, no committed row is written without its entry
  // (store::Backend::RequireRecordedWrites).
  enum class WitnessCheck { kRequired, kSkippedToReset };
  static Result<std::unique_ptr<Koseki>> Open(const Location& location, const access::Actor& actor,
                                              const SecretBytes& passphrase,
                                              audit::CheckpointPolicy policy = {},
                                              const Clock* clock = nullptr,
                                              WitnessCheck witness_check = WitnessCheck::kRequired);

  // Writes the closing checkpoints (audit::AuditLog::Flush). Called by the destructor too,
  // which cannot report a failure.
  Result<void> Close();
  ~Koseki();

  store::Installation& installation() { return *installation_; }
  store::RegisterStore& registers() { return registers_; }
  audit::AuditLog& audit() { return *audit_; }
  // The tenants' sealed objects (users, devices, device CAs, sessions) and their directory.
  store::SealedObjects& objects() { return objects_; }
  access::Directory& directory() { return directory_; }
  const Clock& clock() const { return clock_; }

  // Returns the tenant's row; NotFound (KSK-STORE-013) for an unknown tenant code.
  Result<store::TenantRow> Tenant(std::string_view tenant_code);
  // Returns the log an action about `tenant_code` is recorded in: the tenant's own log if the
  // tenant exists, else the system log (a refusal naming an unknown tenant).
  std::string LogFor(std::string_view tenant_code);
  // Records that `actor` was refused `action` before any use case could run (e.g. an unknown
  // tenant), in LogFor(tenant_code); `object` is recorded only if it is an opaque id.
  Result<void> RecordRefusal(const access::Actor& actor, std::string_view action,
                             const Error& error, std::string_view tenant_code,
                             std::string_view object = {});

  // Registers a tenant (`koseki tenant add`) as `actor` (an administrator: KSK-ADMIN-001):
  // checks the 地方公共団体コード (KSK-TENANT-0NN), creates it
  // (store::Installation::CreateTenant) with its device CA, and records cli.tenant_add.
  Result<void> AddTenant(const access::Actor& actor, std::string_view code, std::string_view name);

  Koseki(const Koseki&) = delete;
  Koseki& operator=(const Koseki&) = delete;

 private:
  Koseki(std::unique_ptr<Clock> clock_owner, const Clock& clock,
         std::unique_ptr<store::Installation> installation);
  // Loads (or, the first time, creates) the signing key and opens the audit log. A created key
  // is stored in the transaction of the entry `key_created_action` that records it.
  Result<void> OpenAudit(const Location& location, const access::Actor& actor,
                         audit::CheckpointPolicy policy, std::string_view key_created_action,
                         WitnessCheck witness_check = WitnessCheck::kRequired);

  std::unique_ptr<Clock> clock_owner_;
  const Clock& clock_;
  std::unique_ptr<store::Installation> installation_;
  store::RegisterStore registers_;
  store::SealedObjects objects_;
  access::Directory directory_;
  std::unique_ptr<audit::AuditLog> audit_;
  bool closed_ = false;
};

}  // namespace koseki::app
