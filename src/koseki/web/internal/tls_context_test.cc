#include "koseki/web/internal/tls_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>
#include <string_view>

#include "koseki/base/testing/matchers.h"
#include "koseki/web/testing/test_devices.h"

namespace koseki::web::internal {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

class TlsContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<web::testing::TestCertificates> made = web::testing::MakeTestCertificates();
    ASSERT_THAT(made, IsOk());
    certificates_ = new web::testing::TestCertificates(std::move(made).value());
  }
  static void TearDownTestSuite() {
    delete certificates_;
    certificates_ = nullptr;
  }

  static Result<SslCtxPtr> MakeTestContext() {
    return MakeServerContext(certificates_->server.cert_pem, certificates_->server.key_pem);
  }

  static web::testing::TestCertificates* certificates_;
};

web::testing::TestCertificates* TlsContextTest::certificates_ = nullptr;

TEST_F(TlsContextTest, OffersOnlyEcdheWithAeadBelowTls13) {
  Result<SslCtxPtr> ctx = MakeTestContext();
  ASSERT_THAT(ctx, IsOk());
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx->get());
  ASSERT_NE(ciphers, nullptr);
  int tls12 = 0;
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    EXPECT_EQ(SSL_CIPHER_is_aead(cipher), 1) << SSL_CIPHER_get_name(cipher);
    if (std::string_view(SSL_CIPHER_get_version(cipher)) == "TLSv1.3") continue;
    ++tls12;
    EXPECT_EQ(SSL_CIPHER_get_kx_nid(cipher), NID_kx_ecdhe) << SSL_CIPHER_get_name(cipher);
  }
  EXPECT_GT(tls12, 0);
}

TEST_F(TlsContextTest, SetsVersionsOptionsAndNoResumption) {
  Result<SslCtxPtr> ctx = MakeTestContext();
  ASSERT_THAT(ctx, IsOk());
  SSL_CTX* c = ctx->get();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(c), TLS1_2_VERSION);
  const std::uint64_t options = SSL_CTX_get_options(c);
  for (const std::uint64_t option : {SSL_OP_NO_COMPRESSION, SSL_OP_NO_RENEGOTIATION,
                                     SSL_OP_CIPHER_SERVER_PREFERENCE, SSL_OP_NO_TICKET}) {
    EXPECT_EQ(options & option, option);
  }
  EXPECT_EQ(SSL_CTX_get_session_cache_mode(c), SSL_SESS_CACHE_OFF);
  EXPECT_EQ(SSL_CTX_get_num_tickets(c), 0u);
  EXPECT_EQ(SSL_CTX_get_verify_mode(c), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
}

TEST_F(TlsContextTest, LoadsTheCertificatesAfterTheLeafAsTheChain) {
  const std::string chain = certificates_->server.cert_pem + certificates_->server_ca.cert_pem;
  Result<SslCtxPtr> ctx = MakeServerContext(chain, certificates_->server.key_pem);
  ASSERT_THAT(ctx, IsOk());
  STACK_OF(X509)* extra = nullptr;
  ASSERT_EQ(SSL_CTX_get0_chain_certs(ctx->get(), &extra), 1);
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(sk_X509_num(extra), 1);
}

TEST_F(TlsContextTest, RefusesTextThatIsNoCertificate) {
  EXPECT_THAT(MakeServerContext("not a certificate", certificates_->server.key_pem),
              ErrorIdIs("KSK-WEB-010"));
}

TEST_F(TlsContextTest, RefusesAMissingCertificate) {
  EXPECT_THAT(MakeServerContext("", certificates_->server.key_pem), ErrorIdIs("KSK-WEB-010"));
}

TEST_F(TlsContextTest, RefusesAMissingKey) {
  EXPECT_THAT(MakeServerContext(certificates_->server.cert_pem, SecretBytes()),
              ErrorIdIs("KSK-WEB-010"));
}

TEST_F(TlsContextTest, RefusesAKeyOfAnotherCertificate) {
  EXPECT_THAT(MakeServerContext(certificates_->server.cert_pem, certificates_->device.key_pem),
              ErrorIdIs("KSK-WEB-010"));
}

}  // namespace
}  // namespace koseki::web::internal
