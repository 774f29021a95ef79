#include "koseki/text/name_chars.h"

#include <algorithm>
#include <span>
#include <string>

#include "koseki/text/internal/name_chars_data.h"
#include "koseki/text/internal/utf8.h"
#include "koseki/text/name.h"

namespace koseki::text {
namespace {

bool Contains(std::span<const char32_t> sorted, char32_t c) {
  return std::binary_search(sorted.begin(), sorted.end(), c);
}

bool IsKanaOrMark(char32_t c) {
  if (c >= 0x3041 && c <= 0x3096) return true;  // ひらがな ぁ..ゖ
  if (c >= 0x30A1 && c <= 0x30FA) return true;  // カタカナ ァ..ヺ
  switch (c) {
    case U'ー':
    case U'々':
    case U'ゝ':
    case U'ゞ':
    case U'ヽ':
    case U'ヾ':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool IsJoyoKanji(char32_t c) { return Contains(internal::JoyoKanjiTable(), c); }

bool IsJinmeiyoKanji(char32_t c) { return Contains(internal::JinmeiyoKanjiTable(), c); }

bool IsAllowedInGivenName(char32_t c) {
  return IsKanaOrMark(c) || IsJoyoKanji(c) || IsJinmeiyoKanji(c);
}

std::size_t JoyoKanjiCount() { return internal::JoyoKanjiTable().size(); }

std::size_t JinmeiyoKanjiCount() { return internal::JinmeiyoKanjiTable().size(); }

std::optional<std::size_t> FirstDisallowedInGivenName(std::string_view name) {
  std::size_t index = 0;
  bool after_base = false;
  std::size_t pos = 0;
  while (pos < name.size()) {
    const std::optional<char32_t> c = internal::DecodeOne(name, pos);
    if (!c) return index;
    if (IsVariationSelector(*c)) {
      if (!after_base) return index;
      continue;  // Part of the preceding (allowed) character.
    }
    if (!IsAllowedInGivenName(*c)) return index;
    // Only now does the index move on: the character that ends here was allowed.
    ++index;
    after_base = true;
  }
  return std::nullopt;
}

}  // namespace koseki::text
