// The TIFF decoder of scan intake: a scanned TIFF document, one page per image directory, into
// gray pages. libtiff stays inside tiff_decoder.cc.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"

namespace koseki::render::internal {

// Decodes every page of the TIFF file `bytes` (its signature already checked): all directories
// are admitted against `limits` before any pixel is decoded; each page is turned upright and
// scaled to limits.normalized_max_width. Fails as DecodeScan documents; may throw
// std::bad_alloc, which DecodeScan turns into KSK-SCAN-012.
Result<std::vector<GrayPage>> DecodeTiff(std::span<const std::uint8_t> bytes,
                                         const ScanLimits& limits);

}  // namespace koseki::render::internal
