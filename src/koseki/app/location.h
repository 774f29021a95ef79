// Where an installation lives: the data directory (database files), the sealed key file, which
// must be outside the data directory (R10: copying the data directory must not copy the key),
// and the audit log's witness file (outside the database, by default beside the key file, so
// that restoring or rewriting the database cannot rewrite it too). Taken from command-line
// flags or, failing those, KOSEKI_DATA / KOSEKI_KEY_FILE / KOSEKI_WITNESS.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "koseki/audit/audit_log.h"
#include "koseki/base/result.h"

namespace koseki::app {

struct Location {
  std::filesystem::path data_dir;
  std::filesystem::path key_file;  // may be empty for the audit commands, which need no key
  std::filesystem::path witness_file;
};

// Returns the audit checkpoint policy: every KOSEKI_CHECKPOINT_ENTRIES entries (default 1000)
// or KOSEKI_CHECKPOINT_SECONDS seconds (default 60), whichever comes first; a CLI command
// also checkpoints when it ends. InvalidArgument (KSK-CLI-013) for a value that is not a
// positive integer.
Result<audit::CheckpointPolicy> ResolveCheckpointPolicy();

// Resolves flags (empty = not given) against the environment. InvalidArgument (KSK-CLI-001)
// when the data directory or key file is missing. The witness file defaults to
// <key file's directory>/koseki-witness.log.
Result<Location> ResolveLocation(const std::string& data_flag, const std::string& key_file_flag,
                                 const std::string& witness_flag = {});

// For the read-only audit commands: the data directory (unless `need_data` is false) and the
// witness file (from its flag or variable, else beside the key file), but no key file.
// InvalidArgument KSK-CLI-001 / KSK-CLI-006 when they cannot be determined.
Result<Location> ResolveAuditLocation(const std::string& data_flag,
                                      const std::string& key_file_flag,
                                      const std::string& witness_flag, bool need_data);

// Refuses (InvalidArgument, KSK-CLI-002) a key file inside the data directory, following
// symlinks and relative paths.
Result<void> CheckKeyFileOutsideDataDir(const Location& location);

}  // namespace koseki::app
