#include "koseki/app/koseki.h"

#include <system_error>
#include <utility>

#include "koseki/app/backend_factory.h"
#include "koseki/app/device_admin.h"
#include "koseki/app/municipality_code.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/row_baseline.h"
#include "koseki/audit/stored_log.h"
#include "koseki/audit/witness_check.h"
#include "koseki/audit/witness_file.h"
#include "koseki/base/log.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

// Prefix of the audit key name; the installation's id follows, so that installations sharing
// a witness file (keys in one directory) have distinct origins.
constexpr std::string_view kAuditKeyNamePrefix = "koseki.invalid/audit/";

Error KeysDoNotMatch() {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-048",
                   "監査ログの署名鍵と検証鍵が一致しません。データベースが改ざんされている可能性が"
                   "あります。",
                   "stored audit signing key does not match the stored verifier key");
}

// Loads the stored signing key; nullopt if the installation has none yet.
Result<std::optional<audit::SigningKey>> LoadSigningKey(store::Installation& installation) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<SecretBytes> seed,
                          installation.LoadSealedSecret(kAuditSigningKeyValue));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> verifier_text,
                          installation.backend().GetInstallationValue(kAuditVerifierKeyValue));
  if (!seed && !verifier_text) return std::optional<audit::SigningKey>();
  if (!seed || !verifier_text) return KeysDoNotMatch();
  auto verifier = audit::VerifierKey::Parse(*verifier_text);
  if (!verifier) return KeysDoNotMatch();
  KOSEKI_ASSIGN_OR_RETURN(audit::SigningKey key,
                          audit::SigningKey::FromSeed(verifier->name(), *seed));
  if (!(key.verifier() == *verifier)) return KeysDoNotMatch();
  return std::optional<audit::SigningKey>(std::move(key));
}

// Checks and checkpoints what was appended since each log's latest checkpoint. A witness file
// that cannot be written does not stop the open (the checkpoint stays in the database, as for
// any checkpoint); anything else does.
Result<void> SealAuditLogs(audit::AuditLog& audit) {
  Result<void> sealed = audit.SealAll();
  if (!sealed && audit::IsWitnessIoError(sealed.error())) {
    log::Error("audit_seal_witness_failed", {{"error_id", sealed.error().id}});
    return Ok();
  }
  return sealed;
}

}  // namespace

Result<void> CheckInstalled(const Location& location) { return RequireInstallation(location); }

void RecordRefusalWithoutKey(const Location& location, const access::Actor& actor,
                             std::string_view action, const Error& error, std::string_view object) {
  if (!HasInstallation(location)) return;
  auto backend = OpenBackend(location);
  if (!backend) return;
  SystemClock clock;
  auto log = audit::AuditLog::Open(**backend, clock, std::nullopt, {});
  if (!log) return;
  audit::Event event = workflow::EventOf(actor, action);
  event.outcome = audit::OutcomeOf(error);
  event.error_id = error.id;
  if (audit::IsOpaqueId(object)) event.object_id = std::string(object);
  (void)(*log)->Append(audit::kSystemTenant, event);
}

Koseki::Koseki(std::unique_ptr<Clock> clock_owner, const Clock& clock,
               std::unique_ptr<store::Installation> installation)
    : clock_owner_(std::move(clock_owner)),
      clock_(clock),
      installation_(std::move(installation)),
      registers_(installation_->backend(), *installation_, clock_),
      objects_(installation_->backend(), *installation_, clock_),
      directory_(objects_) {}

Koseki::~Koseki() {
  if (!closed_ && audit_) (void)Close();
}

Result<void> Koseki::Close() {
  closed_ = true;
  return audit_->Flush();
}

