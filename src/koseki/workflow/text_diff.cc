#include "koseki/workflow/text_diff.h"

#include <algorithm>

namespace koseki::workflow {
namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after) {
  const std::vector<std::string> a = SplitLines(before);
  const std::vector<std::string> b = SplitLines(after);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<DiffLine> diff;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      diff.push_back({DiffOp::kSame, a[i]});
      ++i;
      ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      diff.push_back({DiffOp::kRemoved, a[i++]});
    } else {
      diff.push_back({DiffOp::kAdded, b[j++]});
    }
  }
  for (; i < a.size(); ++i) diff.push_back({DiffOp::kRemoved, a[i]});
  for (; j < b.size(); ++j) diff.push_back({DiffOp::kAdded, b[j]});
  return diff;
}

std::string FormatDiff(const std::vector<DiffLine>& diff) {
  std::string out;
  for (const DiffLine& line : diff) {
    out += line.op == DiffOp::kSame ? "  " : line.op == DiffOp::kRemoved ? "- " : "+ ";
    out += line.text;
    out += '\n';
  }
  return out;
}

}  // namespace koseki::workflow
