#include "koseki/access/actor.h"

#include <array>

namespace koseki::access {
namespace {

constexpr std::array kRoles = {Role::kClerk,    Role::kOperator, Role::kSupervisor, Role::kExaminer,
                               Role::kApprover, Role::kAuditor,  Role::kAdmin};

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kClerk:
      return "clerk";
    case Role::kOperator:
      return "operator";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kExaminer:
      return "examiner";
    case Role::kApprover:
      return "approver";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : kRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kCli:
      return "cli";
    case Channel::kWeb:
      return "web";
  }
  return "unknown";
}

}  // namespace koseki::access
