#include "koseki/cli/identity_commands.h"

#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "koseki/app/audit_commands.h"
#include "koseki/app/device_admin.h"
#include "koseki/app/user_admin.h"
#include "koseki/app/window_admin.h"
#include "koseki/cli/cli_actor.h"
#include "koseki/cli/exit_codes.h"
#include "koseki/cli/files.h"

namespace koseki::cli {
namespace {

std::string_view AsText(const SecretBytes& secret) {
  return {reinterpret_cast<const char*>(secret.data()), secret.size()};
}

Result<access::Zone> ZoneArg(const std::string& text) {
  if (std::optional<access::Zone> zone = access::ParseZone(text)) return *zone;
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-021",
                   "区域は city（市区町村）または vendor（事業者）で指定してください。",
                   "bad zone");
}

Result<std::optional<std::chrono::year_month_day>> OptionalDay(const std::string& text) {
  if (text.empty()) return std::optional<std::chrono::year_month_day>();
  KOSEKI_ASSIGN_OR_RETURN(std::chrono::year_month_day day, access::ParseIsoDay(text));
  return std::optional<std::chrono::year_month_day>(day);
}

Result<access::Role> RoleArg(const std::string& text) {
  if (std::optional<access::Role> role = access::ParseRole(text)) return *role;
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-022",
                   "役割は clerk, supervisor, operator, examiner, approver, auditor, admin の"
                   "いずれかです。",
                   "bad role");
}

std::string DayOrDash(const std::optional<std::chrono::year_month_day>& day) {
  return day ? access::FormatIsoDay(*day) : "-";
}

std::string TimeOrDash(std::int64_t micros) {
  if (micros == 0) return "-";
  return app::FormatIsoTime(audit::Timestamp(std::chrono::microseconds(micros)));
}

}  // namespace

CLI::App* IdentityCommands::Add(CLI::App* group, const std::string& name,
                                const std::string& description, bool with_tenant) {
  CLI::App* command = group->add_subcommand(name, description);
  AddStoreFlags(command, store_);
  if (with_tenant) command->add_option("--tenant", tenant_, "地方公共団体コード")->required();
  commands_.emplace_back(group->get_name(), command);
  return command;
}

IdentityCommands::IdentityCommands(CLI::App& cli) {
  CLI::App* device = cli.add_subcommand("device", "登録端末（クライアント証明書）の管理");
  device->require_subcommand(1);
  CLI::App* enroll = Add(device, "enroll", "端末を登録し、証明書（PKCS#12）を発行する");
  enroll->add_option("--zone", zone_, "区域: city（市区町村）または vendor（事業者）")->required();
  enroll->add_option("--name", name_, "端末名（例: vendor-room-03）")->required();
  enroll->add_option("--out", out_, "書き出す .p12 ファイル")->required();
  enroll->add_option("--days", days_, "証明書の有効日数（既定 365）");
  Add(device, "list", "登録端末の一覧");
  Add(device, "revoke", "端末の登録を取り消す")->add_option("--name", name_, "端末名")->required();

  CLI::App* user = cli.add_subcommand("user", "利用者の管理");
  user->require_subcommand(1);
  CLI::App* add = Add(user, "add", "利用者を登録する（初回ログイン用の仮パスワードを表示）");
  add->add_option("--login", login_, "ログイン ID")->required();
  add->add_option("--role", role_, "役割")->required();
  add->add_option("--pledge-signed", pledge_, "行動規範に誓約した日（YYYY-MM-DD）");
  add->add_option("--training-until", training_, "研修の有効期限（YYYY-MM-DD）");
  Add(user, "list", "利用者の一覧");
  for (const char* name : {"disable", "enable", "reset"}) {
    const std::string description = std::string(name) == "disable" ? "利用を停止する"
                                    : std::string(name) == "enable"
                                        ? "利用の停止を解除する"
                                        : "仮パスワードを再発行し、二要素認証を登録し直させる";
    Add(user, name, description)->add_option("--login", login_, "ログイン ID")->required();
  }
  CLI::App* set = Add(user, "set", "役割・誓約日・研修期限を変更する");
  set->add_option("--login", login_, "ログイン ID")->required();
  set->add_option("--role", role_, "役割");
  set->add_option("--pledge-signed", pledge_, "行動規範に誓約した日（YYYY-MM-DD）");
  set->add_option("--training-until", training_, "研修の有効期限（YYYY-MM-DD）");

  CLI::App* window = cli.add_subcommand("window", "利用時間（サービス時間帯）の管理");
  window->require_subcommand(1);
  CLI::App* window_set = Add(window, "set", "区域の曜日ごとの利用時間を設定する");
  window_set->add_option("--zone", zone_, "区域: city または vendor")->required();
  window_set->add_option("--hours", hours_, "例: \"mon-fri 08:30-17:15; sat 09:00-12:00\"");
  window_set->add_option("--office-holidays", holidays_, "土日祝・年末年始は閉じる（on / off）")
      ->check(CLI::IsMember({"on", "off"}));
  window_set->add_option("--auditor-zones", auditor_zones_, "監査担当が使える区域（city,vendor）");
  window_set->add_option("--admin-zones", admin_zones_, "管理者が使える区域（city,vendor）");
  CLI::App* close = Add(window, "close", "臨時に閉じる期間を追加する");
  close->add_option("--zone", zone_, "区域: city または vendor")->required();
  close->add_option("--from", from_, "開始日時（ISO 8601。時差なしは日本時間）")->required();
  close->add_option("--until", until_, "終了日時（ISO 8601）")->required();
  close->add_option("--reason", reason_, "理由の略号（例: maintenance）");
  Add(window, "list", "利用時間の一覧");

  CLI::App* server_cert = cli.add_subcommand("server-cert", "サーバ証明書の管理");
  server_cert->require_subcommand(1);
  CLI::App* issue = Add(server_cert, "issue", "インストールの認証局からサーバ証明書を発行する",
                        /*with_tenant=*/false);
  issue->add_option("--host", host_, "ホスト名（例: koseki.city.example）")->required();
  issue->add_option("--cert", cert_out_, "証明書（PEM）の出力先")->required();
  issue->add_option("--key", key_out_, "秘密鍵（PEM）の出力先")->required();
  issue->add_option("--ca", ca_out_, "認証局の証明書（PEM。端末に信頼させる）の出力先");
}

