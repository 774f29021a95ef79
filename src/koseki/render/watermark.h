// The watermark on every picture a vendor's terminal is shown (R12): who looked, on which
// device, when, and at which case — so that a photographed screen names its viewer. It is drawn
// into the pixels on the server, tiled over the whole picture at an angle and half-transparent,
// so that no crop removes it and the picture stays readable under it. Whether a picture carries
// one is decided by the caller from the viewer's zone (workflow), never by a request.
#pragma once

#include <string>

namespace koseki::render {

struct Watermark {
  std::string login;           // the viewer's login
  std::string device;          // the registered terminal's name
  std::string viewed_at;       // date and time as shown, e.g. 2026-12-06 10:15
  std::string receipt_number;  // the case's 受付番号, e.g. 第123号; empty outside a case
};

// The one line repeated over the picture: the fields joined by two spaces, empty ones left out.
std::string WatermarkLine(const Watermark& mark);

}  // namespace koseki::render
