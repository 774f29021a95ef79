// A scan page as a screen shows it: the stored gray page scaled to the width the screen asks
// for, with the viewer's watermark drawn into the pixels when the caller gives one. The page is
// a picture only — no text layer, nothing a browser could select or copy (R4).
#pragma once

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"
#include "koseki/render/watermark.h"

namespace koseki::render {

inline constexpr int kMinScanViewWidth = 200;
inline constexpr int kMaxScanViewWidth = 4000;

// Returns ok if ScanPagePng accepts `width_px`; InvalidArgument KSK-RENDER-015 otherwise.
Result<void> CheckScanViewWidth(int width_px);

// Returns `page` as an RGB PNG `width_px` wide (height in proportion; a narrower page is
// enlarged), ink drawn through the page's darkness onto white, then `watermark` over it.
// InvalidArgument KSK-RENDER-015 for a width outside kMinScanViewWidth..kMaxScanViewWidth,
// KSK-RENDER-016 for a malformed page (no pixels, or pixels.size() != width × height);
// Internal KSK-RENDER-013 if Cairo fails.
Result<std::string> ScanPagePng(const GrayPage& page, int width_px,
                                const Watermark* watermark = nullptr);

}  // namespace koseki::render
