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

// The documented version-1 example of docs/formats.md ("Entry, version 1"): the first entry of
// the system log, `koseki init` by u-1 from 192.0.2.10 at 2026-11-26T10:00:00Z.
inline constexpr std::string_view kDocumentedInitEntryV1 =
    "01"
    "0000000000000000"
    "0006612b01af0800"
    "01"
    "0006"
    "73797374656d"
    "0003"
    "752d31"
    "0000"
    "000a"
    "3139322e302e322e3130"
    "0008"
    "636c692e696e6974"
    "0000"
    "0000"
    "0000"
    "00000000";

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

// The audit entry key of the tests (an installation has a random one, sealed).
inline crypto::MessageMac TestEntryKey() {
  return *crypto::MessageMac::Create(SecretBytes::FromBytes(std::vector<std::uint8_t>(32, 0x5a)));
}

// A sample entry as a keyed process writes it: sealed under TestEntryKey().
inline std::vector<std::uint8_t> SampleEntryBytes(std::string_view tenant, std::uint64_t index) {
  return Entry::Create(tenant, index, SampleTime(index), SampleEvent(index))
      ->Sealed(TestEntryKey())
      .Encode();
}

}  // namespace koseki::audit::testing
