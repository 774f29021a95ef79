#include "koseki/crypto/blind_index.h"

#include <cstdlib>
#include <limits>
#include <string>

#include "koseki/base/log.h"
#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {

Result<BlindIndexer> BlindIndexer::Create(SecretBytes key) {
  if (key.size() != kKeySize) {
    return internal::KeySizeError("blind index key has " + std::to_string(key.size()) +
                                  " bytes, want 32");
  }
  return BlindIndexer(std::move(key));
}

Bytes BlindIndexer::Compute(std::string_view purpose, std::string_view value) const {
  if (purpose.size() > std::numeric_limits<std::uint32_t>::max()) std::abort();
  Bytes prefix;
  internal::AppendU32Be(prefix, static_cast<std::uint32_t>(purpose.size()));
  const auto as_bytes = [](std::string_view text) {
    return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  };
  Result<Bytes> mac =
      internal::HmacSha256(key_.span(), {prefix, as_bytes(purpose), as_bytes(value)});
  if (!mac) {
    // HMAC over a valid 32-byte key fails only if OpenSSL itself is broken (no memory, no
    // provider). An empty or made-up index would silently make rows unfindable, so the process
    // stops instead; the contract returns plain Bytes for that reason.
    log::Error("crypto.blind_index_failed", {{"detail", mac.error().internal_detail}});
    std::abort();
  }
  mac->resize(kOutputSize);
  return std::move(mac).value();
}

}  // namespace koseki::crypto
