// Blind index: a keyed hash that lets the store find rows by an exact (normalized) value
// without storing the value. HMAC-SHA-256 under a per-tenant key, truncated to 16 bytes
// (collisions are resolved by decrypting the candidates). The `purpose` string separates
// indexes ("honseki+hittosha", "name+birth"), so equal inputs in two indexes do not match.
// Callers normalize the value first (text::SearchKey) so that equivalent spellings meet.
// Immutable after creation; Compute is thread-safe.
#pragma once

#include <string_view>

#include "koseki/crypto/aead.h"
#include "koseki/crypto/message_mac.h"

namespace koseki::crypto {

class BlindIndexer {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kOutputSize = 16;

  // Fails with InvalidArgument unless `key` has kKeySize bytes.
  static Result<BlindIndexer> Create(SecretBytes key);

  // Returns HMAC-SHA-256(key, u32be(len(purpose)) ‖ purpose ‖ value)[0..16).
  // Cannot fail on valid input; if OpenSSL itself fails (no memory) the process aborts rather
  // than return an index that would silently match nothing.
  Bytes Compute(std::string_view purpose, std::string_view value) const;

 private:
  explicit BlindIndexer(MessageMac mac) : mac_(std::move(mac)) {}
  MessageMac mac_;
};

}  // namespace koseki::crypto
