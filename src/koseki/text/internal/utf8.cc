#include "koseki/text/internal/utf8.h"

namespace koseki::text::internal {

std::optional<char32_t> DecodeOne(std::string_view utf8, std::size_t& pos) {
  if (pos >= utf8.size()) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(utf8[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t value = 0;
  // The allowed range of the second byte depends on the lead byte; this is what excludes
  // overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and values > U+10FFFF (F4 90..).
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0Fu;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07u;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return std::nullopt;  // Continuation byte, C0/C1 (overlong) or F5..FF.
  }
  if (utf8.size() - pos < length) return std::nullopt;
  if (byte(1) < second_min || byte(1) > second_max) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0u) != 0x80u) return std::nullopt;
    value = (value << 6) | (byte(i) & 0x3Fu);
  }
  pos += length;
  return value;
}

std::u32string DecodeLenient(std::string_view utf8) {
  std::u32string out;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    if (const std::optional<char32_t> c = DecodeOne(utf8, pos)) {
      out.push_back(*c);
    } else {
      out.push_back(U'\uFFFD');
      ++pos;
    }
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  const auto put = [&out](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0 | (c >> 6));
    put(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    put(0xE0 | (c >> 12));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  } else {
    put(0xF0 | (c >> 18));
    put(0x80 | ((c >> 12) & 0x3F));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  }
}

}  // namespace koseki::text::internal
