#include "koseki/crypto/pki.h"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "koseki/base/hex.h"
#include "koseki/crypto/internal/openssl_handles.h"
#include "koseki/crypto/internal/x509_handles.h"

namespace koseki::crypto {
namespace {

using internal::BignumPtr;
using internal::BioPtr;
using internal::GeneralNamesPtr;
using internal::Pkcs12Ptr;
using internal::PkeyPtr;
using internal::X509Ptr;
using internal::X509StackPtr;
using internal::X509StoreCtxPtr;
using internal::X509StorePtr;

constexpr std::size_t kSerialBytes = 16;
// RFC 5280's upper bound for CN, O and OU (ub-common-name and friends), in characters.
constexpr std::size_t kMaxNameCharacters = 64;
constexpr std::size_t kBundlePasswordLength = 20;
// Letters and digits without the look-alikes 0 O 1 l I: 57 characters, log2(57) * 20 ≈ 116.7
// bits for a password.
constexpr std::string_view kBundleAlphabet =
    "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

Error CertificateLibraryError(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "KSK-CRYPTO-031", "証明書を作成できませんでした。",
                   internal::DrainOpenSslErrors(what));
}

Error BadCertificateOrKey(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-030",
                   "証明書または鍵の形式が正しくありません。", internal::DrainOpenSslErrors(what));
}

Error BundleLibraryError(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "KSK-CRYPTO-032",
                   "端末の証明書ファイル（PKCS#12）を作成できませんでした。",
                   internal::DrainOpenSslErrors(what));
}

// `detail` names the field and the rule, never its value: a name may be a person's device
// label, and a password is a secret.
Error BadRequest(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-033",
                   "証明書の作成に指定された値が正しくありません。", std::move(detail));
}

// Returns the number of code points in `text` if it is well-formed UTF-8 (no overlong forms,
// surrogates or values above U+10FFFF) without C0/C1 control characters or DEL; nullopt
// otherwise. Control characters in a subject name would show up in every log and dialog that
// prints it.
std::optional<std::size_t> CountPrintableCodePoints(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code_point = lead & 0x1fU;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code_point = lead & 0x0fU;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code_point = lead & 0x07U;
    } else {
      return std::nullopt;
    }
    if (text.size() - i < length) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0U) != 0x80U) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3fU);
    }
    const bool overlong =
        (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
    const bool control = code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f);
    if (overlong || surrogate || code_point > 0x10ffff || control) return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

Result<void> CheckName(std::string_view field, std::string_view value, bool required) {
  const std::optional<std::size_t> characters = CountPrintableCodePoints(value);
  if (!characters) {
    return BadRequest(std::string(field) + " is not UTF-8 or holds control characters");
  }
  if (required && *characters == 0) return BadRequest(std::string(field) + " is empty");
  if (*characters > kMaxNameCharacters) {
    return BadRequest(std::string(field) + " is longer than 64 characters");
  }
  return Ok();
}

Result<void> CheckDays(int days) {
  if (days < 1 || days > kMaxCertificateDays) {
    return BadRequest("validity of " + std::to_string(days) + " days is outside 1.." +
                      std::to_string(kMaxCertificateDays));
  }
  return Ok();
}

// Returns the 4 or 16 bytes of an IPv4 or IPv6 address literal; nullopt for anything else.
std::optional<std::vector<std::uint8_t>> ParseAddressLiteral(std::string_view host) {
  const std::string text(host);
  std::array<std::uint8_t, 16> buffer{};
  if (inet_pton(AF_INET, text.c_str(), buffer.data()) == 1) {
    return std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + 4);
  }
  if (inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1) {
    return std::vector<std::uint8_t>(buffer.begin(), buffer.end());
  }
  return std::nullopt;
}

// Returns whether `host` is a DNS name of LDH labels (RFC 1123), each 1–63 characters and not
// starting or ending with '-'.
bool IsDnsName(std::string_view host) {
  if (host.empty()) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      const std::string_view label = host.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
      }
      label_start = i + 1;
      continue;
    }
    const char c = host[i];
    const bool ldh =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ldh) return false;
  }
  return true;
}

