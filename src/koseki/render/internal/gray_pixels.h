// Pixel arithmetic and page handling shared by the three decoders, so that one colour gives
// one gray whatever the file format, and every format is held to the same limits and scaled
// the same way.
#pragma once

#include <algorithm>
#include <cstdint>

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"

namespace koseki::render::internal {

// Returns the luminance of an 8-bit RGB colour with JPEG's weights (0.299, 0.587, 0.114) in
// 16-bit fixed point; they add up to 65536, so white stays 255 and grays stay themselves.
constexpr std::uint8_t Luma(unsigned r, unsigned g, unsigned b) {
  return static_cast<std::uint8_t>((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
}

// Returns `gray` at opacity `alpha` (not premultiplied) over white.
constexpr std::uint8_t OverWhite(unsigned gray, unsigned alpha) {
  return static_cast<std::uint8_t>((gray * alpha + 255 * (255 - alpha) + 127) / 255);
}

// Returns the premultiplied `gray` at opacity `alpha` over white.
constexpr std::uint8_t PremultipliedOverWhite(unsigned gray, unsigned alpha) {
  return static_cast<std::uint8_t>(std::min(255U, gray + 255 - std::min(alpha, 255U)));
}

// Returns the nearest 8-bit value of a 16-bit sample.
constexpr std::uint8_t To8Bits(unsigned sample16) {
  return static_cast<std::uint8_t>((sample16 * 255 + 32767) / 65535);
}

static_assert(Luma(255, 255, 255) == 255 && Luma(0, 0, 0) == 0 && Luma(77, 77, 77) == 77);
static_assert(OverWhite(0, 0) == 255 && OverWhite(0, 255) == 0 && OverWhite(100, 255) == 100);
static_assert(To8Bits(65535) == 255 && To8Bits(0) == 0 && To8Bits(0x8080) == 0x80);

// Counts pages and pixels against the limits as headers are read, before pixels are allocated.
class PageBudget {
 public:
  PageBudget(ScanFormat format, const ScanLimits& limits) : format_(format), limits_(limits) {}

  // Admits page number `page` (0-based) of `width` × `height` pixels, or says why not.
  Result<void> Admit(int page, std::int64_t width, std::int64_t height);

 private:
  ScanFormat format_;
  const ScanLimits& limits_;
  std::int64_t total_ = 0;
};

// Returns a page of `width` × `height` pixels, all 0, for a decoder to fill.
GrayPage BlankPage(std::uint32_t width, std::uint32_t height);

// Returns `page` scaled down to `max_width` by area averaging if it is wider, height in
// proportion (rounded, at least 1); otherwise `page` itself. Exact: each destination pixel is
// the rounded mean of the source area it covers, fractions of pixels weighted by their share.
GrayPage ScaleToWidth(GrayPage page, int max_width);

}  // namespace koseki::render::internal
