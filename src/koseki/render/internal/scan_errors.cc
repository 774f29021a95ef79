#include "koseki/render/internal/scan_errors.h"

#include <string>

#include "koseki/base/error.h"

namespace koseki::render::internal {
namespace {

std::string Dimensions(std::int64_t width, std::int64_t height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

}  // namespace

Error EmptyFileError() {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-001",
                   "スキャン画像のファイルが空です。ファイルを選び直してください。",
                   "scan file of 0 bytes");
}

Error FileTooLargeError(std::size_t size, std::size_t max_size) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-002",
      "スキャン画像のファイルが大きすぎます（上限は " + std::to_string(max_size >> 20) +
          " MB です）。解像度を下げるか、ファイルを分けて取り込んでください。",
      "scan file of " + std::to_string(size) + " bytes, limit " + std::to_string(max_size));
}

Error UnknownFormatError(std::size_t size) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-003",
      "スキャン画像の形式を判別できません（TIFF、PNG、JPEG のいずれかにしてください）。",
      "no TIFF, PNG or JPEG signature at the start of " + std::to_string(size) + " bytes");
}

Error CorruptError(ScanFormat format, std::string_view detail) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-004",
      "スキャン画像のファイルが壊れているか、途中で切れています。"
      "もう一度スキャンするか、保存し直したファイルを取り込んでください。",
      std::string(ScanFormatName(format)) + " refused as corrupt: " + std::string(detail));
}

Error UnsupportedError(ScanFormat format, std::string_view detail) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-005",
      "この種類のスキャン画像には対応していません。白黒・グレー・カラーの "
      "TIFF（圧縮なし、CCITT G3/G4、LZW、PackBits、Deflate、JPEG）、PNG、JPEG "
      "で保存し直してください。",
      std::string(ScanFormatName(format)) + " variant not accepted: " + std::string(detail));
}

Error TooManyPagesError(ScanFormat format, int max_pages) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-006",
                   "ページ数が多すぎます（1 ファイル " + std::to_string(max_pages) +
                       " ページまでです）。ファイルを分けて取り込んでください。",
                   std::string(ScanFormatName(format)) + " with more than " +
                       std::to_string(max_pages) + " pages");
}

Error PageTooLargeError(ScanFormat format, int page, std::int64_t width, std::int64_t height,
                        const ScanLimits& limits) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-007",
                   "ページの画像が大きすぎます。解像度を下げて（A4 なら 600 dpi 以下で）"
                   "スキャンし直してください。",
                   std::string(ScanFormatName(format)) + " page " + std::to_string(page + 1) +
                       " claims " + Dimensions(width, height) + " pixels, limits " +
                       std::to_string(limits.max_side_px) + " per side and " +
                       std::to_string(limits.max_page_pixels) + " per page");
}

Error TotalTooLargeError(ScanFormat format, int page, std::int64_t total,
                         const ScanLimits& limits) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-008",
                   "スキャン画像全体の画素数が多すぎます。解像度を下げるか、"
                   "ファイルを分けて取り込んでください。",
                   std::string(ScanFormatName(format)) + " pages 1-" + std::to_string(page + 1) +
                       " claim " + std::to_string(total) + " pixels, limit " +
                       std::to_string(limits.max_total_pixels));
}

Error EmptyPageError(ScanFormat format, int page, std::int64_t width, std::int64_t height) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-009",
      "スキャン画像に幅または高さが 0 のページがあります。もう一度スキャンしてください。",
      std::string(ScanFormatName(format)) + " page " + std::to_string(page + 1) + " claims " +
          Dimensions(width, height) + " pixels");
}

Error MalformedPageError(const GrayPage& page) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-010",
                   "ページの画像データが正しくありません。",
                   "gray page " + Dimensions(page.width, page.height) + " with " +
                       std::to_string(page.pixels.size()) + " pixels");
}

Error PngEncodeError(std::string_view detail) {
  return MakeError(ErrorCode::kInternal, "KSK-SCAN-011",
                   "ページの画像を保存用に変換できませんでした。",
                   "libpng failed to encode a gray page: " + std::string(detail));
}

Error OutOfMemoryError(std::string_view what) {
  return MakeError(ErrorCode::kUnavailable, "KSK-SCAN-012",
                   "スキャン画像を処理するためのメモリが不足しています。"
                   "しばらくしてからもう一度取り込んでください。",
                   "out of memory while " + std::string(what));
}

}  // namespace koseki::render::internal