// Refuses an encrypted PEM key instead of letting OpenSSL's default callback prompt on the
// terminal: koseki never stores a key PEM under a passphrase (the store seals it instead).
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

Result<X509Ptr> ParseCertificate(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!cert) return BadCertificateOrKey("certificate PEM does not parse");
  return cert;
}

Result<PkeyPtr> ParseKey(const SecretBytes& pem) {
  // A read-only memory BIO points at the locked buffer; it makes no copy of the key text.
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!key) return BadCertificateOrKey("private key PEM does not parse");
  return key;
}

Result<PkeyPtr> NewKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return CertificateLibraryError("EVP_EC_gen P-256");
  return key;
}

Result<std::string> CertificatePem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return CertificateLibraryError("PEM_write_bio_X509");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  return std::string(data, static_cast<std::size_t>(size));
}

Result<SecretBytes> KeyPem(EVP_PKEY* key) {
  // BIO_s_secmem keeps the PEM text in OpenSSL's secure heap (when configured) and cleanses it
  // when freed; the copy we return lives in SecretBytes.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return CertificateLibraryError("PEM_write_bio_PrivateKey");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  return SecretBytes::FromBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)));
}

// Returns `time` as Unix microseconds, without the process's time zone (no timegm, no TZ).
std::optional<std::int64_t> UnixMicros(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year(parts.tm_year + 1900),
      std::chrono::month(static_cast<unsigned>(parts.tm_mon + 1)),
      std::chrono::day(static_cast<unsigned>(parts.tm_mday))};
  const std::chrono::sys_seconds seconds =
      std::chrono::sys_days(date) + std::chrono::hours(parts.tm_hour) +
      std::chrono::minutes(parts.tm_min) + std::chrono::seconds(parts.tm_sec);
  return std::chrono::duration_cast<std::chrono::microseconds>(seconds.time_since_epoch()).count();
}

bool AddNameEntry(X509_NAME* name, const char* field, std::string_view value) {
  return value.empty() ||
         X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

// Adds an extension from OpenSSL's configuration syntax; only for the fixed values written in
// this file, never for caller input (a comma in it would add entries).
bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  internal::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

// Appends a GENERAL_NAME of `type` holding `value` (taking ownership of it) to `names`.
bool PushGeneralName(GENERAL_NAMES* names, int type, ASN1_STRING* value) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  if (name == nullptr) {
    ASN1_STRING_free(value);
    return false;
  }
  GENERAL_NAME_set0_value(name, type, value);
  if (sk_GENERAL_NAME_push(names, name) == 0) {
    GENERAL_NAME_free(name);
    return false;
  }
  return true;
}

bool PushDnsName(GENERAL_NAMES* names, std::string_view dns) {
  ASN1_IA5STRING* value = ASN1_IA5STRING_new();
  if (value == nullptr || ASN1_STRING_set(value, dns.data(), static_cast<int>(dns.size())) != 1) {
    ASN1_IA5STRING_free(value);
    return false;
  }
  return PushGeneralName(names, GEN_DNS, value);
}

bool PushIpAddress(GENERAL_NAMES* names, std::span<const std::uint8_t> address) {
  ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
  if (value == nullptr ||
      ASN1_OCTET_STRING_set(value, address.data(), static_cast<int>(address.size())) != 1) {
    ASN1_OCTET_STRING_free(value);
    return false;
  }
  return PushGeneralName(names, GEN_IPADD, value);
}

