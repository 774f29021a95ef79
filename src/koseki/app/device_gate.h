// RegisteredDeviceGate: the server's answer, inside each TLS handshake, to "is this a
// registered terminal?" (R9). The client certificate must chain to the device CA of the tenant
// its issuer names, be registered in that tenant's directory with the same fingerprint, not be
// revoked, and be within its validity, at the server's clock. The tenant comes from the
// certificate alone, so a device of one municipality can never act in another.
//
// Every refusal is recorded (conn.refused: the certificate's fingerprint, the peer address and
// the reason) in the tenant's log when the tenant is known, else in the system log. Device CAs
// never change once created, so they are kept after the first use; registrations are read
// from the store on every handshake (a revocation takes effect at once). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "koseki/app/koseki.h"
#include "koseki/web/device_gate.h"

namespace koseki::app {

class RegisteredDeviceGate final : public web::DeviceGate {
 public:
  explicit RegisteredDeviceGate(Koseki& koseki) : koseki_(koseki) {}

  Result<web::Device> Admit(X509* leaf, STACK_OF(X509) * chain,
                            std::string_view peer_address) override;
  void OnMissingCertificate(std::string_view peer_address) override;

 private:
  Result<web::Device> Check(X509* leaf, STACK_OF(X509) * chain, std::string& tenant,
                            std::string& fingerprint);
  void Refuse(std::string_view tenant, std::string_view fingerprint, std::string_view peer_address,
              const Error& error);

  Koseki& koseki_;
  std::mutex mutex_;  // guards ca_pems_
  std::map<std::string, std::string, std::less<>> ca_pems_;
};

}  // namespace koseki::app
