// A fresh installation per test, driven through the real `koseki` binary.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "koseki/base/testing/temp_dir.h"
#include "tests/integration/cli_runner.h"

namespace koseki::testing {

// Fictional municipality with a valid check digit (99999 → 7).
inline constexpr char kTenant[] = "999997";
inline constexpr char kTenantName[] = "青葉県みなと市";
// Used only by tests; real installations take the passphrase from a prompt.
inline constexpr char kPassphrase[] = "correct horse battery staple";

class CliFixture : public ::testing::Test {
 protected:
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::filesystem::path key_file() const { return dir_.path() / "keys" / "master.key"; }
  std::filesystem::path work() const { return dir_.path(); }

  std::map<std::string, std::string> Env(const std::string& passphrase = kPassphrase) const {
    return {{"KOSEKI_DATA", data_dir().string()},
            {"KOSEKI_KEY_FILE", key_file().string()},
            {"KOSEKI_PASSPHRASE", passphrase}};
  }

  CliRun Run(const std::vector<std::string>& args) const { return RunKoseki(args, Env()); }

  // init + tenant add; fails the test on error.
  void InitWithTenant() {
    std::filesystem::create_directories(key_file().parent_path());
    CliRun init = Run({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    CliRun add = Run({"tenant", "add", "--code", kTenant, "--name", kTenantName});
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }

 private:
  TempDir dir_;
};

}  // namespace koseki::testing
