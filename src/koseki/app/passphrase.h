// Reading the master-key passphrase: from KOSEKI_PASSPHRASE (scripts, the demo, tests) or else
// from the terminal with echo off. The passphrase lives only in SecretBytes.
#pragma once

#include <filesystem>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::app {

// Returns the passphrase. With `confirm`, a prompt asks twice and refuses a mismatch
// (KSK-CLI-005). Without KOSEKI_PASSPHRASE and without a terminal: KSK-CLI-004.
Result<SecretBytes> ReadPassphrase(std::string_view prompt, bool confirm);

// Returns the passphrase kept in a file (`koseki serve --passphrase-file`, e.g. a systemd
// credential): its contents without one trailing newline. NotFound KSK-CLI-030 if it cannot be
// read; InvalidArgument KSK-CLI-031 if it is empty.
Result<SecretBytes> ReadPassphraseFile(const std::filesystem::path& path);

}  // namespace koseki::app