Result<void> Koseki::Init(const Location& location, const access::Actor& actor,
                          const SecretBytes& passphrase, crypto::KdfParams kdf) {
  KOSEKI_RETURN_IF_ERROR(CheckKeyFileOutsideDataDir(location));
  KOSEKI_RETURN_IF_ERROR(RequireNoInstallation(location));
  KOSEKI_ASSIGN_OR_RETURN(crypto::MasterKey master,
                          crypto::MasterKey::CreateKeyFile(location.key_file, passphrase, kdf));
  auto clock = std::make_unique<SystemClock>();
  auto backend = CreateBackend(location);
  auto installation =
      backend ? store::Installation::Open(*std::move(backend), std::move(master), *clock)
              : Result<std::unique_ptr<store::Installation>>(std::move(backend).error());
  if (!installation) {
    // Nothing half-made stays behind: a key file without its installation would only confuse.
    std::error_code ec;
    std::filesystem::remove(location.key_file, ec);
    return std::move(installation).error();
  }
  const Clock& clock_ref = *clock;
  std::unique_ptr<Koseki> koseki(new Koseki(std::move(clock), clock_ref, *std::move(installation)));
  // Creates the signing key and records cli.init in the same transaction.
  KOSEKI_RETURN_IF_ERROR(koseki->OpenAudit(location, actor, {}, audit::actions::kCliInit));
  return koseki->Close();
}

Result<std::unique_ptr<Koseki>> Koseki::Open(const Location& location, const access::Actor& actor,
                                             const SecretBytes& passphrase,
                                             audit::CheckpointPolicy policy, const Clock* clock,
                                             WitnessCheck witness_check) {
  // Checked at every open, not only at init: a key file moved into the data directory later
  // would travel with every copy of it (and the default witness would follow it there).
  KOSEKI_RETURN_IF_ERROR(CheckKeyFileOutsideDataDir(location));
  KOSEKI_RETURN_IF_ERROR(CheckInstalled(location));
  KOSEKI_ASSIGN_OR_RETURN(crypto::MasterKey master,
                          crypto::MasterKey::Unseal(location.key_file, passphrase));
  std::unique_ptr<Clock> clock_owner;
  if (clock == nullptr) {
    clock_owner = std::make_unique<SystemClock>();
    clock = clock_owner.get();
  }
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::Backend> backend, OpenBackend(location));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::Installation> installation,
                          store::Installation::Open(std::move(backend), std::move(master), *clock));
  std::unique_ptr<Koseki> koseki(
      new Koseki(std::move(clock_owner), *clock, std::move(installation)));
  // An installation from before the audit log gets its key now, recorded as a key change.
  KOSEKI_RETURN_IF_ERROR(
      koseki->OpenAudit(location, actor, policy, audit::actions::kAdminKey, witness_check));
  // Tenants from before devices get their device CA now.
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::TenantRow> tenants,
                          koseki->installation().ListTenants());
  for (const store::TenantRow& tenant : tenants) {
    KOSEKI_RETURN_IF_ERROR(EnsureDeviceCa(*koseki, actor, tenant.tenant_code));
  }
  return koseki;
}

