// Importing registers from JSON Lines (docs/formats.md, "Register JSON (import format)"):
// for migrations from another system and for tests. All or nothing: every line is parsed and
// validated first; if any line is bad, every bad line is reported by number and nothing is
// stored. A register whose (本籍, 筆頭者) already exists in the tenant, or appears twice in the
// file, is a bad line too.
#pragma once

#include <istream>
#include <span>
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

// Reads `input` and stores its registers for `tenant` in one transaction, together with the
// audit entries: cli.import (object: tenant; context: "registers:<n>") and one register.create
// per register (object: register id). A refused import (bad lines, unknown tenant) is recorded
// as refused. Only an administrator may import (KSK-ADMIN-001). An Error return is for failures
// that are not about a line (unknown tenant, storage failure).
Result<ImportResult> ImportRegisters(Koseki& koseki, const access::Actor& actor,
                                     std::string_view tenant, std::istream& input);

// Returns InvalidArgument (KSK-IMPORT-006): `bad_lines` lines of the file are bad, so nothing
// was imported.
Error NothingImported(std::size_t bad_lines);

// Returns what records each register a bulk command creates (RegisterStore::CreateMany's
// on_created): a register.create entry in `log` (object: the id; context: `command`) carrying
// that register's rows, inside the caller's transaction.
store::RegisterStore::CreatedFn RecordCreated(Koseki& koseki, const access::Actor& actor,
                                              std::string_view log, std::string_view command);

}  // namespace koseki::app
