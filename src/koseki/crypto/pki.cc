#include "koseki/crypto/pki.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <memory>

#include "koseki/base/clock.h"
#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/internal/openssl_handles.h"

namespace koseki::crypto {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
struct Pkcs12Free {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

constexpr int kSerialBytes = 16;
constexpr std::string_view kBundleAlphabet =
    "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

Error OpenSslFailed(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "KSK-CRYPTO-031", "証明書を作成できませんでした。",
                   internal::DrainOpenSslErrors(what));
}

Error BadPem(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-030",
                   "証明書または鍵の形式が正しくありません。", internal::DrainOpenSslErrors(what));
}

Result<X509Ptr> ParseCertificate(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return BadPem("certificate PEM");
  return cert;
}

Result<PkeyPtr> ParseKey(const SecretBytes& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) return BadPem("private key PEM");
  return key;
}

Result<PkeyPtr> NewKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFailed("EC key generation");
  return key;
}

Result<std::string> CertificatePem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return OpenSslFailed("write cert PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Result<SecretBytes> KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslFailed("write key PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return SecretBytes::FromBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)));
}

std::int64_t AsnTimeMicros(const ASN1_TIME* time) {
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&parts)) * 1'000'000;
}

bool AddName(X509_NAME* name, const char* field, std::string_view value) {
  return value.empty() ||
         X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

// A certificate for `key` with a random serial, the validity window and the subject; the
// issuer and signature come later.
Result<X509Ptr> NewCertificate(EVP_PKEY* key, std::chrono::system_clock::time_point not_before,
                               int days, std::string_view cn, std::string_view o,
                               std::string_view ou) {
  X509Ptr cert(X509_new());
  KOSEKI_ASSIGN_OR_RETURN(Bytes serial_bytes, RandomBytes(kSerialBytes));
  serial_bytes[0] &= 0x7f;  // positive
  serial_bytes[0] |= 0x40;  // and always 16 bytes long
  std::unique_ptr<BIGNUM, BnFree> serial(
      BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  std::time_t start = std::chrono::system_clock::to_time_t(not_before);
  X509_NAME* name = cert ? X509_get_subject_name(cert.get()) : nullptr;
  if (!cert || !serial || X509_set_version(cert.get(), 2) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &start) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &start) == nullptr ||
      X509_set_pubkey(cert.get(), key) != 1 || !AddName(name, "O", o) || !AddName(name, "OU", ou) ||
      !AddName(name, "CN", cn)) {
    return OpenSslFailed("certificate fields");
  }
  return cert;
}

Result<IssuedCertificate> Finish(X509* cert, EVP_PKEY* key) {
  IssuedCertificate issued;
  KOSEKI_ASSIGN_OR_RETURN(issued.cert_pem, CertificatePem(cert));
  KOSEKI_ASSIGN_OR_RETURN(issued.key_pem, KeyPem(key));
  KOSEKI_ASSIGN_OR_RETURN(CertificateFacts facts, InspectCertificate(cert));
  issued.serial_hex = facts.serial_hex;
  issued.fingerprint_hex = facts.fingerprint_hex;
  issued.not_before_us = facts.not_before_us;
  issued.not_after_us = facts.not_after_us;
  return issued;
}

Result<IssuedCertificate> IssueLeaf(const CertificateAuthority& ca, std::string_view cn,
                                    std::string_view ou,
                                    std::chrono::system_clock::time_point not_before, int days,
                                    const char* eku, const std::string& san) {
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr ca_cert, ParseCertificate(ca.cert_pem));
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr ca_key, ParseKey(ca.key_pem));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    return BadPem("CA key does not match its certificate");
  }
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(key.get(), not_before, days, cn, {}, ou));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, eku) ||
      !AddExtension(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always") ||
      (!san.empty() &&
       !AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, san.c_str())) ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return OpenSslFailed("leaf certificate");
  }
  return Finish(cert.get(), key.get());
}

std::string NameEntry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

bool IsAddressLiteral(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

Result<CertificateAuthority> CreateCertificateAuthority(
    std::string_view common_name, std::string_view organization,
    std::chrono::system_clock::time_point not_before, int days) {
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  KOSEKI_ASSIGN_OR_RETURN(
      X509Ptr cert, NewCertificate(key.get(), not_before, days, common_name, organization, {}));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return OpenSslFailed("CA certificate");
  }
  CertificateAuthority ca;
  KOSEKI_ASSIGN_OR_RETURN(ca.cert_pem, CertificatePem(cert.get()));
  KOSEKI_ASSIGN_OR_RETURN(ca.key_pem, KeyPem(key.get()));
  return ca;
}

Result<IssuedCertificate> IssueClientCertificate(const CertificateAuthority& ca,
                                                 std::string_view common_name,
                                                 std::string_view organizational_unit,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days) {
  return IssueLeaf(ca, common_name, organizational_unit, not_before, days, "clientAuth", {});
}

