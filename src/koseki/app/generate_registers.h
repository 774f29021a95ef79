// Generating synthetic registers into a tenant (`koseki gen`): deterministic per seed, stored
// in one transaction (all or nothing) with the audit entries (cli.gen: object tenant, context
// "seed:<seed>"; one register.create per register), optionally with a manifest of every generated
// register's lookup keys and printed strings (synth/manifest.h) for tests and benchmarks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "koseki/app/koseki.h"

namespace koseki::app {

struct GenerateRequest {
  std::size_t count = 0;
  std::uint64_t seed = 0;
  std::filesystem::path manifest;  // empty: no manifest
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Generates and stores the registers; returns how many were stored. The tenant's municipality
// name is the 本籍 of every generated register. A manifest file is written only on success.
Result<std::size_t> GenerateRegisters(Koseki& koseki, const access::Actor& actor,
                                      std::string_view tenant, const GenerateRequest& request);

}  // namespace koseki::app
