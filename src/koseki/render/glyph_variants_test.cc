// Glyph variants with the real IPAmj明朝 and the real Pango: that a variation sequence the font
// lists draws another glyph than its base, that one it does not list silently draws the base
// (why data entry refuses it), the picker's images, and that the table generated at build time
// describes the font installed now.
#include "koseki/render/glyph_variants.h"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/text/name.h"
#include "koseki/text/printable_sequences.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Contains;
using ::testing::Not;

using Pixels = std::vector<unsigned char>;

constexpr char32_t kKuzu = U'葛';  // U+845B
constexpr int kPx = 64;

std::string Hex(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

std::string Describe(char32_t base, char32_t selector) {
  return Hex(base) + (selector == 0 ? "" : " " + Hex(selector));
}

template <typename T, auto kFree>
struct Deleter {
  void operator()(T* handle) const { kFree(handle); }
};
using SurfacePtr =
    std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
using LayoutPtr = std::unique_ptr<PangoLayout, Deleter<PangoLayout, g_object_unref>>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t,
                                       Deleter<cairo_font_options_t, cairo_font_options_destroy>>;
using FontDescriptionPtr =
    std::unique_ptr<PangoFontDescription,
                    Deleter<PangoFontDescription, pango_font_description_free>>;

// Returns the bytes of an A8 surface row by row, without the stride's padding.
Pixels PixelsOf(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  Pixels pixels;
  for (int y = 0; y < height; ++y) {
    pixels.insert(pixels.end(), data + y * stride, data + y * stride + width);
  }
  return pixels;
}

// Draws base + selector the way a certificate is drawn — pango_cairo_create_layout on the default
// font map (the system's fontconfig), font description "IPAmjMincho <px>px", metrics unhinted — and
// returns the ink coverage of a px × px picture. Independent of GlyphVariants.
Pixels CertificatePipelinePixels(char32_t base, char32_t selector, int px) {
  const SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_A8, px, px));
  {
    const CairoPtr cr(cairo_create(surface.get()));
    const LayoutPtr layout(pango_cairo_create_layout(cr.get()));
    const FontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango_layout_get_context(layout.get()), options.get());
    pango_layout_context_changed(layout.get());
    const FontDescriptionPtr description(
        pango_font_description_from_string(("IPAmjMincho " + std::to_string(px) + "px").c_str()));
    pango_layout_set_font_description(layout.get(), description.get());
    std::u32string text(1, base);
    if (selector != 0) text += selector;
    const std::string utf8 = text::EncodeUtf8(text);
    pango_layout_set_text(layout.get(), utf8.data(), static_cast<int>(utf8.size()));
    pango_cairo_show_layout(cr.get(), layout.get());
  }
  return PixelsOf(surface.get());
}

std::size_t InkedPixels(const Pixels& pixels) {
  return static_cast<std::size_t>(
      std::count_if(pixels.begin(), pixels.end(), [](unsigned char p) { return p != 0; }));
}

struct PngHeader {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  int bit_depth = 0;
  int color_type = 0;
};

std::uint32_t BigEndian32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

// Returns the IHDR fields of a PNG, or nullopt if `png` does not start with the PNG signature
// followed by an IHDR chunk.
std::optional<PngHeader> ReadPngHeader(const std::string& png) {
  static constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (png.size() < 33 || png.compare(0, 8, kSignature, 8) != 0) return std::nullopt;
  if (BigEndian32(png, 8) != 13 || png.compare(12, 4, "IHDR") != 0) return std::nullopt;
  return PngHeader{BigEndian32(png, 16), BigEndian32(png, 20), static_cast<unsigned char>(png[24]),
                   static_cast<unsigned char>(png[25])};
}

struct PngReader {
  const std::string* png;
  std::size_t at = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->png->size() - reader->at < length) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(reader->png->data() + reader->at, length, data);
  reader->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// Decodes a PNG of GlyphVariants to its gray levels (255 = white); empty if it does not decode.
