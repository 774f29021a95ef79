// Importing registers from JSON Lines (docs/formats.md, "Register JSON (import format)"):
// for migrations from another system and for tests. All or nothing: every line is parsed and
// validated first; if any line is bad, every bad line is reported by number and nothing is
// stored. A register whose (本籍, 筆頭者) already exists in the tenant, or appears twice in the
// file, is a bad line too.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/app/koseki.h"

namespace koseki::app {

struct ImportLineError {
  std::size_t line = 0;  // 1-based
  Error error;
};

struct ImportResult {
  std::size_t imported = 0;             // registers stored (0 if any line was bad)
  std::vector<ImportLineError> errors;  // bad lines, in file order
};

// Reads `input` and stores its registers for `tenant` in one transaction. An Error return is
// for failures that are not about a line (unknown tenant, storage failure).
Result<ImportResult> ImportRegisters(Koseki& koseki, std::string_view tenant, std::istream& input);

}  // namespace koseki::app
