// The errors of scan intake (scan_image.h lists them). Each KSK-SCAN id is built in exactly one
// of these functions, so that an id keeps one meaning whichever decoder raises it. The public
// message is for the clerk (Japanese, no internals); internal_detail carries sizes and the
// library's message, never pixel content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/render/scan_image.h"

namespace koseki::render::internal {

// InvalidArgument KSK-SCAN-001: the file has no bytes.
Error EmptyFileError();

// InvalidArgument KSK-SCAN-002: the file of `size` bytes is over `max_size`.
Error FileTooLargeError(std::size_t size, std::size_t max_size);

// InvalidArgument KSK-SCAN-003: no TIFF, PNG or JPEG signature at the start of `size` bytes.
Error UnknownFormatError(std::size_t size);

// InvalidArgument KSK-SCAN-004: the file is truncated or corrupt; `detail` says where.
Error CorruptError(ScanFormat format, std::string_view detail);

// InvalidArgument KSK-SCAN-005: the file uses a variant the decoder does not accept.
Error UnsupportedError(ScanFormat format, std::string_view detail);

// InvalidArgument KSK-SCAN-006: the file has more than `max_pages` pages.
Error TooManyPagesError(ScanFormat format, int max_pages);

// InvalidArgument KSK-SCAN-007: page `page` (0-based) claims more pixels than `limits` allow.
Error PageTooLargeError(ScanFormat format, int page, std::int64_t width, std::int64_t height,
                        const ScanLimits& limits);

// InvalidArgument KSK-SCAN-008: pages 0 to `page` claim `total` pixels, over `limits`.
Error TotalTooLargeError(ScanFormat format, int page, std::int64_t total, const ScanLimits& limits);

// InvalidArgument KSK-SCAN-009: page `page` (0-based) is 0 pixels wide or high.
Error EmptyPageError(ScanFormat format, int page, std::int64_t width, std::int64_t height);

// InvalidArgument KSK-SCAN-010: `page` is not a well-formed gray page.
Error MalformedPageError(const GrayPage& page);

// Internal KSK-SCAN-011: libpng failed to encode a gray page.
Error PngEncodeError(std::string_view detail);

// Unavailable KSK-SCAN-012: memory ran out while doing `what`.
Error OutOfMemoryError(std::string_view what);

}  // namespace koseki::render::internal
