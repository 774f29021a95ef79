// The evaluation order every notification rule inherits, shown with a fake rule whose checks and
// Apply do what each test tells them.
#include "koseki/rules/internal/notification_rule_base.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "koseki/rules/testing/fixtures.h"

namespace koseki::rules::internal {
namespace {

using testing::Codes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeContext;

FormSpec FakeForm() {
  return FormSpec{NotificationType::kBunseki,
                  "分籍届",
                  {{.key = "person", .label = "分籍する者", .required = true}}};
}

// What the fake checks hand to Apply.
struct FakeChecked {
  std::string person;
};

class FakeRule final : public NotificationRuleBase<FakeChecked> {
 public:
  FakeRule() : NotificationRuleBase(FakeForm()) {}

  std::vector<Finding> check_findings;  // appended by Check
  bool check_stops = false;             // Check returns nullopt
  std::optional<Finding> apply_error;   // returned by Apply instead of a change set
  mutable int check_calls = 0;
  mutable int apply_calls = 0;

 private:
  std::optional<FakeChecked> Check(const Entry& entry, const RuleContext& /*context*/,
                                   std::vector<Finding>& findings) const override {
    ++check_calls;
    findings.insert(findings.end(), check_findings.begin(), check_findings.end());
    if (check_stops) return std::nullopt;
    return FakeChecked{*entry.Get("person")};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& /*context*/,
                         const FakeChecked& checked) const override {
    ++apply_calls;
    if (apply_error) return *apply_error;
    ChangeSet change_set;
    // Carries the checked value, so that a test sees what Apply was given.
    change_set.notices.push_back(OutgoingNotice{
        .municipality = checked.person, .tenant_code = std::nullopt, .reason = "分籍届"});
    return change_set;
  }
};

Entry EntryFor(std::string person, std::map<std::string, std::string> acknowledgements = {}) {
  Entry entry{.type = NotificationType::kBunseki};
  if (!person.empty()) entry.values["person"] = std::move(person);
  entry.acknowledgements = std::move(acknowledgements);
  return entry;
}

Finding Warning() { return MakeWarningFinding("RULE-FAKE-002", "確認してください。"); }
Finding Error() { return MakeErrorFinding("RULE-FAKE-001", "誤りがあります。"); }

TEST(NotificationRuleBaseTest, AFormErrorStopsBeforeTheChecks) {
  FakeRule rule;

  const Evaluation result = rule.Evaluate(EntryFor(""), MakeContext({}));

  EXPECT_THAT(Codes(result), ElementsAre("RULE-FORM-002"));
  EXPECT_EQ(rule.check_calls, 0);
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(NotificationRuleBaseTest, AppliesAnEntryWhoseOnlyWarningIsAcknowledged) {
  FakeRule rule;
  rule.check_findings = {Warning()};

  const Evaluation result =
      rule.Evaluate(EntryFor("R1:3", {{"RULE-FAKE-002", "本人に確認済み"}}), MakeContext({}));

  ASSERT_THAT(Codes(result), ElementsAre("RULE-FAKE-002"));
  EXPECT_TRUE(result.findings[0].acknowledged);
  EXPECT_FALSE(result.Blocked());
  ASSERT_TRUE(result.change_set.has_value());
  EXPECT_EQ(result.change_set->notices.at(0).municipality, "R1:3");
}

TEST(NotificationRuleBaseTest, AnErrorOfTheChecksKeepsApplyFromRunning) {
  FakeRule rule;
  rule.check_findings = {Error()};

  const Evaluation result = rule.Evaluate(EntryFor("R1:3"), MakeContext({}));

  EXPECT_THAT(Codes(result), ElementsAre("RULE-FAKE-001"));
  EXPECT_EQ(rule.apply_calls, 0);
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(NotificationRuleBaseTest, WarningsAreAcknowledgedEvenWhenTheChecksStopEarly) {
  FakeRule rule;
  rule.check_findings = {Warning(), Error()};
  rule.check_stops = true;

  const Evaluation result =
      rule.Evaluate(EntryFor("R1:3", {{"RULE-FAKE-002", "本人に確認済み"}}), MakeContext({}));

  ASSERT_THAT(Codes(result), ElementsAre("RULE-FAKE-002", "RULE-FAKE-001"));
  EXPECT_TRUE(result.findings[0].acknowledged);
  EXPECT_EQ(rule.apply_calls, 0);
}

TEST(NotificationRuleBaseTest, AnErrorFoundByApplyTakesThePlaceOfTheChangeSet) {
  FakeRule rule;
  rule.apply_error = Error();

  const Evaluation result = rule.Evaluate(EntryFor("R1:3"), MakeContext({}));

  EXPECT_THAT(Codes(result), ElementsAre("RULE-FAKE-001"));
  EXPECT_TRUE(result.Blocked());
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(NotificationRuleBaseTest, AnEntryWithoutFindingsGetsItsChangeSet) {
  FakeRule rule;

  const Evaluation result = rule.Evaluate(EntryFor("R1:3"), MakeContext({}));

  EXPECT_THAT(Codes(result), IsEmpty());
  EXPECT_EQ(rule.apply_calls, 1);
  ASSERT_TRUE(result.change_set.has_value());
  EXPECT_THAT(result.change_set->updates, IsEmpty());
}

}  // namespace
}  // namespace koseki::rules::internal
