#include "koseki/app/device_gate.h"

#include "koseki/app/device_admin.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/crypto/pki.h"
#include "koseki/web/portal.h"

namespace koseki::app {
namespace {

Error UnknownIssuer() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-DEVICE-010",
                   "この端末の証明書は、登録された自治体の認証局が発行したものではありません。",
                   "client certificate from no tenant's device CA");
}

Error NotRegistered() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-DEVICE-011", "この端末は登録されていません。",
                   "client certificate not registered");
}

Error Revoked() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-DEVICE-012",
                   "この端末の登録は取り消されています。", "device revoked");
}

Error NoCertificate() {
  return MakeError(ErrorCode::kUnauthenticated, "KSK-DEVICE-013",
                   "端末の証明書が提示されませんでした。", "no client certificate");
}

}  // namespace

Result<web::Device> RegisteredDeviceGate::Admit(X509* leaf, STACK_OF(X509) * chain,
                                                std::string_view peer_address) {
  std::string tenant;
  std::string fingerprint;
  Result<web::Device> admitted = Check(leaf, chain, tenant, fingerprint);
  if (!admitted) Refuse(tenant, fingerprint, peer_address, admitted.error());
  return admitted;
}

Result<web::Device> RegisteredDeviceGate::Check(X509* leaf, STACK_OF(X509) * chain,
                                                std::string& tenant, std::string& fingerprint) {
  KOSEKI_ASSIGN_OR_RETURN(crypto::CertificateFacts facts, crypto::InspectCertificate(leaf));
  fingerprint = facts.fingerprint_hex;
  const std::optional<std::string> issuer_tenant = TenantOfDeviceCa(facts.issuer_cn);
  if (!issuer_tenant || !audit::IsOpaqueId(*issuer_tenant)) return UnknownIssuer();
  std::string ca_pem;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = ca_pems_.find(*issuer_tenant); it != ca_pems_.end()) ca_pem = it->second;
  }
  if (ca_pem.empty()) {
    auto ca = koseki_.directory().FindDeviceCa(*issuer_tenant);
    if (!ca || !*ca) return UnknownIssuer();
    ca_pem = (*ca)->cert_pem;
    std::lock_guard<std::mutex> lock(mutex_);
    ca_pems_.emplace(*issuer_tenant, ca_pem);
  }
  tenant = *issuer_tenant;
  if (!crypto::VerifyCertificateChain(ca_pem, leaf, chain, koseki_.clock().Now(),
                                      crypto::CertificatePurpose::kTlsClient)) {
    return UnknownIssuer();
  }
  KOSEKI_ASSIGN_OR_RETURN(auto device, koseki_.directory().FindDevice(tenant, facts.serial_hex));
  if (!device || device->value.fingerprint_hex != facts.fingerprint_hex) return NotRegistered();
  if (device->value.revoked_at != 0) return Revoked();
  return web::Device{.tenant_code = tenant,
                     .zone = std::string(access::ZoneName(device->value.zone)),
                     .serial_hex = device->value.serial_hex,
                     .fingerprint_hex = device->value.fingerprint_hex,
                     .name = device->value.name};
}

void RegisteredDeviceGate::OnMissingCertificate(std::string_view peer_address) {
  Refuse({}, {}, peer_address, NoCertificate());
}

void RegisteredDeviceGate::Refuse(std::string_view tenant, std::string_view fingerprint,
                                  std::string_view peer_address, const Error& error) {
  audit::Event event;
  event.actor.device_id = audit::IsOpaqueId(fingerprint) ? std::string(fingerprint) : "";
  const std::string address = web::AddressOfPeer(peer_address);
  event.actor.address = audit::IsOpaqueId(address) ? address : "";
  event.action = std::string(audit::actions::kConnRefused);
  event.outcome = audit::OutcomeOf(error);
  event.error_id = error.id;
  // Best effort: the refusal stands whether or not it could be written.
  (void)koseki_.audit().Append(koseki_.LogFor(tenant), event);
}

}  // namespace koseki::app
