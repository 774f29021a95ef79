// Registered terminals (R9) as administrative use cases: each tenant's device CA, enrolment of
// a device (a client certificate in a PKCS#12 bundle whose password is shown once), listing and
// revocation; and the server's own TLS certificate from the installation's server CA.
//
// Every use case takes the actor (an administrator: KSK-ADMIN-001) and records itself in the
// tenant's audit log (admin.device_*), refusals included. The CA keys exist only inside sealed
// records (access/directory.h for a tenant's, an installation sealed secret for the server CA).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/device.h"
#include "koseki/access/zone.h"
#include "koseki/app/koseki.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/pki.h"

namespace koseki::app {

// The subject common name of a tenant's device CA; the server finds a device's tenant by it.
std::string DeviceCaCommonName(std::string_view tenant);
// Returns the tenant code named by a device CA's common name, or nullopt.
std::optional<std::string> TenantOfDeviceCa(std::string_view common_name);

// Creates the tenant's device CA if it has none: at `tenant add` (already authorized there) and
// at open for tenants from before devices existed (the program's own act, whoever opened it).
// Not a use case of its own, so no role check; recorded as admin.device_ca.
Result<void> EnsureDeviceCa(Koseki& koseki, const access::Actor& actor, std::string_view tenant);

struct DeviceEnrolment {
  std::string tenant = {};
  access::Zone zone = access::Zone::kCity;
  std::string name = {};
  int days = 365;  // validity of the certificate
};
struct EnrolledDevice {
  access::DeviceRecord device = {};
  crypto::Bytes pkcs12 = {};
  SecretBytes password = {};                   // shown once; never stored
  crypto::IssuedCertificate certificate = {};  // the same certificate and key in PEM (tests, tools)
};
// Issues a client certificate and records the device. AlreadyExists KSK-DEVICE-003 if a device
// of that name is registered and not revoked; InvalidArgument KSK-DEVICE-004 for a validity
// outside 1–825 days.
Result<EnrolledDevice> EnrollDevice(Koseki& koseki, const access::Actor& actor,
                                    const DeviceEnrolment& request);
Result<std::vector<access::DeviceRecord>> ListDevices(Koseki& koseki, const access::Actor& actor,
                                                      std::string_view tenant);
// Revokes the registered (not revoked) device of that name; NotFound KSK-DEVICE-005 if none.
Result<access::DeviceRecord> RevokeDevice(Koseki& koseki, const access::Actor& actor,
                                          std::string_view tenant, std::string_view name);

// Issues the server's TLS certificate for `host` from the installation's server CA (created on
// first use); recorded in the system log as admin.server_cert.
struct ServerCertificate {
  std::string cert_chain_pem = {};  // the server certificate followed by the CA's
  SecretBytes key_pem = {};
  std::string ca_cert_pem = {};
};
Result<ServerCertificate> IssueServerCertificate(Koseki& koseki, const access::Actor& actor,
                                                 std::string_view host, int days = 397);

}  // namespace koseki::app
