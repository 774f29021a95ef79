// PNG both ways: scanned PNG files decoded into gray pages, and the PNGs koseki writes (gray
// pages it stores, the pictures it serves). libpng stays inside png_codec.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"

namespace koseki::render::internal {

// Decodes the one page of the PNG file `bytes` (its signature already checked), admitted
// against `limits` from its header and scaled to limits.normalized_max_width. Fails as
// DecodeScan documents; may throw std::bad_alloc, which DecodeScan turns into KSK-SCAN-012.
Result<std::vector<GrayPage>> DecodePng(std::span<const std::uint8_t> bytes,
                                        const ScanLimits& limits);

// An encoded PNG, or why there is none.
struct WrittenPng {
  std::string png;
  bool out_of_memory = false;
  std::string error;  // empty when written
};

enum class PngUse {
  kStored,  // kept for years: libpng's default filters and compression, for size
  kServed,  // drawn for one view: no row filters, deflate level 3, for speed
};

// Writes a PNG of `height` rows of `width` 8-bit pixels, `channels` 1 (gray) or 3 (RGB); `row`
// returns each row's bytes. No ancillary chunks, so equal pixels give equal bytes. The one PNG
// writer of the module.
WrittenPng WritePng(PngUse use, int width, int height, int channels,
                    const std::function<const std::uint8_t*(int y)>& row);

// Returns the 8-bit gray PNG of `page`, which EncodeGrayPng has checked to be well formed; no
// ancillary chunks, so equal pages give equal bytes. Fails with KSK-SCAN-011 or KSK-SCAN-012;
// may throw std::bad_alloc, which EncodeGrayPng turns into KSK-SCAN-012.
Result<std::string> WriteGrayPng(const GrayPage& page);

}  // namespace koseki::render::internal
