// The JPEG decoder of scan intake: one scanned JPEG file into one gray page. libjpeg stays
// inside jpeg_decoder.cc.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"

namespace koseki::render::internal {

// Decodes the one page of the JPEG file `bytes` (its signature already checked), admitted
// against `limits` from its header and scaled to limits.normalized_max_width. Fails as
// DecodeScan documents; may throw std::bad_alloc, which DecodeScan turns into KSK-SCAN-012.
Result<std::vector<GrayPage>> DecodeJpeg(std::span<const std::uint8_t> bytes,
                                         const ScanLimits& limits);

}  // namespace koseki::render::internal
