// TIFF (libtiff 4.5). Read through TIFFClientOpenExt over the bytes in memory, with error and
// warning handlers on the handle (TIFFOpenOptions) rather than libtiff's process-wide ones, so
// nothing is printed and concurrent calls keep their errors apart. Any error libtiff reports,
// even one it would carry on after, refuses the file.
#include "koseki/render/internal/tiff_decoder.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "koseki/render/internal/gray_pixels.h"
#include "koseki/render/internal/scan_errors.h"

namespace koseki::render::internal {
namespace {

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

}  // namespace

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

}  // namespace koseki::render::internal
