#include "koseki/web/testing/form_scraping.h"

#include <cctype>

namespace koseki::web::testing {
namespace {

std::string Between(std::string_view text, std::string_view before, std::string_view after) {
  const std::size_t start = text.find(before);
  if (start == std::string_view::npos) return "";
  const std::size_t from = start + before.size();
  const std::size_t end = text.find(after, from);
  if (end == std::string_view::npos) return "";
  return std::string(text.substr(from, end - from));
}

}  // namespace

std::string CsrfOf(std::string_view html) { return Between(html, "name=\"csrf\" value=\"", "\""); }

std::string TotpSecretOf(std::string_view html) { return Between(html, "<code>", "</code>"); }

std::string CookieValueOf(std::string_view set_cookie) { return Between(set_cookie, "=", ";"); }

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace koseki::web::testing
