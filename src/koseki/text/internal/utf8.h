// UTF-8 decoding shared by the text module's sources. Not part of the module's interface.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace koseki::text::internal {

// Decodes one code point starting at `pos` with the strict rules of the Unicode standard
// (Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF). On success advances `pos`
// past it; on failure leaves `pos` unchanged and returns nullopt.
std::optional<char32_t> DecodeOne(std::string_view utf8, std::size_t& pos);

// Decodes `utf8`, replacing each undecodable byte with U+FFFD. For functions that must
// return a value for any input.
std::u32string DecodeLenient(std::string_view utf8);

// Appends the UTF-8 form of `c` (U+FFFD for a non-scalar value).
void AppendUtf8(std::string& out, char32_t c);

}  // namespace koseki::text::internal
