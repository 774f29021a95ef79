#include "koseki/render/scan_view.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "koseki/base/error.h"
#include "koseki/render/internal/cairo_support.h"

namespace koseki::render {

Result<void> CheckScanViewWidth(int width_px) {
  if (width_px < kMinScanViewWidth || width_px > kMaxScanViewWidth) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-015",
                     "画像の幅の指定が正しくありません。",
                     "scan view width " + std::to_string(width_px) + " px");
  }
  return {};
}

Result<std::string> ScanPagePng(const GrayPage& page, int width_px, const Watermark* watermark) {
  KOSEKI_RETURN_IF_ERROR(CheckScanViewWidth(width_px));
  if (page.width < 1 || page.height < 1 ||
      page.pixels.size() != static_cast<std::size_t>(page.width) * page.height) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-016",
                     "スキャン画像を表示できません。", "malformed gray page");
  }
  // The page's darkness as an alpha mask: black ink is drawn where the paper was dark, so the
  // page needs one byte per pixel here, not four.
  internal::Surface ink(cairo_image_surface_create(CAIRO_FORMAT_A8, page.width, page.height));
  if (auto ok = internal::CheckDrawn(ink.get(), "scan mask"); !ok) return ok.error();
  unsigned char* mask = cairo_image_surface_get_data(ink.get());
  const int stride = cairo_image_surface_get_stride(ink.get());
  for (int y = 0; y < page.height; ++y) {
    const std::uint8_t* from = page.pixels.data() + static_cast<std::size_t>(y) * page.width;
    unsigned char* to = mask + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < page.width; ++x) to[x] = static_cast<unsigned char>(255 - from[x]);
  }
  cairo_surface_mark_dirty(ink.get());

  const double scale = static_cast<double>(width_px) / page.width;
  const int height_px = std::max(1, static_cast<int>(std::lround(page.height * scale)));
  internal::Surface view(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px));
  internal::Context cr(cairo_create(view.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_save(cr.get());
  cairo_scale(cr.get(), scale, scale);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  cairo_pattern_t* pattern = cairo_pattern_create_for_surface(ink.get());
  // GOOD averages the pixels a reduced view pixel covers (thin strokes stay visible).
  cairo_pattern_set_filter(pattern, CAIRO_FILTER_GOOD);
  cairo_mask(cr.get(), pattern);
  cairo_pattern_destroy(pattern);
  cairo_restore(cr.get());
  if (watermark != nullptr) internal::DrawWatermark(cr.get(), width_px, height_px, *watermark);
  cr.reset();
  cairo_surface_flush(view.get());
  if (auto ok = internal::CheckDrawn(view.get(), "scan view"); !ok) return ok.error();
  return internal::EncodePng(view.get());
}

}  // namespace koseki::render
