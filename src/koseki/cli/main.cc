// The `koseki` command line. Each subcommand parses its flags, calls one use case in app/ and
// prints the outcome; errors print one line "[KSK-…] 日本語の説明" on stderr and map to an exit
// code in exactly one place (exit_codes.h). This file is the exception barrier of the process.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "koseki/access/user.h"
#include "koseki/app/audit_commands.h"
#include "koseki/app/generate_registers.h"
#include "koseki/app/import_registers.h"
#include "koseki/app/koseki.h"
#include "koseki/app/location.h"
#include "koseki/app/passphrase.h"
#include "koseki/app/tenant_desk.h"
#include "koseki/app/tenant_settings.h"
#include "koseki/app/witness_reset.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/base/log.h"
#include "koseki/cli/case_command.h"
#include "koseki/cli/cli_actor.h"
#include "koseki/cli/exit_codes.h"
#include "koseki/cli/files.h"
#include "koseki/cli/identity_commands.h"
#include "koseki/cli/serve_command.h"
#include "koseki/cli/store_command.h"

namespace koseki::cli {
namespace {

int RunInit(const StoreFlags& flags) {
  auto location = app::ResolveLocation(flags.data, flags.key_file, flags.witness);
  if (!location) return Fail(location.error());
  auto passphrase = app::ReadPassphrase(kPassphrasePrompt, true);
  if (!passphrase) return Fail(passphrase.error());
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  if (auto done = app::Koseki::Init(*location, admin, *passphrase); !done) {
    // Only an existing installation can record this (e.g. a second init over it).
    app::RecordRefusalWithoutKey(*location, admin, audit::actions::kCliInit, done.error());
    return Fail(done.error());
  }
  std::cout << "インストールを作成しました。鍵ファイルとパスフレーズは別々に保管してください。\n";
  return 0;
}

// `koseki tenant set`'s options as given; an option not given changes nothing.
struct TenantSetArgs {
  std::string code, double_entry, combine, watermark_city, first_receipt_day, mayor_name, seal_file;
  CLI::Option* mayor_name_given = nullptr;
};

int RunTenantSet(const StoreFlags& flags, const TenantSetArgs& args) {
  app::TenantSettingsChange change;
  for (const auto& [text, target] : {std::pair{&args.double_entry, &change.double_entry},
                                     std::pair{&args.combine, &change.examiner_may_approve},
                                     std::pair{&args.watermark_city, &change.watermark_city}}) {
    if (!text->empty()) *target = *text == "on";
  }
  if (!args.first_receipt_day.empty()) {
    auto day = access::ParseIsoDay(args.first_receipt_day);
    if (!day) return Fail(day.error());
    change.first_receipt_day = *day;
  }
  if (args.mayor_name_given->count() > 0) change.mayor_name = args.mayor_name;
  if (!args.seal_file.empty()) {
    auto seal = ReadInputFile(args.seal_file);
    if (!seal) return Fail(seal.error());
    change.seal_png = std::move(*seal);
  }
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  auto koseki = OpenStore(flags, admin, audit::actions::kAdminTenantSetting, args.code);
  if (!koseki) return Fail(koseki.error());
  if (auto done = app::ChangeTenantSettings(**koseki, admin, args.code, change); !done) {
    return Finish(**koseki, Fail(done.error()));
  }
  std::cout << "自治体 " << args.code << " の設定を変更しました。\n";
  return Finish(**koseki, 0);
}

int RunTenantAdd(const StoreFlags& flags, const std::string& code, const std::string& name) {
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  auto koseki = OpenStore(flags, admin, audit::actions::kCliTenantAdd, code);
  if (!koseki) return Fail(koseki.error());
  if (auto done = (*koseki)->AddTenant(admin, code, name); !done) {
    return Finish(**koseki, Fail(done.error()));
  }
  std::cout << "自治体 " << code << " を登録しました。\n";
  return Finish(**koseki, 0);
}

int RunAuditResetWitness(const StoreFlags& flags) {
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  auto koseki = OpenStore(flags, admin, audit::actions::kWitnessReset, {},
                          app::Koseki::WitnessCheck::kSkippedToReset);
  if (!koseki) return Fail(koseki.error());
  auto reset = app::ResetWitness(**koseki, admin);
  if (!reset) return Finish(**koseki, Fail(reset.error()));
  std::cout << "立会いファイルを新しく始めました（各ログの最新チェックポイント " << reset->logs
            << " 件を引き継ぎ）。\n";
  if (reset->replaced) {
    std::cout << "以前の立会いファイルは次の場所に保存しました。削除せずに保管してください: "
              << reset->replaced->string() << '\n';
  }
  return Finish(**koseki, 0);
}

int RunImport(const StoreFlags& flags, const std::string& tenant, const std::string& file) {
  std::ifstream input(file, std::ios::binary);
  if (!input) {
    return Fail(MakeError(ErrorCode::kNotFound, "KSK-IMPORT-005", "入力ファイルを開けません。",
                          "cannot open input"));
  }
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  auto koseki = OpenStore(flags, admin, audit::actions::kCliImport, tenant);
  if (!koseki) return Fail(koseki.error());
  auto result = app::ImportRegisters(**koseki, admin, tenant, input);
  if (!result) return Finish(**koseki, Fail(result.error()));
  if (!result->errors.empty()) {
    for (const auto& bad : result->errors) {
      std::cerr << bad.line << "行目: " << bad.error.UserLine() << '\n';
    }
    return Finish(**koseki, Fail(app::NothingImported(result->errors.size())));
  }
  std::cout << result->imported << "件の戸籍を取り込みました。\n";
  return Finish(**koseki, 0);
}

// Draws a progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI).
void ShowProgress(std::size_t done, std::size_t total) {
  static const bool terminal = ::isatty(STDERR_FILENO) == 1;
  if (!terminal || total == 0) return;
  if (done != total && done % 97 != 0) return;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = done * kWidth / total;
  std::fprintf(stderr, "\r生成中 [%s%s] %zu/%zu", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total);
  if (done == total) std::fputc('\n', stderr);
}

int RunGen(const StoreFlags& flags, const std::string& tenant, app::GenerateRequest request) {
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  auto koseki = OpenStore(flags, admin, audit::actions::kCliGen, tenant);
  if (!koseki) return Fail(koseki.error());
  request.progress = ShowProgress;
  auto stored = app::GenerateRegisters(**koseki, admin, tenant, request);
  if (!stored) return Finish(**koseki, Fail(stored.error()));
  std::cout << *stored << "件の戸籍を生成しました。\n";
  return Finish(**koseki, 0);
}

// Certificates print only at the city, by its clerks: the CLI acts as the enrolled user
// `login`, whose record must allow issuing (workflow::CheckCertificateIssue). The store and the
// desk open first as the operating-system user, whose role decides nothing (as for `case`).
int RunCert(const StoreFlags& flags, const std::string& tenant, const std::string& login,
            const workflow::CertificateRequest& request, const std::string& pdf_file) {
  const access::Actor os_user = OsUserActor(access::Role::kClerk);
  auto koseki = OpenStore(flags, os_user, audit::actions::kCertIssue, tenant);
  if (!koseki) return Fail(koseki.error());
  auto desk = app::TenantDesk::Open(**koseki, os_user, tenant, audit::actions::kCertIssue);
  if (!desk) return Finish(**koseki, Fail(desk.error()));
  auto clerk = EnrolledUserActor(**koseki, tenant, login);
  if (!clerk) return Finish(**koseki, Fail(clerk.error()));
  auto issued = (*desk)->certificates().Issue(*clerk, request);
  if (!issued) return Finish(**koseki, Fail(issued.error()));
  if (request.pdf) {
    if (auto written = WritePrivateFile(pdf_file, issued->pdf); !written) {
      return Finish(**koseki, Fail(written.error()));
    }
  }
  std::cout << issued->text;
  return Finish(**koseki, 0);
}

// --- koseki audit … (read-only; no passphrase) ---

struct AuditFlags {
  StoreFlags store;
  std::string key;     // --key: a verifier key or a file of them
  std::string tenant;  // a tenant code or "system"
};

void AddAuditFlags(CLI::App* command, AuditFlags& flags, bool need_data) {
  if (need_data) {
    command->add_option("--data", flags.store.data, "データディレクトリ（KOSEKI_DATA）");
  }
  command->add_option(
      "--key-file", flags.store.key_file,
      "鍵ファイル（立会いファイルの場所を決めるためだけに使います。KOSEKI_KEY_FILE）");
  command->add_option("--witness", flags.store.witness,
                      "監査ログの立会いファイル（KOSEKI_WITNESS）");
}

int RunAuditVerify(const AuditFlags& flags) {
  auto location = app::ResolveAuditLocation(flags.store.data, flags.store.key_file,
                                            flags.store.witness, /*need_data=*/true);
  if (!location) return Fail(location.error());
  std::optional<std::string_view> only;
  if (!flags.tenant.empty()) only = flags.tenant;
  auto result = app::VerifyAudit(*location, flags.key, only);
  if (!result) return Fail(result.error());
  const audit::StoreVerification& verification = result->verification;
  if (result->key_unchecked) {
    std::cout << "警告: 検証鍵をデータベース外のもの（--key または立会いファイル横の .pub）と照合"
                 "できませんでした。\n";
  }
  if (!result->key.empty()) std::cout << "key=" << result->key << '\n';
  std::optional<Error> first_error;
  for (const audit::LogVerification& log : verification.logs) {
    const audit::VerifyReport& report = log.report;
    std::cout << "log=" << log.log << " status=" << audit::VerifyReasonCode(report.reason);
    if (!report.ok()) std::cout << " first_bad_index=" << report.first_bad_index;
    std::cout << " entries=" << report.entry_count << " checkpoints=" << report.checkpoints
              << " witness=" << report.witness_checkpoints << " covered=" << report.covered_size
              << " unsealed=" << report.unsealed_entries << '\n';
    for (const audit::VerifyFinding& finding : report.findings) {
      std::cout << "  finding log=" << log.log
                << " reason=" << audit::VerifyReasonCode(finding.reason)
                << " index=" << finding.index << " detail=" << finding.detail << '\n';
    }
    if (!report.ok() && !first_error) first_error = report.ToError();
  }
  if (verification.state_checked) {
    std::cout << "state=" << (verification.state.empty() ? "ok" : "mismatch")
              << " findings=" << verification.state.size() << '\n';
    for (const audit::StateFinding& finding : verification.state) {
      std::cout << "  finding state log=" << finding.log << " index=" << finding.index
                << " detail=" << finding.detail << '\n';
    }
    if (!verification.state.empty() && !first_error) {
      first_error = audit::StateMismatch(verification.state.front());
    }
  }
  if (verification.state_awaits_baseline) {
    std::cout << "state=awaits-baseline\n"
              << "この導入環境は行の記録より前のものです。鍵を用いて一度起動すると、"
                 "データベースの内容と監査ログの照合が始まります。\n";
  }
  if (verification.witness_missing) {
    std::cout << "witness=missing path=" << location->witness_file.string() << '\n';
    if (!first_error) {
      first_error = MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-041",
                              "監査ログの立会いファイル（witness）が見つかりません。",
                              "witness file missing while the database has checkpoints");
    }
  }
  if (first_error) return Fail(*first_error);
  std::cout << "監査ログは正常です。\n";
  return 0;
}

int RunAuditShow(const AuditFlags& flags, const std::string& from, const std::string& to,
                 const std::string& actor, const std::string& object, bool json) {
  auto location = app::ResolveAuditLocation(flags.store.data, flags.store.key_file,
                                            flags.store.witness, /*need_data=*/true);
  if (!location) return Fail(location.error());
  audit::EntryFilter filter{std::nullopt, std::nullopt, actor, object};
  if (!from.empty()) {
    auto t = app::ParseIsoTime(from, /*end_of=*/false);
    if (!t) return Fail(t.error());
    filter.from = *t;
  }
  if (!to.empty()) {
    auto t = app::ParseIsoTime(to, /*end_of=*/true);
    if (!t) return Fail(t.error());
    filter.to = *t;
  }
  auto entries = app::ShowAudit(*location, flags.tenant, filter);
  if (!entries) return Fail(entries.error());
  if (json) {
    std::cout << "[";
    for (std::size_t i = 0; i < entries->size(); ++i) {
      std::cout << (i == 0 ? "\n" : ",\n") << app::EntryJson((*entries)[i]);
    }
    std::cout << "\n]\n";
    return 0;
  }
  for (const audit::Entry& entry : *entries) {
    const audit::Event& e = entry.event();
    std::cout << entry.index() << ' ' << app::FormatIsoTime(entry.time()) << ' '
              << audit::OutcomeName(e.outcome) << ' ' << e.action;
    const std::pair<const char*, const std::string*> fields[] = {
        {"user", &e.actor.user_id}, {"device", &e.actor.device_id}, {"address", &e.actor.address},
        {"object", &e.object_id},   {"context", &e.context_id},     {"error", &e.error_id}};
    for (const auto& [name, value] : fields) {
      if (!value->empty()) std::cout << ' ' << name << '=' << *value;
    }
    std::cout << '\n';
  }
  return 0;
}

int RunAuditProof(const AuditFlags& flags, std::uint64_t index) {
  auto location = app::ResolveAuditLocation(flags.store.data, flags.store.key_file,
                                            flags.store.witness, /*need_data=*/true);
  if (!location) return Fail(location.error());
  auto bundle = app::ProveAudit(*location, flags.key, flags.tenant, index);
  if (!bundle) return Fail(bundle.error());
  std::cout << audit::FormatProofBundle(*bundle);
  return 0;
}

int RunAuditCheckProof(const AuditFlags& flags, const std::string& file) {
  std::string text;
  if (file.empty() || file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return Fail(MakeError(ErrorCode::kNotFound, "KSK-AUDIT-053", "証明ファイルを開けません。",
                            "cannot open proof file"));
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // The keys file beside the witness file is optional here: --key may stand alone.
  app::Location location;
  if (auto resolved = app::ResolveAuditLocation({}, flags.store.key_file, flags.store.witness,
                                                /*need_data=*/false)) {
    location = *resolved;
  } else if (flags.key.empty()) {
    return Fail(resolved.error());
  }
  auto checked = app::CheckProof(location, flags.key, text);
  if (!checked) return Fail(checked.error());
  std::cout << "包含証明は正しいです。\n"
            << "log=" << checked->entry.tenant() << " index=" << checked->entry.index()
            << " time=" << app::FormatIsoTime(checked->entry.time())
            << " action=" << checked->entry.event().action
            << " outcome=" << audit::OutcomeName(checked->entry.event().outcome) << '\n'
            << "checkpoint size=" << checked->checkpoint.size
            << " origin=" << checked->checkpoint.origin << '\n'
            << "key=" << checked->key.ToString() << '\n';
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App cli{"koseki — 戸籍データ作成支援サーバ"};
  cli.require_subcommand(1);
  StoreFlags flags;

  CLI::App* init = cli.add_subcommand("init", "新しいインストールを作成する");
  AddStoreFlags(init, flags);

  CLI::App* tenant = cli.add_subcommand("tenant", "自治体（テナント）の管理");
  tenant->require_subcommand(1);
  CLI::App* tenant_add = tenant->add_subcommand("add", "自治体を登録する");
  AddStoreFlags(tenant_add, flags);
  std::string code, name;
  tenant_add->add_option("--code", code, "地方公共団体コード（６桁、検査数字付き）")->required();
  tenant_add->add_option("--name", name, "自治体名（例: 青葉県みなと市）")->required();

  CLI::App* tenant_set = tenant->add_subcommand("set", "自治体の設定を変更する");
  AddStoreFlags(tenant_set, flags);
  TenantSetArgs set_args;
  tenant_set->add_option("--code", set_args.code, "地方公共団体コード")->required();
  tenant_set->add_option("--double-entry", set_args.double_entry, "二重入力（on / off）")
      ->check(CLI::IsMember({"on", "off"}));
  tenant_set
      ->add_option("--examiner-may-approve", set_args.combine,
                   "審査者が決裁も行えるか（小規模自治体向け。on / off）")
      ->check(CLI::IsMember({"on", "off"}));
  tenant_set->add_option("--first-receipt-day", set_args.first_receipt_day,
                         "受付を始めた日（YYYY-MM-DD。これより前の受付日は受け付けない）");
  tenant_set
      ->add_option(
          "--watermark-city", set_args.watermark_city,
          "市区町村の端末に表示する画像にも透かしを入れるか（on / off。事業者の端末では常に入る）")
      ->check(CLI::IsMember({"on", "off"}));
  set_args.mayor_name_given = tenant_set->add_option(
      "--mayor-name", set_args.mayor_name, "証明書に印刷する市区町村長の氏名（空文字列で消去）");
  tenant_set->add_option("--seal", set_args.seal_file, "証明書に押す職印の画像（PNG ファイル）");

  std::string tenant_code;
  CLI::App* import = cli.add_subcommand("import", "JSON Lines の戸籍を取り込む");
  AddStoreFlags(import, flags);
  std::string import_file;
  import->add_option("--tenant", tenant_code, "地方公共団体コード")->required();
  import->add_option("file", import_file, "JSON Lines ファイル")->required();

  CLI::App* gen = cli.add_subcommand("gen", "架空の戸籍を生成する");
  AddStoreFlags(gen, flags);
  app::GenerateRequest gen_request;
  std::string manifest;
  gen->add_option("--tenant", tenant_code, "地方公共団体コード")->required();
  gen->add_option("--registers", gen_request.count, "生成する戸籍の数")
      ->required()
      ->check(CLI::Range(1, 10'000'000));
  gen->add_option("--seed", gen_request.seed, "乱数の種")->required();
  gen->add_option("--manifest", manifest, "生成した戸籍の検索キーを書き出す JSON Lines ファイル");

  CLI::App* cert = cli.add_subcommand("cert", "証明書（全部事項証明・個人事項証明）を出力する");
  AddStoreFlags(cert, flags);
  workflow::CertificateRequest cert_request;
  std::string cert_tenant, cert_user;
  std::uint64_t version = 0;
  cert->add_option("--tenant", cert_tenant, "地方公共団体コード")->required();
  cert->add_option("--user", cert_user, "発行する窓口担当者のログイン ID")->required();
  // Required, but checked by the use case (KSK-CERT-002/003) so that a request without them
  // is refused with an id and recorded.
  cert->add_option("--purpose", cert_request.purpose, "請求の事由（必須。200 文字以内）");
  cert->add_option("--requester", cert_request.requester, "請求者（必須。200 文字以内）");
  cert->add_option("--honseki", cert_request.honseki, "本籍")->required();
  cert->add_option("--head", cert_request.head, "筆頭者氏名")->required();
  cert->add_option("--person", cert_request.persons, "個人事項証明の対象者（名）");
  cert->add_option("--version", version, "戸籍の版（省略時は現在の版）")
      ->check(CLI::PositiveNumber);
  std::string cert_pdf;
  cert->add_option("--pdf", cert_pdf, "A4 の PDF をこのファイルに書き出す（本人のみ読める）");
  cert->add_option("--lines-per-page", cert_request.lines_per_page, "１ページの行数");

  CLI::App* audit_cmd =
      cli.add_subcommand("audit", "監査ログの検証・閲覧（パスフレーズ不要。reset-witness を除く）");
  audit_cmd->require_subcommand(1);
  AuditFlags audit_flags;
  CLI::App* verify = audit_cmd->add_subcommand(
      "verify", "監査ログを検証する（木の再計算、署名、チェックポイント間の整合、立会いファイル）");
  AddAuditFlags(verify, audit_flags, true);
  verify->add_option("--tenant", audit_flags.tenant,
                     "地方公共団体コードまたは system（省略時は全て）");
  verify->add_option("--key", audit_flags.key, "検証鍵、または検証鍵を並べたファイル");

  CLI::App* show = audit_cmd->add_subcommand("show", "監査ログの記録を表示する");
  AddAuditFlags(show, audit_flags, true);
  std::string show_from, show_to, show_actor, show_object;
  bool show_json = false;
  show->add_option("--tenant", audit_flags.tenant, "地方公共団体コードまたは system")->required();
  show->add_option("--from", show_from, "この日時以降（ISO 8601。時差なしは日本時間）");
  show->add_option("--to", show_to, "この日時まで（ISO 8601。日付のみはその日の終わりまで）");
  show->add_option("--actor", show_actor, "利用者 ID または端末 ID");
  show->add_option("--object", show_object, "対象 ID");
  show->add_flag("--json", show_json, "JSON で出力する");

  CLI::App* proof = audit_cmd->add_subcommand("proof", "記録の包含証明を出力する");
  AddAuditFlags(proof, audit_flags, true);
  std::uint64_t proof_index = 0;
  proof->add_option("--tenant", audit_flags.tenant, "地方公共団体コードまたは system")->required();
  proof->add_option("--index", proof_index, "記録の番号（0 から）")->required();
  proof->add_option("--key", audit_flags.key, "検証鍵、または検証鍵を並べたファイル");

  CLI::App* check_proof = audit_cmd->add_subcommand(
      "check-proof", "包含証明をオフラインで検証する（データベース不要）");
  AddAuditFlags(check_proof, audit_flags, false);
  std::string proof_file;
  check_proof->add_option("file", proof_file, "証明ファイル（省略時または - は標準入力）");
  check_proof->add_option("--key", audit_flags.key, "検証鍵、または検証鍵を並べたファイル");

  CLI::App* reset_witness = audit_cmd->add_subcommand(
      "reset-witness",
      "立会いファイルを新しく始める（管理者。巻き戻しや消失を koseki audit verify で確認した後に"
      "限る。記録される）");
  AddStoreFlags(reset_witness, flags);

  CaseCommands case_commands(cli);
  IdentityCommands identity_commands(cli);
  ServeCommand serve_command(cli);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    return rc == 0 ? 0 : ExitCodeFor(ErrorCode::kInvalidArgument);
  }

  if (init->parsed()) return RunInit(flags);
  if (tenant_add->parsed()) return RunTenantAdd(flags, code, name);
  if (tenant_set->parsed()) {
    return RunTenantSet(flags, set_args);
  }
  if (import->parsed()) return RunImport(flags, tenant_code, import_file);
  if (gen->parsed()) {
    gen_request.manifest = manifest;
    return RunGen(flags, tenant_code, gen_request);
  }
  if (cert->parsed()) {
    if (version > 0) cert_request.version = version;
    cert_request.pdf = !cert_pdf.empty();
    return RunCert(flags, cert_tenant, cert_user, cert_request, cert_pdf);
  }
  if (auto rc = case_commands.RunIfParsed()) return *rc;
  if (auto rc = identity_commands.RunIfParsed()) return *rc;
  if (auto rc = serve_command.RunIfParsed()) return *rc;
  if (verify->parsed()) return RunAuditVerify(audit_flags);
  if (show->parsed()) {
    return RunAuditShow(audit_flags, show_from, show_to, show_actor, show_object, show_json);
  }
  if (proof->parsed()) return RunAuditProof(audit_flags, proof_index);
  if (check_proof->parsed()) return RunAuditCheckProof(audit_flags, proof_file);
  if (reset_witness->parsed()) return RunAuditResetWitness(flags);
  return ExitCodeFor(ErrorCode::kInvalidArgument);
}

// The line printed when an exception escapes Main (a bug); a literal, so printing it cannot
// throw again.
constexpr char kInternalErrorLine[] = "エラー: [KSK-CLI-999] 内部エラーが発生しました。\n";

}  // namespace
}  // namespace koseki::cli

int main(int argc, char** argv) {
  try {
    return koseki::cli::Main(argc, argv);
  } catch (const std::exception&) {
    std::cerr << koseki::cli::kInternalErrorLine;
    return 1;
  } catch (...) {
    std::cerr << koseki::cli::kInternalErrorLine;
    return 1;
  }
}
