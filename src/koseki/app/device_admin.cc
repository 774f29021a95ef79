#include "koseki/app/device_admin.h"

#include <chrono>
#include <utility>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

constexpr std::string_view kDeviceCaPrefix = "koseki device CA ";
constexpr int kDeviceCaDays = 20 * 365;
constexpr int kServerCaDays = 20 * 365;
constexpr int kMaxDeviceDays = 825;  // the longest validity browsers accept for a leaf

constexpr std::string_view kServerCaKeyValue = "server_ca_key";
constexpr std::string_view kServerCaCertValue = "server_ca_cert";

namespace actions = audit::actions;

std::string AsString(const SecretBytes& secret) {
  return {reinterpret_cast<const char*>(secret.data()), secret.size()};
}

Result<crypto::CertificateAuthority> TenantCa(Koseki& koseki, std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<access::DeviceCaRecord> record,
                          koseki.directory().FindDeviceCa(tenant));
  if (!record) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-DEVICE-006",
                     "この自治体の端末認証局がありません。", "tenant has no device CA");
  }
  return crypto::CertificateAuthority{.cert_pem = record->cert_pem,
                                      .key_pem = SecretBytes::FromString(record->key_pem)};
}

// The tenant's registered device of that name (not revoked), if any.
Result<std::optional<access::Versioned<access::DeviceRecord>>> ActiveDeviceNamed(
    Koseki& koseki, std::string_view tenant, std::string_view name) {
  KOSEKI_ASSIGN_OR_RETURN(auto devices, koseki.directory().ListDevices(tenant));
  for (auto& device : devices) {
    if (device.value.name == name && device.value.revoked_at == 0) {
      return std::optional<access::Versioned<access::DeviceRecord>>(std::move(device));
    }
  }
  return std::optional<access::Versioned<access::DeviceRecord>>();
}

audit::Event TenantEvent(const access::Actor& actor, std::string_view action,
                         std::string_view object = {}) {
  return workflow::EventOf(actor, action, audit::IsOpaqueId(object) ? object : "");
}

}  // namespace

std::string DeviceCaCommonName(std::string_view tenant) {
  return std::string(kDeviceCaPrefix) + std::string(tenant);
}

std::optional<std::string> TenantOfDeviceCa(std::string_view common_name) {
  if (!common_name.starts_with(kDeviceCaPrefix)) return std::nullopt;
  std::string tenant(common_name.substr(kDeviceCaPrefix.size()));
  if (tenant.empty()) return std::nullopt;
  return tenant;
}

Result<void> EnsureDeviceCa(Koseki& koseki, const access::Actor& actor, std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<access::DeviceCaRecord> existing,
                          koseki.directory().FindDeviceCa(tenant));
  if (existing) return Ok();
  KOSEKI_ASSIGN_OR_RETURN(store::TenantRow row, koseki.Tenant(tenant));
  const auto create = [&](audit::Event&) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(
        crypto::CertificateAuthority ca,
        crypto::CreateCertificateAuthority(DeviceCaCommonName(tenant), row.name,
                                           koseki.clock().Now(), kDeviceCaDays));
    return koseki.directory().PutDeviceCa(
        tenant, access::DeviceCaRecord{.cert_pem = ca.cert_pem,
                                       .key_pem = AsString(ca.key_pem),
                                       .created_at = UnixMicros(koseki.clock().Now())});
  };
  KOSEKI_RETURN_IF_ERROR(
      koseki.audit().Record(tenant, TenantEvent(actor, actions::kDeviceCa, tenant), create));
  return Ok();
}

