#include "koseki/cli/case_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "koseki/app/tenant_desk.h"
#include "koseki/audit/actions.h"
#include "koseki/cli/case_presenter.h"
#include "koseki/cli/cli_actor.h"
#include "koseki/cli/exit_codes.h"
#include "koseki/cli/files.h"
#include "koseki/workflow/case_json.h"

namespace koseki::cli {
namespace {

Result<rules::Entry> ReadEntry(const std::string& file) {
  KOSEKI_ASSIGN_OR_RETURN(std::string text, ReadInputFile(file));
  return workflow::EntryFromJsonText(text);
}

}  // namespace

CLI::App* CaseCommands::Add(CLI::App* root, const std::string& name, const std::string& description,
                            bool of_a_case) {
  CLI::App* command = root->add_subcommand(name, description);
  AddStoreFlags(command, store_);
  command->add_option("--tenant", tenant_, "地方公共団体コード")->required();
  command->add_option("--user", user_, "操作する利用者のログイン ID（役割は利用者の登録による）")
      ->required();
  if (of_a_case) command->add_option("--case", case_id_, "事件 ID")->required();
  commands_.push_back(command);
  return command;
}

CaseCommands::CaseCommands(CLI::App& cli) {
  root_ = cli.add_subcommand("case", "届出事件（受付・割当・入力・審査・決裁）");
  root_->require_subcommand(1);
  const auto add_case = [this](const std::string& name, const std::string& description) {
    return this->Add(root_, name, description, name != "receive" && name != "list");
  };
  CLI::App* receive = add_case("receive", "届書を受け付ける（窓口）");
  receive->add_option("--type", type_, "届出の種類（例: shibou, 死亡届）")->required();
  receive->add_option("--todokedenin", notifier_, "届出人（届書の記載のとおり）");
  CLI::App* receipt = add_case("receipt", "受付日時・送付の内容を訂正する（窓口、入力前に限る）");
  for (CLI::App* command : {receive, receipt}) {
    CLI::Option* at = command->add_option(
        "--received-at", received_at_,
        "受付日時（YYYY-MM-DD HH:MM、日本時間。時間外受付はその日時。省略時は現在）");
    if (command == receipt) at->required();
    command->add_option("--sofu-from", forwarded_from_,
                        "送付: 受理地（例: 架空県架空町、在サンパウロ総領事）");
    command->add_option("--accepted-on", accepted_on_, "送付: 受理日（YYYY-MM-DD）");
  }
  CLI::App* attach = add_case("attach", "事件に戸籍を添付する（窓口）");
  attach->add_option("--honseki", honseki_, "本籍")->required();
  attach->add_option("--head", head_, "筆頭者氏名")->required();
  add_case("assign", "オペレータを割り当てる（事業者責任者）")
      ->add_option("--operator", assignee_, "オペレータの利用者 ID")
      ->required();
  CLI::App* enter = add_case("enter", "入力を保存する（オペレータ）");
  enter->add_option("file", entry_file_, "入力 JSON（- は標準入力）");
  enter->add_flag("--submit", submit_, "保存して提出する");
  add_case("submit", "入力を提出する（オペレータ）")->add_option("file", entry_file_, "入力 JSON");
  add_case("review", "審査用の変更前後の差分を表示する（審査・決裁）");
  add_case("examine", "審査（校合）を終える");
  add_case("approve", "決裁する");
  add_case("return", "差し戻す")->add_option("--reason", reason_, "理由")->required();
  add_case("withdraw", "取下げ")->add_option("--reason", reason_, "理由")->required();
  add_case("reject", "不受理")->add_option("--reason", reason_, "理由")->required();
  add_case("show", "事件を表示する")
      ->add_flag("--json", json_, "JSON で出力する（入力内容を含む）");
  CLI::App* list = add_case("list", "事件の一覧（新しい順）");
  list->add_option("--limit", limit_, "表示する件数（既定 50、最大 500）");
  list->add_option("--after", after_, "前のページの末尾に表示された続きの指定");

  scan_root_ = root_->add_subcommand("scan", "届書のスキャン画像");
  scan_root_->require_subcommand(1);
  Add(scan_root_, "add", "スキャン画像を追加する（窓口。複数のファイルは順に１通のページ）", true)
      ->add_option("file", scan_files_, "TIFF・PNG・JPEG のファイル")
      ->required();
  Add(scan_root_, "list", "事件のスキャン画像の一覧", true);

  sofu_root_ = cli.add_subcommand("sofu", "送付（決裁で生じた他の本籍地への送付）");
  sofu_root_->require_subcommand(1);
  Add(sofu_root_, "list", "送付の一覧（市区町村の職員）", false)
      ->add_option("--state", state_, "pending（未発送）または sent（発送済み）")
      ->check(CLI::IsMember({"pending", "sent"}));
  CLI::App* sent = Add(sofu_root_, "sent", "送付を発送済みとして記録する（窓口）", false);
  sent->add_option("--notice", notice_id_, "送付 ID（一覧の先頭の列）")->required();
  sent->add_option("--on", sent_on_, "発送日（YYYY-MM-DD）")->required();
  sent->add_option("--means", means_, "方法（郵送・届書等情報・使送）")->required();

  furigana_root_ = cli.add_subcommand("furigana", "氏名の振り仮名");
  furigana_root_->require_subcommand(1);
  CLI::App* shokken =
      Add(furigana_root_, "shokken", "通知した振り仮名を職権で記載する（決裁者）", false);
  shokken->add_option("--on", record_on_, "記録日（YYYY-MM-DD、省略時は今日）");
  shokken->add_option("file", list_file_, "通知した振り仮名の一覧（JSON Lines、- は標準入力）")
      ->required();
}

std::optional<int> CaseCommands::RunFuriganaShokken(app::TenantDesk& desk,
                                                    const access::Actor& actor,
                                                    app::Koseki& koseki) {
  const auto refuse = [&](const Error& error) {
    (void)koseki.RecordRefusal(actor, audit::actions::kFuriganaShokkenRun, error, tenant_, "");
    return Finish(koseki, Fail(error));
  };
  std::chrono::year_month_day on = JapanDayOfMicros(UnixMicros(koseki.clock().Now()));
  if (!record_on_.empty()) {
    auto day = access::ParseIsoDay(record_on_);
    if (!day) return refuse(day.error());
    on = *day;
  }
  auto text = ReadInputFile(list_file_);
  if (!text) return refuse(text.error());
  std::istringstream input(*text);
  auto list = workflow::ReadNotifiedList(input);
  if (!list) return refuse(list.error());
  auto report = desk.furigana_shokken().Record(actor, *list, on);
  if (!report) return Finish(koseki, Fail(report.error()));
  std::cout << FormatShokkenReport(*report);
  return Finish(koseki, 0);
}

std::optional<int> CaseCommands::RunScan(const std::string& name, app::TenantDesk& desk,
                                         const access::Actor& actor, app::Koseki& koseki) {
  if (name == "list") {
    auto scans = desk.pictures().List(actor, case_id_);
    if (!scans) return Finish(koseki, Fail(scans.error()));
    std::cout << FormatScans(*scans);
    return Finish(koseki, 0);
  }
  std::vector<std::string> files;
  for (const std::string& path : scan_files_) {
    auto bytes = ReadInputFile(path);
    if (!bytes) {
      (void)koseki.RecordRefusal(actor, audit::actions::kCaseScanAdd, bytes.error(), tenant_,
                                 case_id_);
      return Finish(koseki, Fail(bytes.error()));
    }
    files.push_back(std::move(*bytes));
  }
  auto added = desk.pictures().Add(actor, case_id_, files);
  if (!added) return Finish(koseki, Fail(added.error()));
  std::cout << FormatScans({*added});
  return Finish(koseki, 0);
}

std::optional<int> CaseCommands::RunSofu(const std::string& name, app::TenantDesk& desk,
                                         const access::Actor& actor, app::Koseki& koseki) {
  workflow::SofuService& sofu = desk.sofu();
  if (name == "list") {
    std::optional<bool> sent;
    if (!state_.empty()) sent = state_ == "sent";
    auto notices = sofu.List(actor, sent);
    if (!notices) return Finish(koseki, Fail(notices.error()));
    std::cout << FormatSofuNotices(*notices);
    return Finish(koseki, 0);
  }
  auto day = access::ParseIsoDay(sent_on_);
  if (!day) {
    (void)koseki.RecordRefusal(actor, audit::actions::kSofuSent, day.error(), tenant_, notice_id_);
    return Finish(koseki, Fail(day.error()));
  }
  auto marked = sofu.MarkSent(actor, notice_id_, *day, means_);
  if (!marked) return Finish(koseki, Fail(marked.error()));
  std::cout << FormatSofuNotices({*marked});
  return Finish(koseki, 0);
}

std::optional<int> CaseCommands::RunIfParsed() {
  CLI::App* parsed = nullptr;
  for (CLI::App* command : commands_) {
    if (command->parsed()) parsed = command;
  }
  if (parsed == nullptr) return std::nullopt;
  const std::string name = parsed->get_name();
  const bool sofu = parsed->get_parent() == sofu_root_;
  const bool scan = parsed->get_parent() == scan_root_;
  const bool furigana = parsed->get_parent() == furigana_root_;

  const std::string action = furigana ? std::string(audit::actions::kFuriganaShokkenRun)
                             : scan   ? "case.scan_" + name
                                      : (sofu ? "sofu." : "case.") + name;
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
  if (sofu) return RunSofu(name, **desk, *actor, **koseki);
  if (scan) return RunScan(name, **desk, *actor, **koseki);
  if (furigana) return RunFuriganaShokken(**desk, *actor, **koseki);
  workflow::CaseService& service = (*desk)->cases();

  // Prints what the use case returned, or its error.
  auto print = [&](const auto& result, auto format) {
    if (!result) return Finish(**koseki, Fail(result.error()));
    std::cout << format(*result);
    return Finish(**koseki, 0);
  };
  auto print_case = [&](const Result<workflow::Case>& c) { return print(c, FormatCase); };

  if (name == "receive" || name == "receipt") {
    auto receipt = workflow::ParseReceiptInput(received_at_, forwarded_from_, accepted_on_);
    if (!receipt) {
      (void)(*koseki)->RecordRefusal(*actor, action, receipt.error(), tenant_, case_id_);
      return Finish(**koseki, Fail(receipt.error()));
    }
    if (name == "receipt") return print_case(service.CorrectReceipt(*actor, case_id_, *receipt));
    auto type = rules::ParseNotificationType(type_);
    if (!type) return Finish(**koseki, Fail(type.error()));
    return print_case(service.Receive(*actor, *type, notifier_, *receipt));
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
