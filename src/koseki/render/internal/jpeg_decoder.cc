// JPEG (libjpeg-turbo through the libjpeg API). The default error manager prints and calls
// exit(); ours formats the message into JpegErrors and longjmps back to JpegGuard, which, as
// PngGuard does for PNG (png_codec.cc), has nothing with a destructor in its frame.
#include "koseki/render/internal/jpeg_decoder.h"

// jpeglib.h needs FILE and size_t declared before it.
// clang-format off
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include <algorithm>
#include <csetjmp>
#include <cstddef>
#include <string>
#include <utility>

#include "koseki/render/internal/gray_pixels.h"
#include "koseki/render/internal/scan_errors.h"

namespace koseki::render::internal {
namespace {

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

}  // namespace

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

}  // namespace koseki::render::internal
