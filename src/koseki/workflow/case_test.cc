#include "koseki/workflow/case.h"

#include <gtest/gtest.h>

namespace koseki::workflow {
namespace {

TEST(CaseStateTest, FinalStatesAreApprovedWithdrawnAndRejected) {
  EXPECT_TRUE(IsFinal(CaseState::kApproved));
  EXPECT_TRUE(IsFinal(CaseState::kWithdrawn));
  EXPECT_TRUE(IsFinal(CaseState::kRejected));
  EXPECT_FALSE(IsFinal(CaseState::kReturned));
  EXPECT_FALSE(IsFinal(CaseState::kExamined));
}

TEST(CaseStateTest, StateIsDerivedFromTheActions) {
  Case c;
  c.actions.push_back({.kind = ActionKind::kReceive, .actor = {"c", Role::kClerk}});
  EXPECT_EQ(c.State(), CaseState::kReceived);
  c.actions.push_back(
      {.kind = ActionKind::kAssign, .actor = {"s", Role::kSupervisor}, .assignee = "op"});
  EXPECT_EQ(c.State(), CaseState::kAssigned);
  c.actions.push_back(
      {.kind = ActionKind::kSaveDraft, .actor = {"op", Role::kOperator}, .entry = rules::Entry{}});
  EXPECT_EQ(c.State(), CaseState::kDrafting);
  EXPECT_EQ(c.Enterers(), std::set<std::string>{"op"});
  c.actions.push_back(
      {.kind = ActionKind::kReject, .actor = {"a", Role::kApprover}, .reason = "不受理"});
  EXPECT_EQ(c.State(), CaseState::kRejected);
  EXPECT_EQ(CaseStateName(c.State()), "不受理");
}

}  // namespace
}  // namespace koseki::workflow
