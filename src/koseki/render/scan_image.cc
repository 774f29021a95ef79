#include "koseki/render/scan_image.h"

// jpeglib.h needs FILE and size_t declared before it.
// clang-format off
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
// clang-format on
#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <csetjmp>
#include <cstdarg>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <utility>

namespace koseki::render {
namespace {

// ---------------------------------------------------------------------------------------------
// Errors. Each id is built in exactly one of these functions.

std::string_view FormatName(ScanFormat format) {
  switch (format) {
    case ScanFormat::kTiff:
      return "TIFF";
    case ScanFormat::kPng:
      return "PNG";
    case ScanFormat::kJpeg:
      return "JPEG";
  }
  return "?";
}

std::string Dimensions(std::int64_t width, std::int64_t height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

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
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-004",
                   "スキャン画像のファイルが壊れているか、途中で切れています。"
                   "もう一度スキャンするか、保存し直したファイルを取り込んでください。",
                   std::string(FormatName(format)) + " refused as corrupt: " + std::string(detail));
}

Error UnsupportedError(ScanFormat format, std::string_view detail) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-005",
      "この種類のスキャン画像には対応していません。白黒・グレー・カラーの "
      "TIFF（圧縮なし、CCITT G3/G4、LZW、PackBits、Deflate、JPEG）、PNG、JPEG "
      "で保存し直してください。",
      std::string(FormatName(format)) + " variant not accepted: " + std::string(detail));
}

Error TooManyPagesError(ScanFormat format, int max_pages) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-006",
      "ページ数が多すぎます（1 ファイル " + std::to_string(max_pages) +
          " ページまでです）。ファイルを分けて取り込んでください。",
      std::string(FormatName(format)) + " with more than " + std::to_string(max_pages) + " pages");
}

Error PageTooLargeError(ScanFormat format, int page, std::int64_t width, std::int64_t height,
                        const ScanLimits& limits) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-007",
                   "ページの画像が大きすぎます。解像度を下げて（A4 なら 600 dpi 以下で）"
                   "スキャンし直してください。",
                   std::string(FormatName(format)) + " page " + std::to_string(page + 1) +
                       " claims " + Dimensions(width, height) + " pixels, limits " +
                       std::to_string(limits.max_side_px) + " per side and " +
                       std::to_string(limits.max_page_pixels) + " per page");
}

Error TotalTooLargeError(ScanFormat format, int page, std::int64_t total,
                         const ScanLimits& limits) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-008",
                   "スキャン画像全体の画素数が多すぎます。解像度を下げるか、"
                   "ファイルを分けて取り込んでください。",
                   std::string(FormatName(format)) + " pages 1-" + std::to_string(page + 1) +
                       " claim " + std::to_string(total) + " pixels, limit " +
                       std::to_string(limits.max_total_pixels));
}

Error EmptyPageError(ScanFormat format, int page, std::int64_t width, std::int64_t height) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-SCAN-009",
      "スキャン画像に幅または高さが 0 のページがあります。もう一度スキャンしてください。",
      std::string(FormatName(format)) + " page " + std::to_string(page + 1) + " claims " +
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

// ---------------------------------------------------------------------------------------------
// Pixel arithmetic shared by the three decoders, so that one colour gives one gray whatever
// the file format.