Result<void> Koseki::OpenAudit(const Location& location, const access::Actor& actor,
                               audit::CheckpointPolicy policy, std::string_view key_created_action,
                               WitnessCheck witness_check) {
  audit::AuditOptions options{policy, location.witness_file, std::nullopt};
  KOSEKI_ASSIGN_OR_RETURN(
      SecretBytes entry_key,
      installation_->LoadOrCreateSealedSecret(kAuditEntryKeyValue, crypto::MessageMac::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(options.entry_key, crypto::MessageMac::Create(std::move(entry_key)));
  installation_->backend().RequireRecordedWrites();
  KOSEKI_ASSIGN_OR_RETURN(std::optional<audit::SigningKey> stored, LoadSigningKey(*installation_));
  if (stored) {
    // Before anything is read or written: not an older copy of the database than the witness saw.
    if (witness_check == WitnessCheck::kRequired) {
      KOSEKI_RETURN_IF_ERROR(audit::CheckDatabaseAgainstWitness(
          installation_->backend(), stored->verifier(), location.witness_file));
    }
    KOSEKI_RETURN_IF_ERROR(audit::EnsureVerifierKeyListed(
        audit::VerifierKeysPathFor(location.witness_file), stored->verifier()));
    KOSEKI_ASSIGN_OR_RETURN(audit_, audit::AuditLog::Open(installation_->backend(), clock_,
                                                          std::move(stored), std::move(options)));
    // Entries from before the store indexed them by object get their index rows, once.
    KOSEKI_RETURN_IF_ERROR(audit::IndexEntryObjects(installation_->backend()));
    // The reset writes its new witness from the checkpoints as they are; its own entry and
    // checkpoint then seal what came before.
    if (witness_check == WitnessCheck::kSkippedToReset) return Ok();
    KOSEKI_RETURN_IF_ERROR(SealAuditLogs(*audit_));
    // The first keyed open of an installation from before row commitments restates its rows.
    KOSEKI_ASSIGN_OR_RETURN(
        bool restated,
        audit::RecordRowBaseline(*audit_, installation_->backend(), *audit_->verifier(),
                                 workflow::EventOf(actor, audit::actions::kRowBaseline)));
    if (restated) return SealAuditLogs(*audit_);
    return Ok();
  }

  // A new installation (or one from before the audit log): create the key, and store it in
  // the same transaction as the entry that records its creation.
  const std::string name =
      std::string(kAuditKeyNamePrefix) + installation_->master_key_id().substr(0, 16);
  KOSEKI_ASSIGN_OR_RETURN(audit::SigningKey fresh, audit::SigningKey::Generate(name));
  KOSEKI_ASSIGN_OR_RETURN(audit::SigningKey copy, audit::SigningKey::FromSeed(name, fresh.seed()));
  const audit::VerifierKey verifier = fresh.verifier();
  KOSEKI_ASSIGN_OR_RETURN(audit_, audit::AuditLog::Open(installation_->backend(), clock_,
                                                        std::move(copy), std::move(options)));
  audit::Event event = workflow::EventOf(actor, key_created_action);
  event.object_id = installation_->master_key_id();
  const auto store_key = [&](audit::Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(installation_->StoreSealedSecret(kAuditSigningKeyValue, fresh.seed()));
    return installation_->backend().InsertInstallationValue(kAuditVerifierKeyValue,
                                                            verifier.ToString());
  };
  auto created = audit_->Record(audit::kSystemTenant, event, store_key);
  if (!created) {
    if (created.error().code != ErrorCode::kAlreadyExists) return std::move(created).error();
    // Another process created the key at the same moment: use the stored one.
    audit_.reset();
    return OpenAudit(location, actor, policy, key_created_action);
  }
  KOSEKI_RETURN_IF_ERROR(audit::IndexEntryObjects(installation_->backend()));
  return audit::EnsureVerifierKeyListed(audit::VerifierKeysPathFor(location.witness_file),
                                        verifier);
}

Result<store::TenantRow> Koseki::Tenant(std::string_view tenant_code) {
  return installation_->GetTenant(tenant_code);
}

std::string Koseki::LogFor(std::string_view tenant_code) {
  if (tenant_code != audit::kSystemTenant && audit::IsOpaqueId(tenant_code)) {
    auto tenant = installation_->backend().GetTenant(tenant_code);
    if (tenant && *tenant) return std::string(tenant_code);
  }
  return std::string(audit::kSystemTenant);
}

Result<void> Koseki::RecordRefusal(const access::Actor& actor, std::string_view action,
                                   const Error& error, std::string_view tenant_code,
                                   std::string_view object) {
  audit::Event event = workflow::EventOf(actor, action);
  if (audit::IsOpaqueId(object)) event.object_id = std::string(object);
  event.outcome = audit::OutcomeOf(error);
  event.error_id = error.id;
  KOSEKI_RETURN_IF_ERROR(audit_->Append(LogFor(tenant_code), event));
  return Ok();
}

Result<void> Koseki::AddTenant(const access::Actor& actor, std::string_view code,
                               std::string_view name) {
  audit::Event event = workflow::EventOf(actor, audit::actions::kCliTenantAdd);
  if (audit::IsOpaqueId(code)) event.object_id = std::string(code);
  const auto create = [&](audit::Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
    KOSEKI_RETURN_IF_ERROR(ValidateMunicipalityCode(code));
    KOSEKI_RETURN_IF_ERROR(installation_->CreateTenant(code, name));
    return EnsureDeviceCa(*this, actor, code);
  };
  KOSEKI_RETURN_IF_ERROR(audit_->Record(audit::kSystemTenant, event, create));
  return Ok();
}

}  // namespace koseki::app
