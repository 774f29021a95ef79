#include "koseki/render/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace koseki::render {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

// Far above any QR capacity; checked first so the length always fits libqrencode's int.
constexpr std::size_t kMaxInputBytes = 4096;

Error UnencodableError(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-001",
                   "この内容は QR コードにできません（空か、長すぎます）。", std::move(detail));
}

}  // namespace

namespace internal {

Result<std::vector<std::vector<bool>>> QrModules(std::string_view text) {
  if (text.empty()) return UnencodableError("empty QR code text");
  if (text.size() > kMaxInputBytes) {
    return UnencodableError("QR code text of " + std::to_string(text.size()) + " bytes");
  }
  errno = 0;
  // QRcode_encodeData rather than QRcode_encodeString8bit: the same 8-bit mode, but it takes a
  // length, so a NUL byte in `text` cannot cut the code short.
  const QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                         reinterpret_cast<const unsigned char*>(text.data()), 0,
                                         QR_ECLEVEL_M));
  if (!code) {
    const int error = errno;
    if (error == ERANGE) {
      return UnencodableError("QR code text of " + std::to_string(text.size()) +
                              " bytes exceeds version 40-M");
    }
    return MakeError(ErrorCode::kInternal, "KSK-RENDER-003", "QR コードを作成できませんでした。",
                     std::string("libqrencode failed: ") + std::strerror(error));
  }
  const auto width = static_cast<std::size_t>(code->width);
  std::vector<std::vector<bool>> modules(width, std::vector<bool>(width));
  for (std::size_t y = 0; y < width; ++y) {
    for (std::size_t x = 0; x < width; ++x) {
      // Bit 0 is the module's colour; the other bits say what kind of module it is.
      modules[y][x] = (code->data[y * width + x] & 1) != 0;
    }
  }
  return modules;
}

}  // namespace internal

Result<std::string> QrCodeSvg(std::string_view text, int module_px) {
  if (module_px < 1 || module_px > kQrMaxModulePx) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RENDER-002",
                     "QR コードの表示サイズの指定が正しくありません。",
                     "module_px " + std::to_string(module_px) + " outside 1..64");
  }
  KOSEKI_ASSIGN_OR_RETURN(const std::vector<std::vector<bool>> modules, internal::QrModules(text));
  const std::size_t side = modules.size() + 2 * kQrQuietZoneModules;
  const std::string side_text = std::to_string(side);
  const std::string px_text = std::to_string(side * static_cast<std::size_t>(module_px));

  // The viewBox counts modules, so the path's numbers stay small; width and height scale it.
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px_text +
                    "\" height=\"" + px_text + "\" viewBox=\"0 0 " + side_text + " " + side_text +
                    "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR コード\">";
  svg += "<rect width=\"" + side_text + "\" height=\"" + side_text + "\" fill=\"#fff\"/>";
  svg += "<path fill=\"#000\" d=\"";
  for (std::size_t y = 0; y < modules.size(); ++y) {
    const std::vector<bool>& row = modules[y];
    for (std::size_t x = 0; x < row.size();) {
      if (!row[x]) {
        ++x;
        continue;
      }
      const std::size_t start = x;
      while (x < row.size() && row[x]) ++x;
      const std::string run = std::to_string(x - start);
      svg += "M" + std::to_string(start + kQrQuietZoneModules) + " " +
             std::to_string(y + kQrQuietZoneModules) + "h" + run + "v1h-" + run + "z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace koseki::render