// Returns the luminance of an 8-bit RGB colour with JPEG's weights (0.299, 0.587, 0.114) in
// 16-bit fixed point; they add up to 65536, so white stays 255 and grays stay themselves.
constexpr std::uint8_t Luma(unsigned r, unsigned g, unsigned b) {
  return static_cast<std::uint8_t>((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
}

// Returns `gray` at opacity `alpha` (not premultiplied) over white.
constexpr std::uint8_t OverWhite(unsigned gray, unsigned alpha) {
  return static_cast<std::uint8_t>((gray * alpha + 255 * (255 - alpha) + 127) / 255);
}

// Returns the premultiplied `gray` at opacity `alpha` over white.
constexpr std::uint8_t PremultipliedOverWhite(unsigned gray, unsigned alpha) {
  return static_cast<std::uint8_t>(std::min(255U, gray + 255 - std::min(alpha, 255U)));
}

// Returns the nearest 8-bit value of a 16-bit sample.
constexpr std::uint8_t To8Bits(unsigned sample16) {
  return static_cast<std::uint8_t>((sample16 * 255 + 32767) / 65535);
}

static_assert(Luma(255, 255, 255) == 255 && Luma(0, 0, 0) == 0 && Luma(77, 77, 77) == 77);
static_assert(OverWhite(0, 0) == 255 && OverWhite(0, 255) == 0 && OverWhite(100, 255) == 100);
static_assert(To8Bits(65535) == 255 && To8Bits(0) == 0 && To8Bits(0x8080) == 0x80);

// Counts pages and pixels against the limits as headers are read, before pixels are allocated.
class PageBudget {
 public:
  PageBudget(ScanFormat format, const ScanLimits& limits) : format_(format), limits_(limits) {}

  // Admits page number `page` (0-based) of `width` × `height` pixels, or says why not.
  Result<void> Admit(int page, std::int64_t width, std::int64_t height) {
    if (page >= limits_.max_pages) return TooManyPagesError(format_, limits_.max_pages);
    if (width <= 0 || height <= 0) return EmptyPageError(format_, page, width, height);
    // Sides first: they bound the product, which then cannot overflow.
    if (width > limits_.max_side_px || height > limits_.max_side_px ||
        width * height > limits_.max_page_pixels) {
      return PageTooLargeError(format_, page, width, height, limits_);
    }
    total_ += width * height;
    if (total_ > limits_.max_total_pixels) {
      return TotalTooLargeError(format_, page, total_, limits_);
    }
    return Ok();
  }

 private:
  ScanFormat format_;
  const ScanLimits& limits_;
  std::int64_t total_ = 0;
};

GrayPage BlankPage(std::uint32_t width, std::uint32_t height) {
  GrayPage page;
  page.width = static_cast<int>(width);
  page.height = static_cast<int>(height);
  page.pixels.resize(static_cast<std::size_t>(width) * height);
  return page;
}

// Source pixels that make up one destination pixel along one axis, with their weights.
struct Span {
  std::size_t first = 0;
  std::size_t weights_at = 0;  // index of the first weight in the shared weight list
  std::size_t count = 0;
};

// Splits `from` source pixels into `to` (< `from`) equal parts: destination pixel i covers
// [i * from, (i + 1) * from) in units of 1/to of a source pixel, so each source pixel overlaps
// it by a whole number of units, and every destination pixel's weights add up to `from`.
std::vector<Span> BoxSpans(std::int64_t from, std::int64_t to,
                           std::vector<std::uint32_t>& weights) {
  std::vector<Span> spans(static_cast<std::size_t>(to));
  for (std::int64_t i = 0; i < to; ++i) {
    const std::int64_t begin = i * from;
    const std::int64_t end = begin + from;
    Span& span = spans[static_cast<std::size_t>(i)];
    span.first = static_cast<std::size_t>(begin / to);
    span.weights_at = weights.size();
    for (std::int64_t s = begin / to; s * to < end; ++s) {
      const std::int64_t overlap = std::min(end, (s + 1) * to) - std::max(begin, s * to);
      weights.push_back(static_cast<std::uint32_t>(overlap));
      ++span.count;
    }
  }
  return spans;
}

// Returns `page` scaled down to `max_width` by area averaging if it is wider, height in
// proportion (rounded, at least 1); otherwise `page` itself. Exact: each destination pixel is
// the rounded mean of the source area it covers, fractions of pixels weighted by their share.
GrayPage ScaleToWidth(GrayPage page, int max_width) {
  if (max_width < 1 || page.width <= max_width) return page;
  const std::int64_t src_w = page.width;
  const std::int64_t src_h = page.height;
  const std::int64_t dst_w = max_width;
  const std::int64_t dst_h = std::max<std::int64_t>(1, (src_h * dst_w + src_w / 2) / src_w);

  std::vector<std::uint32_t> col_weights;
  std::vector<std::uint32_t> row_weights;
  const std::vector<Span> cols = BoxSpans(src_w, dst_w, col_weights);
  const std::vector<Span> rows = BoxSpans(src_h, dst_h, row_weights);

  GrayPage out;
  out.width = static_cast<int>(dst_w);
  out.height = static_cast<int>(dst_h);
  out.pixels.resize(static_cast<std::size_t>(dst_w * dst_h));
  const auto width = static_cast<std::size_t>(dst_w);
  const auto area = static_cast<std::uint64_t>(src_w) * static_cast<std::uint64_t>(src_h);
  std::vector<std::uint64_t> row_sums(width);  // one source row, horizontally weighted
  std::vector<std::uint64_t> acc(width);
  std::size_t summed_row = SIZE_MAX;
  for (std::size_t y = 0; y < rows.size(); ++y) {
    std::fill(acc.begin(), acc.end(), 0);
    for (std::size_t k = 0; k < rows[y].count; ++k) {
      const std::size_t sy = rows[y].first + k;
      if (sy != summed_row) {
        const std::uint8_t* src = page.pixels.data() + sy * static_cast<std::size_t>(src_w);
        for (std::size_t x = 0; x < width; ++x) {
          std::uint64_t sum = 0;
          for (std::size_t j = 0; j < cols[x].count; ++j) {
            sum += std::uint64_t{src[cols[x].first + j]} * col_weights[cols[x].weights_at + j];
          }
          row_sums[x] = sum;
        }
        summed_row = sy;
      }
      const std::uint64_t wy = row_weights[rows[y].weights_at + k];
      for (std::size_t x = 0; x < width; ++x) acc[x] += row_sums[x] * wy;
    }
    std::uint8_t* dst = out.pixels.data() + y * width;
    for (std::size_t x = 0; x < width; ++x) {
      dst[x] = static_cast<std::uint8_t>((acc[x] + area / 2) / area);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PNG (libpng 1.6). libpng reports errors by longjmp to the last setjmp on its png_struct. Each
// libpng call runs inside PngGuard, whose frame holds only trivially destructible state, so
// the longjmp skips nothing that needs a destructor; everything with one lives in the caller.

constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

struct PngErrorSink {
  char message[256] = {};
};

void PngOnError(png_structp png, png_const_charp message) {
  auto* sink = static_cast<PngErrorSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof sink->message, "%s", message);
  png_longjmp(png, 1);
}

void PngOnWarning(png_structp /*png*/, png_const_charp /*message*/) {}

// Runs `step` (libpng calls, no objects with destructors); false if libpng reported an error.
template <typename Step>
bool PngGuard(png_structp png, const Step& step) {
  if (setjmp(png_jmpbuf(png)) != 0) return false;
  step();
  return true;
}

struct PngReader {
  std::span<const std::uint8_t> bytes;
  std::size_t offset = 0;
  PngErrorSink errors;
};

void PngRead(png_structp png, png_bytep out, size_t length) {
  auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
  if (length > reader->bytes.size() - reader->offset) png_error(png, "unexpected end of file");
  std::memcpy(out, reader->bytes.data() + reader->offset, length);
  reader->offset += length;
}

class PngReadStruct {
 public:
  explicit PngReadStruct(PngErrorSink* errors)
      : png_(png_create_read_struct(PNG_LIBPNG_VER_STRING, errors, PngOnError, PngOnWarning)),
        info_(png_ != nullptr ? png_create_info_struct(png_) : nullptr) {}
  ~PngReadStruct() {
    if (png_ != nullptr)
      png_destroy_read_struct(&png_, info_ != nullptr ? &info_ : nullptr, nullptr);
  }
  PngReadStruct(const PngReadStruct&) = delete;
  PngReadStruct& operator=(const PngReadStruct&) = delete;

  bool ok() const { return png_ != nullptr && info_ != nullptr; }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_;
  png_infop info_;
};

std::uint32_t BigEndian32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Converts one row of 8-bit gray, gray+alpha, RGB or RGBA samples to gray over white.
void PngRowToGray(const std::uint8_t* in, int channels, std::size_t width, std::uint8_t* out) {
  for (std::size_t x = 0; x < width; ++x) {
    const std::uint8_t* p = in + x * static_cast<std::size_t>(channels);
    switch (channels) {
      case 1:
        out[x] = p[0];
        break;
      case 2:
        out[x] = OverWhite(p[0], p[1]);
        break;
      case 3:
        out[x] = Luma(p[0], p[1], p[2]);
        break;
      default:
        out[x] = OverWhite(Luma(p[0], p[1], p[2]), p[3]);
        break;
    }
  }
}

Result<std::vector<GrayPage>> DecodePng(std::span<const std::uint8_t> bytes,
                                        const ScanLimits& limits) {
  constexpr ScanFormat kFormat = ScanFormat::kPng;
  PageBudget budget(kFormat, limits);
  // libpng refuses a zero width or height only as "invalid IHDR"; read them first so that the
  // clerk hears what is wrong.
  if (bytes.size() >= 24 && std::memcmp(bytes.data() + 12, "IHDR", 4) == 0) {
    const std::uint32_t width = BigEndian32(bytes.data() + 16);
    const std::uint32_t height = BigEndian32(bytes.data() + 20);
    if (width == 0 || height == 0) return EmptyPageError(kFormat, 0, width, height);
  }

  PngReader reader{.bytes = bytes, .offset = 0, .errors = {}};
  PngReadStruct handles(&reader.errors);
  if (!handles.ok()) return OutOfMemoryError("creating the libpng read struct");
  png_structp png = handles.png();
  png_infop info = handles.info();
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  int bit_depth = 0;
  int color_type = 0;
  int interlace = 0;
  const bool header_ok = PngGuard(png, [&] {
    png_set_read_fn(png, &reader, PngRead);
    // PNG's own maximum, so that a huge IHDR reaches PageBudget (which names the problem)
    // instead of failing inside libpng as "exceeds user limit".
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_chunk_malloc_max(png, 1 << 20);
    // Only the chunks that make pixels are read (IHDR, PLTE, tRNS, IDAT, IEND): no text, ICC
    // profile or gamma, which a scan needs none of and a hostile file could use.
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, nullptr, -1);
    png_read_info(png, info);
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, nullptr, nullptr);
  });
  if (!header_ok) return CorruptError(kFormat, reader.errors.message);
  KOSEKI_RETURN_IF_ERROR(budget.Admit(0, width, height));

  std::size_t row_bytes = 0;
  int channels = 0;
  int passes = 0;
  const bool transforms_ok = PngGuard(png, [&] {
    png_set_expand(png);    // palette to RGB, gray below 8 bits to 8, tRNS to alpha
    png_set_scale_16(png);  // 16 to 8 bits, rounded
    passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    row_bytes = png_get_rowbytes(png, info);
    channels = png_get_channels(png, info);
  });
  if (!transforms_ok) return CorruptError(kFormat, reader.errors.message);
  if (channels < 1 || channels > 4 || row_bytes != std::size_t{width} * channels) {
    return CorruptError(kFormat, "unexpected row layout after transforms");
  }

  GrayPage page = BlankPage(width, height);
  std::vector<std::uint8_t> rows(passes > 1 ? row_bytes * height : row_bytes);
  std::vector<png_bytep> row_pointers(passes > 1 ? height : 0);
  for (std::size_t y = 0; y < row_pointers.size(); ++y) row_pointers[y] = &rows[y * row_bytes];
  const bool pixels_ok = PngGuard(png, [&] {
    if (passes > 1) {
      png_read_image(png, row_pointers.data());
      for (std::size_t y = 0; y < height; ++y) {
        PngRowToGray(row_pointers[y], channels, width, &page.pixels[y * width]);
      }
    } else {
      for (std::size_t y = 0; y < height; ++y) {
        png_read_row(png, rows.data(), nullptr);
        PngRowToGray(rows.data(), channels, width, &page.pixels[y * width]);
      }
    }
    // Up to IEND: a file cut after its last IDAT is still a truncated file.
    png_read_end(png, nullptr);
  });
  if (!pixels_ok) return CorruptError(kFormat, reader.errors.message);

  std::vector<GrayPage> pages;
  pages.push_back(ScaleToWidth(std::move(page), limits.normalized_max_width));
  return pages;
}

struct PngWriter {
  std::string out;
  bool out_of_memory = false;
  PngErrorSink errors;
};

void PngWrite(png_structp png, png_bytep data, size_t length) {
  auto* writer = static_cast<PngWriter*>(png_get_io_ptr(png));
  try {
    writer->out.append(reinterpret_cast<const char*>(data), length);
  } catch (const std::bad_alloc&) {
    writer->out_of_memory = true;
  }
  // No exception may cross libpng's C frames; report it as a libpng error instead.
  if (writer->out_of_memory) png_error(png, "out of memory");
}

void PngFlush(png_structp /*png*/) {}

class PngWriteStruct {
 public:
  explicit PngWriteStruct(PngErrorSink* errors)
      : png_(png_create_write_struct(PNG_LIBPNG_VER_STRING, errors, PngOnError, PngOnWarning)),
        info_(png_ != nullptr ? png_create_info_struct(png_) : nullptr) {}
  ~PngWriteStruct() {
    if (png_ != nullptr) png_destroy_write_struct(&png_, info_ != nullptr ? &info_ : nullptr);
  }
  PngWriteStruct(const PngWriteStruct&) = delete;
  PngWriteStruct& operator=(const PngWriteStruct&) = delete;

  bool ok() const { return png_ != nullptr && info_ != nullptr; }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_;
  png_infop info_;
};

// ---------------------------------------------------------------------------------------------
// JPEG (libjpeg-turbo through the libjpeg API). The default error manager prints and calls
// exit(); ours formats the message into JpegErrors and longjmps back to JpegGuard, which, as
// for PNG, has nothing with a destructor in its frame.

// A progressive JPEG may have any number of scans, each a pass over the whole image: a small
// file with thousands of them costs minutes of CPU. Real files have about ten.
constexpr int kMaxJpegScans = 256;

struct JpegErrors {
  jpeg_error_mgr manager{};
  std::jmp_buf jump{};
  char message[JMSG_LENGTH_MAX] = {};
  int code = 0;
};

[[noreturn]] void JpegOnError(j_common_ptr cinfo) {
  auto* errors = static_cast<JpegErrors*>(cinfo->client_data);
  errors->code = cinfo->err->msg_code;
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Turns libjpeg's warnings about corrupt or missing data (which it would paper over with gray
// rows) into errors; trace messages and harmless metadata warnings are dropped.
void JpegOnMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  const int code = cinfo->err->msg_code;
  if (code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM) return;
  JpegOnError(cinfo);
}

void JpegOnOutput(j_common_ptr /*cinfo*/) {}

void JpegOnProgress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans) {
    auto* errors = static_cast<JpegErrors*>(cinfo->client_data);
    errors->code = 0;
    std::snprintf(errors->message, sizeof errors->message, "more than %d scans", kMaxJpegScans);
    std::longjmp(errors->jump, 1);
  }
}

