// The custodian's commands for who and what may reach the server:
//   koseki device enroll|list|revoke     registered terminals (the bundle's password: last line)
//   koseki user add|list|disable|enable|reset|set   users (a one-time password: last line)
//   koseki window set|close|list         service hours per zone
//   koseki server-cert issue             the server's TLS certificate
// Each acts as the operating-system user in the administrator role (the CLI needs the master
// passphrase: it is the custodian's console) and calls one use case of app/.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "koseki/cli/store_command.h"

namespace koseki::cli {

class IdentityCommands {
 public:
  // Adds the `device`, `user`, `window` and `server-cert` subcommand trees to `cli`.
  explicit IdentityCommands(CLI::App& cli);
  // After parsing: runs the parsed subcommand and returns its exit code, or nullopt if none of
  // these was given.
  std::optional<int> RunIfParsed();

 private:
  CLI::App* Add(CLI::App* group, const std::string& name, const std::string& description,
                bool with_tenant = true);
  int Run(const std::string& group, const std::string& name);

  std::vector<std::pair<std::string, CLI::App*>> commands_;
  StoreFlags store_;
  std::string tenant_;
  std::string zone_;
  std::string name_;
  std::string out_;
  int days_ = 0;
  std::string login_;
  std::string role_;
  std::string pledge_;
  std::string training_;
  std::string hours_;
  std::string holidays_;
  std::string from_;
  std::string until_;
  std::string reason_;
  std::string host_;
  std::string cert_out_;
  std::string key_out_;
  std::string ca_out_;
  std::string auditor_zones_;
  std::string admin_zones_;
};

}  // namespace koseki::cli