std::optional<int> IdentityCommands::RunIfParsed() {
  for (const auto& [group, command] : commands_) {
    if (command->parsed()) return Run(group, command->get_name());
  }
  return std::nullopt;
}

int IdentityCommands::Run(const std::string& group, const std::string& name) {
  const access::Actor admin = OsUserActor(access::Role::kAdmin);
  const std::string action = "admin." + group + "_" + name;
  auto koseki = OpenStore(store_, admin, action, tenant_);
  if (!koseki) return Fail(koseki.error());
  app::Koseki& k = **koseki;
  auto fail = [&](const Error& error) { return Finish(k, Fail(error)); };

  if (group == "device" && name == "enroll") {
    auto zone = ZoneArg(zone_);
    if (!zone) return fail(zone.error());
    app::DeviceEnrolment request{.tenant = tenant_, .zone = *zone, .name = name_};
    if (days_ != 0) request.days = days_;
    auto enrolled = app::EnrollDevice(k, admin, request);
    if (!enrolled) return fail(enrolled.error());
    const std::string_view bundle(reinterpret_cast<const char*>(enrolled->pkcs12.data()),
                                  enrolled->pkcs12.size());
    if (auto written = WritePrivateFile(out_, bundle); !written) return fail(written.error());
    std::cout << "端末 " << enrolled->device.name << " を登録しました（"
              << access::ZoneName(enrolled->device.zone) << "）。\n"
              << "serial=" << enrolled->device.serial_hex << '\n'
              << "fingerprint=" << enrolled->device.fingerprint_hex << '\n'
              << "証明書と鍵: " << out_ << "（次の行のパスワードは一度だけ表示します）\n"
              << AsText(enrolled->password) << '\n';
    return Finish(k, 0);
  }
  if (group == "device" && name == "list") {
    auto devices = app::ListDevices(k, admin, tenant_);
    if (!devices) return fail(devices.error());
    for (const access::DeviceRecord& d : *devices) {
      std::cout << d.name << ' ' << access::ZoneName(d.zone) << " serial=" << d.serial_hex
                << " fingerprint=" << d.fingerprint_hex.substr(0, 16)
                << " not_after=" << TimeOrDash(d.not_after)
                << " revoked=" << TimeOrDash(d.revoked_at) << '\n';
    }
    return Finish(k, 0);
  }
  if (group == "device" && name == "revoke") {
    auto revoked = app::RevokeDevice(k, admin, tenant_, name_);
    if (!revoked) return fail(revoked.error());
    std::cout << "端末 " << revoked->name << " の登録を取り消しました。\n";
    return Finish(k, 0);
  }
  if (group == "user" && (name == "add" || name == "set")) {
    auto pledge = OptionalDay(pledge_);
    if (!pledge) return fail(pledge.error());
    auto training = OptionalDay(training_);
    if (!training) return fail(training.error());
    std::optional<access::Role> role;
    if (!role_.empty()) {
      auto parsed = RoleArg(role_);
      if (!parsed) return fail(parsed.error());
      role = *parsed;
    }
    if (name == "set") {
      auto done =
          app::SetUser(k, admin, tenant_, login_,
                       {.role = role, .pledge_signed = *pledge, .training_until = *training});
      if (!done) return fail(done.error());
      std::cout << "利用者 " << login_ << " を変更しました。\n";
      return Finish(k, 0);
    }
    auto password = app::AddUser(k, admin,
                                 {.tenant = tenant_,
                                  .login = login_,
                                  .role = *role,
                                  .pledge_signed = *pledge,
                                  .training_until = *training});
    if (!password) return fail(password.error());
    std::cout << "利用者 " << login_ << " を登録しました。初回ログインで変更する仮パスワード:\n"
              << AsText(*password) << '\n';
    return Finish(k, 0);
  }
  if (group == "user" && name == "list") {
    auto users = app::ListUsers(k, admin, tenant_);
    if (!users) return fail(users.error());
    for (const access::UserRecord& u : *users) {
      std::cout << u.login << ' ' << access::RoleName(u.role)
                << (u.disabled ? " disabled" : " enabled")
                << " pledge=" << DayOrDash(u.pledge_signed)
                << " training_until=" << DayOrDash(u.training_until)
                << " locked_until=" << TimeOrDash(u.locked_until) << '\n';
    }
    return Finish(k, 0);
  }
  if (group == "user" && (name == "disable" || name == "enable")) {
    auto done = app::SetUserDisabled(k, admin, tenant_, login_, name == "disable");
    if (!done) return fail(done.error());
    std::cout << "利用者 " << login_
              << (name == "disable" ? " の利用を停止しました。\n"
                                    : " の利用停止を解除しました。\n");
    return Finish(k, 0);
  }
  if (group == "user" && name == "reset") {
    auto password = app::ResetUser(k, admin, tenant_, login_);
    if (!password) return fail(password.error());
    std::cout << "利用者 " << login_ << " の仮パスワードを再発行しました:\n"
              << AsText(*password) << '\n';
    return Finish(k, 0);
  }
  if (group == "window" && (name == "set" || name == "close")) {
    auto zone = ZoneArg(zone_);
    if (!zone) return fail(zone.error());
    app::WindowChange change{.tenant = tenant_, .zone = *zone};
    if (!hours_.empty()) change.hours = hours_;
    if (!holidays_.empty()) change.closed_on_office_holidays = holidays_ == "on";
    if (name == "close") {
      auto from = app::ParseIsoTime(from_, false);
      if (!from) return fail(from.error());
      auto until = app::ParseIsoTime(until_, false);
      if (!until) return fail(until.error());
      const std::string reason = reason_.empty() ? "closed" : reason_;
      auto closure = access::ParseClosures(app::FormatIsoTime(*from) + "/" +
                                           app::FormatIsoTime(*until) + " " + reason);
      if (!closure) return fail(closure.error());
      change.add_closure = closure->front();
    }
    if (auto done = app::ChangeWindow(k, admin, change); !done) return fail(done.error());
    if (!auditor_zones_.empty() || !admin_zones_.empty()) {
      std::optional<access::ZoneSet> auditors, admins;
      for (auto [text, target] :
           {std::pair{&auditor_zones_, &auditors}, std::pair{&admin_zones_, &admins}}) {
        if (text->empty()) continue;
        auto parsed = access::ParseZoneSet(*text);
        if (!parsed) return fail(parsed.error());
        *target = *parsed;
      }
      if (auto done = app::SetRoleZones(k, admin, tenant_, auditors, admins); !done) {
        return fail(done.error());
      }
    }
    std::cout << "利用時間を変更しました。\n";
    return Finish(k, 0);
  }
  if (group == "window" && name == "list") {
    auto settings = app::AccessSettingsOf(k, tenant_);
    if (!settings) return fail(settings.error());
    for (access::Zone zone : {access::Zone::kCity, access::Zone::kVendor}) {
      const access::ServiceWindow& w = settings->WindowOf(zone);
      std::cout << access::ZoneName(zone) << " hours=\"" << access::FormatWeeklyHours(w.hours)
                << "\" office_holidays=" << (w.closed_on_office_holidays ? "on" : "off") << '\n';
      std::string closures = access::FormatClosures(w.closures);
      std::size_t start = 0;
      while (start < closures.size()) {
        const std::size_t end = closures.find('\n', start);
        std::cout << "  closed " << closures.substr(start, end - start) << '\n';
        start = end == std::string::npos ? closures.size() : end + 1;
      }
    }
    std::cout << "auditor_zones=" << access::FormatZoneSet(settings->zones.auditor_zones)
              << " admin_zones=" << access::FormatZoneSet(settings->zones.admin_zones) << '\n';
    return Finish(k, 0);
  }
  if (group == "server-cert" && name == "issue") {
    auto issued = app::IssueServerCertificate(k, admin, host_);
    if (!issued) return fail(issued.error());
    if (auto w = WritePrivateFile(key_out_, AsText(issued->key_pem)); !w) return fail(w.error());
    if (auto w = WritePrivateFile(cert_out_, issued->cert_chain_pem); !w) return fail(w.error());
    if (!ca_out_.empty()) {
      if (auto w = WritePrivateFile(ca_out_, issued->ca_cert_pem); !w) return fail(w.error());
    }
    std::cout << "サーバ証明書を発行しました: " << cert_out_ << '\n';
    return Finish(k, 0);
  }
  return Finish(k, ExitCodeFor(ErrorCode::kInvalidArgument));
}

}  // namespace koseki::cli