template <typename Step>
bool JpegGuard(JpegErrors& errors, const Step& step) {
  if (setjmp(errors.jump) != 0) return false;
  step();
  return true;
}

class JpegDecompressStruct {
 public:
  explicit JpegDecompressStruct(JpegErrors* errors) {
    cinfo_.err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = JpegOnError;
    errors->manager.emit_message = JpegOnMessage;
    errors->manager.output_message = JpegOnOutput;
    cinfo_.client_data = errors;
  }
  ~JpegDecompressStruct() { jpeg_destroy_decompress(&cinfo_); }
  JpegDecompressStruct(const JpegDecompressStruct&) = delete;
  JpegDecompressStruct& operator=(const JpegDecompressStruct&) = delete;

  jpeg_decompress_struct* get() { return &cinfo_; }

 private:
  jpeg_decompress_struct cinfo_{};
};

// Returns the gray of a CMYK pixel as libjpeg hands it over. Adobe's encoders (the only common
// source of CMYK JPEGs, and they mark their files with an APP14 marker) store inverted ink.
std::uint8_t CmykToGray(const std::uint8_t* p, bool inverted) {
  const unsigned c = inverted ? p[0] : 255U - p[0];
  const unsigned m = inverted ? p[1] : 255U - p[1];
  const unsigned y = inverted ? p[2] : 255U - p[2];
  const unsigned k = inverted ? p[3] : 255U - p[3];
  return Luma((c * k + 127) / 255, (m * k + 127) / 255, (y * k + 127) / 255);
}

