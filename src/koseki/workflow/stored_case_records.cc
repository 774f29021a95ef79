#include "koseki/workflow/stored_case_records.h"

#include <nlohmann/json.hpp>

#include "koseki/crypto/aead.h"
#include "koseki/workflow/case_json.h"

namespace koseki::workflow {
namespace {

constexpr std::string_view kTable = "case_actions";

Error NotFound() { return store::CaseNotFound(); }

Error Corrupt(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-CASE-023", "事件の記録を読み取れません。",
                   std::move(detail));
}

Result<ActionKind> ParseKind(std::string_view name) {
  for (ActionKind kind :
       {ActionKind::kReceive, ActionKind::kAttach, ActionKind::kAssign, ActionKind::kSaveDraft,
        ActionKind::kSubmit, ActionKind::kExamine, ActionKind::kApprove, ActionKind::kReturn,
        ActionKind::kWithdraw, ActionKind::kReject, ActionKind::kCorrectReceipt}) {
    if (ActionKindName(kind) == name) return kind;
  }
  return Corrupt("unknown action kind");
}

Result<Role> RoleFromColumn(std::string_view name) {
  const std::optional<Role> role = access::ParseRole(name);
  if (!role) return Corrupt("unknown role");
  return *role;
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

// The row id bound into an action's associated data: the case id and every plaintext column of
// the action row (kind, actor, role, time) — and, for the receipt (seq 0), the case row's own
// columns — so that someone with the database file cannot relabel an examination as an
// approval, rename who acted or move the 受付番号 without the ciphertext failing. Fields are
// length-prefixed so no two rows can encode alike.
std::string BoundRowId(std::string_view case_id, const store::CaseActionRow& row,
                       const store::CaseRow* case_row) {
  std::string id;
  AppendField(id, case_id);
  AppendField(id, row.kind);
  AppendField(id, row.actor_id);
  AppendField(id, row.actor_role);
  AppendField(id, std::to_string(row.at));
  if (case_row != nullptr) {
    AppendField(id, case_row->uketsuke_bango);
    AppendField(id, std::to_string(case_row->receipt_year));
    AppendField(id, case_row->notification_type);
    AppendField(id, std::to_string(case_row->received_at));
  }
  return id;
}

int ReceiptYear(std::string_view bango) {
  return bango.size() >= 4 ? std::stoi(std::string(bango.substr(0, 4))) : 0;
}

}  // namespace

Result<store::CaseActionRow> StoredCaseRecords::Seal(std::string_view tenant,
                                                     std::string_view case_id, std::size_t seq,
                                                     const CaseAction& action,
                                                     const store::CaseRow* case_row) {
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const store::TenantCipher> cipher,
                          crypto_.ForTenant(tenant));
  store::CaseActionRow row{seq,
                           std::string(ActionKindName(action.kind)),
                           action.actor.user_id,
                           std::string(RoleName(action.actor.role)),
                           action.at,
                           {}};
  const std::string payload = PayloadToJson(action).dump();
  const crypto::Bytes ad =
      crypto::MakeAssociatedData(tenant, kTable, BoundRowId(case_id, row, case_row), seq);
  KOSEKI_ASSIGN_OR_RETURN(
      row.payload,
      cipher->aead().Encrypt(
          {reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()}, ad));
  return row;
}

Result<CaseAction> StoredCaseRecords::Open(std::string_view tenant, std::string_view case_id,
                                           const store::CaseActionRow& row,
                                           const store::CaseRow* case_row) {
  KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const store::TenantCipher> cipher,
                          crypto_.ForTenant(tenant));
  const crypto::Bytes ad =
      crypto::MakeAssociatedData(tenant, kTable, BoundRowId(case_id, row, case_row), row.seq);
  auto plain = cipher->aead().Decrypt(row.payload, ad);
  if (!plain) return Corrupt("case action does not authenticate");
  const nlohmann::json json = nlohmann::json::parse(plain->begin(), plain->end(), nullptr, false);
  if (json.is_discarded()) return Corrupt("payload is not JSON");
  CaseAction action;
  KOSEKI_ASSIGN_OR_RETURN(action.kind, ParseKind(row.kind));
  KOSEKI_ASSIGN_OR_RETURN(action.actor.role, RoleFromColumn(row.actor_role));
  action.actor.user_id = row.actor_id;
  action.at = row.at;
  KOSEKI_RETURN_IF_ERROR(PayloadFromJson(json, action));
  return action;
}

