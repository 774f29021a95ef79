#include "koseki/crypto/internal/openssl_handles.h"

#include <openssl/err.h>

#include <array>

namespace koseki::crypto::internal {

std::string DrainOpenSslErrors(std::string_view what) {
  std::string text(what);
  while (unsigned long code = ERR_get_error()) {  // NOLINT(google-runtime-int): OpenSSL's type.
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    text += ": ";
    text += buffer.data();
  }
  return text;
}

}  // namespace koseki::crypto::internal
