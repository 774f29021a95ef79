// The terminal at the other end of a connection, and the gate that admits it during the TLS
// handshake.
//
// koseki serves registered terminals only: every connection must present a client certificate,
// and the DeviceGate decides, inside the handshake, whether that certificate belongs to a
// registered, unrevoked device of some tenant. A refused terminal never gets to send HTTP. The
// transport (server.h) knows nothing of tenants, CAs or registrations; it hands the gate the
// certificate and records the Device the gate returns for every request on that connection.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::web {

// Who is at the other end, as established by the TLS handshake. Copied into each Request.
struct Device {
  std::string tenant_code;
  std::string zone;  // "city" or "vendor"
  std::string serial_hex;
  std::string fingerprint_hex;  // SHA-256 of the DER certificate, lowercase hex
  std::string name;             // the device's registered name (not a person's)
};

// Decides whether a client certificate is acceptable.
//
// Thread safety: both methods are called on the server's I/O threads, concurrently for
// different connections; an implementation must be thread-safe. They run inside the TLS
// handshake, so they should be quick (no network I/O). They must not throw (the server treats
// an exception as a refusal).
class DeviceGate {
 public:
  virtual ~DeviceGate() = default;

  // Admits the terminal presenting `leaf` or refuses it. `chain` is what the peer sent (it
  // includes the leaf, and is untrusted). The gate does the whole check itself: chain to the
  // right CA, registered, not revoked, within validity, and records refusals. Any error fails
  // the handshake: the client gets no HTTP at all. The pointers are borrowed for the call only.
  virtual Result<Device> Admit(X509* leaf, STACK_OF(X509) * chain,
                               std::string_view peer_address) = 0;

  // Reports a handshake refused because the client sent no certificate at all (the gate's
  // Admit is not called then), so that the refusal can be audited.
  virtual void OnMissingCertificate(std::string_view peer_address) = 0;
};

}  // namespace koseki::web
