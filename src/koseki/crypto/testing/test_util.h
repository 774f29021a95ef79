// Helpers for the crypto module's tests: hex and text conversion. (For a scratch directory,
// see koseki/base/testing/temp_dir.h.)
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "koseki/crypto/aead.h"

namespace koseki::crypto::testing {

// Decodes lowercase or uppercase hex; the test data is trusted, so malformed input aborts.
inline Bytes FromHex(std::string_view hex) {
  const auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    std::abort();
  };
  if (hex.size() % 2 != 0) std::abort();
  Bytes out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

inline Bytes ToBytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

inline std::string ToString(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace koseki::crypto::testing