Pixels GrayOf(const std::string& png) {
  PngReader reader{&png};
  const SurfacePtr decoded(cairo_image_surface_create_from_png_stream(ReadPng, &reader));
  if (cairo_surface_status(decoded.get()) != CAIRO_STATUS_SUCCESS) return {};
  // Cairo decodes a grayscale PNG as RGB24; the blue byte (lowest) carries the gray level.
  const int width = cairo_image_surface_get_width(decoded.get());
  const int height = cairo_image_surface_get_height(decoded.get());
  const int stride = cairo_image_surface_get_stride(decoded.get());
  const unsigned char* data = cairo_image_surface_get_data(decoded.get());
  Pixels gray;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint32_t pixel;
      std::copy_n(data + y * stride + 4 * x, 4, reinterpret_cast<unsigned char*>(&pixel));
      gray.push_back(static_cast<unsigned char>(pixel & 0xFF));
    }
  }
  return gray;
}

class GlyphVariantsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<GlyphVariants>> opened = GlyphVariants::Open();
    ASSERT_THAT(opened, IsOk());
    font_ = std::move(opened).value().release();
  }
  static void TearDownTestSuite() {
    delete font_;
    font_ = nullptr;
  }

  static std::vector<GlyphVariant> VariantsOf(char32_t base, int px) {
    Result<std::vector<GlyphVariant>> variants = font_->VariantsOf(base, px);
    EXPECT_THAT(variants, IsOk()) << Hex(base);
    return variants ? *std::move(variants) : std::vector<GlyphVariant>();
  }

  static GlyphVariants* font_;
};

GlyphVariants* GlyphVariantsTest::font_ = nullptr;

// The key fact: through the certificates' own pipeline, a listed sequence draws its own glyph
// and an unlisted one draws the base without a word.
TEST_F(GlyphVariantsTest, KuzuWithE0102IsDrawnDifferentlyFromKuzuAlone) {
  const Pixels kuzu = CertificatePipelinePixels(kKuzu, 0, kPx);
  EXPECT_GT(InkedPixels(kuzu), 100u);
  EXPECT_NE(CertificatePipelinePixels(kKuzu, 0xE0102, kPx), kuzu);
}

TEST_F(GlyphVariantsTest, KuzuWithE0100FallsBackSilentlyToKuzuAlone) {
  EXPECT_FALSE(text::IsPrintableVariationSequence(kKuzu, 0xE0100));
  EXPECT_EQ(CertificatePipelinePixels(kKuzu, 0xE0100, kPx),
            CertificatePipelinePixels(kKuzu, 0, kPx));
}

// The first 20 sequences of the table that name a glyph of their own each draw differently
// from their base, and those naming the base's own glyph (IPAmj明朝 lists one per base) draw
// the same; so the picker's is_default is what printing does.
TEST_F(GlyphVariantsTest, ListedSequencesDrawTheirOwnGlyphUnlessTheyNameTheBaseGlyph) {
  std::vector<std::pair<char32_t, char32_t>> own_glyph;
  std::vector<std::pair<char32_t, char32_t>> base_glyph;
  char32_t last_base = 0;
  for (const text::internal::VariationSequence& sequence :
       text::internal::PrintableSequenceTable()) {
    if (own_glyph.size() >= 20 && base_glyph.size() >= 5) break;
    if (sequence.base == last_base) continue;
    last_base = sequence.base;
    for (const GlyphVariant& variant : VariantsOf(sequence.base, kGlyphMinPx)) {
      if (variant.selector == 0) continue;
      auto& list = variant.is_default ? base_glyph : own_glyph;
      list.emplace_back(sequence.base, variant.selector);
    }
  }
  ASSERT_GE(own_glyph.size(), 20u);
  ASSERT_GE(base_glyph.size(), 5u);
  own_glyph.resize(20);
  base_glyph.resize(5);
  std::string used;
  for (const auto& [base, selector] : own_glyph) {
    const Pixels alone = CertificatePipelinePixels(base, 0, kPx);
    EXPECT_GT(InkedPixels(alone), 0u) << Describe(base, 0);
    EXPECT_NE(CertificatePipelinePixels(base, selector, kPx), alone) << Describe(base, selector);
    used += " " + Describe(base, selector) + ";";
  }
  for (const auto& [base, selector] : base_glyph) {
    EXPECT_EQ(CertificatePipelinePixels(base, selector, kPx),
              CertificatePipelinePixels(base, 0, kPx))
        << Describe(base, selector);
    used += " " + Describe(base, selector) + " (base glyph);";
  }
  RecordProperty("sequences", used);
}

