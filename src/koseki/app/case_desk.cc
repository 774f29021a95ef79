#include "koseki/app/case_desk.h"

#include "koseki/app/audit_commands.h"
#include "koseki/app/tenant_settings.h"
#include "koseki/audit/entry.h"
#include "koseki/workflow/case_json.h"

namespace koseki::app {
namespace {

std::string IsoTime(std::int64_t micros) {
  return FormatIsoTime(audit::Timestamp(std::chrono::microseconds(micros)));
}

}  // namespace

CaseDesk::CaseDesk(Koseki& koseki, workflow::TenantInfo tenant)
    : records_(koseki.installation().backend(), koseki.installation()),
      service_(koseki.registers(), records_, koseki.audit(), koseki.clock(), std::move(tenant)) {}

Result<std::unique_ptr<CaseDesk>> CaseDesk::Open(Koseki& koseki, std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(store::TenantRow row, koseki.Tenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::TenantRow> all, koseki.installation().ListTenants());
  KOSEKI_ASSIGN_OR_RETURN(workflow::WorkflowPolicy policy, WorkflowPolicyOf(koseki, tenant));
  workflow::TenantInfo info{row.tenant_code, row.name, policy, {}};
  info.hosted_tenant = [all](std::string_view municipality) -> std::optional<std::string> {
    for (const store::TenantRow& t : all) {
      if (t.name == municipality) return t.tenant_code;
    }
    return std::nullopt;
  };
  return std::unique_ptr<CaseDesk>(new CaseDesk(koseki, std::move(info)));
}

Result<workflow::Actor> ParseActor(std::string_view user, std::string_view role) {
  if (!audit::IsOpaqueId(user)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-010",
                     "利用者 ID は英数字と . _ : - だけで指定してください。", "bad user id");
  }
  for (workflow::Role r :
       {workflow::Role::kClerk, workflow::Role::kOperator, workflow::Role::kSupervisor,
        workflow::Role::kExaminer, workflow::Role::kApprover}) {
    if (workflow::RoleName(r) == role) return workflow::Actor{std::string(user), r};
  }
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-011",
                   "役割は clerk, operator, supervisor, examiner, approver のいずれかです。",
                   "bad role");
}

std::string FormatCase(const workflow::Case& c) {
  std::string out = "事件 " + c.case_id + "\n受付番号 " + c.uketsuke_bango + "\n届出 " +
                    std::string(rules::NotificationTypeName(c.type)) + "\n状態 " +
                    std::string(workflow::CaseStateName(c.State())) + "\n";
  int n = 0;
  for (const workflow::AttachedRegisterRef& ref : c.Attached()) {
    out += "戸籍 R" + std::to_string(++n) + " " + ref.register_id + " 版" +
           std::to_string(ref.version) + "\n";
  }
  for (const workflow::CaseAction& a : c.actions) {
    out += IsoTime(a.at) + " " + std::string(workflow::ActionKindName(a.kind)) + " " +
           a.actor.user_id + "(" + std::string(workflow::RoleName(a.actor.role)) + ")";
    if (!a.assignee.empty()) out += " → " + a.assignee;
    out += "\n";
  }
  return out;
}

std::string FormatFindings(const std::vector<rules::Finding>& findings) {
  std::string out;
  for (const rules::Finding& f : findings) {
    out += f.severity == rules::Severity::kError ? "エラー " : "警告 ";
    out += "[" + f.code + "] " + f.message;
    if (!f.field.empty()) out += "（" + f.field + "）";
    if (f.acknowledged) out += "（確認済み）";
    out += "\n";
  }
  return out;
}

std::string FormatReview(const workflow::Review& review) {
  std::string out = FormatFindings(review.findings);
  for (const workflow::RegisterReview& r : review.registers) {
    out += "=== " + r.label + " ===\n" + workflow::FormatDiff(r.diff);
  }
  for (const rules::OutgoingNotice& n : review.notices) {
    out += "送付 " + n.municipality + (n.tenant_code ? "（テナント " + *n.tenant_code + "）" : "") +
           " " + n.reason + "\n";
  }
  return out;
}

nlohmann::json CaseToJson(const workflow::Case& c, bool with_entries) {
  nlohmann::json actions = nlohmann::json::array();
  for (const workflow::CaseAction& a : c.actions) {
    nlohmann::json j = {{"kind", workflow::ActionKindName(a.kind)},
                        {"user", a.actor.user_id},
                        {"role", workflow::RoleName(a.actor.role)},
                        {"at", IsoTime(a.at)}};
    if (!a.assignee.empty()) j["assignee"] = a.assignee;
    if (a.attached) j["register_id"] = a.attached->register_id;
    if (with_entries && a.entry) j["entry"] = workflow::EntryToJson(*a.entry);
    if (with_entries && !a.reason.empty()) j["reason"] = a.reason;
    if (with_entries && !a.notifier.empty()) j["notifier"] = a.notifier;
    actions.push_back(std::move(j));
  }
  return {{"case_id", c.case_id},
          {"uketsuke_bango", c.uketsuke_bango},
          {"type", rules::NotificationTypeKey(c.type)},
          {"state", workflow::CaseStateName(c.State())},
          {"actions", std::move(actions)}};
}

}  // namespace koseki::app
