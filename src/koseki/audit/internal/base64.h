// Standard base64 (RFC 4648 §4, with padding) as used by signed notes and checkpoints.
//
// Decoding is strict and canonical: the only accepted text for some bytes is exactly what
// Base64Encode produces for them (no whitespace, no missing padding, zero unused bits). A
// checkpoint in which one base64 character was changed therefore never decodes to the same
// bytes, so it never verifies.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace koseki::audit::internal {

std::string Base64Encode(std::span<const std::uint8_t> bytes);

// Returns the bytes, or nullopt unless `text` is the canonical encoding of some bytes.
std::optional<std::vector<std::uint8_t>> Base64DecodeCanonical(std::string_view text);

}  // namespace koseki::audit::internal
