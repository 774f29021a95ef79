// Zone: where a device stands — in the city's office (kCity) or in the vendor's data-entry room
// (kVendor). Roles are bound to zones (user.h), and each zone of a tenant has its own service
// hours (service_window.h). Values only; the names are what the CLI, settings and audit use.
#pragma once

#include <optional>
#include <string_view>

namespace koseki::access {

enum class Zone {
  kCity,    // 市区町村の庁舎
  kVendor,  // 事業者の作業室
};

// Returns the stable name of a zone: "city" or "vendor".
constexpr std::string_view ZoneName(Zone zone) {
  switch (zone) {
    case Zone::kCity:
      return "city";
    case Zone::kVendor:
      return "vendor";
  }
  return "unknown";
}

// Returns the zone named `name` (exactly as ZoneName writes it), or nullopt.
constexpr std::optional<Zone> ParseZone(std::string_view name) {
  if (name == ZoneName(Zone::kCity)) return Zone::kCity;
  if (name == ZoneName(Zone::kVendor)) return Zone::kVendor;
  return std::nullopt;
}

}  // namespace koseki::access
