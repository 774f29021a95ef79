// `koseki case …` end to end through the real binary: a 死亡届 of the DOMAIN.md §1.5 family
// from receipt to approval, the certificate after it, and the audit trail that verifies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "koseki/domain/register_json.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";

class CaseCliTest : public CliFixture {
 protected:
  void SetUp() override {
    InitWithTenant();
    std::ofstream(work() / "family.jsonl")
        << domain::ToJson(rules::testing::core::ExampleRegisterBeforeDeath()).dump() << "\n";
    ASSERT_EQ(Run({"import", "--tenant", kTenant, (work() / "family.jsonl").string()}).exit_code,
              0);
    // Filed long after the death: the 失期 warning is acknowledged with a reason.
    std::ofstream(work() / "death.json") << R"({"type": "shibou", "values": {
        "deceased": "R1:1", "death_date": "令和６年１１月２０日", "death_time": "15:45",
        "death_place": "青葉県みなと市", "todokedenin_shikaku": "同居の親族",
        "todokedenin_name": "山川美咲"},
      "acknowledgements": {"RULE-DEADLINE-001": "届出人の入院のため"}})";
  }

  CliRun Case(const std::string& sub, const std::string& user, const std::string& role,
              std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"case", sub, "--tenant", kTenant, "--user", user, "--role", role};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  // Receives, attaches, assigns and submits; returns the case id.
  std::string SubmittedCase() {
    CliRun received = Case("receive", "clerk-1", "clerk",
                           {"--type", "shibou", "--todokedenin", "親族　山川美咲"});
    EXPECT_EQ(received.exit_code, 0) << received.err;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(received.out, m, std::regex("事件 ([0-9a-f]{32})")));
    const std::string id = m[1];
    EXPECT_EQ(Case("attach", "clerk-1", "clerk",
                   {"--case", id, "--honseki", kHonseki, "--head", "山川健一"})
                  .exit_code,
              0);
    EXPECT_EQ(Case("assign", "sup-1", "supervisor", {"--case", id, "--operator", "op-1"}).exit_code,
              0);
    CliRun submitted =
        Case("submit", "op-1", "operator", {"--case", id, (work() / "death.json").string()});
    EXPECT_EQ(submitted.exit_code, 0) << submitted.err;
    EXPECT_THAT(submitted.out, HasSubstr("状態 入力済"));
    return id;
  }
};

