// Tests of the certificate profile, the chain check, the PKCS#12 bundle (read back through
// OpenSSL's own parser, algorithms checked on the ASN.1) and a real mutual-TLS handshake over a
// socketpair. Names are fictional.
#include "koseki/crypto/pki.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "koseki/base/hex.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/internal/x509_handles.h"
#include "koseki/crypto/sha256.h"

namespace koseki::crypto {
namespace {

using internal::BioPtr;
using internal::Pkcs12Ptr;
using internal::PkeyPtr;
using internal::X509Ptr;
using internal::X509StackPtr;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;

using std::chrono::days;
using std::chrono::seconds;

const std::chrono::system_clock::time_point kStart =
    std::chrono::sys_days(std::chrono::year(2026) / 12 / 1);
constexpr std::int64_t kStartMicros = 1'796'083'200LL * 1'000'000;  // 2026-12-01T00:00:00Z

constexpr std::string_view kMunicipality = "青葉県みなと市";

X509Ptr ParsePem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr ParseKeyPem(const SecretBytes& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string AsString(const SecretBytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

CertificateAuthority MakeCa(std::string_view common_name,
                            std::chrono::system_clock::time_point not_before = kStart) {
  Result<CertificateAuthority> ca =
      CreateCertificateAuthority(common_name, kMunicipality, not_before, 3650);
  EXPECT_THAT(ca, IsOk());
  return ca ? *std::move(ca) : CertificateAuthority{};
}

bool IsCritical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

TEST(PkiTest, CreatesASelfSignedP256CaThatMaySignOnlyLeaves) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  X509Ptr cert = ParsePem(ca.cert_pem);
  ASSERT_NE(cert, nullptr);
  ASSERT_NE(ParseKeyPem(ca.key_pem), nullptr);
  EXPECT_THAT(AsString(ca.key_pem), ::testing::StartsWith("-----BEGIN PRIVATE KEY-----"));

  EXPECT_EQ(X509_self_signed(cert.get(), /*verify_signature=*/1), 1);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(cert.get()), "EC"));
  std::array<char, 64> group{};
  ASSERT_EQ(
      EVP_PKEY_get_group_name(X509_get0_pubkey(cert.get()), group.data(), group.size(), nullptr),
      1);
  EXPECT_STREQ(group.data(), "prime256v1");
  EXPECT_NE(X509_get_extension_flags(cert.get()) & EXFLAG_CA, 0U);
  EXPECT_EQ(X509_get_pathlen(cert.get()), 0);
  EXPECT_TRUE(IsCritical(cert.get(), NID_basic_constraints));
  EXPECT_EQ(X509_get_key_usage(cert.get()),
            static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_TRUE(IsCritical(cert.get(), NID_key_usage));
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);