// Builds the subjectAltName of a server certificate from GENERAL_NAMEs directly, so that the
// host never passes through OpenSSL's configuration parser.
bool AddSubjectAltName(X509* cert, std::string_view host,
                       const std::optional<std::vector<std::uint8_t>>& address) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return false;
  if (address) {
    if (!PushIpAddress(names.get(), *address)) return false;
  } else {
    if (!PushDnsName(names.get(), host)) return false;
    if (host == "localhost") {
      static constexpr std::array<std::uint8_t, 4> kLoopback4 = {127, 0, 0, 1};
      static constexpr std::array<std::uint8_t, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                                  0, 0, 0, 0, 0, 0, 0, 1};
      if (!PushIpAddress(names.get(), kLoopback4) || !PushIpAddress(names.get(), kLoopback6)) {
        return false;
      }
    }
  }
  return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

// Returns an unsigned certificate for `key`: version 3, a random serial, the validity window
// and the subject (O, OU, CN in that order, empty ones left out). Issuer, extensions and the
// signature come from the caller.
Result<X509Ptr> NewCertificate(EVP_PKEY* key, std::chrono::system_clock::time_point not_before,
                               int days, std::string_view cn, std::string_view o,
                               std::string_view ou) {
  std::array<std::uint8_t, kSerialBytes> serial_bytes{};
  if (RAND_bytes(serial_bytes.data(), static_cast<int>(serial_bytes.size())) != 1) {
    return CertificateLibraryError("RAND_bytes");
  }
  // Top bits 01: the DER integer is positive (RFC 5280 4.1.2.2) and never shorter, so every
  // serial koseki issues has exactly 32 hex digits.
  serial_bytes[0] = static_cast<std::uint8_t>((serial_bytes[0] & 0x3fU) | 0x40U);
  BignumPtr serial(BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  X509Ptr cert(X509_new());
  std::time_t start = std::chrono::system_clock::to_time_t(not_before);
  X509_NAME* name = cert ? X509_get_subject_name(cert.get()) : nullptr;
  if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &start) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &start) == nullptr ||
      X509_set_pubkey(cert.get(), key) != 1 || !AddNameEntry(name, "O", o) ||
      !AddNameEntry(name, "OU", ou) || !AddNameEntry(name, "CN", cn)) {
    return CertificateLibraryError("certificate fields");
  }
  return cert;
}

Result<IssuedCertificate> Describe(X509* cert, EVP_PKEY* key) {
  IssuedCertificate issued;
  KOSEKI_ASSIGN_OR_RETURN(issued.cert_pem, CertificatePem(cert));
  KOSEKI_ASSIGN_OR_RETURN(issued.key_pem, KeyPem(key));
  KOSEKI_ASSIGN_OR_RETURN(CertificateFacts facts, InspectCertificate(cert));
  issued.serial_hex = std::move(facts.serial_hex);
  issued.fingerprint_hex = std::move(facts.fingerprint_hex);
  issued.not_before_us = facts.not_before_us;
  issued.not_after_us = facts.not_after_us;
  return issued;
}

struct LeafProfile {
  std::string_view cn;
  std::string_view ou;
  const char* extended_key_usage;
  // For a server certificate: the host and, for an address literal, its bytes.
  std::optional<std::string_view> host;
  std::optional<std::vector<std::uint8_t>> address;
};

Result<IssuedCertificate> IssueLeaf(const CertificateAuthority& ca, const LeafProfile& profile,
                                    std::chrono::system_clock::time_point not_before, int days) {
  KOSEKI_RETURN_IF_ERROR(CheckName("CN", profile.cn, /*required=*/true));
  KOSEKI_RETURN_IF_ERROR(CheckName("OU", profile.ou, /*required=*/false));
  KOSEKI_RETURN_IF_ERROR(CheckDays(days));
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr ca_cert, ParseCertificate(ca.cert_pem));
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr ca_key, ParseKey(ca.key_pem));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    return BadCertificateOrKey("CA key does not match the CA certificate");
  }
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr cert,
                          NewCertificate(key.get(), not_before, days, profile.cn, {}, profile.ou));
  X509* issuer = ca_cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1 ||
      !AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), issuer, NID_ext_key_usage, profile.extended_key_usage) ||
      !AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always") ||
      (profile.host && !AddSubjectAltName(cert.get(), *profile.host, profile.address)) ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return CertificateLibraryError("leaf certificate");
  }
  return Describe(cert.get(), key.get());
}