Result<void> StoredCaseRecords::Create(const Case& c) {
  if (c.actions.size() != 1 || c.actions.front().kind != ActionKind::kReceive) {
    return MakeError(ErrorCode::kInternal, "KSK-CASE-024", "事件を作成できません。",
                     "a new case holds exactly its receive action");
  }
  const store::CaseRow case_row{c.case_id, c.uketsuke_bango, ReceiptYear(c.uketsuke_bango),
                                std::string(rules::NotificationTypeKey(c.type)), c.actions[0].at};
  KOSEKI_ASSIGN_OR_RETURN(store::CaseActionRow first,
                          Seal(c.tenant, c.case_id, 0, c.actions[0], &case_row));
  return backend_.InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(backend_.InsertCase(c.tenant, case_row));
    return backend_.InsertCaseAction(c.tenant, c.case_id, first);
  });
}

Result<Case> StoredCaseRecords::Load(std::string_view tenant, std::string_view case_id) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::CaseRow> row, backend_.GetCase(tenant, case_id));
  if (!row) return NotFound();
  Case c{.case_id = row->case_id,
         .tenant = std::string(tenant),
         .uketsuke_bango = row->uketsuke_bango};
  KOSEKI_ASSIGN_OR_RETURN(c.type, rules::ParseNotificationType(row->notification_type));
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::CaseActionRow> rows,
                          backend_.ListCaseActions(tenant, case_id));
  for (const store::CaseActionRow& action_row : rows) {
    if (action_row.seq != c.actions.size()) return Corrupt("action numbers are not contiguous");
    KOSEKI_ASSIGN_OR_RETURN(CaseAction action, Open(tenant, case_id, action_row,
                                                    action_row.seq == 0 ? &*row : nullptr));
    c.actions.push_back(std::move(action));
  }
  if (c.actions.empty()) return Corrupt("case without actions");
  return c;
}

Result<void> StoredCaseRecords::Append(std::string_view tenant, std::string_view case_id,
                                       std::size_t expected_actions, const CaseAction& action) {
  KOSEKI_ASSIGN_OR_RETURN(store::CaseActionRow row,
                          Seal(tenant, case_id, expected_actions, action, nullptr));
  return backend_.InsertCaseAction(tenant, case_id, row);
}

Result<CaseListPage> StoredCaseRecords::List(std::string_view tenant,
                                             const std::optional<CaseCursor>& after,
                                             std::size_t limit) {
  std::optional<store::CaseCursor> from;
  if (after) from = store::CaseCursor{after->received_at, after->case_id};
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::CaseRow> rows,
                          backend_.ListCases(tenant, from, limit));
  CaseListPage page;
  for (const store::CaseRow& row : rows) {
    KOSEKI_ASSIGN_OR_RETURN(Case c, Load(tenant, row.case_id));
    page.cases.push_back(CaseSummary{c.case_id, c.uketsuke_bango, c.type, c.State(),
                                     row.received_at, c.Assignees()});
  }
  // A full page may have more after it; the next call says.
  if (limit > 0 && rows.size() == limit) {
    page.next = CaseCursor{rows.back().received_at, rows.back().case_id};
  }
  return page;
}

Result<std::int64_t> StoredCaseRecords::NextReceiptNumber(std::string_view tenant, int year) {
  return backend_.NextReceiptNumber(tenant, year);
}

}  // namespace koseki::workflow
