// Message authentication: HMAC-SHA-256 with the full 32-byte tag, for records that only koseki
// may write (the audit log's entries). Immutable after creation; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::crypto {

class MessageMac {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kTagSize = 32;
  using Tag = std::array<std::uint8_t, kTagSize>;

  // Fails with InvalidArgument unless `key` has kKeySize bytes.
  static Result<MessageMac> Create(SecretBytes key);

  // Returns HMAC-SHA-256(key, concatenation of `parts`). Aborts if OpenSSL cannot compute it
  // at all: a made-up tag would either forge a record or refuse every honest one.
  Tag Compute(std::initializer_list<std::span<const std::uint8_t>> parts) const;
  // Returns whether `tag` is the tag of `parts`, in constant time.
  bool Verify(std::initializer_list<std::span<const std::uint8_t>> parts,
              std::span<const std::uint8_t> tag) const;

 private:
  explicit MessageMac(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

}  // namespace koseki::crypto