Result<std::vector<GrayPage>> DecodeJpeg(std::span<const std::uint8_t> bytes,
                                         const ScanLimits& limits) {
  constexpr ScanFormat kFormat = ScanFormat::kJpeg;
  PageBudget budget(kFormat, limits);
  JpegErrors errors;
  JpegDecompressStruct decompress(&errors);
  jpeg_decompress_struct* cinfo = decompress.get();
  jpeg_progress_mgr progress{};
  progress.progress_monitor = JpegOnProgress;

  // Refusals that come out of libjpeg's error codes rather than its message.
  const auto library_error = [&]() -> Error {
    // libjpeg says "empty image" for no components too; only a zero side is an empty page.
    if (errors.code == JERR_EMPTY_IMAGE && (cinfo->image_width == 0 || cinfo->image_height == 0)) {
      return EmptyPageError(kFormat, 0, cinfo->image_width, cinfo->image_height);
    }
    if (errors.code == JERR_BAD_PRECISION) return UnsupportedError(kFormat, errors.message);
    if (errors.code == JERR_OUT_OF_MEMORY) return OutOfMemoryError("decoding a JPEG");
    return CorruptError(kFormat, errors.message);
  };

  const bool header_ok = JpegGuard(errors, [&] {
    jpeg_create_decompress(cinfo);
    cinfo->progress = &progress;
    jpeg_mem_src(cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(cinfo, TRUE);
  });
  if (!header_ok) return library_error();
  KOSEKI_RETURN_IF_ERROR(budget.Admit(0, cinfo->image_width, cinfo->image_height));

  int components = 0;
  switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:  // gray is Y, the luminance itself
    case JCS_RGB:
      cinfo->out_color_space = JCS_GRAYSCALE;
      components = 1;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo->out_color_space = JCS_CMYK;
      components = 4;
      break;
    default:
      return UnsupportedError(kFormat, "colour space " + std::to_string(cinfo->jpeg_color_space) +
                                           " with " + std::to_string(cinfo->num_components) +
                                           " components");
  }
  // A backstop: the header check above already bounds the coefficient buffers of a
  // progressive file (2 bytes per sample), and libjpeg then refuses anything larger.
  cinfo->mem->max_memory_to_use = static_cast<long>(
      std::min<std::int64_t>(limits.max_page_pixels * 8 + (64 << 20), 0x7fffffff));

  const bool started = JpegGuard(errors, [&] { jpeg_start_decompress(cinfo); });
  if (!started) return library_error();
  if (cinfo->output_width != cinfo->image_width || cinfo->output_height != cinfo->image_height ||
      cinfo->output_components != components) {
    return CorruptError(kFormat, "unexpected output layout");
  }

  GrayPage page = BlankPage(cinfo->output_width, cinfo->output_height);
  const std::size_t width = cinfo->output_width;
  std::vector<std::uint8_t> row(width * static_cast<std::size_t>(components));
  const bool inverted_cmyk = cinfo->saw_Adobe_marker != 0;
  bool stalled = false;
  const bool pixels_ok = JpegGuard(errors, [&] {
    while (cinfo->output_scanline < cinfo->output_height) {
      const std::size_t y = cinfo->output_scanline;
      JSAMPROW out = components == 1 ? &page.pixels[y * width] : row.data();
      if (jpeg_read_scanlines(cinfo, &out, 1) != 1) {
        stalled = true;  // a memory source never suspends; do not loop forever if it does
        return;
      }
      if (components == 4) {
        for (std::size_t x = 0; x < width; ++x) {
          page.pixels[y * width + x] = CmykToGray(&row[x * 4], inverted_cmyk);
        }
      }
    }
    jpeg_finish_decompress(cinfo);
  });
  if (!pixels_ok) return library_error();
  if (stalled) return CorruptError(kFormat, "decoder returned no scanline");

  std::vector<GrayPage> pages;
  pages.push_back(ScaleToWidth(std::move(page), limits.normalized_max_width));
  return pages;
}

