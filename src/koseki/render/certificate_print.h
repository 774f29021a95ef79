// Printing a certificate (記録事項証明書): the pages of domain/certificate.h — every character,
// space and page break already decided there — drawn in IPAmj明朝 onto A4, as a PDF for the
// city's printer and as PNG pages for screens.
//
// The text is set on a grid, as the line printers and 証明書 forms it imitates: a line's
// display columns (full-width 2, ASCII and half-width katakana 1, variation selectors 0) are
// placed at fixed x positions, so the right-aligned page header, the 【tag】 columns and the
// indented mayor line stand where the text puts them whatever the glyphs' own widths. Runs of
// full-width characters are shaped together by Pango (so a variation sequence selects its
// glyph); every other character is placed in its own cell.
//
// The 50 lines of a default page fill the type area at 10.5 pt; longer pages (the tenant's
// lines_per_page) get a smaller line pitch and type so that every line still fits the sheet.
// The tenant's 職印 (a PNG) is stamped over ［職印］ on the mayor line, multiplied onto the text
// as ink is; without one the page says ［職印］, as the text does.
//
// Pure: returns finished bytes, touches no files. Thread-safe (each call uses its own Cairo
// surface and Pango context).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/render/watermark.h"

namespace koseki::render {

// The font every certificate and register picture is drawn in (fontconfig family).
inline constexpr std::string_view kCertificateFontFamily = "IPAmjMincho";

inline constexpr int kMaxPageLines = 1000;  // as domain::kMaxLinesPerPage
inline constexpr int kMinPagePngWidth = 200;
inline constexpr int kMaxPagePngWidth = 4000;
// A 職印 image larger than this on either side is refused (it is a stamp, not a page).
inline constexpr int kMaxSealSidePx = 2000;

struct CertificateArt {
  std::string seal_png = {};  // the tenant's 職印, PNG; empty = none
};

// Returns ok if `png` can be stamped as a 職印 (what CertificatePdf would accept as the seal;
// empty = no seal); InvalidArgument KSK-RENDER-011 otherwise.
Result<void> CheckSeal(std::string_view png);

// Returns an A4 PDF with one sheet per page of `pages` (as domain::RenderCertificatePages
// returns them). Refuses: InvalidArgument KSK-RENDER-010 no pages, or a page with no line or
// more than kMaxPageLines lines; InvalidArgument KSK-RENDER-011 a seal that is not
// a readable PNG or is larger than kMaxSealSidePx; FailedPrecondition KSK-RENDER-012 the
// certificate font is not installed (fonts-ipamj-mincho): never a silent fallback to another
// font; Internal KSK-RENDER-013 Cairo failed (out of memory).
Result<std::string> CertificatePdf(std::span<const std::string> pages, const CertificateArt& art);

// Returns ok if CertificatePagePng accepts `width_px`; InvalidArgument KSK-RENDER-014 otherwise.
Result<void> CheckPagePngWidth(int width_px);

// Returns one page drawn as the PDF draws it, as an RGB PNG `width_px` wide (A4's proportions),
// with `watermark` drawn over it when given. Refuses as CertificatePdf, and InvalidArgument
// KSK-RENDER-014 for a width outside kMinPagePngWidth..kMaxPagePngWidth.
Result<std::string> CertificatePagePng(std::string_view page, int width_px,
                                       const CertificateArt& art,
                                       const Watermark* watermark = nullptr);

}  // namespace koseki::render
