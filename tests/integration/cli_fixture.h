// A fresh installation per test, driven through the real `koseki` binary.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "koseki/base/clock.h"
#include "koseki/base/testing/temp_dir.h"
#include "tests/integration/cli_runner.h"

namespace koseki::testing {

// Fictional municipality with a valid check digit (99999 → 7).
inline constexpr char kTenant[] = "999997";
inline constexpr char kTenantName[] = "青葉県みなと市";
// Used only by tests; real installations take the passphrase from a prompt.
inline constexpr char kPassphrase[] = "correct horse battery staple";
// A fictional 交付請求 for `koseki cert`.
inline constexpr char kPurpose[] = "本人確認のため";
inline constexpr char kRequester[] = "本人";
// The users' 行動規範誓約 date: always in the past.
inline constexpr char kPledgeSigned[] = "2026-04-01";
// A training date that has passed.
inline constexpr char kLapsedTraining[] = "2026-03-31";

// Returns a training date a year from today (Japan), so that the users stay current whenever
// the tests run.
inline std::string CurrentTrainingUntil() {
  std::chrono::year_month_day until =
      JapanDayOf(std::chrono::system_clock::now()) + std::chrono::years{1};
  // A year after 29 February is 28 February.
  if (!until.ok()) until = until.year() / until.month() / std::chrono::last;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(until.year()),
                static_cast<unsigned>(until.month()), static_cast<unsigned>(until.day()));
  return text;
}

// Returns the arguments of `koseki user add` enrolling `login` in `role` in the tenant with a
// pledge on record and training until `training_until`.
inline std::vector<std::string> UserAddArgs(const std::string& login, const std::string& role,
                                            const std::string& training_until) {
  return {"user",   "add", "--tenant",        kTenant,       "--login",          login,
          "--role", role,  "--pledge-signed", kPledgeSigned, "--training-until", training_until};
}

// Returns `koseki cert` as the enrolled clerk `login` for the fictional 交付請求, followed by
// `rest` (--honseki, --head, …).
inline std::vector<std::string> CertArgs(const std::string& login,
                                         const std::vector<std::string>& rest) {
  std::vector<std::string> args{"cert",      "--tenant", kTenant,       "--user",  login,
                                "--purpose", kPurpose,   "--requester", kRequester};
  args.insert(args.end(), rest.begin(), rest.end());
  return args;
}

// Returns the whole file (empty if it cannot be read).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Copies a directory tree over another (a prepared installation into a test's own directory).
inline void CopyTree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy(
      from, to,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

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

  // Enrols `login` as a user of the tenant in `role` (`koseki user add`), with its pledge on
  // record and training current unless `training_until` says otherwise; fails the test on
  // error. Each user costs an Argon2id hash: tests enrol only the few they act as.
  void AddUser(const std::string& login, const std::string& role,
               const std::string& training_until = CurrentTrainingUntil()) {
    CliRun add = Run(UserAddArgs(login, role, training_until));
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }

 private:
  TempDir dir_;
};

}  // namespace koseki::testing
