// What every Cairo/Pango drawing of the render module shares: owning handles, PNG in and out of
// memory, the certificate font (checked to be the one installed, never a fallback), and the
// watermark drawing.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/render/watermark.h"

namespace koseki::render::internal {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;
using Layout = std::unique_ptr<PangoLayout, GObjectDeleter>;
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

// Internal KSK-RENDER-013: Cairo reported `status` while doing `what`.
Error CairoFailure(std::string_view what, cairo_status_t status);

// Returns ok if Cairo drew without error on `surface`, else CairoFailure.
Result<void> CheckDrawn(cairo_surface_t* surface, std::string_view what);

// Encodes an RGB24 image surface as an RGB PNG (internal::WritePng).
Result<std::string> EncodePng(cairo_surface_t* surface);

// Decodes a PNG held in memory; nullptr if it is not a readable PNG.
Surface DecodePng(std::string_view png);

// Returns a layout for `cr` in the certificate font at `size_pt` points, with hinting of
// metrics off (glyph advances scale linearly, so a PNG page and the PDF place text alike).
// FailedPrecondition KSK-RENDER-012 if fontconfig does not resolve the family to the installed
// IPAmj明朝.
Result<Layout> CertificateFontLayout(cairo_t* cr, double size_pt);

// Draws `mark` tiled over the rectangle (0, 0, width, height) of `cr`'s user space, rotated and
// half-transparent, in a size relative to `width` so that it reads alike at every zoom.
void DrawWatermark(cairo_t* cr, double width, double height, const Watermark& mark);

}  // namespace koseki::render::internal
