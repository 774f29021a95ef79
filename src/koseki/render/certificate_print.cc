#include "koseki/render/certificate_print.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/error.h"
#include "koseki/render/internal/cairo_support.h"
#include "koseki/text/name.h"

namespace koseki::render {
namespace {

using internal::Context;
using internal::Layout;
using internal::Surface;

// A4 in PostScript points.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kTopMargin = 56.7;  // 20 mm
constexpr double kBottomMargin = 56.7;
// The type of a 50-line page: 10.5 pt (五号), the size of official forms.
constexpr int kDesignLines = 50;
constexpr double kDesignFontSize = 10.5;
// A certificate line is at most 82 display columns wide (domain/certificate.h).
constexpr int kLineColumns = 82;
constexpr std::string_view kSealMark = "［職印］";
constexpr int kSealMarkColumns = 6;

Error NotAPage(std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-010",
                   "証明書の内容が正しくないため印刷できません。", std::string(why));
}

// The grid of a sheet: where column c of line l stands.
struct Grid {
  double font_size = kDesignFontSize;
  double pitch = 0;       // line to line
  double half_width = 0;  // one display column (half an em)
  double left = 0;

  static Grid For(int lines) {
    Grid grid;
    const double area = kPageHeight - kTopMargin - kBottomMargin;
    grid.pitch = area / std::max(lines, kDesignLines);
    grid.font_size =
        std::min(kDesignFontSize, grid.pitch / (area / kDesignLines) * kDesignFontSize);
    grid.half_width = grid.font_size / 2;
    grid.left = (kPageWidth - kLineColumns * grid.half_width) / 2;
    return grid;
  }
  double X(int column) const { return left + column * half_width; }
  double Y(int line) const { return kTopMargin + line * pitch + (pitch - font_size) / 2; }
};

std::vector<std::string_view> LinesOf(std::string_view page) {
  std::vector<std::string_view> lines;
  while (!page.empty()) {
    const std::size_t end = page.find('\n');
    lines.push_back(page.substr(0, end));
    page = end == std::string_view::npos ? std::string_view() : page.substr(end + 1);
  }
  return lines;
}

int ColumnsOf(char32_t c) {
  if (text::IsVariationSelector(c)) return 0;
  return (c < 0x80 || (c >= 0xFF61 && c <= 0xFF9F)) ? 1 : 2;
}

// Draws one line on the grid: runs of full-width characters (with their variation selectors)
// shaped together, every other character in its own cell, ASCII spaces as empty cells. The
// full-width space is drawn as the character it is, so that the PDF's text keeps it.
void DrawLine(cairo_t* cr, PangoLayout* layout, const Grid& grid, const std::u32string& line,
              int line_index) {
  const double y = grid.Y(line_index);
  std::u32string run;
  int run_column = 0;
  int column = 0;
  auto draw = [&](const std::u32string& chars, int at) {
    const std::string utf8 = text::EncodeUtf8(chars);
    pango_layout_set_text(layout, utf8.c_str(), static_cast<int>(utf8.size()));
    cairo_move_to(cr, grid.X(at), y);
    pango_cairo_show_layout(cr, layout);
  };
  auto flush = [&] {
    if (!run.empty()) draw(run, run_column);
    run.clear();
  };
  for (const char32_t c : line) {
    const int width = ColumnsOf(c);
    if (width == 0) {
      run.push_back(c);
    } else if (c == U' ') {
      flush();
      column += 1;
    } else if (width == 1) {
      flush();
      draw(std::u32string(1, c), column);
      column += 1;
    } else {
      if (run.empty()) run_column = column;
      run.push_back(c);
      column += 2;
    }
  }
  flush();
}

// The 職印 stamped over ［職印］: about 24 mm square at the design size, as city seals are.
void StampSeal(cairo_t* cr, cairo_surface_t* seal, const Grid& grid,
               const std::vector<std::string_view>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t at = lines[i].find(kSealMark);
    if (at == std::string_view::npos) continue;
    int column = 0;
    for (const char32_t c : text::DecodeUtf8(lines[i].substr(0, at)).value_or(U"")) {
      column += ColumnsOf(c);
    }
    const double side = 4.6 * grid.pitch;
    const double cx = grid.X(column + kSealMarkColumns / 2);
    const double cy = grid.Y(static_cast<int>(i)) + grid.font_size / 2;
    const int w = cairo_image_surface_get_width(seal);
    const int h = cairo_image_surface_get_height(seal);
    const double scale = side / std::max(w, h);
    cairo_save(cr);
    cairo_translate(cr, cx - w * scale / 2, cy - h * scale / 2);
    cairo_scale(cr, scale, scale);
    cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
    cairo_set_source_surface(cr, seal, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    return;
  }
}

struct Sheet {
  std::vector<std::string_view> lines;
  std::vector<std::u32string> decoded;
};

Result<Sheet> ReadSheet(std::string_view page) {
  Sheet sheet;
  sheet.lines = LinesOf(page);
  if (sheet.lines.empty()) return NotAPage("a page without lines");
  if (sheet.lines.size() > static_cast<std::size_t>(kMaxPageLines)) {
    return NotAPage("a page of " + std::to_string(sheet.lines.size()) + " lines");
  }
  for (const std::string_view line : sheet.lines) {
    auto decoded = text::DecodeUtf8(line);
    if (!decoded) return NotAPage("a line that is not UTF-8");
    sheet.decoded.push_back(std::move(*decoded));
  }
  return sheet;
}

Result<Surface> ReadSeal(const CertificateArt& art) {
  if (art.seal_png.empty()) return Surface();
  Surface seal = internal::DecodePng(art.seal_png);
  if (seal == nullptr || cairo_image_surface_get_width(seal.get()) > kMaxSealSidePx ||
      cairo_image_surface_get_height(seal.get()) > kMaxSealSidePx) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-011",
                     "職印の画像を読み取れません（PNG 形式で、縦横 2000 画素以内にしてください）。",
                     seal == nullptr ? "not a readable PNG" : "seal larger than the limit");
  }
  return seal;
}

