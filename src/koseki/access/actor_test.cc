#include "koseki/access/actor.h"

#include <gtest/gtest.h>

namespace koseki::access {
namespace {

TEST(ActorTest, EveryRoleNameParsesBackToItsRole) {
  for (Role role : {Role::kClerk, Role::kOperator, Role::kSupervisor, Role::kExaminer,
                    Role::kApprover, Role::kAuditor, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
}

TEST(ActorTest, UnknownRoleNameParsesToNothing) {
  EXPECT_EQ(ParseRole("mayor"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("Clerk"), std::nullopt);
}

}  // namespace
}  // namespace koseki::access
