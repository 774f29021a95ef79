// RAII owners for the OpenSSL handles the crypto module uses, and the one helper that turns
// OpenSSL's thread-local error queue into text for an Error's internal detail.
//
// Only files in src/koseki/crypto/ include this header: OpenSSL types never appear in the
// module's public interface (ed25519.h names EVP_PKEY only by its forward-declared struct).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace koseki::crypto::internal {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// EVP_CIPHER_CTX_free and EVP_MAC_CTX_free cleanse the key schedule they hold.
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using MacPtr = std::unique_ptr<EVP_MAC, MacDeleter>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Returns `what` followed by every pending OpenSSL error (oldest first) and empties the queue,
// so that a later, unrelated call does not find stale errors.
std::string DrainOpenSslErrors(std::string_view what);

}  // namespace koseki::crypto::internal
