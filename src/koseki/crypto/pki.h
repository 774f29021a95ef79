// PKI for the server's mutual TLS: certificate authorities (one per tenant for its devices, one
// per installation for the server), the client certificates of registered terminals, server
// certificates, PKCS#12 bundles that browsers import, and the chain check the server makes in
// every handshake. OpenSSL 3; profile and bundle format in docs/formats.md ("Certificates").
//
// Keys are ECDSA P-256 and signatures SHA-256. Private keys leave this module only as PEM in
// SecretBytes (wiped on destruction); they never appear in an Error. Serials are 128 random
// bits; fingerprints are SHA-256 of the DER certificate, lowercase hex. Thread-safe: no state.
#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/aead.h"

namespace koseki::crypto {

struct CertificateAuthority {
  std::string cert_pem = {};
  SecretBytes key_pem = {};  // PKCS#8 PEM
};

struct IssuedCertificate {
  std::string cert_pem = {};
  SecretBytes key_pem = {};  // PKCS#8 PEM
  std::string serial_hex = {};
  std::string fingerprint_hex = {};
  std::int64_t not_before_us = 0;  // Unix microseconds
  std::int64_t not_after_us = 0;
};

// Creates a self-signed CA (basicConstraints critical CA:TRUE pathlen:0, keyUsage critical
// keyCertSign + cRLSign, subject key id) named CN = common_name, O = organization (UTF-8),
// valid from `not_before` for `days`. Internal KSK-CRYPTO-031 if OpenSSL fails.
Result<CertificateAuthority> CreateCertificateAuthority(
    std::string_view common_name, std::string_view organization,
    std::chrono::system_clock::time_point not_before, int days);

// A TLS client certificate (extendedKeyUsage clientAuth) for a terminal: CN = common_name,
// OU = organizational_unit (its zone), signed by `ca`. InvalidArgument KSK-CRYPTO-030 if the
// CA's PEM does not parse or its key does not match its certificate.
Result<IssuedCertificate> IssueClientCertificate(const CertificateAuthority& ca,
                                                 std::string_view common_name,
                                                 std::string_view organizational_unit,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days);

// A TLS server certificate (extendedKeyUsage serverAuth) for `host`: subjectAltName DNS:host, or
// IP:host for an address literal; "localhost" also gets IP:127.0.0.1 and IP:::1.
Result<IssuedCertificate> IssueServerCertificate(const CertificateAuthority& ca,
                                                 std::string_view host,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days);

// A PKCS#12 bundle of the key, its certificate and the CA certificate, encrypted with
// AES-256-CBC under PBKDF2-SHA256 (2048 iterations) and MACed with SHA-256 — OpenSSL 3's
// default, which browsers and Playwright load (not the legacy RC2/3DES). Internal
// KSK-CRYPTO-032 if OpenSSL cannot build it.
Result<Bytes> ExportPkcs12(const IssuedCertificate& cert, std::string_view ca_cert_pem,
                           std::string_view friendly_name, const SecretBytes& password);

// Returns a new password for a bundle: 20 characters of an alphabet without look-alikes
// (no 0 O 1 l I), about 112 bits.
Result<SecretBytes> NewBundlePassword();

// What a server needs to know of a peer certificate.
struct CertificateFacts {
  std::string serial_hex = {};
  std::string fingerprint_hex = {};
  std::string subject_cn = {};
  std::string subject_ou = {};
  std::string issuer_cn = {};
  std::int64_t not_before_us = 0;
  std::int64_t not_after_us = 0;
};
Result<CertificateFacts> InspectCertificate(X509* cert);
Result<CertificateFacts> InspectCertificatePem(std::string_view pem);

enum class CertificatePurpose { kTlsClient, kTlsServer };
// Returns whether `leaf` (with the untrusted `chain` the peer sent, may be null) chains to the
// CA certificate `ca_pem` alone, valid at `at`, for `purpose`.
bool VerifyCertificateChain(std::string_view ca_pem, X509* leaf, STACK_OF(X509) * chain,
                            std::chrono::system_clock::time_point at, CertificatePurpose purpose);

}  // namespace koseki::crypto
