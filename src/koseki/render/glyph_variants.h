// The glyph variants of a character that the certificate font can print, drawn for the
// character picker (文字同定).
//
// A register may pin the glyph of a kanji in a name with an ideographic variation sequence: the
// base character followed by a variation selector (葛 U+845B + U+E0102). Certificates are
// printed in IPAmj明朝, and its format-14 cmap lists the sequences it can draw — about 11,500,
// not every sequence of the Ideographic Variation Database. An operator identifying a
// character must therefore choose among the variants this installation can print, seeing
// each one as it will be printed. GlyphVariants reads that list from the font at run time and
// draws each variant through the same text pipeline as the certificates: the string base +
// selector in a PangoLayout with the font description "<family> <px>px", via Cairo.
//
// Data entry checks names against a table generated from the font at build time
// (koseki/text/printable_sequences.h); SequenceCount() lets a test and a health check see that
// the font installed now is the one that table was built from.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::render {
namespace internal {
// The font's tables and its Pango font map; defined in glyph_variants.cc, so that this header
// does not pull in Pango.
struct GlyphFont;
}  // namespace internal

inline constexpr int kGlyphMinPx = 16;
inline constexpr int kGlyphMaxPx = 256;

struct GlyphVariant {
  // The variation selector (U+FE00..FE0F, U+E0100..E01EF); 0 for the base character alone.
  char32_t selector = 0;
  // True if this variant draws the same glyph as the base character alone: the base itself,
  // a default UVS entry, or (as everywhere in IPAmj明朝, which has no default UVS entries) a
  // non-default entry naming the base's own glyph. Storing such a selector is still
  // meaningful — it pins the glyph should a later font change the base's default.
  bool is_default = false;
  // A px × px 8-bit grayscale PNG: the glyph in black on white, its em box filling the square.
  std::string png;
};

// The certificate font, its cmap-14 table and a Pango font map that sees only this font file,
// so that no other installed font can stand in for a glyph. Loaded once by Open; the object
// is immutable afterwards and thread-safe (drawing is serialized inside: a Pango font map may
// not be used by two threads at once).
class GlyphVariants {
 public:
  // Loads the font `family` names: a fontconfig family (the default, "IPAmjMincho", is what
  // Debian's fonts-ipamj-mincho installs) or, if it contains a '/', the path of a font file.
  // Fails with FailedPrecondition KSK-RENDER-023 if no installed font has that family or the
  // file does not exist, KSK-RENDER-024 if the file is not a font FreeType can read or has no
  // variation sequences (a format-14 cmap), and Internal KSK-RENDER-025 if fontconfig or
  // Pango cannot be set up.
  static Result<std::unique_ptr<GlyphVariants>> Open(std::string_view family = "IPAmjMincho");

  ~GlyphVariants();
  GlyphVariants(const GlyphVariants&) = delete;
  GlyphVariants& operator=(const GlyphVariants&) = delete;

  // Returns the variants this font can print for `base`: the base alone first, then each
  // selector the format-14 cmap lists for it, in ascending order, each drawn at `px` pixels.
  // Fails with InvalidArgument KSK-RENDER-020 if `px` is outside kGlyphMinPx..kGlyphMaxPx,
  // KSK-RENDER-021 if `base` is not a Unicode scalar value or is itself a variation selector,
  // KSK-RENDER-022 if the font has no glyph for `base`, and Internal KSK-RENDER-025 if Cairo
  // cannot draw or encode an image.
  Result<std::vector<GlyphVariant>> VariantsOf(char32_t base, int px) const;

  // Returns the number of sequences in the font's format-14 cmap (default and non-default).
  std::size_t SequenceCount() const;

  // Returns the font file's path, symbolic links resolved.
  std::string FontPath() const;

 private:
  explicit GlyphVariants(std::unique_ptr<internal::GlyphFont> font);

  std::unique_ptr<internal::GlyphFont> font_;
};

}  // namespace koseki::render