  Result<CertificateFacts> facts = InspectCertificatePem(ca.cert_pem);
  ASSERT_THAT(facts, IsOk());
  EXPECT_EQ(facts->subject_cn, "koseki device CA 999997");
  EXPECT_EQ(facts->issuer_cn, "koseki device CA 999997");
  EXPECT_EQ(facts->not_before_us, kStartMicros);
  EXPECT_EQ(facts->not_after_us, kStartMicros + 3650LL * 86'400 * 1'000'000);
}

TEST(PkiTest, IssuesAClientCertificateWithTheDeviceProfile) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert =
      IssueClientCertificate(ca, "vendor-room-01", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = ParsePem(cert->cert_pem);
  X509Ptr ca_cert = ParsePem(ca.cert_pem);
  ASSERT_NE(leaf, nullptr);

  EXPECT_EQ(X509_get_extension_flags(leaf.get()) & EXFLAG_CA, 0U);
  EXPECT_EQ(X509_get_key_usage(leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<std::uint32_t>(XKU_SSL_CLIENT));
  EXPECT_EQ(X509_get_signature_nid(leaf.get()), NID_ecdsa_with_SHA256);
  ASSERT_NE(X509_get0_authority_key_id(leaf.get()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(leaf.get()),
                                  X509_get0_subject_key_id(ca_cert.get())),
            0);
  EXPECT_EQ(X509_check_private_key(leaf.get(), ParseKeyPem(cert->key_pem).get()), 1);
}

TEST(PkiTest, AClientCertificateChainsToItsCaOnlyAndOnlyWhileValid) {
  ERR_clear_error();
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  const CertificateAuthority other = MakeCa("koseki device CA 999989");
  Result<IssuedCertificate> cert =
      IssueClientCertificate(ca, "vendor-room-01", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = ParsePem(cert->cert_pem);
  const auto inside = kStart + days(10);

  EXPECT_TRUE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, inside,
                                     CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(other.cert_pem, leaf.get(), nullptr, inside,
                                      CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, kStart - seconds(1),
                                      CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr,
                                      kStart + days(365) + seconds(1),
                                      CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, inside,
                                      CertificatePurpose::kTlsServer));
  EXPECT_FALSE(VerifyCertificateChain("not a certificate", leaf.get(), nullptr, inside,
                                      CertificatePurpose::kTlsClient));
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(PkiTest, FactsMatchWhatWasIssued) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert = IssueClientCertificate(ca, "city-desk-01", "city", kStart, 30);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = ParsePem(cert->cert_pem);
  unsigned char* der = nullptr;
  const int der_size = i2d_X509(leaf.get(), &der);
  ASSERT_GT(der_size, 0);
  const std::string fingerprint =
      HexEncode(Sha256({std::span<const std::uint8_t>(der, static_cast<std::size_t>(der_size))}));
  OPENSSL_free(der);

  Result<CertificateFacts> facts = InspectCertificate(leaf.get());
  ASSERT_THAT(facts, IsOk());
  EXPECT_EQ(facts->serial_hex, cert->serial_hex);
  EXPECT_EQ(facts->fingerprint_hex, cert->fingerprint_hex);
  EXPECT_EQ(facts->fingerprint_hex, fingerprint);
  EXPECT_EQ(facts->subject_cn, "city-desk-01");
  EXPECT_EQ(facts->subject_ou, "city");
  EXPECT_EQ(facts->issuer_cn, "koseki device CA 999997");
  EXPECT_EQ(facts->not_before_us, kStartMicros);
  EXPECT_EQ(cert->not_before_us, kStartMicros);
  EXPECT_EQ(facts->not_after_us, kStartMicros + 30LL * 86'400 * 1'000'000);
  EXPECT_EQ(cert->not_after_us, facts->not_after_us);
}

TEST(PkiTest, SerialsAreRandomPositiveAndAlways32HexDigits) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> first = IssueClientCertificate(ca, "city-desk-01", "city", kStart, 30);
  Result<IssuedCertificate> second = IssueClientCertificate(ca, "city-desk-01", "city", kStart, 30);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(first->serial_hex, second->serial_hex);
  for (const std::string& serial : {first->serial_hex, second->serial_hex}) {
    EXPECT_EQ(serial.size(), 32U);
    EXPECT_GE(serial[0], '4');  // top bits 01
    EXPECT_LE(serial[0], '7');
  }
  X509Ptr leaf = ParsePem(first->cert_pem);
  const ASN1_INTEGER* serial = X509_get0_serialNumber(leaf.get());
  EXPECT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);  // not V_ASN1_NEG_INTEGER
  internal::BignumPtr number(ASN1_INTEGER_to_BN(serial, nullptr));
  EXPECT_EQ(BN_num_bits(number.get()), 127);
}

TEST(PkiTest, AServerCertificateForLocalhostNamesTheLoopbackAddressesToo) {
  const CertificateAuthority ca = MakeCa("koseki server CA");
  Result<IssuedCertificate> cert = IssueServerCertificate(ca, "localhost", kStart, 397);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = ParsePem(cert->cert_pem);
  EXPECT_TRUE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, kStart + days(1),
                                     CertificatePurpose::kTlsServer));
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, kStart + days(1),
                                      CertificatePurpose::kTlsClient));
  EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<std::uint32_t>(XKU_SSL_SERVER));
  EXPECT_EQ(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "::1", 0), 1);
  EXPECT_NE(X509_check_host(leaf.get(), "koseki.city.example", 0, 0, nullptr), 1);
}

