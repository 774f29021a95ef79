// PNG for scan intake, both ways: scanned PNG files decoded into gray pages, and gray pages
// written as the lossless PNG that koseki stores and serves. libpng stays inside png_codec.cc.
#pragma once

#include <cstdint>
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

// Returns the 8-bit gray PNG of `page`, which EncodeGrayPng has checked to be well formed; no
// ancillary chunks, so equal pages give equal bytes. Fails with KSK-SCAN-011 or KSK-SCAN-012;
// may throw std::bad_alloc, which EncodeGrayPng turns into KSK-SCAN-012.
Result<std::string> WriteGrayPng(const GrayPage& page);

}  // namespace koseki::render::internal
