#include "koseki/cli/cli_actor.h"

#include <unistd.h>

#include "koseki/app/user_admin.h"

namespace koseki::cli {

std::string OsUserId() { return "uid:" + std::to_string(::getuid()); }

access::Actor OsUserActor(access::Role role) {
  return access::Actor{.user_id = OsUserId(), .role = role, .channel = access::Channel::kCli};
}

Result<access::Actor> EnrolledUserActor(app::Koseki& koseki, std::string_view tenant,
                                        std::string_view login) {
  return app::CliUserActor(koseki, tenant, login, OsUserId());
}

}  // namespace koseki::cli
