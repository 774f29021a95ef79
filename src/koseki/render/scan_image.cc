// Scan intake's front door: the checks that need no decoder (size, magic bytes, a page's
// shape), the choice of decoder, and the barrier that turns std::bad_alloc into KSK-SCAN-012.
// The decoders and the PNG writer live in internal/.
#include "koseki/render/scan_image.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <new>
#include <optional>
#include <utility>

#include "koseki/render/internal/jpeg_decoder.h"
#include "koseki/render/internal/png_codec.h"
#include "koseki/render/internal/scan_errors.h"
#include "koseki/render/internal/tiff_decoder.h"

namespace koseki::render {

std::string_view ScanFormatName(ScanFormat format) {
  switch (format) {
    case ScanFormat::kTiff:
      return "tiff";
    case ScanFormat::kPng:
      return "png";
    case ScanFormat::kJpeg:
      return "jpeg";
  }
  return "unknown";
}
namespace {

using internal::DecodeJpeg;
using internal::DecodePng;
using internal::DecodeTiff;
using internal::EmptyFileError;
using internal::FileTooLargeError;
using internal::MalformedPageError;
using internal::OutOfMemoryError;
using internal::UnknownFormatError;

constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

std::optional<ScanFormat> Sniff(std::span<const std::uint8_t> bytes) {
  const auto starts_with = [&](std::initializer_list<std::uint8_t> magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
  };
  if (bytes.size() >= sizeof kPngSignature &&
      std::memcmp(bytes.data(), kPngSignature, sizeof kPngSignature) == 0) {
    return ScanFormat::kPng;
  }
  if (starts_with({0xFF, 0xD8, 0xFF})) return ScanFormat::kJpeg;
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (starts_with({'I', 'I', 42, 0}) || starts_with({'M', 'M', 0, 42}) ||
      starts_with({'I', 'I', 43, 0}) || starts_with({'M', 'M', 0, 43})) {
    return ScanFormat::kTiff;
  }
  return std::nullopt;
}

}  // namespace

Result<DecodedScan> DecodeScan(std::span<const std::uint8_t> bytes, const ScanLimits& limits) {
  if (bytes.empty()) return EmptyFileError();
  if (bytes.size() > limits.max_file_bytes) {
    return FileTooLargeError(bytes.size(), limits.max_file_bytes);
  }
  const std::optional<ScanFormat> format = Sniff(bytes);
  if (!format) return UnknownFormatError(bytes.size());
  try {
    Result<std::vector<GrayPage>> pages = *format == ScanFormat::kPng ? DecodePng(bytes, limits)
                                          : *format == ScanFormat::kJpeg
                                              ? DecodeJpeg(bytes, limits)
                                              : DecodeTiff(bytes, limits);
    if (!pages) return std::move(pages).error();
    return DecodedScan{*format, std::move(*pages)};
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("decoding a scan");
  }
}

Result<std::string> EncodeGrayPng(const GrayPage& page) {
  if (page.width < 1 || page.height < 1 ||
      page.pixels.size() != static_cast<std::size_t>(page.width) * page.height) {
    return MalformedPageError(page);
  }
  try {
    return internal::WriteGrayPng(page);
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("encoding a gray page as PNG");
  }
}

}  // namespace koseki::render
