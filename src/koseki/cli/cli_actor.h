// The actor of a command typed at the server: who the CLI says acts. The administrative
// commands act as the operating-system user ("uid:<number>", never the login name, which may be
// a person's name) in the administrator role. The case and certificate commands act as an
// enrolled user of the tenant (--user LOGIN): never as a role typed on the command line, but as
// the user's record says — enabled, pledge and training current (app::CliUserActor) — with the
// operating-system user as the device, so that the audit trail says which login acted and that
// it came from the CLI as which OS user. The use cases still decide what the role may do, and
// record it.
//
// Functions only; thread-compatible (they read the process's uid).
#pragma once

#include <string>
#include <string_view>

#include "koseki/access/actor.h"
#include "koseki/app/koseki.h"
#include "koseki/base/result.h"

namespace koseki::cli {

// Returns the operating-system user as an audit id, "uid:<number>".
std::string OsUserId();

// Returns the operating-system user acting in `role` over the CLI.
access::Actor OsUserActor(access::Role role);

// Returns the enrolled user `login` of `tenant` acting over the CLI from the operating-system
// user (device_id OsUserId()), with the role of the user's record. A refusal (KSK-AUTH-001 a
// malformed login, KSK-AUTH-021 an unknown one; KSK-AUTH-003/004/005/006 disabled, locked, no
// pledge, training lapsed) is recorded as cli.user_refused and returned.
Result<access::Actor> EnrolledUserActor(app::Koseki& koseki, std::string_view tenant,
                                        std::string_view login);

}  // namespace koseki::cli
