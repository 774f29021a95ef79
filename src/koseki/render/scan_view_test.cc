// Scan pages as screens show them: scaled to the asked width with the ink where the paper had
// it, and the watermark drawn into every part of the picture when one is given.
#include "koseki/render/scan_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/render/internal/cairo_support.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

// A white page with a black square over [x0, x1) × [y0, y1).
GrayPage PageWithSquare(int width, int height, int x0, int y0, int x1, int y1) {
  GrayPage page{width, height, std::vector<std::uint8_t>(std::size_t(width) * height, 255)};
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) page.pixels[std::size_t(y) * width + x] = 0;
  }
  return page;
}

struct View {
  internal::Surface surface;
  int width() const { return cairo_image_surface_get_width(surface.get()); }
  int height() const { return cairo_image_surface_get_height(surface.get()); }
  int Gray(int x, int y) const {
    const unsigned char* row = cairo_image_surface_get_data(surface.get()) +
                               y * cairo_image_surface_get_stride(surface.get());
    const auto p = reinterpret_cast<const std::uint32_t*>(row)[x];
    return (((p >> 16) & 0xFF) + ((p >> 8) & 0xFF) + (p & 0xFF)) / 3;
  }
  int NotWhiteIn(int x0, int y0, int x1, int y1) const {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) n += Gray(x, y) < 250;
    }
    return n;
  }
};

View Decode(const Result<std::string>& png) {
  EXPECT_THAT(png, IsOk());
  View view{png ? internal::DecodePng(*png) : nullptr};
  EXPECT_NE(view.surface, nullptr);
  return view;
}

TEST(ScanViewTest, APageIsScaledToTheAskedWidthWithItsInkInPlace) {
  const GrayPage page = PageWithSquare(2480, 3508, 1240, 1754, 1740, 2254);
  const View view = Decode(ScanPagePng(page, 620));
  EXPECT_EQ(view.width(), 620);
  EXPECT_EQ(view.height(), 877);
  EXPECT_LT(view.Gray(310 + 60, 438 + 60), 20);   // inside the square, a quarter the size
  EXPECT_GT(view.Gray(310 - 20, 438 - 20), 245);  // outside it
  EXPECT_EQ(view.NotWhiteIn(0, 0, 620, 400), 0);
}

TEST(ScanViewTest, ANarrowPageIsEnlarged) {
  const View view = Decode(ScanPagePng(PageWithSquare(300, 400, 0, 0, 150, 200), 600));
  EXPECT_EQ(view.width(), 600);
  EXPECT_EQ(view.height(), 800);
  EXPECT_LT(view.Gray(100, 100), 20);
  EXPECT_GT(view.Gray(500, 700), 245);
}

TEST(ScanViewTest, TheWatermarkIsInThePixelsOfEveryQuarter) {
  const GrayPage page = PageWithSquare(1240, 1754, 0, 0, 1, 1);
  const Watermark mark{"vendor-op01", "VENDOR-PC-03", "2026-12-06 10:15", "第123号"};
  const View plain = Decode(ScanPagePng(page, 800));
  const View marked = Decode(ScanPagePng(page, 800, &mark));
  ASSERT_EQ(plain.height(), marked.height());
  const int h = marked.height();
  for (const auto& [x, y] : {std::pair{0, 0}, {400, 0}, {0, h / 2}, {400, h / 2}}) {
    EXPECT_EQ(plain.NotWhiteIn(x + 10, y + 10, x + 400, y + h / 2), 0);
    EXPECT_GT(marked.NotWhiteIn(x, y, x + 400, y + h / 2), 2000) << x << "," << y;
  }
}

TEST(ScanViewTest, AWidthOutsideTheRangeOrAMalformedPageIsRefused) {
  const GrayPage page = PageWithSquare(100, 100, 0, 0, 10, 10);
  EXPECT_THAT(ScanPagePng(page, kMinScanViewWidth - 1), ErrorIdIs("KSK-RENDER-015"));
  EXPECT_THAT(ScanPagePng(page, kMaxScanViewWidth + 1), ErrorIdIs("KSK-RENDER-015"));
  GrayPage short_pixels = page;
  short_pixels.pixels.pop_back();
  EXPECT_THAT(ScanPagePng(short_pixels, 400), ErrorIdIs("KSK-RENDER-016"));
  EXPECT_THAT(ScanPagePng(GrayPage{}, 400), ErrorIdIs("KSK-RENDER-016"));
}

}  // namespace
}  // namespace koseki::render
