// `koseki case …`: the case workflow from the command line, for scripting and tests.
//   receive | receipt | attach | assign | enter [--submit] | submit | review | examine | approve |
//   return | withdraw | reject | show | list
// `koseki case scan add --case ID FILE…` | `case scan list --case ID`: the scanned notification
//   (the files' pages, in order, are one scan; a clerk adds, the case's readers list).
// `koseki sofu …`: the 送付 outbox the approvals fill.
//   list [--state pending|sent] | sent --notice ID --on YYYY-MM-DD --means 郵送|届書等情報|使送
//   (a notice to a municipality hosted on this server was delivered by the approval)
// `koseki furigana shokken [--on YYYY-MM-DD] FILE`: the 職権 recording of the notified
//   氏名の振り仮名 (JSON Lines, workflow/furigana_shokken.h), by an approver.
// Each takes --tenant, --user (the login of an enrolled user of the tenant, whose record gives
// the role: cli_actor.h EnrolledUserActor) and the store flags; entries are JSON
// (docs/formats.md, "Case entry").
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "koseki/app/tenant_desk.h"
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
  // Adds `name` under `root` with the flags every command takes (and --case, if `of_a_case`).
  CLI::App* Add(CLI::App* root, const std::string& name, const std::string& description,
                bool of_a_case);
  std::optional<int> RunSofu(const std::string& name, app::TenantDesk& desk,
                             const access::Actor& actor, app::Koseki& koseki);
  std::optional<int> RunScan(const std::string& name, app::TenantDesk& desk,
                             const access::Actor& actor, app::Koseki& koseki);
  std::optional<int> RunFuriganaShokken(app::TenantDesk& desk, const access::Actor& actor,
                                        app::Koseki& koseki);

  CLI::App* root_ = nullptr;
  CLI::App* scan_root_ = nullptr;
  CLI::App* sofu_root_ = nullptr;
  CLI::App* furigana_root_ = nullptr;
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
  std::string received_at_;
  std::string forwarded_from_;
  std::string accepted_on_;
  std::string after_;
  std::string state_;
  std::string notice_id_;
  std::string sent_on_;
  std::string means_;
  std::string record_on_;
  std::string list_file_;
  std::vector<std::string> scan_files_;
  std::size_t limit_ = workflow::kDefaultCasePage;
  bool submit_ = false;
  bool json_ = false;
};

}  // namespace koseki::cli
