#include "koseki/base/testing/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace koseki::testing {
namespace {

namespace fs = std::filesystem;

TEST(TempDirTest, CreatesAnEmptyPrivateDirectoryUnderTheSystemTempDir) {
  const TempDir dir("koseki-tempdir-test");
  ASSERT_TRUE(fs::is_directory(dir.path()));
  EXPECT_TRUE(fs::is_empty(dir.path()));
  EXPECT_EQ(dir.path().parent_path(), fs::temp_directory_path());
  EXPECT_EQ(dir.path().filename().string().rfind("koseki-tempdir-test-", 0), 0U);
  EXPECT_EQ(fs::status(dir.path()).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(TempDirTest, GivesEachInstanceItsOwnDirectory) {
  const TempDir first;
  const TempDir second;
  EXPECT_NE(first.path(), second.path());
}

TEST(TempDirTest, RemovesTheDirectoryAndItsContentsOnDestruction) {
  fs::path path;
  {
    const TempDir dir;
    path = dir.path();
    fs::create_directories(path / "a" / "b");
    std::ofstream(path / "a" / "b" / "file") << "data";
  }
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace koseki::testing
