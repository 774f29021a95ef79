// The actor of a use case: who acts, in which role, over which channel, from which device and
// network peer. Every use case (workflow/, app/) takes one per request; nothing below the edges
// (CLI, web) invents it. The CLI's actor is an enrolled user named on the command line, with the
// role of that user's record; the web server's is the authenticated login on a registered device.
//
// Values only: the decisions about what an actor may do live in workflow/policy.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace koseki::access {

enum class Role {
  kClerk,       // 市区町村 窓口: receives, attaches registers, withdraws, issues certificates
  kOperator,    // 事業者 オペレータ: enters data (remote, pictures only)
  kSupervisor,  // 事業者 責任者: assigns cases; no register content
  kExaminer,    // 審査 (校合)
  kApprover,    // 決裁 (on the mayor's behalf); also 不受理
  kAuditor,     // reads the audit trail only
  kAdmin,       // tenants, settings, users, devices, keys; no register content
};

// Returns the stable name of a role: "clerk", "operator", …
std::string_view RoleName(Role role);
// Returns the role named `name` (as RoleName writes it), or nullopt.
std::optional<Role> ParseRole(std::string_view name);

// How the request reached koseki.
enum class Channel {
  kCli,  // the `koseki` command on the server itself (the custodian's terminal)
  kWeb,  // the HTTPS server, from a registered device
};

std::string_view ChannelName(Channel channel);  // "cli", "web"

struct Actor {
  std::string user_id = {};  // opaque id (never a person's name)
  Role role = Role::kClerk;
  Channel channel = Channel::kCli;
  std::string device_id = {};    // registered device (web); empty on the CLI
  std::string device_name = {};  // that device's registered name, drawn into watermarks
  std::string peer = {};         // network address of the device (web); empty on the CLI
};

}  // namespace koseki::access
