// Line diff for 校合 (collation): the examiner compares each touched register's certificate
// text before and after the change. A longest-common-subsequence diff over lines; certificates
// are a few hundred lines, so the O(n·m) table is small.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace koseki::workflow {

enum class DiffOp { kSame, kRemoved, kAdded };

struct DiffLine {
  DiffOp op = DiffOp::kSame;
  std::string text;  // without the line end
  friend bool operator==(const DiffLine&, const DiffLine&) = default;
};

// Returns the lines of `before` and `after` as kept, removed and added, in order (removals
// before additions where both occur at one place).
std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after);

// Renders a diff as text: "  " kept, "- " removed, "+ " added, one line each.
std::string FormatDiff(const std::vector<DiffLine>& diff);

}  // namespace koseki::workflow