TEST_F(GlyphVariantsTest, KuzuListsItsBaseThenItsPrintableSelectorsInOrder) {
  const std::vector<GlyphVariant> variants = VariantsOf(kKuzu, kPx);
  ASSERT_GE(variants.size(), 2u);
  EXPECT_EQ(variants[0].selector, 0u);
  EXPECT_TRUE(variants[0].is_default);
  std::vector<char32_t> selectors;
  for (const GlyphVariant& variant : variants) selectors.push_back(variant.selector);
  EXPECT_THAT(selectors, Contains(0xE0102u));
  EXPECT_THAT(selectors, Not(Contains(0xE0100u)));
  EXPECT_TRUE(std::is_sorted(selectors.begin(), selectors.end()));
  EXPECT_EQ(std::adjacent_find(selectors.begin(), selectors.end()), selectors.end());
}

TEST_F(GlyphVariantsTest, ImagesAreGrayPngsOfTheRequestedSize) {
  for (const int px : {kGlyphMinPx, kPx, kGlyphMaxPx}) {
    for (const GlyphVariant& variant : VariantsOf(kKuzu, px)) {
      const std::optional<PngHeader> header = ReadPngHeader(variant.png);
      ASSERT_TRUE(header.has_value()) << px << " " << Hex(variant.selector);
      EXPECT_EQ(header->width, static_cast<std::uint32_t>(px));
      EXPECT_EQ(header->height, static_cast<std::uint32_t>(px));
      EXPECT_EQ(header->bit_depth, 8);
      EXPECT_EQ(header->color_type, 0);  // grayscale
    }
  }
}

TEST_F(GlyphVariantsTest, ImagesAreBlackOnWhiteAndDifferExactlyWhereTheGlyphDoes) {
  const std::vector<GlyphVariant> variants = VariantsOf(kKuzu, kPx);
  ASSERT_FALSE(variants.empty());
  const Pixels base = GrayOf(variants[0].png);
  ASSERT_EQ(base.size(), static_cast<std::size_t>(kPx * kPx));
  EXPECT_EQ(base.front(), 255);                            // the top-left corner is paper
  EXPECT_GT(std::count(base.begin(), base.end(), 0), 50);  // full ink inside strokes
  for (const GlyphVariant& variant : variants) {
    EXPECT_EQ(GrayOf(variant.png) == base, variant.is_default) << Hex(variant.selector);
  }
  const auto e0102 = std::find_if(variants.begin(), variants.end(),
                                  [](const GlyphVariant& v) { return v.selector == 0xE0102; });
  ASSERT_NE(e0102, variants.end());
  EXPECT_FALSE(e0102->is_default);
}

// A font upgraded after the build would let data entry accept sequences the printer cannot
// draw, or refuse ones it can.
TEST_F(GlyphVariantsTest, BuildTimeTableDescribesTheInstalledFont) {
  EXPECT_EQ(font_->SequenceCount(), text::PrintableVariationSequenceCount());
  std::error_code error;
  EXPECT_EQ(std::filesystem::file_size(font_->FontPath(), error),
            text::internal::PrintableSequenceFontBytes())
      << font_->FontPath() << " vs " << text::internal::PrintableSequenceFontPath();
  // And per character: the picker offers exactly what data entry accepts.
  for (const char32_t base : {kKuzu, U'辻', U'高', U'﨑'}) {
    std::vector<char32_t> runtime;
    for (const GlyphVariant& variant : VariantsOf(base, kGlyphMinPx)) {
      if (variant.selector != 0) runtime.push_back(variant.selector);
    }
    std::vector<char32_t> build_time;
    for (const text::internal::VariationSequence& sequence :
         text::internal::PrintableSequenceTable()) {
      if (sequence.base == base) build_time.push_back(sequence.selector);
    }
    EXPECT_EQ(runtime, build_time) << Hex(base);
  }
}

TEST_F(GlyphVariantsTest, FontPathIsTheInstalledFile) {
  EXPECT_TRUE(std::filesystem::is_regular_file(font_->FontPath())) << font_->FontPath();
}