// ---------------------------------------------------------------------------------------------
// TIFF (libtiff 4.5). Read through TIFFClientOpenExt over the bytes in memory, with error and
// warning handlers on the handle (TIFFOpenOptions) rather than libtiff's process-wide ones, so
// nothing is printed and concurrent calls keep their errors apart. Any error libtiff reports,
// even one it would carry on after, refuses the file.

struct TiffSource {
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset = 0;
  // While pixels are decoded, warnings count as errors: the codecs warn where they patch over
  // damage (a CCITT line of the wrong length, JPEG-in-TIFF data cut short).
  bool decoding = false;
  bool failed = false;
  char message[256] = {};
};

// (format: libtiff's printf-style message, checked where libtiff calls its handlers.)
[[gnu::format(printf, 3, 0)]] void RecordTiffFailure(TiffSource* source, const char* module,
                                                     const char* format, va_list args) {
  if (source->failed) return;
  source->failed = true;
  const int used = std::snprintf(source->message, sizeof source->message,
                                 "%s: ", module != nullptr ? module : "libtiff");
  if (used >= 0 && static_cast<std::size_t>(used) < sizeof source->message) {
    std::vsnprintf(source->message + used, sizeof source->message - used, format, args);
  }
}

[[gnu::format(printf, 4, 0)]] int TiffOnError(TIFF* /*tif*/, void* user_data, const char* module,
                                              const char* format, va_list args) {
  RecordTiffFailure(static_cast<TiffSource*>(user_data), module, format, args);
  return 1;  // handled: libtiff's process-wide handlers (stderr) are not called
}

[[gnu::format(printf, 4, 0)]] int TiffOnWarning(TIFF* /*tif*/, void* user_data, const char* module,
                                                const char* format, va_list args) {
  auto* source = static_cast<TiffSource*>(user_data);
  if (source->decoding) RecordTiffFailure(source, module, format, args);
  return 1;
}

