#include "koseki/app/location.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::app {
namespace {

using ::koseki::testing::ErrorIdIs;

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    ::setenv(name, value, 1);  // NOLINT(concurrency-mt-unsafe): single-threaded test
  }
  ~ScopedEnv() { ::unsetenv(name_); }  // NOLINT(concurrency-mt-unsafe)
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

TEST(CheckpointPolicyTest, DefaultsToAThousandEntriesOrAMinute) {
  auto policy = ResolveCheckpointPolicy();
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->every_entries, 1000U);
  EXPECT_EQ(policy->every, std::chrono::seconds(60));
}

TEST(CheckpointPolicyTest, TakesTheEnvironment) {
  ScopedEnv entries("KOSEKI_CHECKPOINT_ENTRIES", "50");
  ScopedEnv seconds("KOSEKI_CHECKPOINT_SECONDS", "5");
  auto policy = ResolveCheckpointPolicy();
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->every_entries, 50U);
  EXPECT_EQ(policy->every, std::chrono::seconds(5));
}

TEST(CheckpointPolicyTest, RefusesValuesThatAreNotPositiveIntegers) {
  for (const char* bad : {"0", "-1", "ten", "5s"}) {
    ScopedEnv entries("KOSEKI_CHECKPOINT_ENTRIES", bad);
    EXPECT_THAT(ResolveCheckpointPolicy(), ErrorIdIs("KSK-CLI-013")) << bad;
  }
}

TEST(LocationTest, RefusesAKeyFileInsideTheDataDirectory) {
  EXPECT_THAT(CheckKeyFileOutsideDataDir(Location{"/srv/koseki", "/srv/koseki/keys/m.key", {}}),
              ErrorIdIs("KSK-CLI-002"));
  EXPECT_TRUE(CheckKeyFileOutsideDataDir(Location{"/srv/koseki", "/etc/koseki/m.key", {}}));
  // A sibling whose name merely starts with the data directory's name is outside it.
  EXPECT_TRUE(CheckKeyFileOutsideDataDir(Location{"/srv/koseki", "/srv/koseki-keys/m.key", {}}));
}

}  // namespace
}  // namespace koseki::app