TEST(PkiTest, AServerCertificateNamesADnsHostOrAnAddress) {
  const CertificateAuthority ca = MakeCa("koseki server CA");
  Result<IssuedCertificate> dns = IssueServerCertificate(ca, "koseki.city.example", kStart, 397);
  Result<IssuedCertificate> v4 = IssueServerCertificate(ca, "192.0.2.10", kStart, 397);
  Result<IssuedCertificate> v6 = IssueServerCertificate(ca, "2001:db8::10", kStart, 397);
  ASSERT_THAT(dns, IsOk());
  ASSERT_THAT(v4, IsOk());
  ASSERT_THAT(v6, IsOk());
  X509Ptr dns_leaf = ParsePem(dns->cert_pem);
  X509Ptr v4_leaf = ParsePem(v4->cert_pem);
  X509Ptr v6_leaf = ParsePem(v6->cert_pem);
  EXPECT_EQ(X509_check_host(dns_leaf.get(), "koseki.city.example", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_ip_asc(dns_leaf.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(v4_leaf.get(), "192.0.2.10", 0), 1);
  EXPECT_NE(
      X509_check_host(v4_leaf.get(), "192.0.2.10", 0, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr),
      1);  // an address is never a DNS name
  EXPECT_EQ(X509_check_ip_asc(v6_leaf.get(), "2001:db8::10", 0), 1);
}

TEST(PkiTest, RefusesAHostThatIsNeitherADnsNameNorAnAddress) {
  const CertificateAuthority ca = MakeCa("koseki server CA");
  // A comma would add a second name if the host went through OpenSSL's configuration syntax.
  for (std::string_view host : {"", "koseki.example,IP:192.0.2.1", "-bad.example", "bad..example",
                                "under_score.example", "[::1]"}) {
    EXPECT_THAT(IssueServerCertificate(ca, host, kStart, 397), ErrorIdIs("KSK-CRYPTO-033")) << host;
  }
}

TEST(PkiTest, RefusesNamesAndTermsOutsideTheProfile) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  const std::string longest(64, 'a');
  const std::string too_long(65, 'a');
  std::string japanese_64;
  for (int i = 0; i < 64; ++i) japanese_64 += "端";
  EXPECT_THAT(IssueClientCertificate(ca, longest, "city", kStart, 30), IsOk());
  EXPECT_THAT(IssueClientCertificate(ca, japanese_64, "city", kStart, 30), IsOk());
  EXPECT_THAT(IssueClientCertificate(ca, too_long, "city", kStart, 30),
              ErrorIdIs("KSK-CRYPTO-033"));
  EXPECT_THAT(IssueClientCertificate(ca, "", "city", kStart, 30), ErrorIdIs("KSK-CRYPTO-033"));
  EXPECT_THAT(IssueClientCertificate(ca, "desk\n01", "city", kStart, 30),
              ErrorIdIs("KSK-CRYPTO-033"));
  EXPECT_THAT(IssueClientCertificate(ca, "desk\xc3", "city", kStart, 30),
              ErrorIdIs("KSK-CRYPTO-033"));
  EXPECT_THAT(IssueClientCertificate(ca, "desk-01", "city", kStart, 0),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CreateCertificateAuthority("koseki device CA 999997", kMunicipality, kStart,
                                         kMaxCertificateDays + 1),
              ErrorIdIs("KSK-CRYPTO-033"));
  EXPECT_THAT(CreateCertificateAuthority("", kMunicipality, kStart, 30),
              ErrorIdIs("KSK-CRYPTO-033"));
}

TEST(PkiTest, RefusesACaWhosePemDoesNotParseOrWhoseKeyIsAnother) {
  ERR_clear_error();
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  const CertificateAuthority other = MakeCa("koseki device CA 999989");
  const CertificateAuthority mixed{.cert_pem = ca.cert_pem, .key_pem = other.key_pem.Copy()};
  const CertificateAuthority garbled{.cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n",
                                     .key_pem = ca.key_pem.Copy()};
  const CertificateAuthority no_key{.cert_pem = ca.cert_pem,
                                    .key_pem = SecretBytes::FromString("not a key")};
  for (const CertificateAuthority* bad : {&mixed, &garbled, &no_key}) {
    EXPECT_THAT(IssueClientCertificate(*bad, "desk-01", "city", kStart, 30),
                ErrorIdIs("KSK-CRYPTO-030"));
  }
  EXPECT_THAT(InspectCertificatePem("not a certificate"), ErrorIdIs("KSK-CRYPTO-030"));
  EXPECT_THAT(InspectCertificate(nullptr), ErrorIdIs("KSK-CRYPTO-030"));
  EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(PkiTest, RefusesAnEncryptedCaKeyWithoutAskingForAPassphrase) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  PkeyPtr key = ParseKeyPem(ca.key_pem);
  BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string passphrase = "fictional passphrase";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), passphrase.c_str(),
                                    static_cast<int>(passphrase.size()), nullptr, nullptr),
      1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  const CertificateAuthority encrypted{
      .cert_pem = ca.cert_pem,
      .key_pem = SecretBytes::FromString(std::string_view(data, static_cast<std::size_t>(size)))};
  EXPECT_THAT(IssueClientCertificate(encrypted, "desk-01", "city", kStart, 30),
              ErrorIdIs("KSK-CRYPTO-030"));
}