tmsize_t TiffRead(thandle_t handle, void* buffer, tmsize_t size) {
  auto* source = static_cast<TiffSource*>(handle);
  if (size <= 0 || source->offset >= source->bytes.size()) return 0;
  const std::uint64_t count = std::min<std::uint64_t>(static_cast<std::uint64_t>(size),
                                                      source->bytes.size() - source->offset);
  std::memcpy(buffer, source->bytes.data() + source->offset, count);
  source->offset += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t TiffWrite(thandle_t /*handle*/, void* /*buffer*/, tmsize_t /*size*/) { return -1; }

toff_t TiffSeek(thandle_t handle, toff_t offset, int whence) {
  auto* source = static_cast<TiffSource*>(handle);
  std::uint64_t base = 0;
  switch (whence) {
    case SEEK_SET:
      break;
    case SEEK_CUR:
      base = source->offset;
      break;
    case SEEK_END:
      base = source->bytes.size();
      break;
    default:
      return static_cast<toff_t>(-1);
  }
  // Offsets past the end are allowed (reads there return nothing); wrapping around is not.
  if (offset > UINT64_MAX / 2 - base) return static_cast<toff_t>(-1);
  source->offset = base + offset;
  return source->offset;
}

int TiffClose(thandle_t /*handle*/) { return 0; }

toff_t TiffSize(thandle_t handle) { return static_cast<TiffSource*>(handle)->bytes.size(); }

// Lets libtiff read strips in place. It maps files read-only itself (PROT_READ) and never
// writes through the mapping, so handing it the caller's const bytes is safe; reading them
// through TiffRead instead trips libtiff 4.5.0 on uncompressed tiles, whose read buffer it
// rounds up to 1 KiB and then finds "the wrong size".
int TiffMap(thandle_t handle, void** base, toff_t* size) {
  auto* source = static_cast<TiffSource*>(handle);
  *base = const_cast<std::uint8_t*>(source->bytes.data());
  *size = source->bytes.size();
  return 1;
}

void TiffUnmap(thandle_t /*handle*/, void* /*base*/, toff_t /*size*/) {}

struct TiffOptionsDeleter {
  void operator()(TIFFOpenOptions* options) const { TIFFOpenOptionsFree(options); }
};
struct TiffDeleter {
  void operator()(TIFF* tif) const { TIFFClose(tif); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffDeleter>;

bool AcceptedTiffCompression(std::uint16_t compression) {
  switch (compression) {
    case COMPRESSION_NONE:
    case COMPRESSION_CCITTRLE:
    case COMPRESSION_CCITTRLEW:
    case COMPRESSION_CCITTFAX3:
    case COMPRESSION_CCITTFAX4:
    case COMPRESSION_LZW:
    case COMPRESSION_PACKBITS:
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE:
    case COMPRESSION_JPEG:
      return TIFFIsCODECConfigured(compression) != 0;
    default:
      return false;
  }
}

// The fields of one TIFF directory that decide how its pixels are read.
struct TiffLayout {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint16_t photometric = 0;
  bool has_photometric = false;
  std::uint16_t bits = 1;
  std::uint16_t samples = 1;
  std::uint16_t planar = PLANARCONFIG_CONTIG;
  std::uint16_t sample_format = SAMPLEFORMAT_UINT;
  std::uint16_t compression = COMPRESSION_NONE;
  std::uint16_t orientation = ORIENTATION_TOPLEFT;
  std::uint16_t alpha = EXTRASAMPLE_UNSPECIFIED;  // of the first extra sample, if any
};

TiffLayout ReadTiffLayout(TIFF* tif) {
  TiffLayout layout;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &layout.width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &layout.height);
  layout.has_photometric = TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &layout.photometric) != 0;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &layout.bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &layout.samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &layout.planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &layout.sample_format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &layout.compression);
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &layout.orientation);
  std::uint16_t extra_count = 0;
  std::uint16_t* extra_types = nullptr;
  if (TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra_types) != 0 &&
      extra_count > 0 && extra_types != nullptr) {
    layout.alpha = extra_types[0];
  }
  return layout;
}

// True if the scanline reader below handles the layout: the common scanner outputs, read row
// by row in one byte per pixel. Anything else goes through libtiff's RGBA reader.
bool ScanlineReadable(TIFF* tif, const TiffLayout& l) {
  if (TIFFIsTiled(tif) != 0 || !l.has_photometric || l.sample_format != SAMPLEFORMAT_UINT) {
    return false;
  }
  if (l.planar != PLANARCONFIG_CONTIG && l.samples != 1) return false;
  if (l.compression == COMPRESSION_JPEG && l.photometric != PHOTOMETRIC_MINISBLACK) return false;
  const bool byte_sized = l.bits == 8 || l.bits == 16;
  switch (l.photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
      return (l.samples == 1 && (l.bits == 1 || l.bits == 2 || l.bits == 4 || byte_sized)) ||
             (l.samples == 2 && byte_sized);
    case PHOTOMETRIC_RGB:
      return (l.samples == 3 || l.samples == 4) && byte_sized;
    case PHOTOMETRIC_PALETTE:
      return l.samples == 1 && (l.bits == 1 || l.bits == 2 || l.bits == 4 || l.bits == 8);
    default:
      return false;
  }
}

// Returns sample `index` of a row of packed `bits`-bit samples (MSB first, as libtiff hands
// them over, in native byte order for 16 bits).
unsigned SampleAt(const std::uint8_t* row, std::size_t index, unsigned bits) {
  switch (bits) {
    case 8:
      return row[index];
    case 16: {
      std::uint16_t value = 0;
      std::memcpy(&value, row + 2 * index, 2);
      return value;
    }
    default: {
      const std::size_t bit = index * bits;
      const unsigned shift = 8 - bits - static_cast<unsigned>(bit % 8);
      return (row[bit / 8] >> shift) & ((1U << bits) - 1);
    }
  }
}

std::uint8_t SampleTo8Bits(unsigned sample, unsigned bits) {
  if (bits == 16) return To8Bits(sample);
  const unsigned max = (1U << bits) - 1;
  return static_cast<std::uint8_t>((sample * 255 + max / 2) / max);
}

