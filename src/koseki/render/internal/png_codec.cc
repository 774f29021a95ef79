// PNG (libpng 1.6). libpng reports errors by longjmp to the last setjmp on its png_struct. Each
// libpng call runs inside PngGuard, whose frame holds only trivially destructible state, so
// the longjmp skips nothing that needs a destructor; everything with one lives in the caller.
#include "koseki/render/internal/png_codec.h"

#include <png.h>

#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <new>
#include <utility>

#include "koseki/render/internal/gray_pixels.h"
#include "koseki/render/internal/scan_errors.h"

namespace koseki::render::internal {
namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

WrittenPng WritePng(PngUse use, int width, int height, int channels,
                    const std::function<const std::uint8_t*(int y)>& row) {
  PngWriter writer;
  PngWriteStruct handles(&writer.errors);
  WrittenPng result;
  if (!handles.ok()) {
    result.out_of_memory = true;
    result.error = "creating the libpng write struct";
    return result;
  }
  png_structp png = handles.png();
  png_infop info = handles.info();
  const bool written = PngGuard(png, [&] {
    png_set_write_fn(png, &writer, PngWrite, PngFlush);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    if (use == PngUse::kServed) {
      // A picture drawn for one view is mostly white paper: without row filters and at level 3
      // it encodes in a quarter of libpng's default time for a few per cent more bytes
      // (measured on a 1240 px register page: 17 ms instead of 70 ms). A stored page keeps
      // libpng's defaults: it is written once and kept for decades, so its size matters more.
      png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
      png_set_compression_level(png, 3);
    }
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; ++y) png_write_row(png, row(y));
    png_write_end(png, nullptr);
  });
  result.out_of_memory = writer.out_of_memory;
  if (!written || writer.out_of_memory) {
    result.error = writer.out_of_memory ? "out of memory" : writer.errors.message;
    return result;
  }
  result.png = std::move(writer.out);
  return result;
}

Result<std::string> WriteGrayPng(const GrayPage& page) {
  const auto width = static_cast<std::size_t>(page.width);
  WrittenPng written = WritePng(PngUse::kStored, page.width, page.height, 1, [&](int y) {
    return &page.pixels[static_cast<std::size_t>(y) * width];
  });
  if (written.out_of_memory) return OutOfMemoryError("encoding a gray page as PNG");
  if (!written.error.empty()) return PngEncodeError(written.error);
  return std::move(written.png);
}

}  // namespace koseki::render::internal
