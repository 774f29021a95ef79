// Scan intake against the real libraries: images written here with libpng, libjpeg and libtiff
// decode to the expected gray pixels (exactly where the format is lossless), and truncated,
// corrupt, oversized or unknown files are refused with their own error id and nothing else.
//
// With KOSEKI_SCAN_SEED_DIR set, SeedImagesAreDecodedOrRefusedAsLabelled also writes its images
// there: that is how fuzz/corpus/scan_image was made.
#include "koseki/render/scan_image.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

// jpeglib.h needs FILE and size_t declared before it.
// clang-format off
#include <stdio.h>
#include <jpeglib.h>
// clang-format on
#include <png.h>
#include <tiffio.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using Bytes = std::vector<std::uint8_t>;

// ---------------------------------------------------------------------------------------------
// Image builders.

Bytes BytesOf(std::string_view text) { return Bytes(text.begin(), text.end()); }

// CRC-32 as PNG chunks use it, so that tests can edit a chunk and keep it valid.
std::uint32_t Crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

void PutBigEndian32(std::uint8_t* at, std::uint32_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 24);
  at[1] = static_cast<std::uint8_t>(value >> 16);
  at[2] = static_cast<std::uint8_t>(value >> 8);
  at[3] = static_cast<std::uint8_t>(value);
}

struct PngSpec {
  int width = 1;
  int height = 1;
  int color_type = PNG_COLOR_TYPE_GRAY;
  int bit_depth = 8;
  bool interlaced = false;
  Bytes rows{};  // packed as PNG stores them: MSB first, 16-bit samples big-endian
  std::vector<png_color> palette{};
  std::vector<png_byte> palette_alpha{};  // tRNS of a palette image
};

void AppendPngBytes(png_structp png, png_bytep data, size_t size) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}

struct PngWriteHandles {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  ~PngWriteHandles() { png_destroy_write_struct(&png, &info); }
};

// Writes spec.rows with libpng (whose default error handling suffices for valid input).
bool WritePng(const PngSpec& spec, PngWriteHandles& h, Bytes& out,
              std::vector<png_bytep>& row_pointers) {
  if (setjmp(png_jmpbuf(h.png)) != 0) return false;
  png_set_write_fn(h.png, &out, AppendPngBytes, nullptr);
  png_set_IHDR(h.png, h.info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) {
    png_set_PLTE(h.png, h.info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  }
  if (!spec.palette_alpha.empty()) {
    png_set_tRNS(h.png, h.info, spec.palette_alpha.data(),
                 static_cast<int>(spec.palette_alpha.size()), nullptr);
  }
  png_write_info(h.png, h.info);
  png_write_image(h.png, row_pointers.data());
  png_write_end(h.png, nullptr);
  return true;
}

Bytes MakePng(const PngSpec& spec) {
  const int channels = spec.color_type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
                       : spec.color_type == PNG_COLOR_TYPE_RGB     ? 3
                       : spec.color_type == PNG_COLOR_TYPE_GA      ? 2
                                                                   : 1;
  const std::size_t row_bytes = (std::size_t{1} * spec.width * channels * spec.bit_depth + 7) / 8;
  EXPECT_EQ(spec.rows.size(), row_bytes * spec.height) << "test image rows";
  if (spec.rows.size() != row_bytes * spec.height) return {};
  Bytes out;
  PngWriteHandles handles;
  std::vector<png_bytep> row_pointers(spec.height);
  for (int y = 0; y < spec.height; ++y) {
    row_pointers[y] = const_cast<png_bytep>(spec.rows.data() + y * row_bytes);
  }
  EXPECT_TRUE(WritePng(spec, handles, out, row_pointers)) << "libpng could not write";
  return out;
}

Bytes GrayPng(int width, int height, Bytes pixels) {
  return MakePng({.width = width, .height = height, .rows = std::move(pixels)});
}

// Offset of the chunk of `type` (its length field) in a PNG, or 0.
std::size_t FindPngChunk(const Bytes& png, std::string_view type) {
  for (std::size_t at = 8; at + 12 <= png.size();) {
    const std::uint32_t length =
        (std::uint32_t{png[at]} << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
    if (std::memcmp(&png[at + 4], type.data(), 4) == 0) return at;
    at += 12 + length;
  }
  return 0;
}

// Recomputes the CRC of the chunk at `chunk` (its length field) after an edit.
void FixPngCrc(Bytes& png, std::size_t chunk) {
  const std::uint32_t length = (std::uint32_t{png[chunk]} << 24) | (png[chunk + 1] << 16) |
                               (png[chunk + 2] << 8) | png[chunk + 3];
  PutBigEndian32(&png[chunk + 8 + length], Crc32(&png[chunk + 4], 4 + length));
}

// A valid PNG whose IHDR claims `width` × `height`, with a valid CRC, over a few bytes of data.
Bytes PngClaiming(std::uint32_t width, std::uint32_t height) {
  Bytes png = GrayPng(2, 2, {0, 0, 0, 0});
  PutBigEndian32(&png[16], width);
  PutBigEndian32(&png[20], height);
  FixPngCrc(png, 8);
  return png;
}

struct JpegSpec {
  int width = 16;
  int height = 16;
  J_COLOR_SPACE color_space = JCS_GRAYSCALE;
  int components = 1;
  Bytes pixels{};
  bool progressive = false;
};

Bytes MakeJpeg(const JpegSpec& spec) {
  EXPECT_EQ(spec.pixels.size(), std::size_t{1} * spec.width * spec.height * spec.components);
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr errors{};
  cinfo.err = jpeg_std_error(&errors);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = spec.width;
  cinfo.image_height = spec.height;
  cinfo.input_components = spec.components;
  cinfo.in_color_space = spec.color_space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  if (spec.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  const std::size_t stride = std::size_t{1} * spec.width * spec.components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(&spec.pixels[cinfo.next_scanline * stride]);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  Bytes out(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

// Offset of the first SOF0/SOF2 marker of a JPEG: height at +5, width at +7 (big-endian).
std::size_t FindJpegFrame(const Bytes& jpeg) {
  for (std::size_t at = 2; at + 1 < jpeg.size(); ++at) {
    if (jpeg[at] == 0xFF && (jpeg[at + 1] == 0xC0 || jpeg[at + 1] == 0xC2)) return at;
  }
  return 0;
}

Bytes JpegClaiming(std::uint16_t width, std::uint16_t height) {
  Bytes jpeg = MakeJpeg({.pixels = Bytes(256, 128)});
  const std::size_t frame = FindJpegFrame(jpeg);
  jpeg[frame + 5] = static_cast<std::uint8_t>(height >> 8);
  jpeg[frame + 6] = static_cast<std::uint8_t>(height);
  jpeg[frame + 7] = static_cast<std::uint8_t>(width >> 8);
  jpeg[frame + 8] = static_cast<std::uint8_t>(width);
  return jpeg;
}

struct TiffPage {
  std::uint32_t width = 1;
  std::uint32_t height = 1;
  std::uint16_t bits = 8;
  std::uint16_t samples = 1;
  std::uint16_t photometric = PHOTOMETRIC_MINISBLACK;
  std::uint16_t compression = COMPRESSION_NONE;
  std::uint16_t orientation = ORIENTATION_TOPLEFT;
  std::uint16_t sample_format = SAMPLEFORMAT_UINT;
  std::uint32_t rows_per_strip = 0;  // 0: one strip
  std::uint32_t tile = 0;            // tiled with tile × tile tiles if not 0
  std::vector<std::uint16_t> extra_samples{};
  std::vector<std::uint16_t> colormap{};  // red, green, blue: 3 × 2^bits entries
  Bytes data{};  // packed rows as TIFF stores them, native byte order for 16 bits
};

bool WriteTiffPage(TIFF* tif, const TiffPage& page) {
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, page.width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, page.height);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, page.bits);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, page.samples);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, page.photometric);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, page.compression);
  TIFFSetField(tif, TIFFTAG_ORIENTATION, page.orientation);
  TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, page.sample_format);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  if (!page.extra_samples.empty()) {
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, static_cast<std::uint16_t>(page.extra_samples.size()),
                 page.extra_samples.data());
  }
  if (!page.colormap.empty()) {
    const std::size_t n = page.colormap.size() / 3;
    TIFFSetField(tif, TIFFTAG_COLORMAP, page.colormap.data(), page.colormap.data() + n,
                 page.colormap.data() + 2 * n);
  }
  if (page.compression == COMPRESSION_JPEG && page.photometric == PHOTOMETRIC_YCBCR) {
    TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  }
  const std::size_t row_bytes = (std::size_t{1} * page.width * page.samples * page.bits + 7) / 8;
  if (page.data.size() != row_bytes * page.height) return false;
  if (page.tile != 0) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, page.tile);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, page.tile);
    const std::size_t pixel_bytes = page.samples * page.bits / 8;
    Bytes tile(std::size_t{page.tile} * page.tile * pixel_bytes);
    for (std::uint32_t ty = 0; ty < page.height; ty += page.tile) {
      for (std::uint32_t tx = 0; tx < page.width; tx += page.tile) {
        std::fill(tile.begin(), tile.end(), 0);
        for (std::uint32_t y = ty; y < std::min(page.height, ty + page.tile); ++y) {
          for (std::uint32_t x = tx; x < std::min(page.width, tx + page.tile); ++x) {
            std::memcpy(&tile[((y - ty) * page.tile + (x - tx)) * pixel_bytes],
                        &page.data[y * row_bytes + x * pixel_bytes], pixel_bytes);
          }
        }
        if (TIFFWriteTile(tif, tile.data(), tx, ty, 0, 0) < 0) return false;
      }
    }
  } else {
    const std::uint32_t rows = page.rows_per_strip == 0 ? page.height : page.rows_per_strip;
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rows);
    for (std::uint32_t y = 0, strip = 0; y < page.height; y += rows, ++strip) {
      const std::uint32_t count = std::min(rows, page.height - y);
      if (TIFFWriteEncodedStrip(tif, strip, const_cast<std::uint8_t*>(&page.data[y * row_bytes]),
                                static_cast<tmsize_t>(count * row_bytes)) < 0) {
        return false;
      }
    }
  }
  return TIFFWriteDirectory(tif) != 0;
}

