#include "koseki/web/form_data.h"

namespace koseki::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Error BadForm(std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-101",
                   "送信された内容を読み取れません。画面を開き直してください。",
                   std::string("form: ") + std::string(detail));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

Result<FormFields> ParseForm(std::string_view body) {
  FormFields fields;
  std::string_view rest = body;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return BadForm("field without '='");
    std::optional<std::string> name = Decode(pair.substr(0, eq));
    std::optional<std::string> value = Decode(pair.substr(eq + 1));
    if (!name || !value) return BadForm("bad percent escape");
    if (!fields.emplace(std::move(*name), std::move(*value)).second) {
      return BadForm("repeated field");
    }
  }
  return fields;
}

std::string_view FieldOr(const FormFields& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string_view{} : std::string_view(it->second);
}

std::optional<std::string_view> CookieValue(std::string_view header, std::string_view name) {
  std::optional<std::string_view> found;
  std::string_view rest = header;
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    const std::string_view pair = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    if (found) return std::nullopt;  // twice: ambiguous, trust neither
    found = pair.substr(eq + 1);
  }
  return found;
}

}  // namespace koseki::web
