// Which ideographic variation sequences the certificate font can print.
//
// A name may hold a base character followed by a variation selector (葛 U+845B + U+E0102) to
// pin the glyph a register shows. Certificates are printed in IPAmj明朝, whose format-14 cmap
// lists about 11,500 of these sequences, not every sequence of the Ideographic Variation
// Database. For any other one (葛 + U+E0100) the text pipeline silently draws the base glyph:
// the certificate would show a character the register does not hold. So data entry refuses a
// name with such a sequence, naming the character, before it is stored.
//
// The table behind these functions is generated at build time from the installed font
// (gen_ivs_table.cc, which reads it with FreeType) and never typed in, so that this module
// needs neither the font nor FreeType at run time. koseki_render_glyph_test compares it with
// the font read at run time and so catches a font upgraded after the build.
//
// Only variation sequences are checked here: a plain character is not this table's concern.
// All functions are pure and thread-safe.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace koseki::text {

// Returns true if base+selector is in the installed certificate font's variation-sequence
// table. Sequences that draw the base's own glyph count as printable too.
bool IsPrintableVariationSequence(char32_t base, char32_t selector);

struct UnprintableCharacter {
  std::size_t index = 0;  // in characters as CountCharacters counts them, from 0
  std::string character;  // its base and the selectors after it, as UTF-8
};

// Returns the first character of `name` whose variation sequence the certificate font cannot
// print, or nullopt if there is none. A base
// followed by two or more selectors is never printable (the font maps one selector per base);
// nor is a selector without a base before it. Names pass ValidateName first; ill-formed UTF-8
// bytes are skipped here.
std::optional<UnprintableCharacter> FirstUnprintableSequence(std::string_view name);

// Returns the number of sequences in the table (11,474 for Debian 12's fonts-ipamj-mincho 005.01).
std::size_t PrintableVariationSequenceCount();

namespace internal {

struct VariationSequence {
  char32_t base;
  char32_t selector;

  friend constexpr auto operator<=>(const VariationSequence&, const VariationSequence&) = default;
};

// The generated table and what it was generated from; defined in the file that
// gen_ivs_table.cc writes into the build tree. Never edit that file.
//
// Returns every sequence of the font's format-14 cmap, sorted by (base, selector), unique.
std::span<const VariationSequence> PrintableSequenceTable();
// Returns the path of the font file the table was read from, as the build saw it.
std::string_view PrintableSequenceFontPath();
// Returns the size in bytes of that font file.
std::uint64_t PrintableSequenceFontBytes();

}  // namespace internal
}  // namespace koseki::text
