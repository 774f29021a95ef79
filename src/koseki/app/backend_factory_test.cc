#include "koseki/app/backend_factory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "koseki/base/testing/matchers.h"

namespace koseki::app {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;

class BackendFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "koseki-factory-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    location_.data_dir = dir_ / "data";
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::filesystem::path dir_;
  Location location_;
};

TEST_F(BackendFactoryTest, AnEmptyLocationHoldsNoInstallationAndCreatesNothing) {
  EXPECT_FALSE(HasInstallation(location_));
  EXPECT_FALSE(HasInstallation(Location{}));

  auto opened = OpenBackend(location_);

  EXPECT_THAT(opened, ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(opened, ErrorIdIs("KSK-APP-001"));
  EXPECT_THAT(RequireInstallation(location_), ErrorIdIs("KSK-APP-001"));
  EXPECT_FALSE(std::filesystem::exists(location_.data_dir));
}

TEST_F(BackendFactoryTest, CreateMakesAPrivateDataDirectoryWithAStore) {
  auto created = CreateBackend(location_);

  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(HasInstallation(location_));
  EXPECT_THAT(RequireInstallation(location_), IsOk());
  struct stat st {};
  ASSERT_EQ(::stat(location_.data_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_THAT((*created)->InsertTenant({"990001", "青葉県みなと市", 1}), IsOk());
}

TEST_F(BackendFactoryTest, OpenFindsWhatCreateMadeAndCreateRefusesASecondTime) {
  ASSERT_THAT(CreateBackend(location_), IsOk());

  auto opened = OpenBackend(location_);
  auto again = CreateBackend(location_);

  ASSERT_THAT(opened, IsOk());
  EXPECT_THAT((*opened)->ListTenants(), IsOk());
  EXPECT_THAT(again, ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(again, ErrorIdIs("KSK-APP-002"));
  EXPECT_THAT(RequireNoInstallation(location_), ErrorIdIs("KSK-APP-002"));
}

TEST_F(BackendFactoryTest, ADataDirectoryThatIsAFileIsUnavailable) {
  std::filesystem::create_directories(dir_);
  { std::ofstream(location_.data_dir) << "not a directory"; }

  EXPECT_THAT(CreateBackend(location_), ErrorIdIs("KSK-STORE-020"));
}

}  // namespace
}  // namespace koseki::app
