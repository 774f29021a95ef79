#include "koseki/cli/cli_actor.h"

#include <unistd.h>

#include <string>

#include "koseki/audit/entry.h"

namespace koseki::cli {

access::Actor OsUserActor(access::Role role) {
  return access::Actor{.user_id = "uid:" + std::to_string(::getuid()),
                       .role = role,
                       .channel = access::Channel::kCli};
}

Result<access::Actor> ParseActor(std::string_view user, std::string_view role) {
  if (!audit::IsOpaqueId(user)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-010",
                     "利用者 ID は英数字と . _ : - だけで指定してください。", "bad user id");
  }
  // The case workflow's roles only: auditors and administrators have commands of their own.
  const std::optional<access::Role> parsed = access::ParseRole(role);
  if (parsed && *parsed != access::Role::kAuditor && *parsed != access::Role::kAdmin) {
    return access::Actor{
        .user_id = std::string(user), .role = *parsed, .channel = access::Channel::kCli};
  }
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-011",
                   "役割は clerk, operator, supervisor, examiner, approver のいずれかです。",
                   "bad role");
}

}  // namespace koseki::cli
