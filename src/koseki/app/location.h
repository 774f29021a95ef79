// Where an installation lives: the data directory (database files) and the sealed key file,
// which must be outside the data directory (R10: copying the data directory must not copy the
// key). Taken from command-line flags or, failing those, KOSEKI_DATA / KOSEKI_KEY_FILE.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "koseki/base/result.h"

namespace koseki::app {

struct Location {
  std::filesystem::path data_dir;
  std::filesystem::path key_file;
};

// Resolves flags (empty = not given) against the environment. InvalidArgument (KSK-CLI-001)
// when either is missing.
Result<Location> ResolveLocation(const std::string& data_flag, const std::string& key_file_flag);

// Refuses (InvalidArgument, KSK-CLI-002) a key file inside the data directory, following
// symlinks and relative paths.
Result<void> CheckKeyFileOutsideDataDir(const Location& location);

}  // namespace koseki::app