TEST(PkiTest, BundlePasswordsAreTwentyUnambiguousCharactersAndDiffer) {
  Result<SecretBytes> first = NewBundlePassword();
  Result<SecretBytes> second = NewBundlePassword();
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  const std::string text = AsString(*first);
  EXPECT_EQ(text.size(), 20U);
  EXPECT_EQ(text.find_first_not_of("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),
            std::string::npos);
  EXPECT_FALSE(first->Equals(*second));
}

// The password-based encryption of one bag or safe, as NIDs read from its AlgorithmIdentifier.
struct PbeAlgorithms {
  int scheme = NID_undef;  // NID_pbes2 for PKCS#5 v2.0, else a legacy PKCS#12 scheme
  int kdf = NID_undef;
  int prf = NID_undef;
  int cipher = NID_undef;
};

PbeAlgorithms ReadPbe(const X509_ALGOR* algorithm) {
  PbeAlgorithms out;
  out.scheme = OBJ_obj2nid(algorithm->algorithm);
  if (out.scheme != NID_pbes2) return out;
  auto* pbe2 = static_cast<PBE2PARAM*>(
      ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter));
  if (pbe2 == nullptr) return out;
  out.kdf = OBJ_obj2nid(pbe2->keyfunc->algorithm);
  out.cipher = OBJ_obj2nid(pbe2->encryption->algorithm);
  auto* pbkdf2 = static_cast<PBKDF2PARAM*>(
      ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter));
  if (pbkdf2 != nullptr) {
    // An absent PRF means HMAC-SHA-1 (RFC 8018 A.2).
    out.prf = pbkdf2->prf == nullptr ? NID_hmacWithSHA1 : OBJ_obj2nid(pbkdf2->prf->algorithm);
    PBKDF2PARAM_free(pbkdf2);
  }
  PBE2PARAM_free(pbe2);
  return out;
}

struct Bundle {
  Pkcs12Ptr p12;
  std::string password;
};

Bundle MakeBundle(const CertificateAuthority& ca, const IssuedCertificate& cert,
                  std::string_view friendly_name) {
  Result<SecretBytes> password = NewBundlePassword();
  EXPECT_THAT(password, IsOk());
  Result<Bytes> der = ExportPkcs12(cert, ca.cert_pem, friendly_name, *password);
  EXPECT_THAT(der, IsOk());
  if (!der) return {};
  const unsigned char* cursor = der->data();
  return Bundle{.p12 = Pkcs12Ptr(d2i_PKCS12(nullptr, &cursor, static_cast<long>(der->size()))),
                .password = AsString(*password)};
}

TEST(PkiTest, ABundleOpensWithItsPasswordIntoTheKeyItsCertificateAndTheCa) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert =
      IssueClientCertificate(ca, "vendor-room-02", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  const std::string friendly_name = std::string(kMunicipality) + " vendor-room-02";
  Bundle bundle = MakeBundle(ca, *cert, friendly_name);
  ASSERT_NE(bundle.p12, nullptr);

  EVP_PKEY* key_raw = nullptr;
  X509* leaf_raw = nullptr;
  STACK_OF(X509)* chain_raw = nullptr;
  ASSERT_EQ(
      PKCS12_parse(bundle.p12.get(), bundle.password.c_str(), &key_raw, &leaf_raw, &chain_raw), 1);
  PkeyPtr key(key_raw);
  X509Ptr leaf(leaf_raw);
  X509StackPtr chain(chain_raw);
  EXPECT_EQ(X509_check_private_key(leaf.get(), key.get()), 1);
  EXPECT_EQ(X509_cmp(leaf.get(), ParsePem(cert->cert_pem).get()), 0);
  ASSERT_EQ(sk_X509_num(chain.get()), 1);
  EXPECT_EQ(X509_cmp(sk_X509_value(chain.get(), 0), ParsePem(ca.cert_pem).get()), 0);
  int alias_length = 0;
  const unsigned char* alias = X509_alias_get0(leaf.get(), &alias_length);
  ASSERT_NE(alias, nullptr);
  EXPECT_EQ(
      std::string(reinterpret_cast<const char*>(alias), static_cast<std::size_t>(alias_length)),
      friendly_name);
}

