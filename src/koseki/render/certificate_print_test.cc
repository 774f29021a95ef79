// Certificates drawn as PDF and PNG: the PDF's text, read back with poppler's pdftotext, is the
// certificate text page for page; PNG pages have the asked size, carry ink where the text is,
// the tenant's seal where ［職印］ is, and the watermark when one is given.
#include "koseki/render/certificate_print.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/domain/certificate.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/render/internal/cairo_support.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::SizeIs;
using ::testing::StartsWith;

std::vector<std::string> ExamplePages(int lines_per_page = domain::kDefaultLinesPerPage) {
  domain::CertificateOptions options = domain::testing::ExampleCertificateOptions();
  options.lines_per_page = lines_per_page;
  auto pages = domain::RenderCertificatePages(domain::testing::ExampleRegister(), options);
  EXPECT_THAT(pages, IsOk());
  return pages ? *pages : std::vector<std::string>();
}

// A line as words: what a reader of the page sees, whatever the spacing between them.
std::vector<std::string> WordsOf(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == ' ') {
      end_word();
      ++i;
    } else if (line.compare(i, 3, "\u3000") == 0) {
      end_word();
      i += 3;
    } else {
      word += line[i++];
    }
  }
  end_word();
  return words;
}

// The page's lines as words, blank lines left out (pdftotext keeps vertical space as blank
// lines, the certificate has none).
std::vector<std::vector<std::string>> WordLines(const std::string& page) {
  std::vector<std::vector<std::string>> lines;
  std::stringstream in(page);
  for (std::string line; std::getline(in, line);) {
    if (auto words = WordsOf(line); !words.empty()) lines.push_back(words);
  }
  return lines;
}

// pdftotext -layout of `pdf`, split at its form feeds (one per page).
std::vector<std::string> TextOfPdf(const std::string& pdf) {
  koseki::testing::TempDir dir("koseki-render");
  const std::string in = dir.path() / "c.pdf";
  const std::string out = dir.path() / "c.txt";
  std::ofstream(in, std::ios::binary) << pdf;
  const std::string command = "pdftotext -layout -enc UTF-8 " + in + " " + out;
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::stringstream text;
  text << std::ifstream(out, std::ios::binary).rdbuf();
  std::vector<std::string> pages;
  std::string all = text.str();
  for (std::size_t at; (at = all.find('\f')) != std::string::npos; all.erase(0, at + 1)) {
    pages.push_back(all.substr(0, at));
  }
  return pages;
}

struct Pixels {
  internal::Surface surface;
  int width() const { return cairo_image_surface_get_width(surface.get()); }
  int height() const { return cairo_image_surface_get_height(surface.get()); }
  // Gray level 0..255 of (x, y).
  int At(int x, int y) const {
    const unsigned char* row = cairo_image_surface_get_data(surface.get()) +
                               y * cairo_image_surface_get_stride(surface.get());
    const auto pixel = reinterpret_cast<const std::uint32_t*>(row)[x];
    return (((pixel >> 16) & 0xFF) + ((pixel >> 8) & 0xFF) + (pixel & 0xFF)) / 3;
  }
  // How many pixels of the rectangle differ from `other`'s.
  int DifferingIn(const Pixels& other, int x0, int y0, int x1, int y1) const {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) n += At(x, y) != other.At(x, y);
    }
    return n;
  }
  int DarkIn(int x0, int y0, int x1, int y1) const {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) n += At(x, y) < 128;
    }
    return n;
  }
};

Pixels Decode(const Result<std::string>& png) {
  EXPECT_THAT(png, IsOk());
  Pixels pixels{png ? internal::DecodePng(*png) : nullptr};
  EXPECT_NE(pixels.surface, nullptr);
  return pixels;
}

// A round red seal drawn the way a tenant's scan of its 職印 looks: red ink on white.
std::string RedSeal() {
  internal::Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 120, 120));
  internal::Context cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_rgb(cr.get(), 0.8, 0.1, 0.1);
  cairo_rectangle(cr.get(), 8, 8, 104, 104);
  cairo_fill(cr.get());
  cr.reset();
  return *internal::EncodePng(surface.get());
}

// Checked against DOMAIN.md §1.5: the two pages of the example certificate, as the domain
// test pins them byte for byte, are what a reader of the printed PDF reads — every word on
// its line, in order, page for page (pdftotext does not keep the exact run of spaces; the
// grid's columns are checked on the PNG below).
TEST(CertificatePrintTest, ThePdfReadsAsTheCertificateTextPageForPage) {
  const std::vector<std::string> pages = ExamplePages();
  ASSERT_THAT(pages, SizeIs(2));
  Result<std::string> pdf = CertificatePdf(pages, {});
  ASSERT_THAT(pdf, IsOk());
  EXPECT_THAT(*pdf, StartsWith("%PDF-"));
  const std::vector<std::string> text = TextOfPdf(*pdf);
  ASSERT_THAT(text, SizeIs(2));
  for (std::size_t i = 0; i < pages.size(); ++i) {
    EXPECT_EQ(WordLines(text[i]), WordLines(pages[i])) << "page " << i + 1;
  }
}

TEST(CertificatePrintTest, LongerPagesStillFitTheSheetAndReadTheSame) {
  const std::vector<std::string> pages = ExamplePages(domain::kMaxLinesPerPage);
  ASSERT_THAT(pages, SizeIs(1));
  Result<std::string> pdf = CertificatePdf(pages, {});
  ASSERT_THAT(pdf, IsOk());
  const std::vector<std::string> text = TextOfPdf(*pdf);
  ASSERT_THAT(text, SizeIs(1));
  EXPECT_EQ(WordLines(text[0]), WordLines(pages[0]));
}

