// The witness file: every signed checkpoint of an installation's audit logs, appended to a plain
// text file outside the database (docs/formats.md, "Witness file"), so that rewriting the
// database or restoring an older copy of it cannot silently rewrite the checkpoints an auditor
// has already seen. By default it lies beside the sealed key file (not in the data directory);
// it can and should be copied to, or be, append-only storage elsewhere.
//
// Layout: the signed notes one after another, each followed by one empty line:
//
//   <origin>\n<size>\n<root>\ntime <…>\n\n— <key name> <signature>\n\n
//
// Writers hold an exclusive flock(2) on the file while they write a checkpoint into the
// database *and* append it here, so that the file lists each log's checkpoints in the order
// the database numbered them, even with several processes (CLI beside a server). Each record
// is written with one write(2) and then fsync'd before the lock is released.
//
// The verifier keys file sits beside it (VerifierKeysPathFor): one verifier key per line
// ("<name>+<key id>+<key>", see checkpoint.h), appended once per installation, readable by
// anyone, so that an auditor can check checkpoints and proofs by hand without the database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/checkpoint.h"
#include "koseki/base/result.h"

namespace koseki::audit {

// Returns whether `error` is the witness file's own I/O failure (KSK-AUDIT-040).
bool IsWitnessIoError(const Error& error);

// The default witness file name, in the key file's directory.
inline constexpr std::string_view kDefaultWitnessFileName = "koseki-witness.log";

// An open witness file with an exclusive lock, held until destruction. Move-only.
class WitnessWriter {
 public:
  // Opens (creating with mode 0600 if missing, parent directory included) and locks the file,
  // waiting for other writers. Unavailable KSK-AUDIT-040 on any I/O failure.
  static Result<WitnessWriter> Lock(const std::filesystem::path& path);

  WitnessWriter(WitnessWriter&& other) noexcept;
  WitnessWriter& operator=(WitnessWriter&&) = delete;
  WitnessWriter(const WitnessWriter&) = delete;
  WitnessWriter& operator=(const WitnessWriter&) = delete;
  ~WitnessWriter();

  // Appends one signed note (which ends with a newline) and the separating empty line, then
  // fsyncs. Unavailable KSK-AUDIT-040 on failure.
  Result<void> Append(std::string_view note);

 private:
  explicit WitnessWriter(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Reads the witness file's records (each a signed note, as given to Append). Returns nullopt if
// the file does not exist; Unavailable KSK-AUDIT-040 if it cannot be read. Malformed records are
// returned as they are (the verifier reports them); nothing is skipped.
Result<std::optional<std::vector<std::string>>> ReadWitnessNotes(const std::filesystem::path& path);

// Returns the verifier keys file beside a witness file: the same name with the extension
// ".pub" (koseki-witness.log → koseki-witness.pub).
std::filesystem::path VerifierKeysPathFor(const std::filesystem::path& witness_file);

// Adds `key` as a line of the keys file unless the line is already there (mode 0644; fsync'd).
// Unavailable KSK-AUDIT-040 on I/O failure.
Result<void> EnsureVerifierKeyListed(const std::filesystem::path& keys_file,
                                     const VerifierKey& key);

// Reads a keys file: one verifier key per line; empty lines and lines starting with '#' are
// skipped. nullopt if the file does not exist; InvalidArgument KSK-AUDIT-020 for a bad line.
Result<std::optional<std::vector<VerifierKey>>> ReadVerifierKeys(
    const std::filesystem::path& keys_file);

}  // namespace koseki::audit