TEST_F(GlyphVariantsTest, OpensTheFontByPathToo) {
  Result<std::unique_ptr<GlyphVariants>> by_path =
      GlyphVariants::Open(text::internal::PrintableSequenceFontPath());
  ASSERT_THAT(by_path, IsOk());
  EXPECT_EQ((*by_path)->SequenceCount(), font_->SequenceCount());
  Result<std::vector<GlyphVariant>> variants = (*by_path)->VariantsOf(kKuzu, kPx);
  ASSERT_THAT(variants, IsOk());
  EXPECT_EQ(variants->size(), VariantsOf(kKuzu, kPx).size());
}

TEST_F(GlyphVariantsTest, DrawsFromSeveralThreadsAtOnce) {
  const std::vector<GlyphVariant> expected = VariantsOf(kKuzu, 32);
  std::vector<std::vector<GlyphVariant>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&result] {
      for (int i = 0; i < 3; ++i) {
        Result<std::vector<GlyphVariant>> variants = font_->VariantsOf(kKuzu, 32);
        if (variants) result = *std::move(variants);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_EQ(result.size(), expected.size());
    for (std::size_t i = 0; i < result.size(); ++i) EXPECT_EQ(result[i].png, expected[i].png);
  }
}

TEST_F(GlyphVariantsTest, RefusesSizesOutsideTheRange) {
  EXPECT_THAT(font_->VariantsOf(kKuzu, kGlyphMinPx - 1), ErrorIdIs("KSK-RENDER-020"));
  EXPECT_THAT(font_->VariantsOf(kKuzu, kGlyphMaxPx + 1), ErrorIdIs("KSK-RENDER-020"));
  EXPECT_THAT(font_->VariantsOf(kKuzu, 0), ErrorIdIs("KSK-RENDER-020"));
  EXPECT_THAT(font_->VariantsOf(kKuzu, -64), ErrorIdIs("KSK-RENDER-020"));
}

TEST_F(GlyphVariantsTest, RefusesWhatIsNotABaseCharacter) {
  EXPECT_THAT(font_->VariantsOf(0xD842, kPx), ErrorIdIs("KSK-RENDER-021"));    // a surrogate
  EXPECT_THAT(font_->VariantsOf(0x110000, kPx), ErrorIdIs("KSK-RENDER-021"));  // beyond Unicode
  EXPECT_THAT(font_->VariantsOf(0xE0102, kPx), ErrorIdIs("KSK-RENDER-021"));   // a selector
  EXPECT_THAT(font_->VariantsOf(0xFE00, kPx), ErrorIdIs("KSK-RENDER-021"));
}

TEST_F(GlyphVariantsTest, RefusesACharacterTheFontDoesNotHave) {
  EXPECT_THAT(font_->VariantsOf(0x0378, kPx), ErrorIdIs("KSK-RENDER-022"));  // unassigned
  EXPECT_THAT(font_->VariantsOf(0, kPx), ErrorIdIs("KSK-RENDER-022"));
}

TEST(GlyphVariantsOpenTest, RefusesAFamilyThatIsNotInstalled) {
  // fontconfig answers with some other font; that must not pass for the certificate font.
  EXPECT_THAT(GlyphVariants::Open("KosekiNoSuchFamily"), ErrorIdIs("KSK-RENDER-023"));
}

TEST(GlyphVariantsOpenTest, RefusesAMissingFile) {
  EXPECT_THAT(GlyphVariants::Open("/nonexistent/koseki/ipamjm.ttf"), ErrorIdIs("KSK-RENDER-023"));
}

TEST(GlyphVariantsOpenTest, RefusesAFileThatIsNotAFont) {
  const std::string path = ::testing::TempDir() + "/koseki_not_a_font.ttf";
  std::ofstream(path) << "not a font";
  EXPECT_THAT(GlyphVariants::Open(path), ErrorIdIs("KSK-RENDER-024"));
  std::filesystem::remove(path);
}

TEST(GlyphVariantsOpenTest, RefusesAFontWithoutVariationSequences) {
  // DejaVu comes with fontconfig on Debian and has no format-14 cmap.
  const std::string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (!std::filesystem::exists(dejavu)) GTEST_SKIP() << dejavu << " not installed";
  EXPECT_THAT(GlyphVariants::Open(dejavu), ErrorIdIs("KSK-RENDER-024"));
}

}  // namespace
}  // namespace koseki::render
