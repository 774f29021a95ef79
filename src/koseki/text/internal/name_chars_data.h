// The generated kanji tables behind name_chars.h. The definitions are written at build time by
// scripts/gen_name_chars.py into <build>/.../name_chars_data.cc; never edit them by hand.
#pragma once

#include <span>

namespace koseki::text::internal {

// Returns the 常用漢字 (kJoyoKanji = 2010 in Unihan), sorted ascending.
std::span<const char32_t> JoyoKanjiTable();
// Returns the 人名用漢字 (every kJinmeiyoKanji entry in Unihan), sorted ascending.
std::span<const char32_t> JinmeiyoKanjiTable();

}  // namespace koseki::text::internal
