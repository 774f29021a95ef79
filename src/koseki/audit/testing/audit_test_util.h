// Helpers shared by the audit module's tests: hex decoding and sample entries built only from
// opaque ids (no personal data, as everywhere in the audit log).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/merkle.h"

namespace koseki::audit::testing {

inline std::vector<std::uint8_t> FromHex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    return static_cast<std::uint8_t>(c - 'a' + 10);
  };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

inline Hash HashFromHex(std::string_view hex) {
  const auto bytes = FromHex(hex);
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

// An approval by a fictional user at a fictional device, at 2026-11-26T10:00:00Z + index s.
inline Event SampleEvent(std::uint64_t n) {
  Event event;
  event.actor = {"u-000" + std::to_string(n % 7), "dev-01", "192.0.2.10"};
  event.action = std::string(actions::kCaseApprove);
  event.object_id = "case-" + std::to_string(1000 + n);
  event.context_id = "reg-" + std::to_string(n % 3);
  return event;
}

inline Timestamp SampleTime(std::uint64_t n) {
  return Timestamp(std::chrono::seconds(1795687200 + static_cast<std::int64_t>(n)));
}

inline std::vector<std::uint8_t> SampleEntryBytes(std::string_view tenant, std::uint64_t index) {
  return Entry::Create(tenant, index, SampleTime(index), SampleEvent(index))->Encode();
}

}  // namespace koseki::audit::testing