TEST(PkiTest, ABundleDoesNotOpenWithAnotherPassword) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert =
      IssueClientCertificate(ca, "vendor-room-02", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  Bundle bundle = MakeBundle(ca, *cert, "vendor-room-02");
  ASSERT_NE(bundle.p12, nullptr);
  EXPECT_EQ(PKCS12_verify_mac(bundle.p12.get(), "wrong password", -1), 0);
  EVP_PKEY* key = nullptr;
  X509* leaf = nullptr;
  EXPECT_EQ(PKCS12_parse(bundle.p12.get(), "wrong password", &key, &leaf, nullptr), 0);
  EXPECT_EQ(key, nullptr);
  EXPECT_EQ(leaf, nullptr);
  ERR_clear_error();
}

TEST(PkiTest, ABundleUsesPbes2WithAes256AndASha256MacNeverTheLegacySchemes) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert =
      IssueClientCertificate(ca, "vendor-room-02", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  Bundle bundle = MakeBundle(ca, *cert, "vendor-room-02");
  ASSERT_NE(bundle.p12, nullptr);

  const X509_ALGOR* mac_algorithm = nullptr;
  const ASN1_INTEGER* mac_iterations = nullptr;
  PKCS12_get0_mac(nullptr, &mac_algorithm, nullptr, &mac_iterations, bundle.p12.get());
  const ASN1_OBJECT* mac_digest = nullptr;
  X509_ALGOR_get0(&mac_digest, nullptr, nullptr, mac_algorithm);
  EXPECT_EQ(OBJ_obj2nid(mac_digest), NID_sha256);
  EXPECT_EQ(ASN1_INTEGER_get(mac_iterations), PKCS12_DEFAULT_ITER);

  // Every encrypted part: the certificate safe and the shrouded key bag.
  std::vector<PbeAlgorithms> seen;
  std::unique_ptr<STACK_OF(PKCS7), void (*)(STACK_OF(PKCS7)*)> safes(
      PKCS12_unpack_authsafes(bundle.p12.get()),
      [](STACK_OF(PKCS7) * s) { sk_PKCS7_pop_free(s, PKCS7_free); });
  ASSERT_NE(safes, nullptr);
  for (int i = 0; i < sk_PKCS7_num(safes.get()); ++i) {
    PKCS7* safe = sk_PKCS7_value(safes.get(), i);
    STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
    if (OBJ_obj2nid(safe->type) == NID_pkcs7_encrypted) {
      seen.push_back(ReadPbe(safe->d.encrypted->enc_data->algorithm));
      bags = PKCS12_unpack_p7encdata(safe, bundle.password.c_str(), -1);
    } else {
      bags = PKCS12_unpack_p7data(safe);
    }
    ASSERT_NE(bags, nullptr);
    for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags); ++j) {
      const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, j);
      if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag) continue;
      const X509_ALGOR* algorithm = nullptr;
      X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &algorithm, nullptr);
      seen.push_back(ReadPbe(algorithm));
    }
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
  }
  ASSERT_EQ(seen.size(), 2U);  // one encrypted certificate safe, one shrouded key
  for (const PbeAlgorithms& pbe : seen) {
    EXPECT_EQ(pbe.scheme, NID_pbes2);
    EXPECT_EQ(pbe.kdf, NID_id_pbkdf2);
    EXPECT_EQ(pbe.prf, NID_hmacWithSHA256);
    EXPECT_EQ(pbe.cipher, NID_aes_256_cbc);
  }
}

TEST(PkiTest, RefusesToExportWithAnEmptyPasswordOrAKeyOfAnotherCertificate) {
  const CertificateAuthority ca = MakeCa("koseki device CA 999997");
  Result<IssuedCertificate> cert = IssueClientCertificate(ca, "desk-01", "city", kStart, 30);
  Result<IssuedCertificate> other = IssueClientCertificate(ca, "desk-02", "city", kStart, 30);
  ASSERT_THAT(cert, IsOk());
  ASSERT_THAT(other, IsOk());
  const SecretBytes password = SecretBytes::FromString("fictional-password");
  EXPECT_THAT(ExportPkcs12(*cert, ca.cert_pem, "desk-01", SecretBytes()),
              ErrorIdIs("KSK-CRYPTO-033"));
  const IssuedCertificate mixed{.cert_pem = cert->cert_pem, .key_pem = other->key_pem.Copy()};
  EXPECT_THAT(ExportPkcs12(mixed, ca.cert_pem, "desk-01", password), ErrorIdIs("KSK-CRYPTO-030"));
  EXPECT_THAT(ExportPkcs12(*cert, "not a certificate", "desk-01", password),
              ErrorIdIs("KSK-CRYPTO-030"));
}

