#include "koseki/render/glyph_variants.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "koseki/base/error.h"
#include "koseki/render/internal/png_codec.h"
#include "koseki/text/name.h"

namespace koseki::render {
namespace {

template <typename T, auto kFree>
struct Deleter {
  void operator()(T* handle) const { kFree(handle); }
};
template <typename T, auto kFree>
using Owned = std::unique_ptr<T, Deleter<T, kFree>>;

using FtLibrary = Owned<std::remove_pointer_t<FT_Library>, FT_Done_FreeType>;
using FtFace = Owned<std::remove_pointer_t<FT_Face>, FT_Done_Face>;
using FcPatternPtr = Owned<FcPattern, FcPatternDestroy>;
using FcConfigPtr = Owned<FcConfig, FcConfigDestroy>;
using SurfacePtr = Owned<cairo_surface_t, cairo_surface_destroy>;
using CairoPtr = Owned<cairo_t, cairo_destroy>;
using FontOptionsPtr = Owned<cairo_font_options_t, cairo_font_options_destroy>;
using FontDescriptionPtr = Owned<PangoFontDescription, pango_font_description_free>;
template <typename T>
using GObjectPtr = Owned<T, g_object_unref>;

// Pango 1.50 (Debian 12) keeps the reference pango_fc_font_map_set_config takes on the
// FcConfig after the font map is finalized, and with it the font's pattern and character set.
// Detaching the config first releases it; where Pango releases it itself this changes nothing.
void ReleaseFontMap(PangoFontMap* map) {
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), nullptr);
  g_object_unref(map);
}
using FontMapPtr = Owned<PangoFontMap, ReleaseFontMap>;

}  // namespace

namespace internal {

struct GlyphFont {
  struct Sequence {
    char32_t base;
    char32_t selector;
    bool same_glyph_as_base;
  };

  std::string path;
  std::string family;               // the family name inside the file, for Pango
  std::vector<char32_t> chars;      // every character the font maps, ascending
  std::vector<Sequence> sequences;  // sorted by (base, selector), unique
  std::mutex mutex;                 // held while font_map is in use
  FontMapPtr font_map;
};

}  // namespace internal

namespace {

using internal::GlyphFont;

Error FontMissingError(std::string detail) {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-RENDER-023",
                   "証明書用の書体（IPAmj明朝）がインストールされていません。管理者に連絡して"
                   "ください。",
                   std::move(detail));
}

Error FontUnreadableError(std::string detail) {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-RENDER-024",
                   "証明書用の書体を読み込めません。管理者に連絡してください。", std::move(detail));
}

Error DrawingError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "KSK-RENDER-025", "文字の画像を作成できませんでした。",
                   std::move(detail));
}

// Returns the file fontconfig's system configuration gives for `family`; fontconfig answers
// every query with its best match, so the match must carry the family asked for.
Result<std::string> FindFamily(const std::string& family) {
  const FcPatternPtr pattern(FcPatternCreate());
  if (!pattern) return DrawingError("FcPatternCreate failed");
  FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result = FcResultNoMatch;
  const FcPatternPtr match(FcFontMatch(nullptr, pattern.get(), &result));
  if (!match) return FontMissingError("fontconfig has no fonts at all");
  bool has_family = false;
  FcChar8* name = nullptr;
  for (int i = 0; FcPatternGetString(match.get(), FC_FAMILY, i, &name) == FcResultMatch; ++i) {
    has_family = has_family ||
                 FcStrCmpIgnoreCase(name, reinterpret_cast<const FcChar8*>(family.c_str())) == 0;
  }
  FcChar8* file = nullptr;
  if (!has_family || FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) {
    return FontMissingError("fontconfig knows no font of family " + family);
  }
  return std::string(reinterpret_cast<const char*>(file));
}

