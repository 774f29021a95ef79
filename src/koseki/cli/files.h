// The files a command reads and writes: inputs named on the command line (or "-" for standard
// input), and outputs that hold secrets or personal data (keys, bundles, certificates), which
// only their owner may read.
#pragma once

#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::cli {

// Returns the whole file at `path` ("-" or empty: standard input). NotFound KSK-CLI-012 if it
// cannot be opened.
Result<std::string> ReadInputFile(const std::string& path);

// Writes `bytes` to `path` with mode 0600 (created so, never readable by others in between).
// Unavailable KSK-CLI-020 if it cannot be written.
Result<void> WritePrivateFile(const std::string& path, std::string_view bytes);

}  // namespace koseki::cli
