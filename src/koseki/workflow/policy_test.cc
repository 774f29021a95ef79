#include "koseki/workflow/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

const Actor kClerk{"clerk-1", Role::kClerk};
const Actor kSupervisor{"sup-1", Role::kSupervisor};
const Actor kOperatorA{"op-a", Role::kOperator};
const Actor kOperatorB{"op-b", Role::kOperator};
const Actor kExaminer{"exa-1", Role::kExaminer};
const Actor kApprover{"app-1", Role::kApprover};

rules::Entry SampleEntry(const std::string& place) {
  rules::Entry entry;
  entry.type = rules::NotificationType::kShibou;
  entry.values = {{"deceased", "R1:1"}, {"death_place", place}};
  return entry;
}

CaseAction Act(ActionKind kind, const Actor& actor) {
  return CaseAction{.kind = kind, .actor = actor};
}
CaseAction Assign(const std::string& op) {
  return CaseAction{.kind = ActionKind::kAssign, .actor = kSupervisor, .assignee = op};
}
CaseAction Enter(ActionKind kind, const Actor& op, const rules::Entry& entry) {
  return CaseAction{.kind = kind, .actor = op, .entry = entry};
}

// Appends `action` after checking it, failing the test if it is refused.
void Do(Case& c, const CaseAction& action, const WorkflowPolicy& policy = {}) {
  auto allowed = CheckAction(c, action, policy);
  ASSERT_THAT(allowed, IsOk()) << ActionKindName(action.kind);
  c.actions.push_back(action);
}

Case SubmittedCase(const WorkflowPolicy& policy = {}) {
  Case c{.case_id = "c1",
         .tenant = "999997",
         .uketsuke_bango = "1",
         .type = rules::NotificationType::kShibou};
  Do(c, Act(ActionKind::kReceive, kClerk), policy);
  Do(c,
     CaseAction{
         .kind = ActionKind::kAttach, .actor = kClerk, .attached = AttachedRegisterRef{"r1", 3}},
     policy);
  Do(c, Assign(kOperatorA.user_id), policy);
  Do(c, Enter(ActionKind::kSaveDraft, kOperatorA, SampleEntry("青葉県みなと市")), policy);
  Do(c, Enter(ActionKind::kSubmit, kOperatorA, SampleEntry("青葉県みなと市")), policy);
  return c;
}

TEST(PolicyTest, TheNormalPathReachesApproval) {
  Case c = SubmittedCase();
  EXPECT_EQ(c.State(), CaseState::kSubmitted);
  Do(c, Act(ActionKind::kExamine, kExaminer));
  EXPECT_EQ(c.State(), CaseState::kExamined);
  Do(c, Act(ActionKind::kApprove, kApprover));
  EXPECT_EQ(c.State(), CaseState::kApproved);
}

TEST(PolicyTest, WhoeverEnteredCannotExamineOrApprove) {
  Case c = SubmittedCase();
  // Even with the examiner's role, the person who entered is refused.
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, Actor{"op-a", Role::kExaminer}), {}),
              ErrorIdIs("KSK-CASE-005"));
  Do(c, Act(ActionKind::kExamine, kExaminer));
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kApprove, Actor{"op-a", Role::kApprover}), {}),
              ErrorIdIs("KSK-CASE-005"));
}

TEST(PolicyTest, TheExaminerMayApproveOnlyWhenTheTenantAllowsIt) {
  Case c = SubmittedCase();
  Do(c, Act(ActionKind::kExamine, kExaminer));
  const CaseAction approve = Act(ActionKind::kApprove, Actor{"exa-1", Role::kApprover});
  EXPECT_THAT(CheckAction(c, approve, {}), ErrorIdIs("KSK-CASE-006"));
  EXPECT_THAT(CheckAction(c, approve, WorkflowPolicy{.allow_examiner_as_approver = true}), IsOk());
}

TEST(PolicyTest, ASecondAssignmentIsRefused) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckAction(c, Assign(kOperatorB.user_id), {}), ErrorIdIs("KSK-CASE-007"));
  EXPECT_THAT(CheckAction(c, Assign(kOperatorA.user_id), {}), ErrorIdIs("KSK-CASE-008"));
}

TEST(PolicyTest, AnUnassignedOperatorCannotEnter) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckAction(c, Enter(ActionKind::kSaveDraft, kOperatorB, SampleEntry("x")), {}),
              ErrorIdIs("KSK-CASE-004"));
}

TEST(PolicyTest, RolesAreChecked) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kApprover), {}), ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kApprove, kExaminer), {}), ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kAttach, kOperatorA), {}), ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(CheckAction(c, Assign("op-c"), {}), ErrorIdIs("KSK-CASE-007"));
  EXPECT_THAT(
      CheckAction(c, CaseAction{.kind = ActionKind::kAssign, .actor = kClerk, .assignee = "op-c"},
                  {}),
      ErrorIdIs("KSK-CASE-001"));
}

