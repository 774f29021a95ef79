#include "koseki/crypto/pki.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::crypto {
namespace {

using ::koseki::testing::IsOk;

const auto kStart = std::chrono::sys_days(std::chrono::year(2026) / 12 / 1);

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr Parse(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return X509Ptr(cert);
}

CertificateAuthority Ca(const std::string& name) {
  auto ca = CreateCertificateAuthority(name, "青葉県みなと市", kStart, 3650);
  EXPECT_THAT(ca, IsOk());
  return *std::move(ca);
}

TEST(PkiTest, AClientCertificateChainsToItsCaOnlyAndOnlyWhileValid) {
  const CertificateAuthority ca = Ca("koseki device CA 999997");
  const CertificateAuthority other = Ca("koseki device CA 999989");
  auto cert = IssueClientCertificate(ca, "vendor-room-01", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = Parse(cert->cert_pem);
  ASSERT_NE(leaf, nullptr);
  const auto inside = kStart + std::chrono::days(10);
  EXPECT_TRUE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, inside,
                                     CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(other.cert_pem, leaf.get(), nullptr, inside,
                                      CertificatePurpose::kTlsClient));
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr,
                                      kStart + std::chrono::days(366),
                                      CertificatePurpose::kTlsClient));
  // A client certificate is not a server certificate.
  EXPECT_FALSE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr, inside,
                                      CertificatePurpose::kTlsServer));
  EXPECT_EQ(X509_get_extended_key_usage(leaf.get()) & XKU_SSL_CLIENT, XKU_SSL_CLIENT);
}

TEST(PkiTest, FactsMatchWhatWasIssued) {
  const CertificateAuthority ca = Ca("koseki device CA 999997");
  auto cert = IssueClientCertificate(ca, "city-desk-01", "city", kStart, 30);
  ASSERT_THAT(cert, IsOk());
  auto facts = InspectCertificatePem(cert->cert_pem);
  ASSERT_THAT(facts, IsOk());
  EXPECT_EQ(facts->serial_hex, cert->serial_hex);
  EXPECT_EQ(facts->serial_hex.size(), 32u);
  EXPECT_EQ(facts->fingerprint_hex, cert->fingerprint_hex);
  EXPECT_EQ(facts->fingerprint_hex.size(), 64u);
  EXPECT_EQ(facts->subject_cn, "city-desk-01");
  EXPECT_EQ(facts->subject_ou, "city");
  EXPECT_EQ(facts->issuer_cn, "koseki device CA 999997");
  EXPECT_EQ(facts->not_after_us - facts->not_before_us, 30LL * 86400 * 1'000'000);
  auto another = IssueClientCertificate(ca, "city-desk-01", "city", kStart, 30);
  ASSERT_THAT(another, IsOk());
  EXPECT_NE(another->serial_hex, cert->serial_hex);
  EXPECT_FALSE(InspectCertificatePem("not a certificate"));
}

TEST(PkiTest, AServerCertificateNamesItsHost) {
  const CertificateAuthority ca = Ca("koseki server CA");
  auto cert = IssueServerCertificate(ca, "localhost", kStart, 397);
  ASSERT_THAT(cert, IsOk());
  X509Ptr leaf = Parse(cert->cert_pem);
  EXPECT_TRUE(VerifyCertificateChain(ca.cert_pem, leaf.get(), nullptr,
                                     kStart + std::chrono::days(1),
                                     CertificatePurpose::kTlsServer));
  EXPECT_EQ(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(leaf.get(), "example.invalid", 0, 0, nullptr), 1);
}

TEST(PkiTest, ABundleOpensWithItsPasswordOnlyAndUsesModernAlgorithms) {
  const CertificateAuthority ca = Ca("koseki device CA 999997");
  auto cert = IssueClientCertificate(ca, "vendor-room-02", "vendor", kStart, 365);
  ASSERT_THAT(cert, IsOk());
  auto password = NewBundlePassword();
  ASSERT_THAT(password, IsOk());
  EXPECT_EQ(password->size(), 20u);
  auto bundle = ExportPkcs12(*cert, ca.cert_pem, "青葉県みなと市 vendor-room-02", *password);
  ASSERT_THAT(bundle, IsOk());
  const unsigned char* p = bundle->data();
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(bundle->size()));
  ASSERT_NE(p12, nullptr);
  const std::string pass(reinterpret_cast<const char*>(password->data()), password->size());
  EXPECT_EQ(PKCS12_verify_mac(p12, "wrong password", -1), 0);
  EXPECT_EQ(PKCS12_verify_mac(p12, pass.c_str(), -1), 1);
  const ASN1_OBJECT* mac_algorithm = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, nullptr, p12);
  const X509_ALGOR* mac_algor = nullptr;
  PKCS12_get0_mac(nullptr, &mac_algor, nullptr, nullptr, p12);
  X509_ALGOR_get0(&mac_algorithm, nullptr, nullptr, mac_algor);
  EXPECT_EQ(OBJ_obj2nid(mac_algorithm), NID_sha256);
  EVP_PKEY* key = nullptr;
  X509* leaf = nullptr;
  STACK_OF(X509)* chain = nullptr;
  ASSERT_EQ(PKCS12_parse(p12, pass.c_str(), &key, &leaf, &chain), 1);
  EXPECT_EQ(X509_check_private_key(leaf, key), 1);
  EXPECT_EQ(sk_X509_num(chain), 1);
  // The certificates are encrypted with PBES2 (AES-256), not the legacy RC2/3DES schemes.
  STACK_OF(PKCS7)* safes = PKCS12_unpack_authsafes(p12);
  ASSERT_NE(safes, nullptr);
  bool saw_encrypted = false;
  for (int i = 0; i < sk_PKCS7_num(safes); ++i) {
    PKCS7* safe = sk_PKCS7_value(safes, i);
    if (OBJ_obj2nid(safe->type) != NID_pkcs7_encrypted) continue;
    saw_encrypted = true;
    const ASN1_OBJECT* scheme = nullptr;
    X509_ALGOR_get0(&scheme, nullptr, nullptr, safe->d.encrypted->enc_data->algorithm);
    EXPECT_EQ(OBJ_obj2nid(scheme), NID_pbes2);
  }
  EXPECT_TRUE(saw_encrypted);
  sk_PKCS7_pop_free(safes, PKCS7_free);
  EVP_PKEY_free(key);
  X509_free(leaf);
  sk_X509_pop_free(chain, X509_free);
  PKCS12_free(p12);
}

}  // namespace
}  // namespace koseki::crypto
