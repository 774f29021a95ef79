// PKI for the server's mutual TLS: certificate authorities (one per tenant for its devices, one
// per installation for the server), the client certificates of registered terminals, server
// certificates, PKCS#12 bundles that browsers import, and the chain check the server makes in
// every handshake. OpenSSL 3; profile and bundle format in docs/formats.md ("Certificates and
// device bundles").
//
// Keys are ECDSA P-256 and signatures ECDSA with SHA-256. Private keys leave this module only as
// unencrypted PKCS#8 PEM inside SecretBytes (locked, wiped on destruction); they never appear in
// an Error, and OpenSSL's copies are cleansed when freed. Serials are 16 random bytes with the
// top bits 01 (positive, always 32 hex digits, 126 random bits); fingerprints are SHA-256 of the
// DER certificate. Both are lowercase hex. Times are Unix microseconds, whole seconds.
//
// OpenSSL's X509 and STACK_OF(X509) appear only as forward-declared structs, so callers need no
// OpenSSL headers unless they hold such handles themselves (the TLS server does). All functions
// are thread-safe: they keep no state, and each call uses its own OpenSSL objects.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/aead.h"

// OpenSSL's X509 and STACK_OF(X509).
struct x509_st;
struct stack_st_X509;

namespace koseki::crypto {

// The longest validity accepted anywhere: 100 years. (Browsers cap leaf certificates far lower;
// callers choose the actual term.)
inline constexpr int kMaxCertificateDays = 36'525;

// A certificate authority: its certificate and its private key. Move-only because of the key.
struct CertificateAuthority {
  std::string cert_pem = {};
  SecretBytes key_pem = {};  // PKCS#8 PEM, unencrypted
};

// A certificate issued by a CA, with the new key that belongs to it.
struct IssuedCertificate {
  std::string cert_pem = {};
  SecretBytes key_pem = {};          // PKCS#8 PEM, unencrypted
  std::string serial_hex = {};       // 32 lowercase hex digits
  std::string fingerprint_hex = {};  // SHA-256 of the DER certificate, 64 lowercase hex digits
  std::int64_t not_before_us = 0;    // Unix microseconds
  std::int64_t not_after_us = 0;
};

// Creates a self-signed CA with a new P-256 key: basicConstraints critical CA:TRUE pathlen:0,
// keyUsage critical keyCertSign + cRLSign, subjectKeyIdentifier; subject O = organization,
// CN = common_name (UTF-8); valid from `not_before` for `days` days.
// InvalidArgument KSK-CRYPTO-033 for a name that is empty (CN), longer than 64 characters, not
// UTF-8 or holds control characters, or `days` outside 1..kMaxCertificateDays; Internal
// KSK-CRYPTO-031 if OpenSSL fails.
Result<CertificateAuthority> CreateCertificateAuthority(
    std::string_view common_name, std::string_view organization,
    std::chrono::system_clock::time_point not_before, int days);

// Issues a TLS client certificate for a terminal with a new P-256 key: subject
// OU = organizational_unit (its zone, e.g. "vendor"), CN = common_name; basicConstraints critical
// CA:FALSE, keyUsage critical digitalSignature, extendedKeyUsage clientAuth, subject and
// authority key ids; issuer and signature from `ca`. InvalidArgument KSK-CRYPTO-030 if the CA's
// PEM does not parse or its key does not match its certificate; KSK-CRYPTO-033 and -031 as for
// CreateCertificateAuthority.
Result<IssuedCertificate> IssueClientCertificate(const CertificateAuthority& ca,
                                                 std::string_view common_name,
                                                 std::string_view organizational_unit,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days);

// Issues a TLS server certificate for `host` with a new P-256 key: CN = host, extendedKeyUsage
// serverAuth, subjectAltName DNS:host — or IP:host when `host` is an IPv4 or IPv6 address
// literal; "localhost" also gets IP:127.0.0.1 and IP:::1. `host` must be an address literal or
// a DNS name of letters, digits, '-' and '.' (labels of 1–63, at most 64 in all, as the CN
// allows); anything else is InvalidArgument KSK-CRYPTO-033. Other errors as for
// IssueClientCertificate.
Result<IssuedCertificate> IssueServerCertificate(const CertificateAuthority& ca,
                                                 std::string_view host,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days);

// Returns a DER PKCS#12 bundle of the key, its certificate and the CA certificate (in that
// order of trust: the CA as an extra certificate), the key and certificate bags encrypted with
// PBES2 (PBKDF2 with HMAC-SHA-256, AES-256-CBC, 2048 iterations) and the whole MACed with
// HMAC-SHA-256 — OpenSSL 3's default, which Chromium (and so Playwright) imports; never the
// legacy RC2/3DES schemes. The key and certificate bags carry `friendly_name` (UTF-8) and a
// local key id. InvalidArgument KSK-CRYPTO-030 for a PEM that does not parse or a key that does
// not match the certificate; KSK-CRYPTO-033 for an empty password or one with a NUL byte;
// Internal KSK-CRYPTO-032 if OpenSSL cannot build the bundle.
Result<Bytes> ExportPkcs12(const IssuedCertificate& cert, std::string_view ca_cert_pem,
                           std::string_view friendly_name, const SecretBytes& password);

// Returns a new password for a bundle: 20 characters drawn uniformly (rejection sampling, from
// OpenSSL's private CSPRNG) from the 57 letters and digits without look-alikes (no 0 O 1 l I),
// about 116 bits. Internal KSK-CRYPTO-031 if the CSPRNG fails.
Result<SecretBytes> NewBundlePassword();

// What a server needs to know of a peer certificate. Names are UTF-8; an absent entry is "".
struct CertificateFacts {
  std::string serial_hex = {};       // magnitude, lowercase hex, no sign
  std::string fingerprint_hex = {};  // SHA-256 of the DER certificate
  std::string subject_cn = {};
  std::string subject_ou = {};
  std::string issuer_cn = {};
  std::int64_t not_before_us = 0;  // Unix microseconds
  std::int64_t not_after_us = 0;
};

// Returns the facts of `cert` (not owned; nothing is verified). InvalidArgument KSK-CRYPTO-030
// for a null certificate or one whose validity times do not parse.
Result<CertificateFacts> InspectCertificate(x509_st* cert);
// Parses one PEM certificate and returns its facts. InvalidArgument KSK-CRYPTO-030 if it does
// not parse.
Result<CertificateFacts> InspectCertificatePem(std::string_view pem);

enum class CertificatePurpose { kTlsClient, kTlsServer };

// Returns whether `leaf` (with the untrusted certificates `chain` the peer sent; may be null)
// chains to the CA certificate `ca_pem` alone, every certificate valid at `at`, for `purpose`
// (X509_verify_cert with X509_V_FLAG_X509_STRICT). Any failure, including a CA PEM that does not
// parse, is simply "no"; OpenSSL's error queue is left empty.
bool VerifyCertificateChain(std::string_view ca_pem, x509_st* leaf, stack_st_X509* chain,
                            std::chrono::system_clock::time_point at, CertificatePurpose purpose);

}  // namespace koseki::crypto
