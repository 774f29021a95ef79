// The actor of a command typed at the server: who the CLI says acts. The administrative
// commands act as the operating-system user ("uid:<number>", never the login name, which may be
// a person's name); the case commands as the user and role given with --user/--role. Binding
// an actor to an authenticated login on a registered device is the web server's job; here the
// use cases still decide what the role may do, and record it.
#pragma once

#include <string_view>

#include "koseki/access/actor.h"
#include "koseki/base/result.h"

namespace koseki::cli {

// Returns the operating-system user acting in `role` over the CLI.
access::Actor OsUserActor(access::Role role);

// Parses --user/--role: the user id must be an opaque id ([A-Za-z0-9._:-], KSK-CLI-010) and
// the role one of clerk, operator, supervisor, examiner, approver (KSK-CLI-011).
Result<access::Actor> ParseActor(std::string_view user, std::string_view role);

}  // namespace koseki::cli