// --- A real mutual-TLS handshake over a socketpair -------------------------------------------

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_.data()), 0); }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  ~SocketPair() {
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int client() const { return fds_[0]; }
  int server() const { return fds_[1]; }

 private:
  std::array<int, 2> fds_ = {-1, -1};
};

// Returns a context that presents `identity` and trusts only `trusted_ca_pem`, verifying the
// peer (and, on a server, requiring that there is one).
SslCtxPtr MakeContext(bool server, const IssuedCertificate& identity,
                      std::string_view trusted_ca_pem) {
  SslCtxPtr ctx(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
  X509Ptr cert = ParsePem(identity.cert_pem);
  PkeyPtr key = ParseKeyPem(identity.key_pem);
  X509Ptr ca = ParsePem(trusted_ca_pem);
  EXPECT_EQ(SSL_CTX_use_certificate(ctx.get(), cert.get()), 1);
  EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx.get(), key.get()), 1);
  EXPECT_EQ(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca.get()), 1);
  EXPECT_EQ(SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION), 1);
  SSL_CTX_set_verify(ctx.get(),
                     server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER,
                     nullptr);
  return ctx;
}

struct HandshakeOutcome {
  bool server_accepted = false;
  std::string client_cn_seen_by_server;
  bool client_received_reply = false;
};

// Runs the server side on a thread and the client on this one. Both sockets stay open until
// the server thread has finished, so neither side can write into a closed socket; a refusal
// reaches the client as the server's alert.
HandshakeOutcome Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  SocketPair sockets;
  HandshakeOutcome outcome;
  std::thread server_thread([&] {
    SslPtr ssl(SSL_new(server_ctx));
    SSL_set_fd(ssl.get(), sockets.server());
    if (SSL_accept(ssl.get()) != 1) return;
    outcome.server_accepted = true;
    X509Ptr peer(SSL_get1_peer_certificate(ssl.get()));
    Result<CertificateFacts> facts = InspectCertificate(peer.get());
    if (facts) outcome.client_cn_seen_by_server = facts->subject_cn;
    SSL_write(ssl.get(), "ok", 2);
  });
  SslPtr ssl(SSL_new(client_ctx));
  SSL_set_fd(ssl.get(), sockets.client());
  SSL_set1_host(ssl.get(), "localhost");
  std::array<char, 2> reply{};
  outcome.client_received_reply = SSL_connect(ssl.get()) == 1 &&
                                  SSL_read(ssl.get(), reply.data(), 2) == 2 &&
                                  std::string_view(reply.data(), 2) == "ok";
  server_thread.join();
  ERR_clear_error();
  return outcome;
}

TEST(PkiTest, AMutualTlsServerAcceptsItsCasDevicesAndRefusesAnotherCas) {
  const auto now = std::chrono::system_clock::now() - std::chrono::hours(1);
  const CertificateAuthority server_ca = MakeCa("koseki server CA", now);
  const CertificateAuthority device_ca = MakeCa("koseki device CA 999997", now);
  const CertificateAuthority foreign_ca = MakeCa("koseki device CA 999989", now);
  Result<IssuedCertificate> server = IssueServerCertificate(server_ca, "localhost", now, 2);
  Result<IssuedCertificate> device = IssueClientCertificate(device_ca, "desk-01", "city", now, 2);
  Result<IssuedCertificate> foreign = IssueClientCertificate(foreign_ca, "desk-01", "city", now, 2);
  ASSERT_THAT(server, IsOk());
  ASSERT_THAT(device, IsOk());
  ASSERT_THAT(foreign, IsOk());
  SslCtxPtr server_ctx = MakeContext(/*server=*/true, *server, device_ca.cert_pem);

  SslCtxPtr device_ctx = MakeContext(/*server=*/false, *device, server_ca.cert_pem);
  const HandshakeOutcome accepted = Handshake(server_ctx.get(), device_ctx.get());
  EXPECT_TRUE(accepted.server_accepted);
  EXPECT_EQ(accepted.client_cn_seen_by_server, "desk-01");
  EXPECT_TRUE(accepted.client_received_reply);

  SslCtxPtr foreign_ctx = MakeContext(/*server=*/false, *foreign, server_ca.cert_pem);
  const HandshakeOutcome refused = Handshake(server_ctx.get(), foreign_ctx.get());
  EXPECT_FALSE(refused.server_accepted);
  EXPECT_FALSE(refused.client_received_reply);
}

}  // namespace
}  // namespace koseki::crypto
