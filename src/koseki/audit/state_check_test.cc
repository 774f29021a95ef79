#include "koseki/audit/state_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::audit {
namespace {

using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::string_view kTenant = "999997";
constexpr std::string_view kName = "青葉県みなと市";
constexpr std::int64_t kCreated = 1'700'000'000'000'000;

// One tenant row in a real store; the logs are handed to the check directly.
class StateCheckTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    backend_ = std::move(backend).value();
    ASSERT_THAT(backend_->InsertTenant({std::string(kTenant), std::string(kName), kCreated}),
                IsOk());
  }

  static store::RowCommitment Stored() { return store::CommitTenant(kTenant, kName, kCreated); }
  static store::RowCommitment Renamed() {
    return store::CommitTenant(kTenant, "青葉県みなと町", kCreated);
  }

  std::vector<StateFinding> Run(StateCheck& check) {
    auto findings = check.Run(*backend_);
    EXPECT_THAT(findings, IsOk());
    return findings ? *findings : std::vector<StateFinding>{};
  }

  std::unique_ptr<store::SqliteBackend> backend_;
};

TEST_F(StateCheckTest, ARowLoggedOnceWithItsDigestAgrees) {
  StateCheck check;
  check.AddLog("system", {{3, Stored(), false}});
  EXPECT_THAT(Run(check), IsEmpty());
}

TEST_F(StateCheckTest, ARowNoLogNamesIsReported) {
  StateCheck check;
  EXPECT_THAT(Run(check), ElementsAre(Field(&StateFinding::detail, HasSubstr("no log recorded"))));
}

TEST_F(StateCheckTest, ARowOnlyTheBaselineRestatedAgrees) {
  StateCheck check;
  check.AddLog("system", {{7, Stored(), true}});
  EXPECT_THAT(Run(check), IsEmpty());
}

TEST_F(StateCheckTest, TheBaselineMayRestateALoggedRowAsItWas) {
  StateCheck check;
  check.AddLog("system", {{3, Stored(), false}, {7, Stored(), true}});
  EXPECT_THAT(Run(check), IsEmpty());
}

TEST_F(StateCheckTest, ABaselineThatRestatesALoggedRowDifferentlyIsReportedAtTheBaseline) {
  // The name was logged, then changed in the file, then restated: the baseline cannot launder
  // a change to a row an entry had committed to.
  StateCheck check;
  check.AddLog("system", {{3, Renamed(), false}, {7, Stored(), true}});
  EXPECT_THAT(Run(check),
              ElementsAre(AllOf(Field(&StateFinding::index, 3u),
                                Field(&StateFinding::detail, HasSubstr("differs from what"))),
                          AllOf(Field(&StateFinding::index, 7u),
                                Field(&StateFinding::detail, HasSubstr("restated differently")))));
}

TEST_F(StateCheckTest, ARowLoggedTwiceWithoutABaselineIsReported) {
  StateCheck check;
  check.AddLog("system", {{3, Stored(), false}, {7, Stored(), false}});
  EXPECT_THAT(Run(check),
              ElementsAre(AllOf(Field(&StateFinding::index, 7u),
                                Field(&StateFinding::detail, HasSubstr("logged again")))));
}

}  // namespace
}  // namespace koseki::audit