Result<GrayPage> ReadTiffScanlines(TIFF* tif, const TiffLayout& l, TiffSource& source) {
  constexpr ScanFormat kFormat = ScanFormat::kTiff;
  const std::size_t width = l.width;
  const std::uint64_t needed = (std::uint64_t{l.width} * l.samples * l.bits + 7) / 8;
  const std::uint64_t scanline = TIFFScanlineSize64(tif);
  if (scanline < needed) return CorruptError(kFormat, "scanline shorter than its samples");

  // A palette becomes a table from index to gray.
  std::vector<std::uint8_t> palette;
  if (l.photometric == PHOTOMETRIC_PALETTE) {
    std::uint16_t* red = nullptr;
    std::uint16_t* green = nullptr;
    std::uint16_t* blue = nullptr;
    if (TIFFGetField(tif, TIFFTAG_COLORMAP, &red, &green, &blue) == 0 || red == nullptr ||
        green == nullptr || blue == nullptr) {
      return CorruptError(kFormat, "palette image without a colormap");
    }
    const std::size_t entries = std::size_t{1} << l.bits;
    // Some writers store 8-bit entries in the 16-bit table, as libtiff's own reader allows.
    bool eight_bit = true;
    for (std::size_t i = 0; i < entries; ++i) {
      if (red[i] > 255 || green[i] > 255 || blue[i] > 255) eight_bit = false;
    }
    palette.resize(entries);
    for (std::size_t i = 0; i < entries; ++i) {
      palette[i] = eight_bit ? Luma(red[i], green[i], blue[i])
                             : Luma(To8Bits(red[i]), To8Bits(green[i]), To8Bits(blue[i]));
    }
  }

  GrayPage page = BlankPage(l.width, l.height);
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(scanline));
  const unsigned bits = l.bits;
  const bool white_is_zero = l.photometric == PHOTOMETRIC_MINISWHITE;
  for (std::uint32_t y = 0; y < l.height; ++y) {
    if (TIFFReadScanline(tif, buffer.data(), y, 0) < 0 || source.failed) {
      return CorruptError(kFormat, source.message);
    }
    std::uint8_t* out = &page.pixels[std::size_t{y} * width];
    const std::uint8_t* row = buffer.data();
    for (std::size_t x = 0; x < width; ++x) {
      const std::size_t at = x * l.samples;
      std::uint8_t gray = 0;
      if (l.photometric == PHOTOMETRIC_PALETTE) {
        gray = palette[SampleAt(row, at, bits)];
      } else if (l.photometric == PHOTOMETRIC_RGB) {
        gray = Luma(SampleTo8Bits(SampleAt(row, at, bits), bits),
                    SampleTo8Bits(SampleAt(row, at + 1, bits), bits),
                    SampleTo8Bits(SampleAt(row, at + 2, bits), bits));
      } else {
        gray = SampleTo8Bits(SampleAt(row, at, bits), bits);
        if (white_is_zero) gray = static_cast<std::uint8_t>(255 - gray);
      }
      const unsigned colour_samples = l.photometric == PHOTOMETRIC_RGB ? 3 : 1;
      if (l.samples > colour_samples) {
        const std::uint8_t alpha = SampleTo8Bits(SampleAt(row, at + colour_samples, bits), bits);
        if (l.alpha == EXTRASAMPLE_ASSOCALPHA) {
          gray = PremultipliedOverWhite(gray, alpha);
        } else if (l.alpha == EXTRASAMPLE_UNASSALPHA) {
          gray = OverWhite(gray, alpha);
        }
      }
      out[x] = gray;
    }
  }
  return page;
}

// Reads a page through libtiff's RGBA interface (tiles, YCbCr and JPEG-in-TIFF, separate
// planes, CMYK, …): 4 bytes per pixel for a moment, so only for the layouts the scanline
// reader does not take. Rows come out in the order stored, as ReadTiffScanlines gives them.
Result<GrayPage> ReadTiffRgba(TIFF* tif, const TiffLayout& l, TiffSource& source) {
  constexpr ScanFormat kFormat = ScanFormat::kTiff;
  char why[1024] = {};
  if (TIFFRGBAImageOK(tif, why) == 0) return UnsupportedError(kFormat, why);
  std::vector<std::uint32_t> raster(std::size_t{l.width} * l.height);
  // Asking for the file's own orientation makes libtiff flip nothing.
  if (TIFFReadRGBAImageOriented(tif, l.width, l.height, raster.data(), l.orientation, 1) == 0 ||
      source.failed) {
    return CorruptError(kFormat, source.failed ? source.message : "RGBA reader failed");
  }
  GrayPage page = BlankPage(l.width, l.height);
  for (std::size_t i = 0; i < raster.size(); ++i) {
    const std::uint32_t p = raster[i];
    // libtiff premultiplies the colour by alpha (TIFFGetR … TIFFGetA).
    page.pixels[i] =
        PremultipliedOverWhite(Luma(TIFFGetR(p), TIFFGetG(p), TIFFGetB(p)), TIFFGetA(p));
  }
  return page;
}

// Returns `stored` turned upright as its Orientation tag says: which visual side the first
// stored row and the first stored column are.
GrayPage Upright(GrayPage stored, std::uint16_t orientation) {
  if (orientation <= ORIENTATION_TOPLEFT || orientation > ORIENTATION_LEFTBOT) return stored;
  const std::size_t w = stored.width;
  const std::size_t h = stored.height;
  const bool transposed = orientation >= ORIENTATION_LEFTTOP;
  GrayPage out;
  out.width = static_cast<int>(transposed ? h : w);
  out.height = static_cast<int>(transposed ? w : h);
  out.pixels.resize(w * h);
  const std::size_t out_w = out.width;
  for (std::size_t dy = 0; dy < static_cast<std::size_t>(out.height); ++dy) {
    for (std::size_t dx = 0; dx < out_w; ++dx) {
      std::size_t sx = dx;
      std::size_t sy = dy;
      switch (orientation) {
        case ORIENTATION_TOPRIGHT:
          sx = w - 1 - dx;
          break;
        case ORIENTATION_BOTRIGHT:
          sx = w - 1 - dx;
          sy = h - 1 - dy;
          break;
        case ORIENTATION_BOTLEFT:
          sy = h - 1 - dy;
          break;
        case ORIENTATION_LEFTTOP:
          sx = dy;
          sy = dx;
          break;
        case ORIENTATION_RIGHTTOP:
          sx = dy;
          sy = h - 1 - dx;
          break;
        case ORIENTATION_RIGHTBOT:
          sx = w - 1 - dy;
          sy = h - 1 - dx;
          break;
        default:  // ORIENTATION_LEFTBOT
          sx = w - 1 - dy;
          sy = dx;
          break;
      }
      out.pixels[dy * out_w + dx] = stored.pixels[sy * w + sx];
    }
  }
  return out;
}