// Reads the family name, the characters and the format-14 cmap of the font file at `path`.
Result<std::unique_ptr<GlyphFont>> ReadTables(const std::string& path) {
  FT_Library raw_library = nullptr;
  if (FT_Init_FreeType(&raw_library) != 0) return DrawingError("FT_Init_FreeType failed");
  const FtLibrary library(raw_library);
  FT_Face raw_face = nullptr;
  if (FT_New_Face(library.get(), path.c_str(), 0, &raw_face) != 0) {
    return FontUnreadableError(path + " is not a font FreeType can open");
  }
  const FtFace face(raw_face);
  if (FT_Select_Charmap(face.get(), FT_ENCODING_UNICODE) != 0 || face->family_name == nullptr) {
    return FontUnreadableError(path + " has no Unicode cmap or no family name");
  }
  auto font = std::make_unique<GlyphFont>();
  font->family = face->family_name;
  FT_UInt glyph = 0;
  for (FT_ULong c = FT_Get_First_Char(face.get(), &glyph); glyph != 0;
       c = FT_Get_Next_Char(face.get(), c, &glyph)) {
    font->chars.push_back(static_cast<char32_t>(c));
  }

  // Both calls return a zero-terminated array in one buffer owned by the face, which the next
  // call overwrites: each list is copied before the next call.
  const FT_UInt32* const selector_list = FT_Face_GetVariantSelectors(face.get());
  if (selector_list == nullptr) return FontUnreadableError(path + " has no format-14 cmap");
  std::vector<FT_UInt32> selectors;
  for (const FT_UInt32* s = selector_list; *s != 0; ++s) selectors.push_back(*s);
  for (const FT_UInt32 selector : selectors) {
    std::vector<FT_UInt32> bases;
    const FT_UInt32* const base_list = FT_Face_GetCharsOfVariant(face.get(), selector);
    for (const FT_UInt32* b = base_list; b != nullptr && *b != 0; ++b) bases.push_back(*b);
    for (const FT_UInt32 base : bases) {
      // A default UVS entry draws the base's glyph by definition; IPAmj明朝 has none, but
      // lists each base's own glyph as a non-default entry, which the glyph index reveals.
      const bool same_glyph = FT_Face_GetCharVariantIsDefault(face.get(), base, selector) == 1 ||
                              FT_Face_GetCharVariantIndex(face.get(), base, selector) ==
                                  FT_Get_Char_Index(face.get(), base);
      font->sequences.push_back({base, selector, same_glyph});
    }
  }
  std::sort(font->sequences.begin(), font->sequences.end(), [](const auto& a, const auto& b) {
    return std::pair(a.base, a.selector) < std::pair(b.base, b.selector);
  });
  // FT_Get_Next_Char walks glyph order on some fonts; the lookup needs code point order.
  std::sort(font->chars.begin(), font->chars.end());
  return font;
}

// Returns a Pango font map that sees the font file at `path` and no other font, so that a
// glyph missing from it is never drawn from another font.
Result<FontMapPtr> OnlyFontMap(const std::string& path) {
  const FcConfigPtr config(FcConfigCreate());
  if (!config) return DrawingError("FcConfigCreate failed");
  if (!FcConfigAppFontAddFile(config.get(), reinterpret_cast<const FcChar8*>(path.c_str()))) {
    return FontUnreadableError("fontconfig cannot read " + path);
  }
  PangoFontMap* const created = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (created == nullptr || !PANGO_IS_FC_FONT_MAP(created)) {
    if (created != nullptr) g_object_unref(created);
    return DrawingError("Pango has no fontconfig font map for Cairo");
  }
  FontMapPtr map(created);
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map.get()), config.get());  // adds a reference
  return map;
}