Result<EnrolledDevice> EnrollDevice(Koseki& koseki, const access::Actor& actor,
                                    const DeviceEnrolment& request) {
  const std::string log = koseki.LogFor(request.tenant);
  return workflow::Recorded<EnrolledDevice>(
      koseki.audit(), log, TenantEvent(actor, actions::kDeviceEnroll),
      [&](audit::Event& event) -> Result<EnrolledDevice> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_ASSIGN_OR_RETURN(store::TenantRow tenant, koseki.Tenant(request.tenant));
        KOSEKI_RETURN_IF_ERROR(access::ValidateDeviceName(request.name));
        if (request.days < 1 || request.days > kMaxDeviceDays) {
          return MakeError(ErrorCode::kInvalidArgument, "KSK-DEVICE-004",
                           "証明書の有効日数は 1〜825 日で指定してください。",
                           "device validity out of range");
        }
        KOSEKI_ASSIGN_OR_RETURN(auto same_name,
                                ActiveDeviceNamed(koseki, request.tenant, request.name));
        if (same_name) {
          return MakeError(ErrorCode::kAlreadyExists, "KSK-DEVICE-003",
                           "同じ名前の端末が既に登録されています。", "device name taken");
        }
        KOSEKI_ASSIGN_OR_RETURN(crypto::CertificateAuthority ca, TenantCa(koseki, request.tenant));
        KOSEKI_ASSIGN_OR_RETURN(
            crypto::IssuedCertificate cert,
            crypto::IssueClientCertificate(ca, request.name, access::ZoneName(request.zone),
                                           koseki.clock().Now(), request.days));
        KOSEKI_ASSIGN_OR_RETURN(SecretBytes password, crypto::NewBundlePassword());
        KOSEKI_ASSIGN_OR_RETURN(
            crypto::Bytes bundle,
            crypto::ExportPkcs12(cert, ca.cert_pem, tenant.name + " " + request.name, password));
        access::DeviceRecord device{.serial_hex = cert.serial_hex,
                                    .fingerprint_hex = cert.fingerprint_hex,
                                    .name = request.name,
                                    .zone = request.zone,
                                    .not_before = cert.not_before_us,
                                    .not_after = cert.not_after_us,
                                    .enrolled_at = UnixMicros(koseki.clock().Now()),
                                    .enrolled_by = actor.user_id};
        KOSEKI_RETURN_IF_ERROR(koseki.directory().PutDevice(request.tenant, {device, 0}));
        event.object_id = device.serial_hex;
        return EnrolledDevice{std::move(device), std::move(bundle), std::move(password),
                              std::move(cert)};
      });
}

Result<std::vector<access::DeviceRecord>> ListDevices(Koseki& koseki, const access::Actor& actor,
                                                      std::string_view tenant) {
  return workflow::Recorded<std::vector<access::DeviceRecord>>(
      koseki.audit(), koseki.LogFor(tenant), TenantEvent(actor, actions::kDeviceList),
      [&](audit::Event&) -> Result<std::vector<access::DeviceRecord>> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
        KOSEKI_ASSIGN_OR_RETURN(auto devices, koseki.directory().ListDevices(tenant));
        std::vector<access::DeviceRecord> out;
        for (auto& device : devices) out.push_back(std::move(device.value));
        return out;
      });
}

Result<access::DeviceRecord> RevokeDevice(Koseki& koseki, const access::Actor& actor,
                                          std::string_view tenant, std::string_view name) {
  return workflow::Recorded<access::DeviceRecord>(
      koseki.audit(), koseki.LogFor(tenant), TenantEvent(actor, actions::kDeviceRevoke),
      [&](audit::Event& event) -> Result<access::DeviceRecord> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
        KOSEKI_ASSIGN_OR_RETURN(auto device, ActiveDeviceNamed(koseki, tenant, name));
        if (!device) {
          return MakeError(ErrorCode::kNotFound, "KSK-DEVICE-005",
                           "その名前の登録済み端末はありません。", "no active device of that name");
        }
        device->value.revoked_at = UnixMicros(koseki.clock().Now());
        device->value.revoked_by = actor.user_id;
        KOSEKI_RETURN_IF_ERROR(koseki.directory().PutDevice(tenant, *device));
        event.object_id = device->value.serial_hex;
        return device->value;
      });
}

Result<ServerCertificate> IssueServerCertificate(Koseki& koseki, const access::Actor& actor,
                                                 std::string_view host, int days) {
  return workflow::Recorded<ServerCertificate>(
      koseki.audit(), audit::kSystemTenant, TenantEvent(actor, actions::kServerCert, host),
      [&](audit::Event&) -> Result<ServerCertificate> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        store::Installation& installation = koseki.installation();
        KOSEKI_ASSIGN_OR_RETURN(std::optional<SecretBytes> key,
                                installation.LoadSealedSecret(kServerCaKeyValue));
        KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> cert,
                                installation.backend().GetInstallationValue(kServerCaCertValue));
        crypto::CertificateAuthority ca;
        if (key && cert) {
          ca = crypto::CertificateAuthority{.cert_pem = *cert, .key_pem = std::move(*key)};
        } else {
          KOSEKI_ASSIGN_OR_RETURN(
              ca, crypto::CreateCertificateAuthority(
                      "koseki server CA " + installation.master_key_id().substr(0, 16), "koseki",
                      koseki.clock().Now(), kServerCaDays));
          KOSEKI_RETURN_IF_ERROR(installation.StoreSealedSecret(kServerCaKeyValue, ca.key_pem));
          KOSEKI_RETURN_IF_ERROR(
              installation.backend().InsertInstallationValue(kServerCaCertValue, ca.cert_pem));
        }
        KOSEKI_ASSIGN_OR_RETURN(
            crypto::IssuedCertificate issued,
            crypto::IssueServerCertificate(ca, host, koseki.clock().Now(), days));
        return ServerCertificate{.cert_chain_pem = issued.cert_pem + ca.cert_pem,
                                 .key_pem = std::move(issued.key_pem),
                                 .ca_cert_pem = ca.cert_pem};
      });
}

}  // namespace koseki::app