std::string NameEntry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0) {
    ERR_clear_error();
    return {};
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

Result<CertificateAuthority> CreateCertificateAuthority(
    std::string_view common_name, std::string_view organization,
    std::chrono::system_clock::time_point not_before, int days) {
  KOSEKI_RETURN_IF_ERROR(CheckName("CN", common_name, /*required=*/true));
  KOSEKI_RETURN_IF_ERROR(CheckName("O", organization, /*required=*/false));
  KOSEKI_RETURN_IF_ERROR(CheckDays(days));
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  KOSEKI_ASSIGN_OR_RETURN(
      X509Ptr cert, NewCertificate(key.get(), not_before, days, common_name, organization, {}));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return CertificateLibraryError("CA certificate");
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
  const LeafProfile profile{.cn = common_name,
                            .ou = organizational_unit,
                            .extended_key_usage = "clientAuth",
                            .host = std::nullopt,
                            .address = std::nullopt};
  return IssueLeaf(ca, profile, not_before, days);
}

Result<IssuedCertificate> IssueServerCertificate(const CertificateAuthority& ca,
                                                 std::string_view host,
                                                 std::chrono::system_clock::time_point not_before,
                                                 int days) {
  std::optional<std::vector<std::uint8_t>> address = ParseAddressLiteral(host);
  if (!address && !IsDnsName(host)) {
    return BadRequest("host is neither an IP address literal nor a DNS name");
  }
  const LeafProfile profile{.cn = host,
                            .ou = {},
                            .extended_key_usage = "serverAuth",
                            .host = host,
                            .address = std::move(address)};
  return IssueLeaf(ca, profile, not_before, days);
}

Result<Bytes> ExportPkcs12(const IssuedCertificate& cert, std::string_view ca_cert_pem,
                           std::string_view friendly_name, const SecretBytes& password) {
  const auto password_bytes = password.span();
  if (password_bytes.empty() ||
      std::find(password_bytes.begin(), password_bytes.end(), 0) != password_bytes.end()) {
    return BadRequest("bundle password is empty or holds a NUL byte");
  }
  KOSEKI_RETURN_IF_ERROR(CheckName("friendly name", friendly_name, /*required=*/false));
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr leaf, ParseCertificate(cert.cert_pem));
  KOSEKI_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(cert.key_pem));
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr ca, ParseCertificate(ca_cert_pem));
  if (X509_check_private_key(leaf.get(), key.get()) != 1) {
    return BadCertificateOrKey("key does not match the certificate");
  }
  X509StackPtr chain(sk_X509_new_null());
  if (!chain || sk_X509_push(chain.get(), ca.get()) == 0) {
    return BundleLibraryError("sk_X509_push");
  }
  static_cast<void>(ca.release());  // The stack owns the CA certificate now.

  // OpenSSL wants a C string; this copy is locked and wiped like the password itself.
  SecretBytes pass(password.size() + 1);
  std::copy(password_bytes.begin(), password_bytes.end(), pass.data());
  const char* pass_text = reinterpret_cast<const char*>(pass.data());
  const std::string name(friendly_name);
  // AES-256-CBC selects PBES2 for both the shrouded key bag and the certificate bags; OpenSSL 3
  // pairs it with PBKDF2 and HMAC-SHA-256. The MAC (iteration -1: none yet) is set right after,
  // with its digest named rather than left to the library's default.
  Pkcs12Ptr p12(PKCS12_create_ex(pass_text, name.empty() ? nullptr : name.c_str(), key.get(),
                                 leaf.get(), chain.get(), NID_aes_256_cbc, NID_aes_256_cbc,
                                 PKCS12_DEFAULT_ITER, -1, 0, nullptr, nullptr));
  if (!p12) return BundleLibraryError("PKCS12_create_ex");
  if (PKCS12_set_mac(p12.get(), pass_text, -1, nullptr, 0, PKCS12_DEFAULT_ITER, EVP_sha256()) !=
      1) {
    return BundleLibraryError("PKCS12_set_mac");
  }
  unsigned char* der = nullptr;
  const int size = i2d_PKCS12(p12.get(), &der);
  if (size <= 0) return BundleLibraryError("i2d_PKCS12");
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

