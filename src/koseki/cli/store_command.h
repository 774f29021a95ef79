// Shared by the subcommands that open the store: the location flags, opening (with refusals
// recorded even before the key is unsealed), the closing checkpoints, and error printing.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "koseki/app/koseki.h"

namespace koseki::cli {

inline constexpr std::string_view kPassphrasePrompt = "パスフレーズ: ";

struct StoreFlags {
  std::string data;
  std::string key_file;
  std::string witness;
};

void AddStoreFlags(CLI::App* command, StoreFlags& flags);

// Prints "エラー: [KSK-…] …" on stderr and returns the exit code of the error.
int Fail(const Error& error);

// Opens the store for a command of `actor` recorded as `action` about `object`. A refusal before
// the store is open (wrong passphrase, missing or foreign key file) is still recorded, in the
// system log, without the key (app::RecordRefusalWithoutKey).
Result<std::unique_ptr<app::Koseki>> OpenStore(
    const StoreFlags& flags, const access::Actor& actor, std::string_view action,
    std::string_view object = {},
    app::Koseki::WitnessCheck witness_check = app::Koseki::WitnessCheck::kRequired);

// Ends a command that opened the store: writes the closing checkpoints ("at shutdown"). A
// failure there fails a command that had succeeded; after a failed command it is only logged,
// so that the user sees the command's own error.
int Finish(app::Koseki& koseki, int rc);

}  // namespace koseki::cli
