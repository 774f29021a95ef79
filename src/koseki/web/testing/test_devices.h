// Certificates, a DeviceGate and server settings for tests and benchmarks of the HTTPS server.
//
// MakeTestCertificates issues, with crypto/pki.h, a server CA and a "localhost" server
// certificate, a device CA with one registered and one unregistered terminal, and a second,
// foreign CA with a terminal of its own. TestDeviceGate admits a certificate when it chains
// to the device CA (X509_verify_cert) and its serial is registered; it counts refusals and
// missing certificates so that tests can wait for them. Fictional data only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/crypto/pki.h"
#include "koseki/web/device_gate.h"
#include "koseki/web/server.h"
#include "koseki/web/testing/https_client.h"

namespace koseki::web::testing {

inline constexpr std::string_view kTestTenant = "131016";

struct TestCertificates {
  crypto::CertificateAuthority server_ca;
  crypto::IssuedCertificate server;  // for "localhost"
  crypto::CertificateAuthority device_ca;
  crypto::IssuedCertificate device;               // registered
  crypto::IssuedCertificate unregistered_device;  // right CA, serial not registered
  crypto::CertificateAuthority foreign_ca;
  crypto::IssuedCertificate foreign_device;  // another CA altogether
};

// Issues the certificates above, valid from a day ago for a year.
Result<TestCertificates> MakeTestCertificates();

// Returns server options for a loopback test server on an ephemeral port with `certificates`'
// server certificate, two I/O threads, four request threads and 10 s timeouts.
ServerOptions TestServerOptions(const TestCertificates& certificates);

// Returns client options for `port` trusting the test server CA and presenting `device`
// (nullptr: no client certificate).
ClientOptions TestClientOptions(const TestCertificates& certificates,
                                const crypto::IssuedCertificate* device, std::uint16_t port);

// Thread-safe.
class TestDeviceGate final : public DeviceGate {
 public:
  // Admits certificates issued by `device_ca_pem` whose serial is in `registered_serials`.
  TestDeviceGate(std::string device_ca_pem, std::set<std::string> registered_serials);

  Result<Device> Admit(X509* leaf, STACK_OF(X509) * chain, std::string_view peer_address) override;
  void OnMissingCertificate(std::string_view peer_address) override;

  std::size_t admitted() const;
  std::size_t refused() const;
  std::size_t missing() const;
  // Waits up to `limit` until refused() reaches `count`; returns whether it did.
  bool WaitForRefused(std::size_t count, std::chrono::milliseconds limit) const;
  // Waits up to `limit` until missing() reaches `count`; returns whether it did.
  bool WaitForMissing(std::size_t count, std::chrono::milliseconds limit) const;

 private:
  Error Refuse(std::string_view detail);

  const std::string device_ca_pem_;
  const std::set<std::string> registered_serials_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::size_t admitted_ = 0;
  std::size_t refused_ = 0;
  std::size_t missing_ = 0;
};

}  // namespace koseki::web::testing
