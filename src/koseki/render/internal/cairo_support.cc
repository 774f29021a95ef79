#include "koseki/render/internal/cairo_support.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "koseki/base/error.h"
#include "koseki/render/certificate_print.h"
#include "koseki/render/internal/png_codec.h"

namespace koseki::render::internal {
namespace {

struct PngSource {
  std::string_view bytes;
  std::size_t at = 0;
};

cairo_status_t ReadFromSource(void* closure, unsigned char* data, unsigned int length) {
  auto* source = static_cast<PngSource*>(closure);
  if (source->bytes.size() - source->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, source->bytes.data() + source->at, length);
  source->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// Whether fontconfig resolves the certificate family to itself. Asked once: fonts are
// installed with the package, not while koseki runs.
bool CertificateFontInstalled(PangoContext* context) {
  static std::once_flag once;
  static bool installed = false;
  std::call_once(once, [context] {
    FontDescription wanted(pango_font_description_new());
    pango_font_description_set_family(wanted.get(), std::string(kCertificateFontFamily).c_str());
    pango_font_description_set_absolute_size(wanted.get(), 12 * PANGO_SCALE);
    PangoFont* font = pango_context_load_font(context, wanted.get());
    if (font == nullptr) return;
    FontDescription found(pango_font_describe(font));
    g_object_unref(font);
    const char* family = pango_font_description_get_family(found.get());
    installed = family != nullptr && kCertificateFontFamily == family;
  });
  return installed;
}

}  // namespace

Error CairoFailure(std::string_view what, cairo_status_t status) {
  return MakeError(ErrorCode::kInternal, "KSK-RENDER-013", "画像を作成できませんでした。",
                   std::string(what) + ": " + cairo_status_to_string(status));
}

Result<void> CheckDrawn(cairo_surface_t* surface, std::string_view what) {
  const cairo_status_t status = cairo_surface_status(surface);
  if (status != CAIRO_STATUS_SUCCESS) return CairoFailure(what, status);
  return {};
}

Result<std::string> EncodePng(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  if (data == nullptr) return CairoFailure("png encode", CAIRO_STATUS_SURFACE_TYPE_MISMATCH);
  // Cairo's RGB24 pixels are native-endian 32-bit 0x00RRGGBB; PNG wants R, G, B bytes.
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * 3);
  WrittenPng written = WritePng(PngUse::kServed, width, height, 3, [&](int y) {
    const auto* pixels = reinterpret_cast<const std::uint32_t*>(data + std::ptrdiff_t(y) * stride);
    for (int x = 0; x < width; ++x) {
      rgb[3 * std::size_t(x)] = static_cast<std::uint8_t>(pixels[x] >> 16);
      rgb[3 * std::size_t(x) + 1] = static_cast<std::uint8_t>(pixels[x] >> 8);
      rgb[3 * std::size_t(x) + 2] = static_cast<std::uint8_t>(pixels[x]);
    }
    return rgb.data();
  });
  if (!written.error.empty())
    return CairoFailure("png encode: " + written.error, CAIRO_STATUS_NO_MEMORY);
  return std::move(written.png);
}

Surface DecodePng(std::string_view png) {
  PngSource source{png};
  Surface surface(cairo_image_surface_create_from_png_stream(ReadFromSource, &source));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return nullptr;
  return surface;
}

Result<Layout> CertificateFontLayout(cairo_t* cr, double size_pt) {
  Layout layout(pango_cairo_create_layout(cr));
  PangoContext* context = pango_layout_get_context(layout.get());
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  pango_layout_context_changed(layout.get());
  if (!CertificateFontInstalled(context)) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-RENDER-012",
                     "証明書用の書体（IPAmj明朝）がインストールされていません。管理者に連絡して"
                     "ください。",
                     "fontconfig does not resolve IPAmjMincho (Debian package fonts-ipamj-mincho)");
  }
  FontDescription font(pango_font_description_new());
  pango_font_description_set_family(font.get(), std::string(kCertificateFontFamily).c_str());
  pango_font_description_set_absolute_size(font.get(), size_pt * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font.get());
  return layout;
}

void DrawWatermark(cairo_t* cr, double width, double height, const Watermark& mark) {
  const std::string line = WatermarkLine(mark);
  if (line.empty()) return;
  cairo_save(cr);
  Layout layout(pango_cairo_create_layout(cr));
  FontDescription font(pango_font_description_new());
  pango_font_description_set_family(font.get(), std::string(kCertificateFontFamily).c_str());
  // About 45 characters of the line across the picture's width: readable in a photograph of
  // the screen, small enough that the picture stays readable under it.
  const double size = width / 45.0;
  pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_text(layout.get(), line.c_str(), static_cast<int>(line.size()));
  PangoRectangle extent;
  pango_layout_get_extents(layout.get(), nullptr, &extent);
  const double line_width = static_cast<double>(extent.width) / PANGO_SCALE + 4 * size;
  const double line_pitch = 6 * size;

  // Rotate about the centre and cover the rotated rectangle's bounding square, so that the
  // tiles reach every corner.
  const double reach = std::hypot(width, height);
  cairo_translate(cr, width / 2, height / 2);
  cairo_rotate(cr, -M_PI / 6);
  cairo_set_source_rgba(cr, 0.55, 0.0, 0.0, 0.22);
  int row = 0;
  for (double y = -reach / 2; y < reach / 2; y += line_pitch, ++row) {
    // Every other row shifted by half a line, so that no column is left free of text.
    const double shift = (row % 2) * line_width / 2;
    for (double x = -reach / 2 - shift; x < reach / 2; x += line_width) {
      cairo_move_to(cr, x, y);
      pango_cairo_show_layout(cr, layout.get());
    }
  }
  cairo_restore(cr);
}

}  // namespace koseki::render::internal
