// Characters allowed in a child's given name (名) — 戸籍法50条, 戸籍法施行規則60条.
//
// Allowed are the 常用漢字 (2,136, the 2010 list's official forms only), the 人名用漢字
// (施行規則 別表第二, 863), hiragana, katakana, the long-vowel mark ー and the repetition marks
// 々 ゝ ゞ ヽ ヾ. Latin letters, digits and other symbols are not. The surname (氏) is not
// restricted by this rule and must not be checked with it.
//
// The kanji lists are generated at build time from Unihan (Debian's unicode-data) by
// scripts/gen_name_chars.py. Popular variants that Unihan maps to an official 常用 form
// (剥, 叱, 填, 頬) are not allowed: only the official forms (剝, 𠮟, 塡, 頰) are.
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace koseki::text {

// Returns true for the 2,136 常用漢字.
bool IsJoyoKanji(char32_t c);
// Returns true for the 863 人名用漢字.
bool IsJinmeiyoKanji(char32_t c);
// Returns true for a code point a child's 名 may contain (see the file comment).
bool IsAllowedInGivenName(char32_t c);

// Return the sizes of the generated tables (2,136 and 863 with Unicode 15.0 data).
std::size_t JoyoKanjiCount();
std::size_t JinmeiyoKanjiCount();

// Returns the index, counted in characters as CountCharacters() counts them (a base and its
// variation selectors are one character), of the first character a child's 名 may not
// contain, or nullopt if every character is allowed. A character with a variation selector is
// judged by its base; a selector without a base and ill-formed UTF-8 are disallowed. An empty
// string gives nullopt (emptiness is ValidateName()'s concern).
std::optional<std::size_t> FirstDisallowedInGivenName(std::string_view name);

}  // namespace koseki::text
