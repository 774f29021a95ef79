// Helpers for the store module's tests (and other modules' tests that need a real store): a
// private temporary data directory per test, key files with minimal Argon2id cost, a fixed
// clock, an installation over the SQLite backend, raw sqlite3 access that bypasses the store
// (to play the administrator who edits the file by hand), and a byte search over files.
// Tests including this link koseki_store_sqlite.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "koseki/base/secret_bytes.h"
#include "koseki/base/testing/fake_clock.h"
#include "koseki/crypto/master_key.h"
#include "koseki/store/installation.h"
#include "koseki/store/sqlite/sqlite_backend.h"

namespace koseki::store::testing {

// Like koseki::testing::IsOkAndHolds, but also accepts a matcher (not only a value) as its
// argument: IsOkAndHolds describes its argument with DescribeMatcher<decltype(arg)>, which
// does not compile for matcher arguments.
MATCHER_P(HoldsValue, matcher, "is OK and holds a matching value") {
  if (!arg.has_value()) {
    *result_listener << "error " << arg.error().id << " " << arg.error().internal_detail;
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, arg.value(), result_listener);
}

// Result of running SQL through a plain sqlite3 connection.
struct RawResult {
  int rc = SQLITE_OK;
  std::string message;
};

// Runs `sql` on `db_file` through its own plain sqlite3 connection, as someone with shell
// access to the server could.
inline RawResult RawExec(const std::filesystem::path& db_file, const std::string& sql) {
  sqlite3* raw = nullptr;
  RawResult result;
  result.rc = sqlite3_open_v2(db_file.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  if (result.rc != SQLITE_OK) return result;
  sqlite3_busy_timeout(raw, 5000);
  char* message = nullptr;
  result.rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &message);
  if (message != nullptr) {
    result.message = message;
    sqlite3_free(message);
  }
  return result;
}

// Runs a query returning one integer through a plain sqlite3 connection; -1 on failure.
inline long long RawQueryInt(const std::filesystem::path& db_file, const std::string& sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return -1;
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return -1;
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
  if (sqlite3_step(stmt) != SQLITE_ROW) return -1;
  return sqlite3_column_int64(stmt, 0);
}

// Runs a query returning one text value through a plain sqlite3 connection; "" on failure.
inline std::string RawQueryText(const std::filesystem::path& db_file, const std::string& sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return "";
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return "";
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
  if (sqlite3_step(stmt) != SQLITE_ROW) return "";
  const unsigned char* text = sqlite3_column_text(stmt, 0);
  return text == nullptr ? "" : reinterpret_cast<const char*>(text);
}

// Opens (creating it and its directory if missing) the installation whose SQLite database is
// `db_file`, as app's backend factory would.
inline Result<std::unique_ptr<Installation>> OpenSqliteInstallation(
    const std::filesystem::path& db_file, crypto::MasterKey master, const Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(db_file.parent_path(), ec);
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<SqliteBackend> backend, SqliteBackend::Open(db_file));
  return Installation::Open(std::move(backend), std::move(master), clock);
}

// Returns true if the file's bytes contain `needle` (false if the file does not exist).
inline bool FileContains(const std::filesystem::path& file, std::string_view needle) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return content.find(needle) != std::string::npos;
}

// A fresh directory per test, a fixed clock, and a helper to create key files.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "koseki-store-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path data_dir() const { return dir_ / "data"; }
  std::filesystem::path db_file() const { return dir_ / "data" / "koseki.db"; }

  // Creates a new key file (minimal Argon2id cost) named `name` and returns its master key.
  crypto::MasterKey NewMasterKey(std::string_view name = "master.key") {
    auto key = crypto::MasterKey::CreateKeyFile(
        dir_ / name, SecretBytes::FromString("correct horse battery staple"),
        crypto::KdfParams::Minimal());
    EXPECT_TRUE(key.has_value()) << key.error().internal_detail;
    return std::move(key).value();
  }
  // Unseals a key file created by NewMasterKey.
  crypto::MasterKey UnsealMasterKey(std::string_view name = "master.key") {
    auto key = crypto::MasterKey::Unseal(dir_ / name,
                                         SecretBytes::FromString("correct horse battery staple"));
    EXPECT_TRUE(key.has_value()) << key.error().internal_detail;
    return std::move(key).value();
  }

  koseki::testing::FakeClock clock_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1732600000))};

 private:
  std::filesystem::path dir_;
};

}  // namespace koseki::store::testing
