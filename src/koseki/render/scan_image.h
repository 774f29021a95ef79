// Scan intake: the file a city clerk's scanner produced (TIFF, PNG or JPEG) turned into plain
// 8-bit grayscale pages that koseki can store, watermark and show.
//
// The file comes from outside (a clerk's PC, a scanner's share, perhaps a hostile upload), so
// DecodeScan trusts nothing in it. The format is recognised by magic bytes only, never by a
// name or a MIME type. Every size a header claims is checked against ScanLimits before any
// pixel memory is allocated: a 1 KB PNG may claim 100000×100000 pixels. libtiff, libpng and
// libjpeg report their errors into per-call state, never to stderr and never by exit(), so
// calls on several threads do not see each other's errors. A file that is truncated or corrupt
// anywhere is refused whole and nothing of it is returned: a page with a grey band where the
// data stopped could be taken for what the paper said.
//
// Pages come out grayscale because notifications are ink on paper and a gray page is a third
// of an RGB one to store and encrypt; pages wider than A4 at 300 dpi are scaled down (area
// average, aspect kept) because finer scans add bytes, not legibility. Pure: no files, no
// store; the caller encrypts and stores the pages (as EncodeGrayPng's bytes). Thread-safe and
// stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::render {

enum class ScanFormat { kTiff, kPng, kJpeg };

// Returns the stable name of a format: "tiff", "png" or "jpeg" (as stored and logged).
std::string_view ScanFormatName(ScanFormat format);

// What DecodeScan accepts. The defaults take a 100-page bundle of A3 pages at 600 dpi and
// bound the memory one call can use (about one byte per pixel of max_total_pixels, plus one
// page's worth for the conversion).
struct ScanLimits {
  std::size_t max_file_bytes = 64 << 20;
  int max_pages = 100;
  int max_side_px = 20000;                    // width or height of a decoded page
  std::int64_t max_page_pixels = 60'000'000;  // e.g. A3 at 600 dpi fits
  std::int64_t max_total_pixels = 600'000'000;
  // A4 at 300 dpi; wider pages are scaled down (area average / box filter), aspect kept.
  // Below 1: pages keep their width.
  int normalized_max_width = 2480;
};

// 8-bit grayscale, row-major, stride == width, 0 = black, 255 = white.
struct GrayPage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

struct DecodedScan {
  ScanFormat format = ScanFormat::kTiff;
  std::vector<GrayPage> pages;
};

// Recognises the format of `bytes` by its magic bytes only, decodes every page, checks it
// against `limits`, converts it to gray and scales pages wider than
// limits.normalized_max_width down to that width.
//
// Conversion: colour becomes luminance (0.299 R + 0.587 G + 0.114 B, as JPEG's Y); 1-bit (also
// CCITT G3/G4) and 2/4/16-bit gray TIFFs honour PhotometricInterpretation (MinIsWhite or
// MinIsBlack); palettes are looked up; 16-bit samples are rounded to 8 bits; alpha is
// composited on white. A TIFF's Orientation tag is applied (its pages come out upright); a
// JPEG's Exif orientation is not (scanners do not write one). A TIFF is a document of pages,
// one per image directory (SubIFDs such as thumbnails are not pages); a PNG or JPEG is one
// page. TIFF compressions accepted: none, CCITT RLE/G3/G4, LZW, PackBits, Deflate, JPEG.
//
// Fails with InvalidArgument and, in the error's internal_detail, sizes and the library's
// message (never pixel content):
//   KSK-SCAN-001 `bytes` is empty;
//   KSK-SCAN-002 it is larger than limits.max_file_bytes;
//   KSK-SCAN-003 its magic bytes are not those of TIFF, PNG or JPEG;
//   KSK-SCAN-004 it is truncated or corrupt (any error the decoding library reports, a bad
//                CRC, data missing or left over, a JPEG warning about corrupt data);
//   KSK-SCAN-005 it uses a variant this decoder does not accept (a TIFF compression or colour
//                model outside the list above, a 12-bit JPEG);
//   KSK-SCAN-006 it has more than limits.max_pages pages;
//   KSK-SCAN-007 a page is wider or higher than limits.max_side_px or has more pixels than
//                limits.max_page_pixels (checked from the header, before decoding);
//   KSK-SCAN-008 the pages together have more than limits.max_total_pixels pixels (likewise);
//   KSK-SCAN-009 a PNG or JPEG page is 0 pixels wide or high (libtiff itself refuses such a
//                TIFF directory, which is then KSK-SCAN-004);
// and with Unavailable KSK-SCAN-012 if memory runs out within the limits.
Result<DecodedScan> DecodeScan(std::span<const std::uint8_t> bytes, const ScanLimits& limits = {});

// Returns a lossless 8-bit gray PNG of `page` (how pages are stored and served): no ancillary
// chunks, so equal pages give equal bytes. Fails with InvalidArgument KSK-SCAN-010 if the page
// is malformed (width or height below 1, or pixels.size() != width * height), Internal
// KSK-SCAN-011 if libpng fails, and Unavailable KSK-SCAN-012 if memory runs out.
Result<std::string> EncodeGrayPng(const GrayPage& page);

}  // namespace koseki::render
