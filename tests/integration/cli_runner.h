// Runs the real `koseki` binary as a child process, for whole-process tests.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace koseki::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Path of the koseki binary under test (set by CMake as KOSEKI_CLI_PATH).
std::filesystem::path KosekiBinary();

// Runs `program args...` with a clean environment plus `env`, feeding `input` on stdin.
CliRun RunProgram(const std::filesystem::path& program, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env, const std::string& input = {});
// Runs `koseki args...` the same way.
CliRun RunKoseki(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& input = {});

// Returns the bytes of every regular file in `dir` (recursively), keyed by path.
std::map<std::filesystem::path, std::string> ReadAllFiles(const std::filesystem::path& dir);

}  // namespace koseki::testing
