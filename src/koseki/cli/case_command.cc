#include "koseki/cli/case_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "koseki/app/tenant_desk.h"
#include "koseki/cli/case_presenter.h"
#include "koseki/cli/cli_actor.h"
#include "koseki/cli/exit_codes.h"
#include "koseki/workflow/case_json.h"

namespace koseki::cli {
namespace {

Result<rules::Entry> ReadEntry(const std::string& file) {
  std::string text;
  if (file.empty() || file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return MakeError(ErrorCode::kNotFound, "KSK-CLI-012", "入力ファイルを開けません。",
                       "cannot open entry file");
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return workflow::EntryFromJsonText(text);
}

}  // namespace

CLI::App* CaseCommands::Add(const std::string& name, const std::string& description) {
  CLI::App* command = root_->add_subcommand(name, description);
  AddStoreFlags(command, store_);
  command->add_option("--tenant", tenant_, "地方公共団体コード")->required();
  command->add_option("--user", user_, "操作する利用者のログイン ID（役割は利用者の登録による）")
      ->required();
  if (name != "receive" && name != "list") {
    command->add_option("--case", case_id_, "事件 ID")->required();
  }
  commands_.push_back(command);
  return command;
}

CaseCommands::CaseCommands(CLI::App& cli) {
  root_ = cli.add_subcommand("case", "届出事件（受付・割当・入力・審査・決裁）");
  root_->require_subcommand(1);
  CLI::App* receive = Add("receive", "届書を受け付ける（窓口）");
  receive->add_option("--type", type_, "届出の種類（例: shibou, 死亡届）")->required();
  receive->add_option("--todokedenin", notifier_, "届出人（届書の記載のとおり）");
  CLI::App* attach = Add("attach", "事件に戸籍を添付する（窓口）");
  attach->add_option("--honseki", honseki_, "本籍")->required();
  attach->add_option("--head", head_, "筆頭者氏名")->required();
  Add("assign", "オペレータを割り当てる（事業者責任者）")
      ->add_option("--operator", assignee_, "オペレータの利用者 ID")
      ->required();
  CLI::App* enter = Add("enter", "入力を保存する（オペレータ）");
  enter->add_option("file", entry_file_, "入力 JSON（- は標準入力）");
  enter->add_flag("--submit", submit_, "保存して提出する");
  Add("submit", "入力を提出する（オペレータ）")->add_option("file", entry_file_, "入力 JSON");
  Add("review", "審査用の変更前後の差分を表示する（審査・決裁）");
  Add("examine", "審査（校合）を終える");
  Add("approve", "決裁する");
  Add("return", "差し戻す")->add_option("--reason", reason_, "理由")->required();
  Add("withdraw", "取下げ")->add_option("--reason", reason_, "理由")->required();
  Add("reject", "不受理")->add_option("--reason", reason_, "理由")->required();
  Add("show", "事件を表示する")->add_flag("--json", json_, "JSON で出力する（入力内容を含む）");
  CLI::App* list = Add("list", "事件の一覧（新しい順）");
  list->add_option("--limit", limit_, "表示する件数（既定 50、最大 500）");
  list->add_option("--after", after_, "前のページの末尾に表示された続きの指定");
}

std::optional<int> CaseCommands::RunIfParsed() {
  CLI::App* parsed = nullptr;
  for (CLI::App* command : commands_) {
    if (command->parsed()) parsed = command;
  }
  if (parsed == nullptr) return std::nullopt;
  const std::string name = parsed->get_name();

  const std::string action = "case." + name;
  // The store and the tenant's desk open before the user is known, as the operating-system
  // user: a refusal there (passphrase, key file, unknown tenant) is recorded as that user. Its
  // role decides nothing; the enrolled user's record gives the role of every action.
  const access::Actor os_user = OsUserActor(access::Role::kClerk);
  auto koseki = OpenStore(store_, os_user, action, tenant_);
  if (!koseki) return Fail(koseki.error());
  auto desk = app::TenantDesk::Open(**koseki, os_user, tenant_, action);
  if (!desk) return Finish(**koseki, Fail(desk.error()));
  auto actor = EnrolledUserActor(**koseki, tenant_, user_);
  if (!actor) return Finish(**koseki, Fail(actor.error()));
  workflow::CaseService& service = (*desk)->cases();

  // Prints what the use case returned, or its error.
  auto print = [&](const auto& result, auto format) {
    if (!result) return Finish(**koseki, Fail(result.error()));
    std::cout << format(*result);
    return Finish(**koseki, 0);
  };
  auto print_case = [&](const Result<workflow::Case>& c) { return print(c, FormatCase); };

  if (name == "receive") {
    auto type = rules::ParseNotificationType(type_);
    if (!type) return Finish(**koseki, Fail(type.error()));
    return print_case(service.Receive(*actor, *type, notifier_));
  }
  if (name == "attach") return print_case(service.Attach(*actor, case_id_, honseki_, head_));
  if (name == "assign") return print_case(service.Assign(*actor, case_id_, assignee_));
  if (name == "enter" || name == "submit") {
    auto entry = ReadEntry(entry_file_);
    if (!entry) return Finish(**koseki, Fail(entry.error()));
    auto outcome = (submit_ || name == "submit") ? service.Submit(*actor, case_id_, *entry)
                                                 : service.SaveDraft(*actor, case_id_, *entry);
    return print(outcome, [](const workflow::EntryOutcome& o) {
      return FormatFindings(o.findings) + FormatCase(o.updated);
    });
  }
  if (name == "review") return print(service.ReviewCase(*actor, case_id_), FormatReview);
  if (name == "examine") return print_case(service.Examine(*actor, case_id_));
  if (name == "approve") return print(service.Approve(*actor, case_id_), FormatApproval);
  if (name == "return") return print_case(service.Return(*actor, case_id_, reason_));
  if (name == "withdraw") return print_case(service.Withdraw(*actor, case_id_, reason_));
  if (name == "reject") return print_case(service.Reject(*actor, case_id_, reason_));
  if (name == "show") {
    const bool json = json_;
    return print(service.Show(*actor, case_id_), [json](const workflow::CaseView& view) {
      return json ? CaseToJson(view).dump(2) + "\n" : FormatCase(view.c);
    });
  }
  if (name == "list") {
    std::optional<workflow::CaseCursor> after;
    if (!after_.empty()) {
      auto cursor = workflow::CaseCursor::Parse(after_);
      if (!cursor) return Finish(**koseki, Fail(cursor.error()));
      after = *std::move(cursor);
    }
    return print(service.List(*actor, after, limit_), FormatCaseList);
  }
  return Finish(**koseki, ExitCodeFor(ErrorCode::kInvalidArgument));
}

}  // namespace koseki::cli
