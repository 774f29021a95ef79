// Escaping text for HTML, for every page the server writes (the transport's own error pages
// and the portal's).
#pragma once

#include <string>
#include <string_view>

namespace koseki::web {

// Escapes text for HTML element content and attribute values (quoted with either quote).
inline std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace koseki::web
