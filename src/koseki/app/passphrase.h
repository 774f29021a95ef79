// Reading the master-key passphrase: from KOSEKI_PASSPHRASE (scripts, the demo, tests) or else
// from the terminal with echo off. The passphrase lives only in SecretBytes.
#pragma once

#include <string_view>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::app {

// Returns the passphrase. With `confirm`, a prompt asks twice and refuses a mismatch
// (KSK-CLI-005). Without KOSEKI_PASSPHRASE and without a terminal: KSK-CLI-004.
Result<SecretBytes> ReadPassphrase(std::string_view prompt, bool confirm);

}  // namespace koseki::app