Result<IssuedCertificate> IssueServerCertificate(const CertificateAuthority& ca,
                                                 std::string_view host,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days) {
  const std::string name(host);
  std::string san = (IsAddressLiteral(name) ? "IP:" : "DNS:") + name;
  if (name == "localhost") san += ",IP:127.0.0.1,IP:::1";
  return IssueLeaf(ca, host, {}, not_before, days, "serverAuth", san);
}

Result<Bytes> ExportPkcs12(const IssuedCertificate& cert, std::string_view ca_cert_pem,
                           std::string_view friendly_name, const SecretBytes& password) {
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr leaf, ParseCertificate(cert.cert_pem));
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(cert.key_pem));
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr ca, ParseCertificate(ca_cert_pem));
  std::unique_ptr<STACK_OF(X509), StackFree> chain(sk_X509_new_null());
  if (!chain || sk_X509_push(chain.get(), ca.get()) == 0) return OpenSslFailed("bundle chain");
  ca.release();  // owned by the stack now
  const std::string pass(reinterpret_cast<const char*>(password.data()), password.size());
  const std::string name(friendly_name);
  // NID_aes_256_cbc for both key and certificates, PBKDF2 (the default KDF of PKCS#5 v2.0
  // schemes in OpenSSL 3), and a SHA-256 MAC.
  std::unique_ptr<PKCS12, Pkcs12Free> p12(PKCS12_create_ex(
      pass.c_str(), name.c_str(), key.get(), leaf.get(), chain.get(), NID_aes_256_cbc,
      NID_aes_256_cbc, PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER, 0, nullptr, nullptr));
  if (!p12 || PKCS12_set_mac(p12.get(), pass.c_str(), static_cast<int>(pass.size()), nullptr, 0,
                             PKCS12_DEFAULT_ITER, EVP_sha256()) != 1) {
    return MakeError(ErrorCode::kInternal, "KSK-CRYPTO-032",
                     "端末の証明書ファイル（PKCS#12）を作成できませんでした。",
                     internal::DrainOpenSslErrors("PKCS12_create"));
  }
  unsigned char* der = nullptr;
  const int size = i2d_PKCS12(p12.get(), &der);
  if (size <= 0) return OpenSslFailed("PKCS12 encoding");
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

Result<SecretBytes> NewBundlePassword() {
  constexpr std::size_t kLength = 20;
  std::string password;
  while (password.size() < kLength) {
    KOSEKI_ASSIGN_OR_RETURN(Bytes random, RandomBytes(32));
    for (std::uint8_t byte : random) {
      // Rejection sampling: only bytes below the largest multiple of the alphabet's size.
      const unsigned limit = 256 - 256 % kBundleAlphabet.size();
      if (byte < limit && password.size() < kLength) {
        password += kBundleAlphabet[byte % kBundleAlphabet.size()];
      }
    }
  }
  SecretBytes secret = SecretBytes::FromString(password);
  std::fill(password.begin(), password.end(), '\0');
  return secret;
}

Result<CertificateFacts> InspectCertificate(X509* cert) {
  if (cert == nullptr) return BadPem("no certificate");
  CertificateFacts facts;
  std::unique_ptr<BIGNUM, BnFree> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) return OpenSslFailed("serial");
  Bytes serial_bytes(static_cast<std::size_t>(BN_num_bytes(serial.get())));
  BN_bn2bin(serial.get(), serial_bytes.data());
  facts.serial_hex = internal::ToHex(serial_bytes);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &digest_size) != 1) return OpenSslFailed("digest");
  facts.fingerprint_hex = internal::ToHex(std::span<const std::uint8_t>(digest, digest_size));
  facts.subject_cn = NameEntry(X509_get_subject_name(cert), NID_commonName);
  facts.subject_ou = NameEntry(X509_get_subject_name(cert), NID_organizationalUnitName);
  facts.issuer_cn = NameEntry(X509_get_issuer_name(cert), NID_commonName);
  facts.not_before_us = AsnTimeMicros(X509_get0_notBefore(cert));
  facts.not_after_us = AsnTimeMicros(X509_get0_notAfter(cert));
  return facts;
}

Result<CertificateFacts> InspectCertificatePem(std::string_view pem) {
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificate(pem));
  return InspectCertificate(cert.get());
}

bool VerifyCertificateChain(std::string_view ca_pem, X509* leaf, STACK_OF(X509) * chain,
                            std::chrono::system_clock::time_point at, CertificatePurpose purpose) {
  auto ca = ParseCertificate(ca_pem);
  if (!ca || leaf == nullptr) return false;
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca->get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), leaf, chain) != 1) {
    internal::DrainOpenSslErrors("verify setup");
    return false;
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
  X509_STORE_CTX_set_purpose(ctx.get(), purpose == CertificatePurpose::kTlsClient
                                            ? X509_PURPOSE_SSL_CLIENT
                                            : X509_PURPOSE_SSL_SERVER);
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  internal::DrainOpenSslErrors("verify");
  return ok;
}

}  // namespace koseki::crypto
