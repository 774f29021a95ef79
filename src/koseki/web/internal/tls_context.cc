#include "koseki/web/internal/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <string>

namespace koseki::web::internal {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Returns `what` and the pending OpenSSL errors, and empties the thread's error queue.
std::string OpenSslErrors(std::string_view what) {
  std::string text(what);
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text += "; ";
    text += buffer;
  }
  return text;
}

Error CredentialsError(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-010",
                   "サーバー証明書または秘密鍵を読み込めません。", OpenSslErrors(what));
}

Error SetupError(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "KSK-WEB-013", "TLS の初期化に失敗しました。",
                   OpenSslErrors(what));
}

BioPtr MemoryBio(const void* data, std::size_t size) {
  if (size > INT_MAX) return nullptr;
  return BioPtr(BIO_new_mem_buf(data, static_cast<int>(size)));
}

Result<void> UseCertificateChain(SSL_CTX* ctx, std::string_view pem) {
  if (pem.empty()) return CredentialsError("no certificate chain given");
  BioPtr bio = MemoryBio(pem.data(), pem.size());
  if (!bio) return SetupError("BIO_new_mem_buf");
  X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!leaf) return CredentialsError("no certificate in the chain PEM");
  if (SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return CredentialsError("SSL_CTX_use_certificate");
  }
  while (X509Ptr next{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (SSL_CTX_add1_chain_cert(ctx, next.get()) != 1) {
      return CredentialsError("SSL_CTX_add1_chain_cert");
    }
  }
  // The loop ends on "no start line" at the end of the text; anything else is a broken PEM.
  const unsigned long last = ERR_peek_last_error();
  if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    return CredentialsError("certificate chain PEM");
  }
  ERR_clear_error();
  return Ok();
}

Result<void> UsePrivateKey(SSL_CTX* ctx, const SecretBytes& pem) {
  if (pem.empty()) return CredentialsError("no private key given");
  BioPtr bio = MemoryBio(pem.data(), pem.size());
  if (!bio) return SetupError("BIO_new_mem_buf");
  // An empty passphrase callback: an encrypted key fails instead of prompting on a terminal.
  PkeyPtr key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) return CredentialsError("no private key in the key PEM");
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
    return CredentialsError("SSL_CTX_use_PrivateKey");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return CredentialsError("the private key does not match the certificate");
  }
  return Ok();
}

}  // namespace

Result<SslCtxPtr> MakeServerContext(std::string_view certificate_chain_pem,
                                    const SecretBytes& private_key_pem) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return SetupError("SSL_CTX_new");
  SSL_CTX* c = ctx.get();
  if (SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(c, kTls13Ciphersuites) != 1 ||
      SSL_CTX_set1_groups_list(c, "X25519:P-256:P-384") != 1) {
    return SetupError("protocol settings");
  }
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                             SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  // No resumption at all: no stateless tickets (TLS 1.2 and 1.3), no session cache.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_num_tickets(c, 0) != 1) return SetupError("SSL_CTX_set_num_tickets");
  static constexpr unsigned char kSessionContext[] = "koseki-web";
  if (SSL_CTX_set_session_id_context(c, kSessionContext, sizeof(kSessionContext) - 1) != 1) {
    return SetupError("SSL_CTX_set_session_id_context");
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);

  KOSEKI_RETURN_IF_ERROR(UseCertificateChain(c, certificate_chain_pem));
  KOSEKI_RETURN_IF_ERROR(UsePrivateKey(c, private_key_pem));
  return ctx;
}

}  // namespace koseki::web::internal
