#include "koseki/web/testing/test_devices.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <utility>

namespace koseki::web::testing {
namespace {

std::string AsString(const SecretBytes& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct StoreDeleter {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* ctx) const { X509_STORE_CTX_free(ctx); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<X509, X509Deleter> ParseCertificate(std::string_view pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return std::unique_ptr<X509, X509Deleter>(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

Result<TestCertificates> MakeTestCertificates() {
  const auto not_before = std::chrono::system_clock::now() - std::chrono::hours(24);
  constexpr int kDays = 365;
  TestCertificates out;
  KOSEKI_ASSIGN_OR_RETURN(out.server_ca,
                          crypto::CreateCertificateAuthority("koseki test server CA", "koseki test",
                                                             not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(
      out.server, crypto::IssueServerCertificate(out.server_ca, "localhost", not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(
      out.device_ca,
      crypto::CreateCertificateAuthority("koseki test device CA", "テスト市", not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(out.device, crypto::IssueClientCertificate(out.device_ca, "terminal-1",
                                                                     "city", not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(
      out.unregistered_device,
      crypto::IssueClientCertificate(out.device_ca, "terminal-2", "city", not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(
      out.foreign_ca,
      crypto::CreateCertificateAuthority("koseki test foreign CA", "よその市", not_before, kDays));
  KOSEKI_ASSIGN_OR_RETURN(
      out.foreign_device,
      crypto::IssueClientCertificate(out.foreign_ca, "terminal-1", "city", not_before, kDays));
  return out;
}

ServerOptions TestServerOptions(const TestCertificates& certificates) {
  ServerOptions options;
  options.listen_host = "127.0.0.1";
  options.port = 0;
  options.tls_certificate_chain_pem = certificates.server.cert_pem;
  options.tls_private_key_pem = SecretBytes::FromString(AsString(certificates.server.key_pem));
  options.io_threads = 2;
  options.request_threads = 4;
  // Tests that are about a limit set it small themselves; these only catch hangs, and leave
  // room for a loaded test machine.
  options.handshake_timeout = std::chrono::seconds(10);
  options.read_timeout = std::chrono::seconds(10);
  options.write_timeout = std::chrono::seconds(10);
  options.keep_alive_idle = std::chrono::seconds(10);
  options.shutdown_grace = std::chrono::seconds(10);
  return options;
}

ClientOptions TestClientOptions(const TestCertificates& certificates,
                                const crypto::IssuedCertificate* device, std::uint16_t port) {
  ClientOptions options;
  options.port = port;
  options.server_name = "localhost";
  options.trust_anchor_pem = certificates.server_ca.cert_pem;
  if (device != nullptr) {
    options.client_certificate_pem = device->cert_pem;
    options.client_private_key_pem = AsString(device->key_pem);
  }
  return options;
}

TestDeviceGate::TestDeviceGate(std::string device_ca_pem, std::set<std::string> registered_serials)
    : device_ca_pem_(std::move(device_ca_pem)),
      registered_serials_(std::move(registered_serials)) {}

Result<Device> TestDeviceGate::Admit(X509* leaf, STACK_OF(X509) * chain,
                                     std::string_view /*peer_address*/) {
  auto ca = ParseCertificate(device_ca_pem_);
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  if (!ca || !store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), leaf, chain) != 1) {
    return Refuse("verifier setup failed");
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    ERR_clear_error();
    return Refuse("chain does not verify");
  }
  Result<crypto::CertificateFacts> facts = crypto::InspectCertificate(leaf);
  if (!facts) return Refuse("certificate does not parse");
  if (!registered_serials_.contains(facts->serial_hex)) return Refuse("serial not registered");
  const std::lock_guard lock(mutex_);
  ++admitted_;
  changed_.notify_all();
  return Device{.tenant_code = std::string(kTestTenant),
                .zone = "city",
                .serial_hex = facts->serial_hex,
                .fingerprint_hex = facts->fingerprint_hex,
                .name = facts->subject_cn};
}

void TestDeviceGate::OnMissingCertificate(std::string_view /*peer_address*/) {
  const std::lock_guard lock(mutex_);
  ++missing_;
  changed_.notify_all();
}

Error TestDeviceGate::Refuse(std::string_view detail) {
  {
    const std::lock_guard lock(mutex_);
    ++refused_;
    changed_.notify_all();
  }
  return MakeError(ErrorCode::kUnauthenticated, "TEST-WEB-010", "端末が登録されていません。",
                   std::string(detail));
}

std::size_t TestDeviceGate::admitted() const {
  const std::lock_guard lock(mutex_);
  return admitted_;
}
std::size_t TestDeviceGate::refused() const {
  const std::lock_guard lock(mutex_);
  return refused_;
}
std::size_t TestDeviceGate::missing() const {
  const std::lock_guard lock(mutex_);
  return missing_;
}

bool TestDeviceGate::WaitForRefused(std::size_t count, std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [&] { return refused_ >= count; });
}

bool TestDeviceGate::WaitForMissing(std::size_t count, std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [&] { return missing_ >= count; });
}

}  // namespace koseki::web::testing