Result<void> DrawSheet(cairo_t* cr, const Sheet& sheet, const Grid& grid, cairo_surface_t* seal) {
  auto layout = internal::CertificateFontLayout(cr, grid.font_size);
  if (!layout) return layout.error();
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (std::size_t i = 0; i < sheet.decoded.size(); ++i) {
    DrawLine(cr, layout->get(), grid, sheet.decoded[i], static_cast<int>(i));
  }
  if (seal != nullptr) StampSeal(cr, seal, grid, sheet.lines);
  return {};
}

}  // namespace

Result<void> CheckPagePngWidth(int width_px) {
  if (width_px < kMinPagePngWidth || width_px > kMaxPagePngWidth) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-014",
                     "画像の幅の指定が正しくありません。",
                     "width " + std::to_string(width_px) + " px");
  }
  return {};
}

Result<void> CheckSeal(std::string_view png) {
  if (png.empty()) return {};
  KOSEKI_RETURN_IF_ERROR(ReadSeal(CertificateArt{std::string(png)}));
  return {};
}

Result<std::string> CertificatePdf(std::span<const std::string> pages, const CertificateArt& art) {
  if (pages.empty()) return NotAPage("no pages");
  std::vector<Sheet> sheets;
  std::size_t most_lines = 0;
  for (const std::string& page : pages) {
    auto sheet = ReadSheet(page);
    if (!sheet) return sheet.error();
    most_lines = std::max(most_lines, sheet->lines.size());
    sheets.push_back(std::move(*sheet));
  }
  auto seal = ReadSeal(art);
  if (!seal) return seal.error();
  const Grid grid = Grid::For(static_cast<int>(most_lines));

  std::string pdf;
  Surface surface(cairo_pdf_surface_create_for_stream(
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &pdf, kPageWidth, kPageHeight));
  // Metadata that names nothing personal: the document is a certificate, nothing more.
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "記録事項証明書");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "koseki");
  Context cr(cairo_create(surface.get()));
  for (const Sheet& sheet : sheets) {
    if (auto drawn = DrawSheet(cr.get(), sheet, grid, seal->get()); !drawn) return drawn.error();
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (auto ok = internal::CheckDrawn(surface.get(), "certificate pdf"); !ok) return ok.error();
  return pdf;
}

Result<std::string> CertificatePagePng(std::string_view page, int width_px,
                                       const CertificateArt& art, const Watermark* watermark) {
  KOSEKI_RETURN_IF_ERROR(CheckPagePngWidth(width_px));
  auto sheet = ReadSheet(page);
  if (!sheet) return sheet.error();
  auto seal = ReadSeal(art);
  if (!seal) return seal.error();
  const double scale = width_px / kPageWidth;
  const int height_px = static_cast<int>(std::lround(kPageHeight * scale));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px));
  Context cr(cairo_create(surface.get()));
  cairo_scale(cr.get(), scale, scale);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  const Grid grid = Grid::For(static_cast<int>(sheet->lines.size()));
  if (auto drawn = DrawSheet(cr.get(), *sheet, grid, seal->get()); !drawn) return drawn.error();
  if (watermark != nullptr) internal::DrawWatermark(cr.get(), kPageWidth, kPageHeight, *watermark);
  cr.reset();
  cairo_surface_flush(surface.get());
  if (auto ok = internal::CheckDrawn(surface.get(), "certificate png"); !ok) return ok.error();
  return internal::EncodePng(surface.get());
}

}  // namespace koseki::render