TEST_F(CaseCliTest, ADeathNotificationGoesFromReceiptToApproval) {
  const std::string id = SubmittedCase();
  CliRun review = Case("review", "exa-1", "examiner", {"--case", id});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("+ 　死　　亡　　　【死亡日】令和６年１１月２０日"));
  EXPECT_THAT(review.out, HasSubstr("警告 [RULE-DEADLINE-001]"));
  ASSERT_EQ(Case("examine", "exa-1", "examiner", {"--case", id}).exit_code, 0);
  CliRun approved = Case("approve", "app-1", "approver", {"--case", id});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_THAT(approved.out, HasSubstr("状態 決裁"));
  EXPECT_THAT(approved.out, HasSubstr("版2 を記録しました"));

  CliRun cert = Run({"cert", "--tenant", kTenant, "--honseki", kHonseki, "--head", "山川健一"});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("【死亡時分】午後３時４５分"));
  EXPECT_THAT(cert.out, HasSubstr("［除　籍］"));

  // Nothing was overwritten: version 1 still prints without the death.
  CliRun first = Run(
      {"cert", "--tenant", kTenant, "--honseki", kHonseki, "--head", "山川健一", "--version", "1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, ::testing::Not(HasSubstr("【死亡時分】")));
  EXPECT_THAT(first.out, HasSubstr("【名】健一"));
  EXPECT_THAT(Run({"cert", "--tenant", kTenant, "--honseki", kHonseki, "--head", "山川健一",
                   "--version", "3"})
                  .err,
              HasSubstr("[KSK-STORE-012]"));

  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(CaseCliTest, TheOperatorCannotApproveTheirOwnEntryAndTheRefusalIsAudited) {
  const std::string id = SubmittedCase();
  CliRun refused = Case("examine", "op-1", "examiner", {"--case", id});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-CASE-005]"));
  CliRun log = Run({"audit", "show", "--tenant", kTenant, "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_THAT(log.out, HasSubstr("KSK-CASE-005"));
}

TEST_F(CaseCliTest, AVendorRoleSeesNoEntryContents) {
  const std::string id = SubmittedCase();
  CliRun vendor = Case("show", "sup-1", "supervisor", {"--case", id, "--json"});
  ASSERT_EQ(vendor.exit_code, 0) << vendor.err;
  EXPECT_THAT(vendor.out, ::testing::Not(HasSubstr("山川美咲")));
  CliRun city = Case("show", "exa-1", "examiner", {"--case", id, "--json"});
  EXPECT_THAT(city.out, HasSubstr("山川美咲"));
  EXPECT_THAT(city.out, HasSubstr(R"("notifier": "親族　山川美咲")"));
}

TEST_F(CaseCliTest, EveryReadIsAuditedAndAnUnassignedOperatorSeesNothing) {
  const std::string id = SubmittedCase();
  CliRun other = Case("show", "op-2", "operator", {"--case", id});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_THAT(other.err, HasSubstr("[KSK-CASE-045]"));
  EXPECT_EQ(other.out, "");
  CliRun list = Case("list", "op-2", "operator");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr(id)));
  CliRun mine = Case("list", "op-1", "operator");
  EXPECT_THAT(mine.out, HasSubstr(id));
  CliRun log = Run({"audit", "show", "--tenant", kTenant, "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_THAT(log.out, HasSubstr("KSK-CASE-045"));
  EXPECT_THAT(log.out, HasSubstr("case.list"));
}

TEST_F(CaseCliTest, DoubleEntryNeedsASecondMatchingEntryBeforeExamination) {
  ASSERT_EQ(Run({"tenant", "set", "--code", kTenant, "--double-entry", "on"}).exit_code, 0);
  const std::string id = SubmittedCase();
  EXPECT_THAT(Case("examine", "exa-1", "examiner", {"--case", id}).err,
              HasSubstr("[KSK-CASE-010]"));
  ASSERT_EQ(Case("assign", "sup-1", "supervisor", {"--case", id, "--operator", "op-2"}).exit_code,
            0);
  EXPECT_THAT(Case("assign", "sup-1", "supervisor", {"--case", id, "--operator", "op-3"}).err,
              HasSubstr("[KSK-CASE-007]"));
  ASSERT_EQ(Case("submit", "op-2", "operator", {"--case", id, (work() / "death.json").string()})
                .exit_code,
            0);
  EXPECT_EQ(Case("examine", "exa-1", "examiner", {"--case", id}).exit_code, 0);
}

TEST_F(CaseCliTest, ASmallTownMayLetTheExaminerApprove) {
  const std::string id = SubmittedCase();
  ASSERT_EQ(Case("examine", "exa-1", "examiner", {"--case", id}).exit_code, 0);
  EXPECT_THAT(Case("approve", "exa-1", "approver", {"--case", id}).err,
              HasSubstr("[KSK-CASE-006]"));
  ASSERT_EQ(Run({"tenant", "set", "--code", kTenant, "--examiner-may-approve", "on"}).exit_code, 0);
  EXPECT_EQ(Case("approve", "exa-1", "approver", {"--case", id}).exit_code, 0);
}

TEST_F(CaseCliTest, AReturnedCaseShowsInTheListAndGoesBackToItsOperator) {
  const std::string id = SubmittedCase();
  CliRun returned = Case("return", "exa-1", "examiner", {"--case", id, "--reason", "死亡地の確認"});
  ASSERT_EQ(returned.exit_code, 0) << returned.err;
  CliRun list = Case("list", "clerk-1", "clerk");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(id));
  EXPECT_THAT(list.out, HasSubstr("死亡届 差戻し"));
  // Only the operator it was assigned to may enter it again.
  EXPECT_THAT(
      Case("submit", "op-9", "operator", {"--case", id, (work() / "death.json").string()}).err,
      HasSubstr("[KSK-CASE-004]"));
  EXPECT_EQ(Case("submit", "op-1", "operator", {"--case", id, (work() / "death.json").string()})
                .exit_code,
            0);
  EXPECT_EQ(
      Case("withdraw", "clerk-1", "clerk", {"--case", id, "--reason", "届出人の申出"}).exit_code,
      0);
  EXPECT_THAT(Case("examine", "exa-1", "examiner", {"--case", id}).err,
              HasSubstr("[KSK-CASE-003]"));
}

TEST_F(CaseCliTest, BadActorsAreRefused) {
  EXPECT_THAT(Case("receive", "clerk 1", "clerk", {"--type", "shibou"}).err,
              HasSubstr("[KSK-CLI-010]"));
  EXPECT_THAT(Case("receive", "clerk-1", "mayor", {"--type", "shibou"}).err,
              HasSubstr("[KSK-CLI-011]"));
  EXPECT_THAT(Case("receive", "op-1", "operator", {"--type", "shibou"}).err,
              HasSubstr("[KSK-CASE-001]"));
}

}  // namespace
}  // namespace koseki::testing
