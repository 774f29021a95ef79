// TempDir: a private scratch directory for tests and benchmarks.
//
// The constructor creates a new directory "<prefix>-XXXXXX" under the system temp dir
// (std::filesystem::temp_directory_path, so $TMPDIR is honoured) with mkdtemp, which makes a
// unique name, mode 0700; the destructor removes it with everything in it. Use one as a member
// of a gtest fixture (a fresh directory per test) or as a local. Setting up a test cannot be
// allowed to half-succeed, so if the directory cannot be created the process aborts with a
// message on stderr. Not copyable or movable: the directory belongs to exactly one object.
#pragma once

#include <stdlib.h>  // mkdtemp (POSIX)

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace koseki::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "koseki-test") {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) Die("no system temp dir", ec.message());
    std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      Die(pattern, std::error_code(errno, std::generic_category()).message());
    }
    path_ = std::move(pattern);
  }

  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  [[noreturn]] static void Die(const std::string& what, const std::string& why) {
    std::fprintf(stderr, "koseki TempDir: cannot create a temporary directory: %s: %s\n",
                 what.c_str(), why.c_str());
    std::abort();
  }

  std::filesystem::path path_;
};

}  // namespace koseki::testing
