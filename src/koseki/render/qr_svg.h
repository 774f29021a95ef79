// The render module draws what koseki shows or prints: QR codes now; certificate and scan
// rendering will join it later. Its functions return finished documents (SVG, later PDF) as
// values and touch no files.
//
// QrCodeSvg draws a text (a TOTP provisioning URI) as a QR code in SVG that a page can inline:
// no script, no external reference, black modules on white, crisp edges at any zoom. The text
// is often a secret; it appears only as modules, never as readable text in the SVG. Thread-safe
// (libqrencode as Debian builds it, with pthreads) and stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::render {

inline constexpr int kQrQuietZoneModules = 4;  // ISO/IEC 18004 asks for at least 4
inline constexpr int kQrMaxModulePx = 64;

// Returns a standalone SVG document of `text` (its bytes, in 8-bit mode) as a QR code at error
// correction level M, the smallest version that holds it, a quiet zone of 4 modules and
// `module_px` pixels per module: width = height = (17 + 4 * version + 8) * module_px. All
// dark modules are one <path> of one rectangle per horizontal run. Fails with InvalidArgument
// KSK-RENDER-001 if `text` is empty or longer than a version 40 code holds (2331 bytes),
// KSK-RENDER-002 if `module_px` is outside 1..kQrMaxModulePx, and Internal KSK-RENDER-003 if
// libqrencode fails otherwise (out of memory).
Result<std::string> QrCodeSvg(std::string_view text, int module_px = 4);

namespace internal {

// Returns the module matrix QrCodeSvg draws, without the quiet zone: [row][column], true for
// dark. Same errors as QrCodeSvg for `text`. Exposed so tests can check the symbol itself.
Result<std::vector<std::vector<bool>>> QrModules(std::string_view text);

}  // namespace internal
}  // namespace koseki::render
