#include "koseki/rules/context.h"

#include <string>

#include "koseki/text/name.h"

namespace koseki::rules {
namespace {

bool IsPrefectureSuffix(char32_t c) { return c == U'都' || c == U'道' || c == U'府' || c == U'県'; }

// Returns the index just past the first `c` at or after `from`, or npos.
std::size_t PastFirst(const std::u32string& s, char32_t c, std::size_t from) {
  if (from >= s.size()) return std::u32string::npos;
  std::size_t i = s.find(c, from);
  return i == std::u32string::npos ? i : i + 1;
}

}  // namespace

const AttachedRegister* RuleContext::Find(std::string_view ref) const {
  for (const AttachedRegister& r : registers) {
    if (r.ref == ref) return &r;
  }
  return nullptr;
}

std::string MunicipalityOf(std::string_view honseki) {
  Result<std::u32string> decoded = text::DecodeUtf8(honseki);
  if (!decoded) return std::string(honseki);
  const std::u32string& s = *decoded;

  // 都道府県: 2 or 3 characters and the suffix (青葉県, 京都府, 神奈川県, 北海道).
  std::size_t start = 0;
  if (s.size() > 2 && IsPrefectureSuffix(s[2])) {
    start = 3;
  } else if (s.size() > 3 && IsPrefectureSuffix(s[3])) {
    start = 4;
  }
  // A municipality name has at least one character before its 市/区/町/村 (市川市, 町田市).
  const std::size_t name_from = start + 1;

  std::size_t end = std::u32string::npos;
  const std::size_t gun = PastFirst(s, U'郡', name_from);
  const std::size_t shi = PastFirst(s, U'市', name_from);
  if (gun != std::u32string::npos && (shi == std::u32string::npos || gun < shi)) {
    // 郡 + 町/村: whichever comes first after the 郡's name.
    const std::size_t cho = PastFirst(s, U'町', gun + 1);
    const std::size_t son = PastFirst(s, U'村', gun + 1);
    end = std::min(cho, son);
  } else if (shi != std::u32string::npos) {
    end = shi;
    // 四日市市, 廿日市市: the name itself contains 市.
    if (end < s.size() && s[end] == U'市') ++end;
  } else if (std::size_t ku = PastFirst(s, U'区', name_from); ku != std::u32string::npos) {
    end = ku;  // 東京都の特別区
  } else {
    end = std::min(PastFirst(s, U'町', name_from), PastFirst(s, U'村', name_from));
  }
  if (end == std::u32string::npos) return std::string(honseki);
  return text::EncodeUtf8(std::u32string_view(s).substr(0, end));
}

}  // namespace koseki::rules