Result<SecretBytes> NewBundlePassword() {
  // Rejection sampling keeps every character equally likely: bytes at or above the largest
  // multiple of the alphabet's size are dropped.
  constexpr unsigned kLimit = 256 - 256 % kBundleAlphabet.size();
  SecretBytes password(kBundlePasswordLength);
  SecretBytes random(64);
  std::size_t filled = 0;
  while (filled < password.size()) {
    if (RAND_priv_bytes(random.data(), static_cast<int>(random.size())) != 1) {
      return CertificateLibraryError("RAND_priv_bytes");
    }
    for (std::uint8_t byte : random.span()) {
      if (filled == password.size()) break;
      if (byte < kLimit) {
        password.data()[filled++] =
            static_cast<std::uint8_t>(kBundleAlphabet[byte % kBundleAlphabet.size()]);
      }
    }
  }
  return password;
}

Result<CertificateFacts> InspectCertificate(X509* cert) {
  if (cert == nullptr) return BadCertificateOrKey("no certificate");
  CertificateFacts facts;
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) return CertificateLibraryError("ASN1_INTEGER_to_BN");
  Bytes serial_bytes(static_cast<std::size_t>(BN_num_bytes(serial.get())));
  BN_bn2bin(serial.get(), serial_bytes.data());
  facts.serial_hex = HexEncode(serial_bytes);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (X509_digest(cert, EVP_sha256(), digest.data(), &digest_size) != 1) {
    return CertificateLibraryError("X509_digest");
  }
  facts.fingerprint_hex = HexEncode(std::span<const std::uint8_t>(digest.data(), digest_size));
  facts.subject_cn = NameEntry(X509_get_subject_name(cert), NID_commonName);
  facts.subject_ou = NameEntry(X509_get_subject_name(cert), NID_organizationalUnitName);
  facts.issuer_cn = NameEntry(X509_get_issuer_name(cert), NID_commonName);
  const std::optional<std::int64_t> not_before = UnixMicros(X509_get0_notBefore(cert));
  const std::optional<std::int64_t> not_after = UnixMicros(X509_get0_notAfter(cert));
  if (!not_before || !not_after) return BadCertificateOrKey("validity times do not parse");
  facts.not_before_us = *not_before;
  facts.not_after_us = *not_after;
  return facts;
}

Result<CertificateFacts> InspectCertificatePem(std::string_view pem) {
  KOSEKI_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificate(pem));
  return InspectCertificate(cert.get());
}

bool VerifyCertificateChain(std::string_view ca_pem, X509* leaf, STACK_OF(X509) * chain,
                            std::chrono::system_clock::time_point at, CertificatePurpose purpose) {
  Result<X509Ptr> ca = ParseCertificate(ca_pem);
  if (!ca || leaf == nullptr) return false;
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  bool ok = store && ctx && X509_STORE_add_cert(store.get(), ca->get()) == 1 &&
            X509_STORE_CTX_init(ctx.get(), store.get(), leaf, chain) == 1;
  if (ok) {
    X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
    ok = X509_STORE_CTX_set_purpose(ctx.get(), purpose == CertificatePurpose::kTlsClient
                                                   ? X509_PURPOSE_SSL_CLIENT
                                                   : X509_PURPOSE_SSL_SERVER) == 1 &&
         X509_verify_cert(ctx.get()) == 1;
  }
  // A refusal leaves entries on the per-thread error queue; the answer is the bool alone.
  ERR_clear_error();
  return ok;
}

}  // namespace koseki::crypto
