// libFuzzer target for scan intake (koseki/render/scan_image.h): any bytes, as an upload could
// carry them, go through DecodeScan. Besides the sanitizers' findings, the target aborts if a
// decoded scan breaks DecodeScan's contract (page sizes, stride, the width limit), if a refusal
// is not a KSK-SCAN error with a message for the clerk, or if a page does not survive
// EncodeGrayPng and DecodeScan unchanged.
//
// The limits are smaller than the server's so that one input costs milliseconds: the checks
// that guard the server's limits are the same code, and a fuzzer that spends seconds decoding
// one legal 60-megapixel page finds nothing new meanwhile.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "koseki/render/scan_image.h"

namespace {

koseki::render::ScanLimits FuzzLimits() {
  koseki::render::ScanLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_pages = 8;
  limits.max_side_px = 4096;
  limits.max_page_pixels = 1 << 20;
  limits.max_total_pixels = 4 << 20;
  limits.normalized_max_width = 512;
  return limits;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const koseki::render::ScanLimits kLimits = FuzzLimits();
  const koseki::Result<koseki::render::DecodedScan> scan =
      koseki::render::DecodeScan(std::span<const std::uint8_t>(data, size), kLimits);
  if (!scan) {
    Check(scan.error().id.starts_with("KSK-SCAN-"));
    Check(!scan.error().public_message.empty());
    return 0;
  }
  Check(!scan->pages.empty() && scan->pages.size() <= static_cast<std::size_t>(kLimits.max_pages));
  for (const koseki::render::GrayPage& page : scan->pages) {
    Check(page.width >= 1 && page.height >= 1 && page.width <= kLimits.normalized_max_width);
    Check(page.pixels.size() == static_cast<std::size_t>(page.width) * page.height);
    const koseki::Result<std::string> png = koseki::render::EncodeGrayPng(page);
    Check(png.has_value());
    const std::span<const std::uint8_t> png_bytes(
        reinterpret_cast<const std::uint8_t*>(png->data()), png->size());
    const koseki::Result<koseki::render::DecodedScan> again =
        koseki::render::DecodeScan(png_bytes, kLimits);
    Check(again.has_value() && again->pages.size() == 1);
    Check(again->pages[0].width == page.width && again->pages[0].height == page.height &&
          again->pages[0].pixels == page.pixels);
  }
  return 0;
}
