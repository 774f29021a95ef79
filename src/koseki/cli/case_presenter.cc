#include "koseki/cli/case_presenter.h"

#include "koseki/access/user.h"
#include "koseki/app/audit_commands.h"
#include "koseki/audit/entry.h"
#include "koseki/workflow/case_json.h"

namespace koseki::cli {
namespace {

std::string IsoTime(std::int64_t micros) {
  return app::FormatIsoTime(audit::Timestamp(std::chrono::microseconds(micros)));
}

}  // namespace

std::string FormatCase(const workflow::Case& c) {
  std::string out = "事件 " + c.case_id + "\n受付番号 " + c.uketsuke_bango + "\n届出 " +
                    std::string(rules::NotificationTypeName(c.type)) + "\n状態 " +
                    std::string(workflow::CaseStateName(c.State())) + "\n";
  out += "受付日時 " + workflow::FormatReceiptTime(c.CurrentReceipt().at) + "\n";
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

std::string FormatApproval(const workflow::ApprovalResult& approved) {
  std::string out = FormatCase(approved.updated);
  for (const auto& [id, version] : approved.written) {
    out += "戸籍 " + id + " 版" + std::to_string(version) + " を記録しました。\n";
  }
  for (const std::string& id : approved.created) {
    out += "新戸籍 " + id + " を編製しました。\n";
  }
  for (const rules::OutgoingNotice& n : approved.notices) {
    out += "送付 " + n.municipality + " " + n.reason + "\n";
  }
  out += "受領 log=" + approved.receipt.log + " index=" + std::to_string(approved.receipt.index) +
         "\n";
  return out;
}

std::string FormatCaseList(const workflow::CaseListPage& page) {
  std::string out;
  for (const workflow::CaseSummary& s : page.cases) {
    out += s.case_id + " " + s.uketsuke_bango + " " +
           std::string(rules::NotificationTypeName(s.type)) + " " +
           std::string(workflow::CaseStateName(s.state)) + "\n";
  }
  if (page.next) out += "続き: --after " + page.next->ToString() + "\n";
  return out;
}

std::string FormatSofuNotices(const std::vector<workflow::SofuNotice>& notices) {
  std::string out;
  for (const workflow::SofuNotice& n : notices) {
    out += n.notice_id + " " + n.uketsuke_bango + " " + n.municipality +
           (n.tenant_code ? "（テナント " + *n.tenant_code + "）" : "") + " " + n.reason + " ";
    out += n.sent() ? "発送済 " + access::FormatIsoDay(*n.sent_on) + " " + n.means : "未発送";
    if (n.delivered_case) out += " 事件 " + *n.delivered_case;
    out += "\n";
  }
  return out;
}

std::string FormatScans(const std::vector<workflow::ScanRecord>& scans) {
  std::string out;
  for (const workflow::ScanRecord& s : scans) {
    out += "スキャン " + std::to_string(s.number) + " " + std::to_string(s.pages) + "ページ " +
           s.added_by + " " + IsoTime(s.added_at) + "\n";
    for (std::size_t i = 0; i < s.sha256.size() && i < s.formats.size(); ++i) {
      out += "  " + s.formats[i] + " sha256:" + s.sha256[i] + "\n";
    }
  }
  return out;
}

std::string FormatShokkenReport(const workflow::ShokkenReport& report) {
  std::string out;
  for (const workflow::ShokkenLine& line : report.lines) {
    if (line.refusal)
      out += std::to_string(line.line) + " 行目: " + line.refusal->UserLine() + "\n";
  }
  out += "記載した戸籍 " + std::to_string(report.registers_written) + "、記載した振り仮名 " +
         std::to_string(report.readings_recorded) + "、記載済みのため記載しなかった振り仮名 " +
         std::to_string(report.readings_kept) + "、記載できなかった行 " +
         std::to_string(report.refused) + "\n";
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

nlohmann::json CaseToJson(const workflow::CaseView& view) {
  const workflow::Case& c = view.c;
  const bool with_entries = view.disclosure.contents;
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
          {"receipt", workflow::ReceiptToJson(c.CurrentReceipt())},
          {"type", rules::NotificationTypeKey(c.type)},
          {"state", workflow::CaseStateName(c.State())},
          {"actions", std::move(actions)}};
}

}  // namespace koseki::cli
