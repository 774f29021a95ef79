#include "koseki/crypto/message_mac.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "koseki/base/log.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {

Result<MessageMac> MessageMac::Create(SecretBytes key) {
  if (key.size() != kKeySize) {
    return internal::KeySizeError("message MAC key has " + std::to_string(key.size()) +
                                  " bytes, want 32");
  }
  return MessageMac(std::move(key));
}

MessageMac::Tag MessageMac::Compute(
    std::initializer_list<std::span<const std::uint8_t>> parts) const {
  Result<std::vector<std::uint8_t>> mac = internal::HmacSha256(key_.span(), parts);
  if (!mac || mac->size() != kTagSize) {
    const std::string detail = mac ? std::string("wrong size") : mac.error().internal_detail;
    log::Error("crypto.message_mac_failed", {{"detail", detail}});
    std::abort();
  }
  Tag tag;
  std::copy(mac->begin(), mac->end(), tag.begin());
  return tag;
}

bool MessageMac::Verify(std::initializer_list<std::span<const std::uint8_t>> parts,
                        std::span<const std::uint8_t> tag) const {
  if (tag.size() != kTagSize) return false;
  const Tag expected = Compute(parts);
  return CRYPTO_memcmp(expected.data(), tag.data(), kTagSize) == 0;
}

}  // namespace koseki::crypto