// Draws `text` with `family` at `px` pixels into a px × px PNG, black on white. The layout is
// centred on its logical rectangle (advance × ascent + descent), which for a full-width
// character of IPAmj明朝 is exactly its em box: all variants of a character share one
// position, so an operator sees them as they sit on the line. Callers hold the font's lock.
Result<std::string> DrawPng(PangoFontMap* font_map, const std::string& family,
                            std::u32string_view text, int px) {
  const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_A8, px, px));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return DrawingError(std::string("cairo surface: ") +
                        cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  const CairoPtr cr(cairo_create(surface.get()));
  const GObjectPtr<PangoContext> context(pango_font_map_create_context(font_map));
  pango_cairo_update_context(cr.get(), context.get());
  // Unhinted, as the certificates are drawn: the outline as designed, advances that scale.
  const FontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context.get(), options.get());  // copies them
  const GObjectPtr<PangoLayout> layout(pango_layout_new(context.get()));
  // The same as pango_font_description_from_string("<family> <px>px"), without parsing a
  // family name that might end in a word Pango takes for a style.
  const FontDescriptionPtr description(pango_font_description_new());
  pango_font_description_set_family(description.get(), family.c_str());
  pango_font_description_set_absolute_size(description.get(), px * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), description.get());
  std::string utf8;
  for (const char32_t c : text) {
    char bytes[6];
    utf8.append(bytes,
                static_cast<std::size_t>(g_unichar_to_utf8(static_cast<gunichar>(c), bytes)));
  }
  pango_layout_set_text(layout.get(), utf8.data(), static_cast<int>(utf8.size()));
  PangoRectangle logical;
  pango_layout_get_extents(layout.get(), nullptr, &logical);
  cairo_move_to(cr.get(), (px * PANGO_SCALE - logical.width) / 2.0 / PANGO_SCALE,
                (px * PANGO_SCALE - logical.height) / 2.0 / PANGO_SCALE);
  pango_cairo_show_layout(cr.get(), layout.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return DrawingError(std::string("cairo drawing: ") +
                        cairo_status_to_string(cairo_status(cr.get())));
  }

  // An A8 surface holds ink coverage: 255 - coverage is the glyph in black on white.
  cairo_surface_flush(surface.get());
  const unsigned char* const data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  std::vector<std::uint8_t> row(static_cast<std::size_t>(px));
  internal::WrittenPng written =
      internal::WritePng(internal::PngUse::kServed, px, px, 1, [&](int y) {
        for (int x = 0; x < px; ++x) row[x] = static_cast<std::uint8_t>(255 - data[y * stride + x]);
        return row.data();
      });
  if (!written.error.empty()) return DrawingError("PNG: " + written.error);
  return std::move(written.png);
}

}  // namespace

GlyphVariants::GlyphVariants(std::unique_ptr<GlyphFont> font) : font_(std::move(font)) {}

GlyphVariants::~GlyphVariants() = default;

Result<std::unique_ptr<GlyphVariants>> GlyphVariants::Open(std::string_view family) {
  std::string path;
  if (family.find('/') != std::string_view::npos) {
    path = std::string(family);
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return FontMissingError("no font file at " + path);
    }
  } else {
    KOSEKI_ASSIGN_OR_RETURN(path, FindFamily(std::string(family)));
  }
  std::error_code error;
  const std::filesystem::path canonical = std::filesystem::canonical(path, error);
  if (!error) path = canonical.string();

  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<GlyphFont> font, ReadTables(path));
  font->path = path;
  KOSEKI_ASSIGN_OR_RETURN(font->font_map, OnlyFontMap(path));
  return std::unique_ptr<GlyphVariants>(new GlyphVariants(std::move(font)));
}

Result<std::vector<GlyphVariant>> GlyphVariants::VariantsOf(char32_t base, int px) const {
  if (px < kGlyphMinPx || px > kGlyphMaxPx) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-020",
                     "文字の画像の大きさの指定が正しくありません。",
                     "glyph px " + std::to_string(px) + " outside 16..256");
  }
  if (base > 0x10FFFF || (base >= 0xD800 && base <= 0xDFFF) || text::IsVariationSelector(base)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-021",
                     "異体字を調べる文字の指定が正しくありません。",
                     "base is not a Unicode scalar value or is a variation selector");
  }
  // The details name no code point: the character comes from a person's name.
  if (!std::binary_search(font_->chars.begin(), font_->chars.end(), base)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-022",
                     "この文字は証明書用の書体にありません。",
                     "base character not in " + font_->path);
  }

  const auto first = std::lower_bound(
      font_->sequences.begin(), font_->sequences.end(), base,
      [](const GlyphFont::Sequence& sequence, char32_t c) { return sequence.base < c; });
  std::vector<GlyphVariant> variants = {{0, true, {}}};
  for (auto it = first; it != font_->sequences.end() && it->base == base; ++it) {
    variants.push_back({it->selector, it->same_glyph_as_base, {}});
  }
  const std::lock_guard<std::mutex> lock(font_->mutex);
  for (GlyphVariant& variant : variants) {
    std::u32string text(1, base);
    if (variant.selector != 0) text += variant.selector;
    KOSEKI_ASSIGN_OR_RETURN(variant.png, DrawPng(font_->font_map.get(), font_->family, text, px));
  }
  return variants;
}

std::size_t GlyphVariants::SequenceCount() const { return font_->sequences.size(); }

std::string GlyphVariants::FontPath() const { return font_->path; }

}  // namespace koseki::render