// True if the current directory, up to its pointer to the next one, lies within `bytes`.
// libtiff reads a missing next-directory pointer as "no more pages"; a file cut there has lost
// its pages after this one, or at least its last bytes.
bool DirectoryComplete(TIFF* tif, std::span<const std::uint8_t> bytes) {
  const std::uint64_t offset = TIFFCurrentDirOffset(tif);
  const bool big = TIFFIsBigTIFF(tif) != 0;
  const std::uint64_t count_size = big ? 8 : 2;
  if (offset > bytes.size() || bytes.size() - offset < count_size) return false;
  std::uint64_t count = 0;
  for (std::uint64_t i = 0; i < count_size; ++i) {
    const std::uint64_t byte = bytes[offset + (TIFFIsBigEndian(tif) != 0 ? i : count_size - 1 - i)];
    count = (count << 8) | byte;
  }
  const std::uint64_t entry_size = big ? 20 : 12;
  const std::uint64_t pointer_size = big ? 8 : 4;
  if (count > (bytes.size() - offset) / entry_size) return false;
  return offset + count_size + count * entry_size + pointer_size <= bytes.size();
}

Result<std::vector<GrayPage>> DecodeTiff(std::span<const std::uint8_t> bytes,
                                         const ScanLimits& limits) {
  constexpr ScanFormat kFormat = ScanFormat::kTiff;
  TiffSource source{.bytes = bytes, .offset = 0, .decoding = false, .failed = false, .message = {}};
  const std::unique_ptr<TIFFOpenOptions, TiffOptionsDeleter> options(TIFFOpenOptionsAlloc());
  if (!options) return OutOfMemoryError("allocating libtiff options");
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), TiffOnError, &source);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), TiffOnWarning, &source);
  // A backstop for allocations the header checks do not see (a strip's claimed size): the
  // largest a page within the limits needs is 8 bytes per pixel (16-bit RGBA) or the file.
  TIFFOpenOptionsSetMaxSingleMemAlloc(
      options.get(),
      static_cast<tmsize_t>(std::max<std::int64_t>(limits.max_page_pixels * 8,
                                                   static_cast<std::int64_t>(bytes.size())) +
                            (16 << 20)));
  const TiffPtr tif(TIFFClientOpenExt("scan", "r", &source, TiffRead, TiffWrite, TiffSeek,
                                      TiffClose, TiffSize, TiffMap, TiffUnmap, options.get()));
  if (!tif) return CorruptError(kFormat, source.failed ? source.message : "cannot open");

  // First every directory's header, so that a file over a limit is refused before any pixel
  // is decoded. The limits are checked before libtiff's complaints: libtiff also objects to a
  // zero width, say, but the clerk is better told that than "corrupt".
  PageBudget budget(kFormat, limits);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sizes;
  for (;;) {
    const TiffLayout layout = ReadTiffLayout(tif.get());
    KOSEKI_RETURN_IF_ERROR(
        budget.Admit(static_cast<int>(sizes.size()), layout.width, layout.height));
    if (source.failed) return CorruptError(kFormat, source.message);
    if (!DirectoryComplete(tif.get(), bytes)) {
      return CorruptError(kFormat, "directory " + std::to_string(sizes.size() + 1) + " cut short");
    }
    sizes.emplace_back(layout.width, layout.height);
    const bool more = TIFFReadDirectory(tif.get()) != 0;
    if (source.failed) return CorruptError(kFormat, source.message);
    if (!more) break;
  }

  std::vector<GrayPage> pages;
  for (std::size_t index = 0; index < sizes.size(); ++index) {
    const bool positioned =
        index == 0 ? TIFFSetDirectory(tif.get(), 0) != 0 : TIFFReadDirectory(tif.get()) != 0;
    if (!positioned || source.failed) {
      return CorruptError(kFormat, source.failed ? source.message : "directory went missing");
    }
    const TiffLayout layout = ReadTiffLayout(tif.get());
    // The directory read the second time must be the one admitted the first time.
    if (sizes[index] != std::pair(layout.width, layout.height)) {
      return CorruptError(kFormat, "directory changed between reads");
    }
    if (!AcceptedTiffCompression(layout.compression)) {
      return UnsupportedError(kFormat, "compression " + std::to_string(layout.compression));
    }
    source.decoding = true;
    Result<GrayPage> page = ScanlineReadable(tif.get(), layout)
                                ? ReadTiffScanlines(tif.get(), layout, source)
                                : ReadTiffRgba(tif.get(), layout, source);
    source.decoding = false;
    if (!page) return std::move(page).error();
    if (source.failed) return CorruptError(kFormat, source.message);
    pages.push_back(
        ScaleToWidth(Upright(std::move(*page), layout.orientation), limits.normalized_max_width));
  }
  return pages;
}

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
    PngWriter writer;
    PngWriteStruct handles(&writer.errors);
    if (!handles.ok()) return OutOfMemoryError("creating the libpng write struct");
    png_structp png = handles.png();
    png_infop info = handles.info();
    const auto width = static_cast<std::size_t>(page.width);
    const bool written = PngGuard(png, [&] {
      png_set_write_fn(png, &writer, PngWrite, PngFlush);
      png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
      png_set_IHDR(png, info, static_cast<png_uint_32>(page.width),
                   static_cast<png_uint_32>(page.height), 8, PNG_COLOR_TYPE_GRAY,
                   PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
      png_write_info(png, info);
      for (std::size_t y = 0; y < static_cast<std::size_t>(page.height); ++y) {
        png_write_row(png, &page.pixels[y * width]);
      }
      png_write_end(png, nullptr);
    });
    if (writer.out_of_memory) return OutOfMemoryError("encoding a gray page as PNG");
    if (!written) return PngEncodeError(writer.errors.message);
    return std::move(writer.out);
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError("encoding a gray page as PNG");
  }
}

}  // namespace koseki::render