TEST(PolicyTest, ApprovalBeforeExaminationIsRefused) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kApprove, kApprover), {}), ErrorIdIs("KSK-CASE-002"));
}

TEST(PolicyTest, AReturnSendsTheCaseBackToTheSameOperator) {
  Case c = SubmittedCase();
  Do(c, CaseAction{.kind = ActionKind::kReturn, .actor = kExaminer, .reason = "死亡地の確認"});
  EXPECT_EQ(c.State(), CaseState::kReturned);
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kExaminer), {}), ErrorIdIs("KSK-CASE-002"));
  Do(c, Enter(ActionKind::kSubmit, kOperatorA, SampleEntry("東海県南浜市")));
  EXPECT_EQ(c.State(), CaseState::kSubmitted);
  EXPECT_EQ(c.CurrentSubmissions().front().second.values.at("death_place"), "東海県南浜市");
}

TEST(PolicyTest, NothingFollowsAClosedCase) {
  Case c = SubmittedCase();
  Do(c, Act(ActionKind::kWithdraw, kClerk));
  EXPECT_EQ(c.State(), CaseState::kWithdrawn);
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kExaminer), {}), ErrorIdIs("KSK-CASE-003"));
}

TEST(PolicyTest, DoubleEntryNeedsTwoMatchingEntries) {
  const WorkflowPolicy policy{.double_entry = true};
  Case c = SubmittedCase(policy);
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kExaminer), policy),
              ErrorIdIs("KSK-CASE-010"));
  Do(c, Assign(kOperatorB.user_id), policy);
  EXPECT_EQ(c.State(), CaseState::kDrafting);
  Do(c, Enter(ActionKind::kSubmit, kOperatorB, SampleEntry("東海県南浜市")), policy);
  EXPECT_EQ(c.State(), CaseState::kSubmitted);
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kExaminer), policy),
              ErrorIdIs("KSK-CASE-009"));
  // Resolved by re-entry: operator A corrects the field.
  Do(c, Enter(ActionKind::kSubmit, kOperatorA, SampleEntry("東海県南浜市")), policy);
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kExamine, kExaminer), policy), IsOk());
  EXPECT_THAT(CheckAction(c, Assign("op-c"), policy), ErrorIdIs("KSK-CASE-007"));
}

TEST(PolicyTest, EntryDifferencesNamesTheDifferingFields) {
  rules::Entry a = SampleEntry("青葉県みなと市");
  rules::Entry b = SampleEntry("東海県南浜市");
  b.values["death_time"] = "15:45";
  EXPECT_THAT(EntryDifferences(a, b), ::testing::ElementsAre("death_place", "death_time"));
  EXPECT_THAT(EntryDifferences(a, a), ::testing::IsEmpty());
}

TEST(PolicyTest, WithdrawAndRejectAreOnlyForOpenCasesAndTheirRoles) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kWithdraw, kClerk), {}), IsOk());
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kWithdraw, kSupervisor), {}),
              ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kReject, kApprover), {}), IsOk());
  EXPECT_THAT(CheckAction(c, Act(ActionKind::kReject, kExaminer), {}), ErrorIdIs("KSK-CASE-001"));
  Case withdrawn = c;
  Do(withdrawn, Act(ActionKind::kWithdraw, kClerk));
  EXPECT_EQ(withdrawn.State(), CaseState::kWithdrawn);
  EXPECT_THAT(CheckAction(withdrawn, Act(ActionKind::kReject, kApprover), {}),
              ErrorIdIs("KSK-CASE-003"));
  EXPECT_THAT(CheckAction(withdrawn, Act(ActionKind::kWithdraw, kClerk), {}),
              ErrorIdIs("KSK-CASE-003"));
  // A case that was never received cannot be withdrawn or rejected.
  EXPECT_THAT(CheckAction(Case{}, Act(ActionKind::kWithdraw, kClerk), {}),
              ErrorIdIs("KSK-CASE-002"));
  EXPECT_THAT(CheckAction(Case{}, Act(ActionKind::kReject, kApprover), {}),
              ErrorIdIs("KSK-CASE-002"));
}

TEST(PolicyTest, TheCitySeesCaseContentsTheVendorOnlyIdsAndOnlyWhenConcerned) {
  Case c = SubmittedCase();
  for (const Actor& city : {kClerk, kExaminer, kApprover}) {
    auto shown = CheckShow(c, city);
    ASSERT_THAT(shown, IsOk());
    EXPECT_TRUE(shown->contents);
  }
  auto supervisor = CheckShow(c, kSupervisor);
  ASSERT_THAT(supervisor, IsOk());
  EXPECT_FALSE(supervisor->contents);
  auto assigned = CheckShow(c, kOperatorA);
  ASSERT_THAT(assigned, IsOk());
  EXPECT_FALSE(assigned->contents);
  EXPECT_THAT(CheckShow(c, kOperatorB), ErrorIdIs("KSK-CASE-045"));
  EXPECT_THAT(CheckShow(c, Actor{"aud-1", Role::kAuditor}), ErrorIdIs("KSK-CASE-045"));
  EXPECT_THAT(CheckShow(c, Actor{"adm-1", Role::kAdmin}), ErrorIdIs("KSK-CASE-045"));
}