Bytes MakeTiff(const std::vector<TiffPage>& pages) {
  const koseki::testing::TempDir dir("koseki-scan-test");
  const std::string path = (dir.path() / "scan.tif").string();
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  EXPECT_NE(tif, nullptr);
  if (tif == nullptr) return {};
  for (const TiffPage& page : pages) EXPECT_TRUE(WriteTiffPage(tif, page)) << "libtiff write";
  TIFFClose(tif);
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Sets an entry of a little-endian TIFF's first directory to one SHORT or LONG value.
void SetTiffTag(Bytes& tiff, std::uint16_t tag, std::uint16_t type, std::uint32_t value) {
  const auto u16 = [&](std::size_t at) { return tiff[at] | (tiff[at + 1] << 8); };
  const std::size_t ifd = tiff[4] | (tiff[5] << 8) | (tiff[6] << 16) | (std::size_t{tiff[7]} << 24);
  const int count = u16(ifd);
  for (int i = 0; i < count; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (u16(entry) != tag) continue;
    tiff[entry + 2] = static_cast<std::uint8_t>(type);
    tiff[entry + 3] = 0;
    tiff[entry + 4] = 1;
    tiff[entry + 5] = tiff[entry + 6] = tiff[entry + 7] = 0;
    for (int b = 0; b < 4; ++b) {
      tiff[entry + 8 + b] =
          type == TIFF_SHORT && b >= 2 ? 0 : static_cast<std::uint8_t>(value >> (8 * b));
    }
    return;
  }
  ADD_FAILURE() << "no tag " << tag;
}

// Returns the value of a one-value SHORT or LONG entry of a little-endian TIFF's first
// directory.
std::uint32_t TiffTag(const Bytes& tiff, std::uint16_t tag) {
  const auto u16 = [&](std::size_t at) { return tiff[at] | (tiff[at + 1] << 8); };
  const std::size_t ifd = tiff[4] | (tiff[5] << 8) | (tiff[6] << 16) | (std::size_t{tiff[7]} << 24);
  for (int i = 0; i < u16(ifd); ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (u16(entry) != tag) continue;
    if (u16(entry + 2) == TIFF_SHORT) return u16(entry + 8);
    return u16(entry + 8) | (std::uint32_t(u16(entry + 10)) << 16);
  }
  ADD_FAILURE() << "no tag " << tag;
  return 0;
}

// Pixels, one byte each, of a `width` × `height` page: white with a black rectangle.
Bytes PageWithRectangle(std::uint32_t width, std::uint32_t height, std::uint32_t left,
                        std::uint32_t top, std::uint32_t right, std::uint32_t bottom) {
  Bytes pixels(std::size_t{width} * height, 255);
  for (std::uint32_t y = top; y < bottom; ++y) {
    for (std::uint32_t x = left; x < right; ++x) pixels[y * width + x] = 0;
  }
  return pixels;
}

// Packs gray pixels into 1-bit rows, 1 where a pixel is black.
Bytes BlackBits(const Bytes& pixels, std::uint32_t width) {
  const std::size_t row_bytes = (width + 7) / 8;
  const std::size_t height = pixels.size() / width;
  Bytes bits(row_bytes * height, 0);
  for (std::size_t y = 0; y < height; ++y) {
    for (std::size_t x = 0; x < width; ++x) {
      if (pixels[y * width + x] == 0) bits[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
    }
  }
  return bits;
}

// Three 64×32 pages, G4, MinIsWhite, each with its black rectangle somewhere else.
Bytes G4ThreePages() {
  std::vector<TiffPage> pages;
  for (std::uint32_t k = 0; k < 3; ++k) {
    pages.push_back(
        {.width = 64,
         .height = 32,
         .bits = 1,
         .photometric = PHOTOMETRIC_MINISWHITE,
         .compression = COMPRESSION_CCITTFAX4,
         .data = BlackBits(PageWithRectangle(64, 32, 8 + 16 * k, 4, 24 + 16 * k, 20 + k), 64)});
  }
  return MakeTiff(pages);
}

Bytes Gradient(std::size_t count) {
  Bytes pixels(count);
  for (std::size_t i = 0; i < count; ++i) pixels[i] = static_cast<std::uint8_t>(i * 37 % 256);
  return pixels;
}

// Decodes `bytes`, expecting success; an empty scan otherwise.
DecodedScan Decode(const Bytes& bytes, const ScanLimits& limits = {}) {
  Result<DecodedScan> scan = DecodeScan(bytes, limits);
  EXPECT_THAT(scan, IsOk());
  return scan ? *std::move(scan) : DecodedScan{};
}

// Returns the one page of a decoded single-page file.
GrayPage OnlyPage(const Bytes& bytes, const ScanLimits& limits = {}) {
  DecodedScan scan = Decode(bytes, limits);
  EXPECT_THAT(scan.pages, SizeIs(1));
  return scan.pages.empty() ? GrayPage{} : std::move(scan.pages[0]);
}

int MaxDifference(const Bytes& a, const Bytes& b) {
  if (a.size() != b.size()) return 256;
  int max = 0;
  for (std::size_t i = 0; i < a.size(); ++i) max = std::max(max, std::abs(a[i] - b[i]));
  return max;
}

// Cuts `bytes` after `length` bytes.
Bytes Cut(const Bytes& bytes, std::size_t length) {
  return Bytes(bytes.begin(), bytes.begin() + length);
}

// ---------------------------------------------------------------------------------------------
// PNG

TEST(DecodeScanTest, AGrayPngDecodesToItsPixelsExactly) {
  const GrayPage page = OnlyPage(GrayPng(3, 2, {0, 128, 255, 1, 2, 254}));
  EXPECT_EQ(page.width, 3);
  EXPECT_EQ(page.height, 2);
  EXPECT_THAT(page.pixels, ElementsAre(0, 128, 255, 1, 2, 254));
}

TEST(DecodeScanTest, TheFormatIsReported) {
  EXPECT_EQ(Decode(GrayPng(1, 1, {0})).format, ScanFormat::kPng);
  EXPECT_EQ(Decode(MakeJpeg({.pixels = Bytes(256, 0)})).format, ScanFormat::kJpeg);
  EXPECT_EQ(Decode(MakeTiff({{.data = {0}}})).format, ScanFormat::kTiff);
}

TEST(DecodeScanTest, AOneBitPngBecomesBlackAndWhite) {
  const GrayPage page = OnlyPage(MakePng({.width = 4, .bit_depth = 1, .rows = {0b1010'0000}}));
  EXPECT_THAT(page.pixels, ElementsAre(255, 0, 255, 0));
}

TEST(DecodeScanTest, AnRgbPngBecomesItsLuminance) {
  const GrayPage page =
      OnlyPage(MakePng({.width = 5,
                        .color_type = PNG_COLOR_TYPE_RGB,
                        .rows = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0}}));
  EXPECT_THAT(page.pixels, ElementsAre(76, 150, 29, 255, 0));
}

TEST(DecodeScanTest, AnRgbaPngIsCompositedOnWhite) {
  const GrayPage page =
      OnlyPage(MakePng({.width = 4,
                        .color_type = PNG_COLOR_TYPE_RGB_ALPHA,
                        .rows = {0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128, 255, 0, 0, 255}}));
  EXPECT_THAT(page.pixels, ElementsAre(255, 0, 127, 76));
}

TEST(DecodeScanTest, AGrayAlphaPngIsCompositedOnWhite) {
  const GrayPage page = OnlyPage(
      MakePng({.width = 3, .color_type = PNG_COLOR_TYPE_GA, .rows = {0, 0, 0, 255, 100, 255}}));
  EXPECT_THAT(page.pixels, ElementsAre(255, 0, 100));
}

TEST(DecodeScanTest, APalettePngIsLookedUpAndItsTransparentEntryIsWhite) {
  const GrayPage page =
      OnlyPage(MakePng({.width = 4,
                        .color_type = PNG_COLOR_TYPE_PALETTE,
                        .bit_depth = 2,
                        .rows = {0b00'01'10'11},
                        .palette = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 0, 255}},
                        .palette_alpha = {255, 255, 255, 0}}));
  EXPECT_THAT(page.pixels, ElementsAre(0, 255, 76, 255));
}

TEST(DecodeScanTest, ASixteenBitPngIsRoundedToEightBits) {
  const GrayPage page = OnlyPage(
      MakePng({.width = 3, .bit_depth = 16, .rows = {0x00, 0x00, 0xFF, 0xFF, 0x80, 0x80}}));
  EXPECT_THAT(page.pixels, ElementsAre(0, 255, 128));
}

TEST(DecodeScanTest, AnInterlacedPngDecodesLikeAPlainOne) {
  const Bytes pixels = Gradient(13 * 11);
  const GrayPage page =
      OnlyPage(MakePng({.width = 13, .height = 11, .interlaced = true, .rows = pixels}));
  EXPECT_EQ(page.pixels, pixels);
}

// ---------------------------------------------------------------------------------------------
// JPEG

TEST(DecodeScanTest, AGrayJpegDecodesWithinJpegLoss) {
  const Bytes pixels = PageWithRectangle(32, 16, 0, 0, 16, 16);  // left half black
  const GrayPage page = OnlyPage(MakeJpeg({.width = 32, .pixels = pixels}));
  EXPECT_EQ(page.width, 32);
  EXPECT_EQ(page.height, 16);
  EXPECT_LE(MaxDifference(page.pixels, pixels), 8);
}

TEST(DecodeScanTest, AColourJpegBecomesItsLuminance) {
  Bytes rgb;
  for (int i = 0; i < 16 * 16; ++i) rgb.insert(rgb.end(), {255, 0, 0});  // red
  for (int i = 0; i < 16 * 16; ++i) rgb.insert(rgb.end(), {0, 0, 255});  // blue
  const GrayPage page =
      OnlyPage(MakeJpeg({.height = 32, .color_space = JCS_RGB, .components = 3, .pixels = rgb}));
  Bytes expected(16 * 16, 76);
  expected.insert(expected.end(), 16 * 16, 29);
  EXPECT_LE(MaxDifference(page.pixels, expected), 6);
}

TEST(DecodeScanTest, AProgressiveJpegDecodes) {
  const Bytes pixels = PageWithRectangle(32, 32, 8, 8, 24, 24);
  const GrayPage page =
      OnlyPage(MakeJpeg({.width = 32, .height = 32, .pixels = pixels, .progressive = true}));
  EXPECT_LE(MaxDifference(page.pixels, pixels), 12);
}

TEST(DecodeScanTest, AnAdobeCmykJpegIsReadAsInvertedInk) {
  Bytes cmyk;
  for (int i = 0; i < 16 * 16; ++i) cmyk.insert(cmyk.end(), {255, 255, 255, 255});  // no ink
  for (int i = 0; i < 16 * 16; ++i) cmyk.insert(cmyk.end(), {255, 255, 255, 0});    // all black
  const GrayPage page =
      OnlyPage(MakeJpeg({.height = 32, .color_space = JCS_CMYK, .components = 4, .pixels = cmyk}));
  Bytes expected(16 * 16, 255);
  expected.insert(expected.end(), 16 * 16, 0);
  EXPECT_LE(MaxDifference(page.pixels, expected), 6);
}

// ---------------------------------------------------------------------------------------------
// TIFF

TEST(DecodeScanTest, AnUncompressedGrayTiffDecodesExactly) {
  const GrayPage page =
      OnlyPage(MakeTiff({{.width = 3, .height = 2, .data = {0, 128, 255, 1, 2, 254}}}));
  EXPECT_EQ(page.width, 3);
  EXPECT_THAT(page.pixels, ElementsAre(0, 128, 255, 1, 2, 254));
}

TEST(DecodeScanTest, AnLzwRgbTiffInSeveralStripsBecomesItsLuminance) {
  const GrayPage page = OnlyPage(
      MakeTiff({{.width = 2,
                 .height = 3,
                 .samples = 3,
                 .photometric = PHOTOMETRIC_RGB,
                 .compression = COMPRESSION_LZW,
                 .rows_per_strip = 1,
                 .data = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 10, 10, 10}}}));
  EXPECT_THAT(page.pixels, ElementsAre(76, 150, 29, 255, 0, 10));
}

TEST(DecodeScanTest, AThreePageG4TiffDecodesEveryPagePixelExactly) {
  const DecodedScan scan = Decode(G4ThreePages());
  ASSERT_THAT(scan.pages, SizeIs(3));
  for (std::uint32_t k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(scan.pages[k].width, 64);
    EXPECT_EQ(scan.pages[k].height, 32);
    EXPECT_EQ(scan.pages[k].pixels, PageWithRectangle(64, 32, 8 + 16 * k, 4, 24 + 16 * k, 20 + k));
  }
}

TEST(DecodeScanTest, OneBitTiffHonoursMinIsWhiteAndMinIsBlack) {
  const TiffPage bits = {.width = 8, .bits = 1, .data = {0b1111'0000}};
  TiffPage min_is_white = bits;
  min_is_white.photometric = PHOTOMETRIC_MINISWHITE;
  TiffPage min_is_black = bits;
  min_is_black.photometric = PHOTOMETRIC_MINISBLACK;
  EXPECT_THAT(OnlyPage(MakeTiff({min_is_white})).pixels,
              ElementsAre(0, 0, 0, 0, 255, 255, 255, 255));
  EXPECT_THAT(OnlyPage(MakeTiff({min_is_black})).pixels,
              ElementsAre(255, 255, 255, 255, 0, 0, 0, 0));
}

TEST(DecodeScanTest, AnEightBitMinIsWhiteTiffIsInverted) {
  const GrayPage page = OnlyPage(
      MakeTiff({{.width = 3, .photometric = PHOTOMETRIC_MINISWHITE, .data = {0, 55, 255}}}));
  EXPECT_THAT(page.pixels, ElementsAre(255, 200, 0));
}

TEST(DecodeScanTest, ACcittG3TiffDecodes) {
  const Bytes pixels = PageWithRectangle(40, 10, 3, 2, 30, 7);
  const GrayPage page = OnlyPage(MakeTiff({{.width = 40,
                                            .height = 10,
                                            .bits = 1,
                                            .photometric = PHOTOMETRIC_MINISWHITE,
                                            .compression = COMPRESSION_CCITTFAX3,
                                            .data = BlackBits(pixels, 40)}}));
  EXPECT_EQ(page.pixels, pixels);
}

TEST(DecodeScanTest, APaletteTiffIsLookedUp) {
  std::vector<std::uint16_t> colormap(3 * 16, 0);
  colormap[1] = colormap[16 + 1] = colormap[32 + 1] = 65535;  // 1: white
  colormap[2] = 65535;                                        // 2: red
  const GrayPage page = OnlyPage(MakeTiff({{.width = 4,
                                            .bits = 4,
                                            .photometric = PHOTOMETRIC_PALETTE,
                                            .colormap = colormap,
                                            .data = {0x01, 0x20}}}));
  EXPECT_THAT(page.pixels, ElementsAre(0, 255, 76, 0));
}

TEST(DecodeScanTest, ASixteenBitTiffIsRoundedToEightBits) {
  const std::uint16_t samples[3] = {0, 65535, 0x8080};
  Bytes data(6);
  std::memcpy(data.data(), samples, 6);
  const GrayPage page = OnlyPage(MakeTiff({{.width = 3, .bits = 16, .data = data}}));
  EXPECT_THAT(page.pixels, ElementsAre(0, 255, 128));
}

TEST(DecodeScanTest, AnRgbaTiffIsCompositedOnWhite) {
  const GrayPage page = OnlyPage(MakeTiff({{.width = 3,
                                            .samples = 4,
                                            .photometric = PHOTOMETRIC_RGB,
                                            .extra_samples = {EXTRASAMPLE_UNASSALPHA},
                                            .data = {0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 255}}}));
  EXPECT_THAT(page.pixels, ElementsAre(255, 0, 76));
}

TEST(DecodeScanTest, ATiledTiffDecodesLikeAStripOne) {
  const Bytes pixels = Gradient(40 * 20);
  const GrayPage page =
      OnlyPage(MakeTiff({{.width = 40, .height = 20, .tile = 16, .data = pixels}}));
  EXPECT_EQ(page.pixels, pixels);
}

TEST(DecodeScanTest, AJpegCompressedYCbCrTiffDecodesWithinJpegLoss) {
  Bytes rgb;
  for (int i = 0; i < 16 * 16; ++i) rgb.insert(rgb.end(), {255, 255, 255});
  for (int i = 0; i < 16 * 16; ++i) rgb.insert(rgb.end(), {0, 0, 0});
  const GrayPage page = OnlyPage(MakeTiff({{.width = 16,
                                            .height = 32,
                                            .samples = 3,
                                            .photometric = PHOTOMETRIC_YCBCR,
                                            .compression = COMPRESSION_JPEG,
                                            .data = rgb}}));
  Bytes expected(16 * 16, 255);
  expected.insert(expected.end(), 16 * 16, 0);
  EXPECT_LE(MaxDifference(page.pixels, expected), 8);
}

TEST(DecodeScanTest, ABottomUpTiffIsTurnedUpright) {
  const GrayPage page = OnlyPage(MakeTiff(
      {{.width = 2, .height = 2, .orientation = ORIENTATION_BOTLEFT, .data = {1, 2, 3, 4}}}));
  EXPECT_THAT(page.pixels, ElementsAre(3, 4, 1, 2));
}

TEST(DecodeScanTest, ATiffStoredLyingOnItsSideIsTurnedUpright) {
  // Orientation 6: the stored rows are the page's columns, right to left.
  const GrayPage page = OnlyPage(MakeTiff({{.width = 3,
                                            .height = 2,
                                            .orientation = ORIENTATION_RIGHTTOP,
                                            .data = {1, 2, 3, 4, 5, 6}}}));
  EXPECT_EQ(page.width, 2);
  EXPECT_EQ(page.height, 3);
  EXPECT_THAT(page.pixels, ElementsAre(4, 1, 5, 2, 6, 3));
}

// ---------------------------------------------------------------------------------------------
// Normalisation

TEST(DecodeScanTest, APageWiderThanTheLimitIsScaledDownWithItsAspectKept) {
  ScanLimits limits;
  limits.normalized_max_width = 100;
  const GrayPage page = OnlyPage(GrayPng(300, 200, Bytes(300 * 200, 90)), limits);
  EXPECT_EQ(page.width, 100);
  EXPECT_EQ(page.height, 67);
  EXPECT_THAT(page.pixels, Each(90));
}

TEST(DecodeScanTest, AnA4PageAt600DpiIsScaledToA4At300Dpi) {
  const GrayPage page = OnlyPage(GrayPng(4960, 20, Bytes(4960 * 20, 255)));
  EXPECT_EQ(page.width, 2480);
  EXPECT_EQ(page.height, 10);
}

TEST(DecodeScanTest, ScalingAveragesTheAreaEachPixelCovers) {
  ScanLimits limits;
  limits.normalized_max_width = 2;
  EXPECT_THAT(OnlyPage(GrayPng(4, 2, {0, 255, 0, 255, 255, 0, 255, 0}), limits).pixels,
              ElementsAre(128, 128));
  // 3 → 2: each output pixel is 1 whole source pixel and half of the middle one.
  EXPECT_THAT(OnlyPage(GrayPng(3, 1, {0, 255, 0}), limits).pixels, ElementsAre(85, 85));
}

TEST(DecodeScanTest, APageNoWiderThanTheLimitKeepsItsPixels) {
  ScanLimits limits;
  limits.normalized_max_width = 3;
  EXPECT_THAT(OnlyPage(GrayPng(3, 1, {0, 255, 0}), limits).pixels, ElementsAre(0, 255, 0));
}

TEST(EncodeGrayPngTest, APageRoundTripsThroughDecodeScanExactly) {
  const GrayPage page{.width = 37, .height = 23, .pixels = Gradient(37 * 23)};
  const Result<std::string> png = EncodeGrayPng(page);
  ASSERT_THAT(png, IsOk());
  const GrayPage decoded = OnlyPage(Bytes(png->begin(), png->end()));
  EXPECT_EQ(decoded.width, 37);
  EXPECT_EQ(decoded.height, 23);
  EXPECT_EQ(decoded.pixels, page.pixels);
}

TEST(EncodeGrayPngTest, EqualPagesGiveEqualBytes) {
  const GrayPage page{.width = 5, .height = 5, .pixels = Gradient(25)};
  EXPECT_EQ(EncodeGrayPng(page).value_or(""), EncodeGrayPng(page).value_or("x"));
}

TEST(EncodeGrayPngTest, AMalformedPageIsRefused) {
  EXPECT_THAT(EncodeGrayPng({.width = 2, .height = 2, .pixels = Bytes(3)}),
              ErrorIdIs("KSK-SCAN-010"));
  EXPECT_THAT(EncodeGrayPng({.width = 0, .height = 0, .pixels = {}}), ErrorIdIs("KSK-SCAN-010"));
  EXPECT_THAT(EncodeGrayPng({.width = -1, .height = -1, .pixels = Bytes(1)}),
              ErrorIdIs("KSK-SCAN-010"));
}

// ---------------------------------------------------------------------------------------------
// Refusals

TEST(DecodeScanTest, AnEmptyFileIsRefused) {
  EXPECT_THAT(DecodeScan({}), ErrorIdIs("KSK-SCAN-001"));
}

TEST(DecodeScanTest, AFileOverTheSizeLimitIsRefusedBeforeDecoding) {
  const Bytes png = GrayPng(2, 2, {0, 0, 0, 0});
  ScanLimits limits;
  limits.max_file_bytes = png.size() - 1;
  EXPECT_THAT(DecodeScan(png, limits), ErrorIdIs("KSK-SCAN-002"));
  limits.max_file_bytes = png.size();
  EXPECT_THAT(DecodeScan(png, limits), IsOk());
}

TEST(DecodeScanTest, AFileOfAnotherFormatIsRefusedByItsMagicBytes) {
  EXPECT_THAT(DecodeScan(BytesOf("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n")),
              ErrorIdIs("KSK-SCAN-003"));
  EXPECT_THAT(DecodeScan(BytesOf("GIF89a\x01\x00\x01\x00\x80\x00\x00")), ErrorIdIs("KSK-SCAN-003"));
  EXPECT_THAT(DecodeScan(BytesOf("BM")), ErrorIdIs("KSK-SCAN-003"));
  EXPECT_THAT(DecodeScan(BytesOf("\x89PNG")), ErrorIdIs("KSK-SCAN-003"));
}

TEST(DecodeScanTest, ATruncatedPngIsRefusedAndNothingIsReturned) {
  const Bytes png = GrayPng(16, 16, Gradient(256));
  for (const std::size_t length : {std::size_t{8}, std::size_t{20}, std::size_t{33}, png.size() / 2,
                                   png.size() - 12, png.size() - 1}) {
    SCOPED_TRACE(length);
    EXPECT_THAT(DecodeScan(Cut(png, length)), ErrorIdIs("KSK-SCAN-004"));
  }
}

TEST(DecodeScanTest, ATruncatedJpegIsRefusedAndNothingIsReturned) {
  const Bytes jpeg = MakeJpeg({.width = 32, .height = 32, .pixels = Gradient(32 * 32)});
  for (const std::size_t length :
       {std::size_t{3}, std::size_t{10}, std::size_t{200}, jpeg.size() / 2, jpeg.size() - 2}) {
    SCOPED_TRACE(length);
    EXPECT_THAT(DecodeScan(Cut(jpeg, length)), ErrorIdIs("KSK-SCAN-004"));
  }
}

TEST(DecodeScanTest, ATruncatedTiffIsRefusedAndNothingIsReturned) {
  const Bytes tiff = G4ThreePages();
  for (const std::size_t length :
       {std::size_t{4}, std::size_t{8}, std::size_t{40}, tiff.size() / 2, tiff.size() - 1}) {
    SCOPED_TRACE(length);
    EXPECT_THAT(DecodeScan(Cut(tiff, length)), ErrorIdIs("KSK-SCAN-004"));
  }
}

TEST(DecodeScanTest, APngWithABadCrcIsRefused) {
  Bytes png = GrayPng(2, 2, {0, 0, 0, 0});
  png[29] ^= 0x01;  // last byte of IHDR's CRC
  EXPECT_THAT(DecodeScan(png), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, APngWithCorruptImageDataIsRefusedEvenWithAValidCrc) {
  Bytes png = GrayPng(16, 16, Gradient(256));
  const std::size_t idat = FindPngChunk(png, "IDAT");
  ASSERT_NE(idat, 0U);
  png[idat + 8 + 4] ^= 0xFF;
  png[idat + 8 + 5] ^= 0xFF;
  FixPngCrc(png, idat);
  EXPECT_THAT(DecodeScan(png), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, AJpegWithCorruptDataIsRefused) {
  Bytes jpeg = MakeJpeg({.width = 64, .height = 64, .pixels = Gradient(64 * 64)});
  // A marker where entropy-coded data should be: libjpeg would fill the rest with gray.
  jpeg[jpeg.size() / 2] = 0xFF;
  jpeg[jpeg.size() / 2 + 1] = 0xD9;
  EXPECT_THAT(DecodeScan(jpeg), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, AJpegWithACorruptHeaderIsRefused) {
  Bytes jpeg = MakeJpeg({.pixels = Bytes(256, 0)});
  jpeg[FindJpegFrame(jpeg) + 9] = 0;  // no components
  EXPECT_THAT(DecodeScan(jpeg), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, ATiffWithCorruptCompressedDataIsRefused) {
  Bytes tiff = MakeTiff({{.width = 64,
                          .height = 32,
                          .bits = 1,
                          .photometric = PHOTOMETRIC_MINISWHITE,
                          .compression = COMPRESSION_CCITTFAX4,
                          .data = BlackBits(PageWithRectangle(64, 32, 8, 4, 40, 20), 64)}});
  // libtiff writes the strip right after the 8-byte header.
  for (std::size_t i = 8; i < 16; ++i) tiff[i] = 0x00;
  EXPECT_THAT(DecodeScan(tiff), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, AJpegCompressedTiffWithDamagedDataIsRefused) {
  Bytes rgb;
  for (int i = 0; i < 32 * 32; ++i) {
    rgb.insert(rgb.end(), {static_cast<std::uint8_t>(i), 90, static_cast<std::uint8_t>(i / 4)});
  }
  Bytes tiff = MakeTiff({{.width = 32,
                          .height = 32,
                          .samples = 3,
                          .photometric = PHOTOMETRIC_YCBCR,
                          .compression = COMPRESSION_JPEG,
                          .data = rgb}});
  // libjpeg only warns about a marker inside the data, and would fill the rest with gray.
  const std::size_t strip = TiffTag(tiff, TIFFTAG_STRIPOFFSETS);
  const std::size_t middle = strip + TiffTag(tiff, TIFFTAG_STRIPBYTECOUNTS) / 2;
  tiff[middle] = 0xFF;
  tiff[middle + 1] = 0xD9;
  EXPECT_THAT(DecodeScan(tiff), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, ACorruptTiffPrintsNothing) {
  const Bytes tiff = G4ThreePages();
  ::testing::internal::CaptureStderr();
  const Result<DecodedScan> scan = DecodeScan(Cut(tiff, tiff.size() - 1));
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(scan, ErrorIdIs("KSK-SCAN-004"));
  EXPECT_THAT(printed, IsEmpty());
}

TEST(DecodeScanTest, APngClaimingAHugeSizeIsRefusedWithoutAllocatingIt) {
  // 100000 × 100000 bytes would be 10 GB; under ASan an attempt aborts the test.
  EXPECT_THAT(DecodeScan(PngClaiming(100000, 100000)), ErrorIdIs("KSK-SCAN-007"));
  EXPECT_THAT(DecodeScan(PngClaiming(0x7FFFFFFF, 1)), ErrorIdIs("KSK-SCAN-007"));
  EXPECT_THAT(DecodeScan(PngClaiming(15000, 15000)), ErrorIdIs("KSK-SCAN-007"));
}

TEST(DecodeScanTest, AJpegClaimingAHugeSizeIsRefusedWithoutAllocatingIt) {
  EXPECT_THAT(DecodeScan(JpegClaiming(60000, 60000)), ErrorIdIs("KSK-SCAN-007"));
  EXPECT_THAT(DecodeScan(JpegClaiming(15000, 15000)), ErrorIdIs("KSK-SCAN-007"));
}

TEST(DecodeScanTest, ATiffClaimingAHugeSizeIsRefusedWithoutAllocatingIt) {
  Bytes tiff = MakeTiff({{.width = 2, .height = 2, .data = {0, 0, 0, 0}}});
  SetTiffTag(tiff, TIFFTAG_IMAGEWIDTH, TIFF_LONG, 100000);
  SetTiffTag(tiff, TIFFTAG_IMAGELENGTH, TIFF_LONG, 100000);
  SetTiffTag(tiff, TIFFTAG_ROWSPERSTRIP, TIFF_LONG, 100000);
  EXPECT_THAT(DecodeScan(tiff), ErrorIdIs("KSK-SCAN-007"));
}

TEST(DecodeScanTest, APageOverTheSideLimitIsRefused) {
  ScanLimits limits;
  limits.max_side_px = 15;
  EXPECT_THAT(DecodeScan(GrayPng(16, 1, Bytes(16)), limits), ErrorIdIs("KSK-SCAN-007"));
  EXPECT_THAT(DecodeScan(GrayPng(1, 16, Bytes(16)), limits), ErrorIdIs("KSK-SCAN-007"));
  EXPECT_THAT(DecodeScan(GrayPng(15, 15, Bytes(225)), limits), IsOk());
}

TEST(DecodeScanTest, ATiffWithMorePagesThanAllowedIsRefused) {
  ScanLimits limits;
  limits.max_pages = 2;
  EXPECT_THAT(DecodeScan(G4ThreePages(), limits), ErrorIdIs("KSK-SCAN-006"));
  limits.max_pages = 3;
  EXPECT_THAT(DecodeScan(G4ThreePages(), limits), IsOk());
}

TEST(DecodeScanTest, PagesOverTheTotalPixelBudgetAreRefused) {
  ScanLimits limits;
  limits.max_total_pixels = 3 * 64 * 32 - 1;
  EXPECT_THAT(DecodeScan(G4ThreePages(), limits), ErrorIdIs("KSK-SCAN-008"));
  limits.max_total_pixels = 3 * 64 * 32;
  EXPECT_THAT(DecodeScan(G4ThreePages(), limits), IsOk());
}

TEST(DecodeScanTest, APageWithoutWidthOrHeightIsRefused) {
  EXPECT_THAT(DecodeScan(PngClaiming(0, 5)), ErrorIdIs("KSK-SCAN-009"));
  EXPECT_THAT(DecodeScan(JpegClaiming(16, 0)), ErrorIdIs("KSK-SCAN-009"));
}

TEST(DecodeScanTest, ATiffWithoutWidthIsRefusedAsCorruptByLibtiff) {
  Bytes tiff = MakeTiff({{.width = 2, .height = 2, .data = {0, 0, 0, 0}}});
  SetTiffTag(tiff, TIFFTAG_IMAGEWIDTH, TIFF_SHORT, 0);
  EXPECT_THAT(DecodeScan(tiff), ErrorIdIs("KSK-SCAN-004"));
}

TEST(DecodeScanTest, ATiffWithACompressionOutsideTheListIsRefusedAsUnsupported) {
  Bytes tiff = MakeTiff({{.width = 2, .height = 2, .data = {0, 0, 0, 0}}});
  SetTiffTag(tiff, TIFFTAG_COMPRESSION, TIFF_SHORT, COMPRESSION_JP2000);
  EXPECT_THAT(DecodeScan(tiff), ErrorIdIs("KSK-SCAN-005"));
}

TEST(DecodeScanTest, AFloatingPointTiffIsRefusedAsUnsupported) {
  const float samples[2] = {0.0F, 1.0F};
  Bytes data(8);
  std::memcpy(data.data(), samples, 8);
  EXPECT_THAT(DecodeScan(MakeTiff(
                  {{.width = 2, .bits = 32, .sample_format = SAMPLEFORMAT_IEEEFP, .data = data}})),
              ErrorIdIs("KSK-SCAN-005"));
}

TEST(DecodeScanTest, ErrorsCarryAJapaneseMessageAndNoPixelContent) {
  const Result<DecodedScan> scan = DecodeScan(Cut(GrayPng(16, 16, Gradient(256)), 60));
  ASSERT_THAT(scan, ErrorIdIs("KSK-SCAN-004"));
  EXPECT_EQ(scan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(scan.error().public_message, ::testing::HasSubstr("スキャン画像"));
  EXPECT_THAT(scan.error().internal_detail, ::testing::StartsWith("png refused as corrupt: "));
}

TEST(DecodeScanTest, ConcurrentDecodesKeepTheirErrorsApart) {
  const Bytes good = G4ThreePages();
  const Bytes bad = Cut(good, good.size() - 1);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const bool use_bad = (i + t) % 2 == 0;
        const Result<DecodedScan> scan = DecodeScan(use_bad ? bad : good);
        if (scan.has_value() == use_bad) ++wrong;
        if (scan && scan->pages.size() != 3) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------------------------
// The fuzz corpus's seeds: each decodes or is refused as its name says.

struct Seed {
  std::string name;
  Bytes bytes;
  std::string refusal;  // empty: decodes
};

std::vector<Seed> Seeds() {
  Bytes rgba;
  for (int i = 0; i < 16 * 16; ++i) {
    rgba.insert(rgba.end(),
                {static_cast<std::uint8_t>(i), 40, 200, static_cast<std::uint8_t>(255 - i)});
  }
  Bytes rgb;
  for (int i = 0; i < 16 * 16; ++i) rgb.insert(rgb.end(), {static_cast<std::uint8_t>(i), 80, 160});
  const Bytes gray_png = GrayPng(16, 16, Gradient(256));
  const Bytes gray_jpeg = MakeJpeg({.pixels = Gradient(256)});
  const Bytes g4 = G4ThreePages();
  Bytes bad_crc = gray_png;
  bad_crc[29] ^= 1;
  Bytes bad_compression = MakeTiff({{.width = 2, .height = 2, .data = {0, 0, 0, 0}}});
  SetTiffTag(bad_compression, TIFFTAG_COMPRESSION, TIFF_SHORT, COMPRESSION_JP2000);
  Bytes tiff_bomb = MakeTiff({{.width = 2, .height = 2, .data = {0, 0, 0, 0}}});
  SetTiffTag(tiff_bomb, TIFFTAG_IMAGEWIDTH, TIFF_LONG, 100000);
  SetTiffTag(tiff_bomb, TIFFTAG_IMAGELENGTH, TIFF_LONG, 100000);
  std::vector<std::uint16_t> colormap(3 * 256);
  for (int i = 0; i < 256; ++i) colormap[i] = colormap[256 + i] = colormap[512 + i] = i * 257;
  std::vector<std::uint16_t> rgba16(4 * 8 * 8, 40000);
  Bytes rgba16_bytes(rgba16.size() * 2);
  std::memcpy(rgba16_bytes.data(), rgba16.data(), rgba16_bytes.size());
  return {
      {"gray.png", gray_png, ""},
      {"rgba.png",
       MakePng({.width = 16, .height = 16, .color_type = PNG_COLOR_TYPE_RGB_ALPHA, .rows = rgba}),
       ""},
      {"palette_trns.png",
       MakePng({.width = 4,
                .color_type = PNG_COLOR_TYPE_PALETTE,
                .bit_depth = 2,
                .rows = {0x1B},
                .palette = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 0, 255}},
                .palette_alpha = {255, 255, 255, 0}}),
       ""},
      {"gray16.png", MakePng({.width = 3, .bit_depth = 16, .rows = {0, 0, 255, 255, 128, 128}}),
       ""},
      {"interlaced.png",
       MakePng({.width = 13, .height = 11, .interlaced = true, .rows = Gradient(143)}), ""},
      {"gray.jpg", gray_jpeg, ""},
      {"colour.jpg", MakeJpeg({.color_space = JCS_RGB, .components = 3, .pixels = rgb}), ""},
      {"progressive.jpg", MakeJpeg({.pixels = Gradient(256), .progressive = true}), ""},
      {"cmyk.jpg", MakeJpeg({.color_space = JCS_CMYK, .components = 4, .pixels = Bytes(1024, 200)}),
       ""},
      {"gray.tif", MakeTiff({{.width = 16, .height = 16, .data = Gradient(256)}}), ""},
      {"lzw_rgb_strips.tif",
       MakeTiff({{.width = 16,
                  .height = 16,
                  .samples = 3,
                  .photometric = PHOTOMETRIC_RGB,
                  .compression = COMPRESSION_LZW,
                  .rows_per_strip = 4,
                  .data = rgb}}),
       ""},
      {"g4_3pages.tif", g4, ""},
      {"palette8_deflate.tif",
       MakeTiff({{.width = 16,
                  .height = 16,
                  .photometric = PHOTOMETRIC_PALETTE,
                  .compression = COMPRESSION_ADOBE_DEFLATE,
                  .colormap = colormap,
                  .data = Gradient(256)}}),
       ""},
      {"rgba16_packbits.tif",
       MakeTiff({{.width = 8,
                  .height = 8,
                  .bits = 16,
                  .samples = 4,
                  .photometric = PHOTOMETRIC_RGB,
                  .compression = COMPRESSION_PACKBITS,
                  .extra_samples = {EXTRASAMPLE_ASSOCALPHA},
                  .data = rgba16_bytes}}),
       ""},
      {"tiled.tif", MakeTiff({{.width = 40, .height = 20, .tile = 16, .data = Gradient(800)}}), ""},
      {"ycbcr_jpeg.tif",
       MakeTiff({{.width = 16,
                  .height = 16,
                  .samples = 3,
                  .photometric = PHOTOMETRIC_YCBCR,
                  .compression = COMPRESSION_JPEG,
                  .data = rgb}}),
       ""},
      {"wide_g4.tif",  // wider than the fuzz target's width limit: exercises scaling
       MakeTiff({{.width = 1200,
                  .height = 40,
                  .bits = 1,
                  .photometric = PHOTOMETRIC_MINISWHITE,
                  .compression = COMPRESSION_CCITTFAX4,
                  .data = BlackBits(PageWithRectangle(1200, 40, 100, 5, 1000, 30), 1200)}}),
       ""},
      {"rotated.tif",
       MakeTiff({{.width = 3,
                  .height = 2,
                  .orientation = ORIENTATION_RIGHTTOP,
                  .data = {1, 2, 3, 4, 5, 6}}}),
       ""},
      {"truncated.png", Cut(gray_png, gray_png.size() / 2), "KSK-SCAN-004"},
      {"bad_crc.png", bad_crc, "KSK-SCAN-004"},
      {"bomb.png", PngClaiming(100000, 100000), "KSK-SCAN-007"},
      {"zero_width.png", PngClaiming(0, 5), "KSK-SCAN-009"},
      {"truncated.jpg", Cut(gray_jpeg, gray_jpeg.size() / 2), "KSK-SCAN-004"},
      {"bomb.jpg", JpegClaiming(60000, 60000), "KSK-SCAN-007"},
      {"truncated_g4.tif", Cut(g4, g4.size() - 1), "KSK-SCAN-004"},
      {"bomb.tif", tiff_bomb, "KSK-SCAN-007"},
      {"unsupported_compression.tif", bad_compression, "KSK-SCAN-005"},
      {"not_an_image.pdf", BytesOf("%PDF-1.7\n"), "KSK-SCAN-003"},
  };
}

TEST(DecodeScanTest, SeedImagesAreDecodedOrRefusedAsLabelled) {
  const char* write_to = std::getenv("KOSEKI_SCAN_SEED_DIR");
  for (const Seed& seed : Seeds()) {
    SCOPED_TRACE(seed.name);
    EXPECT_LE(seed.bytes.size(), 4096U);
    if (seed.refusal.empty()) {
      EXPECT_THAT(DecodeScan(seed.bytes), IsOk());
    } else {
      EXPECT_THAT(DecodeScan(seed.bytes), ErrorIdIs(seed.refusal));
    }
    if (write_to != nullptr) {
      std::ofstream out(std::filesystem::path(write_to) / seed.name, std::ios::binary);
      out.write(reinterpret_cast<const char*>(seed.bytes.data()),
                static_cast<std::streamsize>(seed.bytes.size()));
    }
  }
}

}  // namespace
}  // namespace koseki::render