TEST(CertificatePrintTest, APngPageHasTheAskedWidthA4ProportionsAndInkOnItsLines) {
  const std::vector<std::string> pages = ExamplePages();
  const Pixels page = Decode(CertificatePagePng(pages[0], 1240, {}));
  EXPECT_EQ(page.width(), 1240);
  EXPECT_EQ(page.height(), 1754);  // 1240 × 297 / 210
  // Ink in the header band (top margin to the first rules), none in the left margin.
  EXPECT_GT(page.DarkIn(0, 110, 1240, 260), 500);
  EXPECT_EQ(page.DarkIn(0, 0, 150, 1754), 0);
  // The right-aligned page header ends at display column 82, the block's right edge.
  const int right_edge = 150 + (1240 - 2 * 150);
  EXPECT_EQ(page.DarkIn(right_edge + 30, 0, 1240, 1754), 0);
}

TEST(CertificatePrintTest, TheSealIsStampedOverTheMayorLineOfTheLastPageOnly) {
  const std::vector<std::string> pages = ExamplePages();
  const CertificateArt sealed{RedSeal()};
  const Pixels last_plain = Decode(CertificatePagePng(pages[1], 800, {}));
  const Pixels last_sealed = Decode(CertificatePagePng(pages[1], 800, sealed));
  const Pixels first_plain = Decode(CertificatePagePng(pages[0], 800, {}));
  const Pixels first_sealed = Decode(CertificatePagePng(pages[0], 800, sealed));
  EXPECT_GT(last_sealed.DifferingIn(last_plain, 0, 0, 800, 1131), 1000);
  EXPECT_EQ(first_sealed.DifferingIn(first_plain, 0, 0, 800, 1131), 0);
  // Red where the seal is: find a strongly red pixel.
  bool red = false;
  const unsigned char* data = cairo_image_surface_get_data(last_sealed.surface.get());
  const int stride = cairo_image_surface_get_stride(last_sealed.surface.get());
  for (int y = 0; y < 1131 && !red; ++y) {
    for (int x = 0; x < 800 && !red; ++x) {
      const auto p = reinterpret_cast<const std::uint32_t*>(data + y * stride)[x];
      red = ((p >> 16) & 0xFF) > 150 && ((p >> 8) & 0xFF) < 80;
    }
  }
  EXPECT_TRUE(red);
}

TEST(CertificatePrintTest, AWatermarkChangesPixelsAllOverThePage) {
  const std::vector<std::string> pages = ExamplePages();
  const Watermark mark{"vendor-op01", "VENDOR-PC-03", "2026-12-06 10:15", "第123号"};
  const Pixels plain = Decode(CertificatePagePng(pages[0], 800, {}));
  const Pixels marked = Decode(CertificatePagePng(pages[0], 800, {}, &mark));
  // Every quarter of the page carries some of it, the empty margins included.
  for (const auto& [x, y] : {std::pair{0, 0}, {400, 0}, {0, 565}, {400, 565}}) {
    EXPECT_GT(marked.DifferingIn(plain, x, y, x + 400, y + 565), 2000) << x << "," << y;
  }
  EXPECT_GT(marked.DifferingIn(plain, 0, 0, 100, 1131), 500);  // the left margin too
}

TEST(CertificatePrintTest, ASealThatIsNotAPngIsRefused) {
  const std::vector<std::string> pages = ExamplePages();
  EXPECT_THAT(CertificatePdf(pages, {"GIF89a not a png"}), ErrorIdIs("KSK-RENDER-011"));
  EXPECT_THAT(CertificatePagePng(pages[0], 800, {"\x89PNG\r\n\x1a\n"}),
              ErrorIdIs("KSK-RENDER-011"));
}

TEST(CertificatePrintTest, ASealLargerThanTheLimitIsRefused) {
  internal::Surface big(cairo_image_surface_create(CAIRO_FORMAT_RGB24, kMaxSealSidePx + 1, 4));
  const std::vector<std::string> pages = ExamplePages();
  EXPECT_THAT(CertificatePdf(pages, {*internal::EncodePng(big.get())}),
              ErrorIdIs("KSK-RENDER-011"));
}

TEST(CertificatePrintTest, NoPagesOrAnEmptyPageOrTooManyLinesAreRefused) {
  EXPECT_THAT(CertificatePdf({}, {}), ErrorIdIs("KSK-RENDER-010"));
  const std::vector<std::string> empty = {""};
  EXPECT_THAT(CertificatePdf(empty, {}), ErrorIdIs("KSK-RENDER-010"));
  std::string long_page;
  for (int i = 0; i <= kMaxPageLines; ++i) long_page += "以下余白\n";
  EXPECT_THAT(CertificatePagePng(long_page, 800, {}), ErrorIdIs("KSK-RENDER-010"));
  EXPECT_THAT(CertificatePagePng("\xff\xfe\n", 800, {}), ErrorIdIs("KSK-RENDER-010"));
}

TEST(CertificatePrintTest, APngWidthOutsideTheRangeIsRefused) {
  const std::vector<std::string> pages = ExamplePages();
  EXPECT_THAT(CertificatePagePng(pages[0], kMinPagePngWidth - 1, {}), ErrorIdIs("KSK-RENDER-014"));
  EXPECT_THAT(CertificatePagePng(pages[0], kMaxPagePngWidth + 1, {}), ErrorIdIs("KSK-RENDER-014"));
}

}  // namespace
}  // namespace koseki::render