TEST(PolicyTest, RegistersAreReadByTheCityAndTheAssignedOperatorOfAnOpenCaseOnly) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckRegisterRead(c, kOperatorA), IsOk());
  EXPECT_THAT(CheckRegisterRead(c, kExaminer), IsOk());
  EXPECT_THAT(CheckRegisterRead(c, kOperatorB), ErrorIdIs("KSK-CASE-043"));
  EXPECT_THAT(CheckRegisterRead(c, kSupervisor), ErrorIdIs("KSK-CASE-043"));
  Do(c, Act(ActionKind::kWithdraw, kClerk));
  EXPECT_THAT(CheckRegisterRead(c, kOperatorA), ErrorIdIs("KSK-CASE-043"));
}

TEST(PolicyTest, OnlyTheClerkAddsScansAndOnlyWhileTheCaseIsOpen) {
  Case c = SubmittedCase();
  EXPECT_THAT(CheckScanAdd(c, kClerk), IsOk());
  for (const Actor& actor : {kOperatorA, kSupervisor, kExaminer, kApprover}) {
    EXPECT_THAT(CheckScanAdd(c, actor), ErrorIdIs("KSK-CASE-001")) << actor.user_id;
  }
  Do(c, Act(ActionKind::kWithdraw, kClerk));
  EXPECT_THAT(CheckScanAdd(c, kClerk), ErrorIdIs("KSK-CASE-003"));
}

TEST(PolicyTest, PicturesOutsideTheCitysOfficeAreAlwaysWatermarked) {
  for (const Actor& vendor : {kOperatorA, kSupervisor}) {
    EXPECT_TRUE(MustWatermark(vendor, /*tenant_marks_city=*/false)) << vendor.user_id;
    EXPECT_TRUE(MustWatermark(vendor, /*tenant_marks_city=*/true)) << vendor.user_id;
  }
  for (const Actor& city : {kClerk, kExaminer, kApprover}) {
    EXPECT_FALSE(MustWatermark(city, /*tenant_marks_city=*/false)) << city.user_id;
    EXPECT_TRUE(MustWatermark(city, /*tenant_marks_city=*/true)) << city.user_id;
  }
}

TEST(PolicyTest, ListingFollowsNeedToKnow) {
  EXPECT_THAT(CheckList(Actor{"aud-1", Role::kAuditor}), ErrorIdIs("KSK-CASE-045"));
  EXPECT_THAT(CheckList(kSupervisor), IsOk());
  EXPECT_TRUE(MayList(kSupervisor, {}, CaseState::kReceived));
  EXPECT_TRUE(MayList(kOperatorA, {"op-a"}, CaseState::kDrafting));
  EXPECT_FALSE(MayList(kOperatorA, {"op-b"}, CaseState::kDrafting));
  EXPECT_FALSE(MayList(kOperatorA, {"op-a"}, CaseState::kApproved));
}

TEST(PolicyTest, OnlyClerksIssueCertificatesAndOnlyAdministratorsAdminister) {
  EXPECT_THAT(CheckCertificateIssue(kClerk), IsOk());
  EXPECT_THAT(CheckCertificateIssue(kApprover), ErrorIdIs("KSK-CERT-001"));
  EXPECT_THAT(CheckCertificateIssue(kOperatorA), ErrorIdIs("KSK-CERT-001"));
  EXPECT_THAT(CheckAdministration(Actor{"adm-1", Role::kAdmin}), IsOk());
  EXPECT_THAT(CheckAdministration(kClerk), ErrorIdIs("KSK-ADMIN-001"));
  EXPECT_THAT(CheckReview(kExaminer), IsOk());
  EXPECT_THAT(CheckReview(kClerk), ErrorIdIs("KSK-CASE-001"));
}

TEST(CaseTest, ReattachingKeepsTheRefAndTakesTheNewVersion) {
  Case c = SubmittedCase();
  c.actions.push_back(CaseAction{
      .kind = ActionKind::kAttach, .actor = kClerk, .attached = AttachedRegisterRef{"r2", 1}});
  c.actions.push_back(CaseAction{
      .kind = ActionKind::kAttach, .actor = kClerk, .attached = AttachedRegisterRef{"r1", 4}});
  EXPECT_THAT(c.Attached(),
              ::testing::ElementsAre(AttachedRegisterRef{"r1", 4}, AttachedRegisterRef{"r2", 1}));
}

}  // namespace
}  // namespace koseki::workflow
