// `koseki case …`: the case workflow from the command line, for scripting and tests.
//   receive | attach | assign | enter [--submit] | submit | review | examine | approve |
//   return | withdraw | reject | show | list
// Each takes --tenant, --user (the login of an enrolled user of the tenant, whose record gives
// the role: cli_actor.h EnrolledUserActor) and the store flags; entries are JSON
// (docs/formats.md, "Case entry").
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "koseki/cli/store_command.h"
#include "koseki/workflow/case_service.h"

namespace koseki::cli {

class CaseCommands {
 public:
  // Adds the `case` subcommand tree to `cli`.
  explicit CaseCommands(CLI::App& cli);
  // After parsing: runs the parsed case subcommand and returns its exit code, or nullopt if
  // no case subcommand was given.
  std::optional<int> RunIfParsed();

 private:
  CLI::App* Add(const std::string& name, const std::string& description);

  CLI::App* root_ = nullptr;
  std::vector<CLI::App*> commands_;
  StoreFlags store_;
  std::string tenant_;
  std::string user_;
  std::string case_id_;
  std::string type_;
  std::string honseki_;
  std::string head_;
  std::string assignee_;
  std::string entry_file_;
  std::string reason_;
  std::string notifier_;
  std::string after_;
  std::size_t limit_ = workflow::kDefaultCasePage;
  bool submit_ = false;
  bool json_ = false;
};

}  // namespace koseki::cli
