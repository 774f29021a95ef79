// The server's OpenSSL context: protocol versions, cipher suites and options in one place.
//
// TLS 1.3 preferred; TLS 1.2 allowed with ECDHE key exchange and AEAD ciphers only (no CBC, no
// RSA key exchange); no compression, no renegotiation, the server's cipher order. Session
// resumption is off (no tickets, no session cache): a resumed session would skip the client
// certificate check, and the Device of every connection must come from a full check. Client
// certificates are required (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT); the caller
// installs the certificate verify callback that decides about them.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::web::internal {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

// The TLS 1.2 suites, in the server's order of preference.
inline constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
inline constexpr char kTls13Ciphersuites[] =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

// Creates the server context with `certificate_chain_pem` (leaf first, then intermediates)
// and `private_key_pem`. InvalidArgument KSK-WEB-010 if they do not parse or do not belong
// together; Internal KSK-WEB-013 if OpenSSL refuses the settings.
Result<SslCtxPtr> MakeServerContext(std::string_view certificate_chain_pem,
                                    const SecretBytes& private_key_pem);

}  // namespace koseki::web::internal
