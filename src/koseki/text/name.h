// Unicode handling of personal names (氏名) as written in family registers.
//
// Names are stored exactly as entered: UTF-8 that may contain supplementary-plane kanji
// (𠮟 U+20B9F), ideographic variation sequences (葛 U+845B + U+E0100) and CJK compatibility
// ideographs (U+FA10). Nothing here normalizes a stored name — not even NFC, which would turn
// the compatibility ideograph U+FA10 into U+585A and so change the registered character.
//
// Searching is the one place where different spellings of "the same" name must meet. For that
// SearchKey() builds a separate folded string that is only ever fed to the blind index, never
// stored or shown.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::text {

// Decodes strict UTF-8. InvalidArgument (KSK-TEXT-001) for truncated sequences, stray
// continuation bytes, overlong forms, surrogates (U+D800–DFFF) and values above U+10FFFF.
Result<std::u32string> DecodeUtf8(std::string_view utf8);

// Encodes code points as UTF-8. Code points that are not Unicode scalar values (surrogates,
// values above U+10FFFF) are written as U+FFFD.
std::string EncodeUtf8(std::u32string_view text);

// Returns true for the variation selectors VS1–VS16 (U+FE00–FE0F) and VS17–VS256
// (U+E0100–E01EF, the ones ideographic variation sequences use).
bool IsVariationSelector(char32_t c);

// Returns true for a character that shows nothing yet makes two strings differ: Unicode's
// Default_Ignorable_Code_Point (from ICU) except the variation selectors — zero-width space and
// joiners (U+200B–200D), the bidirectional marks, embeddings, overrides and isolates
// (U+200E–200F, U+202A–202E, U+2066–2069), the word joiner and invisible operators
// (U+2060–2064), the BOM / zero-width no-break space (U+FEFF), the soft hyphen (U+00AD), …
// Two registers whose 本籍 or 氏名 differ only by such a character would look the same to
// every reader; so they are refused wherever a person's or a place's name is entered.
bool IsInvisible(char32_t c);

// The most characters (CountCharacters) a name (氏 or 名) may have. Real names are far
// shorter; a foreign name in katakana is the longest kind.
inline constexpr std::size_t kMaxNameCharacters = 100;

// Returns the number of characters as a person counts them: a base code point together with
// the variation selectors that follow it is one character (葛 + U+E0100 counts 1, 𠮟 counts 1).
// Ill-formed UTF-8 counts one character per undecodable byte.
std::size_t CountCharacters(std::string_view utf8);

// Checks a name (氏 or 名) and returns it BYTE FOR BYTE unchanged. Refuses (InvalidArgument):
//   KSK-TEXT-001 ill-formed UTF-8;
//   KSK-TEXT-002 an empty name, or one made only of spaces (U+0020, U+3000);
//   KSK-TEXT-003 control characters (U+0000–001F, U+007F–009F) and line/paragraph separators
//                (U+2028, U+2029);
//   KSK-TEXT-004 a variation selector that does not follow a base character;
//   KSK-TEXT-005 an invisible character (IsInvisible);
//   KSK-TEXT-006 more than kMaxNameCharacters characters.
// Which characters a child's 名 may use is a separate rule: see name_chars.h.
Result<std::string> ValidateName(std::string_view name);

// Returns the folded key used only for blind-index lookups, so that spellings a clerk would
// consider the same name meet. The rules, applied in this order:
//   1. variation selectors are removed (葛 + U+E0100 → 葛);
//   2. spaces U+0020 and U+3000 are removed ("山川　健一" → "山川健一");
//   3. half-width katakana U+FF61–FF9F become full-width (ｶﾀｶﾅ → カタカナ, ｶﾞ → ガ);
//   4. printable ASCII U+0021–007E becomes full-width U+FF01–FF5E (A → Ａ, 1 → １); letter
//      case is kept;
//   5. hiragana U+3041–3096 and ゝゞ become katakana (やまかわ → ヤマカワ);
//   6. the result is put in NFC, which maps every CJK compatibility ideograph
//      (U+F900–FAFF, U+2F800–2FA1F) to its canonical unified ideograph (U+FA10 → U+585A) and
//      composes decomposed voiced kana (か + U+3099 → ガ).
// Ill-formed UTF-8 bytes become U+FFFD; callers pass names that passed ValidateName().
// The key is deterministic across releases only as long as these rules and the ICU
// normalization data do not change: changing either requires re-indexing.
std::string SearchKey(std::string_view name);

// Returns true if `reading` is a non-empty 振り仮名 made only of katakana (U+30A1–30FA), the
// long-vowel mark ー (U+30FC) and the ideographic space U+3000, with at least one katakana.
bool IsKatakanaReading(std::string_view reading);

// Returns the reading a name written only in kana has — its hiragana (U+3041–3096) turned into
// katakana, katakana and ー kept, small kana kept small (さくら → サクラ, しょう → ショウ) — or
// nullopt if the name has any other character (a kanji's reading is not for a program to know).
std::optional<std::string> KanaOnlyReading(std::string_view name);

}  // namespace koseki::text
