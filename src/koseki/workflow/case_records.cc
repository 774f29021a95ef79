#include "koseki/workflow/case_records.h"

#include <charconv>

namespace koseki::workflow {
namespace {

Error BadCursor() {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-CASE-046",
      "一覧の続きの指定が正しくありません。一覧に表示された指定をそのまま使ってください。",
      "case list cursor is not <received_at>.<case id>");
}

bool IsCaseIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_';
}

}  // namespace

std::string CaseCursor::ToString() const { return std::to_string(received_at) + "." + case_id; }

Result<CaseCursor> CaseCursor::Parse(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return BadCursor();
  CaseCursor cursor;
  const char* first = text.data();
  const char* last = text.data() + dot;
  const auto [end, ec] = std::from_chars(first, last, cursor.received_at);
  if (ec != std::errc() || end != last || cursor.received_at < 0) return BadCursor();
  const std::string_view id = text.substr(dot + 1);
  if (id.empty() || id.size() > 128) return BadCursor();
  for (char c : id) {
    if (!IsCaseIdChar(c)) return BadCursor();
  }
  cursor.case_id = std::string(id);
  return cursor;
}

}  // namespace koseki::workflow
