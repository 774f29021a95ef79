#include "koseki/workflow/policy.h"

#include <algorithm>
#include <initializer_list>
#include <set>

namespace koseki::workflow {
namespace {

bool In(CaseState state, std::initializer_list<CaseState> allowed) {
  return std::find(allowed.begin(), allowed.end(), state) != allowed.end();
}

Error Refuse(ErrorCode code, const char* id, std::string message, std::string detail) {
  return MakeError(code, id, std::move(message), std::move(detail));
}

Error WrongRole(Role role, std::string_view what) {
  return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-001", "この役割ではこの操作はできません。",
                std::string(RoleName(role)) + " may not " + std::string(what));
}

Error WrongRole(const CaseAction& proposed) {
  return WrongRole(proposed.actor.role, ActionKindName(proposed.kind));
}

Error Closed() {
  return Refuse(ErrorCode::kFailedPrecondition, "KSK-CASE-003", "この事件は既に終了しています。",
                "case is final");
}

Error MayNotRead(const Actor& actor) {
  return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-045",
                "この事件を閲覧する権限がありません。",
                std::string(RoleName(actor.role)) + " may not read this case");
}

bool IsCityStaff(Role role) {
  return role == Role::kClerk || role == Role::kExaminer || role == Role::kApprover;
}

bool IsAssigned(const std::vector<std::string>& assignees, std::string_view user_id) {
  return std::find(assignees.begin(), assignees.end(), user_id) != assignees.end();
}

// The states a case is open in: anything may still happen to it.
constexpr std::initializer_list<CaseState> kOpenStates = {
    CaseState::kReceived,  CaseState::kAssigned, CaseState::kDrafting,
    CaseState::kSubmitted, CaseState::kExamined, CaseState::kReturned};

Error WrongState(const CaseAction& proposed, CaseState state) {
  return Refuse(
      ErrorCode::kFailedPrecondition, "KSK-CASE-002",
      "この事件の状態（" + std::string(CaseStateName(state)) + "）ではこの操作はできません。",
      std::string(ActionKindName(proposed.kind)) + " not allowed in this state");
}

Result<void> NotAnEnterer(const Case& c, const CaseAction& proposed) {
  if (c.Enterers().count(proposed.actor.user_id) > 0) {
    return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-005",
                  "入力した者は、同じ事件を審査・決裁できません。", "separation of duties");
  }
  return Ok();
}

}  // namespace

std::vector<std::string> EntryDifferences(const rules::Entry& a, const rules::Entry& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a.values) keys.insert(k);
  for (const auto& [k, v] : b.values) keys.insert(k);
  std::vector<std::string> differ;
  for (const std::string& key : keys) {
    if (a.Get(key) != b.Get(key)) differ.push_back(key);
  }
  if (a.acknowledgements != b.acknowledgements) differ.push_back("acknowledgements");
  if (a.type != b.type) differ.insert(differ.begin(), "type");
  return differ;
}

Result<void> CheckAction(const Case& c, const CaseAction& proposed, const WorkflowPolicy& policy) {
  const CaseState state = c.State();
  if (!c.actions.empty() && IsFinal(state)) return Closed();
  const Role role = proposed.actor.role;
  switch (proposed.kind) {
    case ActionKind::kReceive:
      if (role != Role::kClerk) return WrongRole(proposed);
      if (!c.actions.empty()) return WrongState(proposed, state);
      return Ok();

    case ActionKind::kAttach:
      if (role != Role::kClerk) return WrongRole(proposed);
      if (!In(state, {CaseState::kReceived, CaseState::kAssigned, CaseState::kDrafting,
                      CaseState::kReturned})) {
        return WrongState(proposed, state);
      }
      return Ok();

    case ActionKind::kAssign: {
      if (role != Role::kSupervisor) return WrongRole(proposed);
      // The lock comes first: a taken case says so, whatever its state.
      const std::vector<std::string> assignees = c.Assignees();
      if (std::find(assignees.begin(), assignees.end(), proposed.assignee) != assignees.end()) {
        return Refuse(ErrorCode::kFailedPrecondition, "KSK-CASE-008",
                      "このオペレータは既に割り当てられています。", "already assigned");
      }
      if (assignees.size() >= policy.RequiredOperators()) {
        return Refuse(ErrorCode::kFailedPrecondition, "KSK-CASE-007",
                      "この事件は既に割り当て済みです（割当ロック）。", "assignment lock");
      }
      // With double entry the second operator may join after the first has submitted.
      if (!In(state, {CaseState::kReceived, CaseState::kAssigned, CaseState::kDrafting,
                      CaseState::kSubmitted})) {
        return WrongState(proposed, state);
      }
      return Ok();
    }

    case ActionKind::kSaveDraft:
    case ActionKind::kSubmit: {
      if (role != Role::kOperator) return WrongRole(proposed);
      const std::vector<std::string> assignees = c.Assignees();
      if (std::find(assignees.begin(), assignees.end(), proposed.actor.user_id) ==
          assignees.end()) {
        return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-004",
                      "この事件は割り当てられていません。", "operator not assigned");
      }
      if (!In(state, {CaseState::kAssigned, CaseState::kDrafting, CaseState::kSubmitted,
                      CaseState::kReturned})) {
        return WrongState(proposed, state);
      }
      return Ok();
    }

    case ActionKind::kExamine: {
      if (role != Role::kExaminer) return WrongRole(proposed);
      if (state != CaseState::kSubmitted) return WrongState(proposed, state);
      KOSEKI_RETURN_IF_ERROR(NotAnEnterer(c, proposed));
      const auto submissions = c.CurrentSubmissions();
      if (submissions.size() < policy.RequiredOperators()) {
        return Refuse(ErrorCode::kFailedPrecondition, "KSK-CASE-010",
                      "二重入力の両方の入力が揃っていません。", "double entry incomplete");
      }
      for (std::size_t i = 1; i < submissions.size(); ++i) {
        if (!EntryDifferences(submissions[0].second, submissions[i].second).empty()) {
          return Refuse(ErrorCode::kFailedPrecondition, "KSK-CASE-009",
                        "二重入力の内容が一致しません。再入力で解消してください。",
                        "double entry mismatch");
        }
      }
      return Ok();
    }

    case ActionKind::kApprove: {
      if (role != Role::kApprover) return WrongRole(proposed);
      if (state != CaseState::kExamined) return WrongState(proposed, state);
      KOSEKI_RETURN_IF_ERROR(NotAnEnterer(c, proposed));
      if (!policy.allow_examiner_as_approver && c.Examiner() == proposed.actor.user_id) {
        return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-006",
                      "審査した者は同じ事件を決裁できません。", "examiner may not approve");
      }
      return Ok();
    }

    case ActionKind::kReturn:
      if (role != Role::kExaminer && role != Role::kApprover) return WrongRole(proposed);
      if (!In(state, {CaseState::kSubmitted, CaseState::kExamined})) {
        return WrongState(proposed, state);
      }
      return NotAnEnterer(c, proposed);

    case ActionKind::kWithdraw:
      // 取下げ: the 届出人 takes the notification back, through the clerk, until it is decided.
      if (role != Role::kClerk) return WrongRole(proposed);
      if (c.actions.empty() || !In(state, kOpenStates)) return WrongState(proposed, state);
      return Ok();

    case ActionKind::kCorrectReceipt:
      // The legal date of the filing: corrected only by the clerk, and only before entry, so
      // that no entry was ever evaluated against another 届出日.
      if (role != Role::kClerk) return WrongRole(proposed);
      if (!In(state, {CaseState::kReceived, CaseState::kAssigned})) {
        return WrongState(proposed, state);
      }
      return Ok();

    case ActionKind::kReject:
      // 不受理: decided on the mayor's behalf, never by whoever entered the case.
      if (role != Role::kApprover) return WrongRole(proposed);
      if (c.actions.empty() || !In(state, kOpenStates)) return WrongState(proposed, state);
      return NotAnEnterer(c, proposed);
  }
  return WrongRole(proposed);
}

Result<CaseDisclosure> CheckShow(const Case& c, const Actor& actor) {
  if (IsCityStaff(actor.role)) return CaseDisclosure{.contents = true};
  if (actor.role == Role::kSupervisor) return CaseDisclosure{.contents = false};
  if (actor.role == Role::kOperator && IsAssigned(c.Assignees(), actor.user_id)) {
    return CaseDisclosure{.contents = false};
  }
  return MayNotRead(actor);
}

Result<void> CheckList(const Actor& actor) {
  if (IsCityStaff(actor.role) || actor.role == Role::kSupervisor || actor.role == Role::kOperator) {
    return Ok();
  }
  return MayNotRead(actor);
}

bool MayList(const Actor& actor, const std::vector<std::string>& assignees, CaseState state) {
  if (actor.role != Role::kOperator) return CheckList(actor).has_value();
  return !IsFinal(state) && IsAssigned(assignees, actor.user_id);
}

Result<void> CheckRegisterRead(const Case& c, const Actor& actor) {
  if (IsCityStaff(actor.role)) return Ok();
  if (actor.role == Role::kOperator && !IsFinal(c.State()) &&
      IsAssigned(c.Assignees(), actor.user_id)) {
    return Ok();
  }
  return Refuse(ErrorCode::kPermissionDenied, "KSK-CASE-043",
                "この事件の戸籍を閲覧する権限がありません。", "need-to-know refusal");
}

Result<void> CheckScanAdd(const Case& c, const Actor& actor) {
  if (actor.role != Role::kClerk) return WrongRole(actor.role, "add a scan");
  if (IsFinal(c.State())) return Closed();
  return Ok();
}

bool MustWatermark(const Actor& actor, bool tenant_marks_city) {
  return !IsCityStaff(actor.role) || tenant_marks_city;
}

Result<void> CheckReview(const Actor& actor) {
  if (actor.role == Role::kExaminer || actor.role == Role::kApprover) return Ok();
  return WrongRole(actor.role, "review");
}

Result<void> CheckSofu(const Actor& actor, bool mark_sent) {
  if (mark_sent ? actor.role == Role::kClerk : IsCityStaff(actor.role)) return Ok();
  return Refuse(ErrorCode::kPermissionDenied, "KSK-SOFU-001",
                mark_sent ? "送付の発送はこの役割では記録できません（市区町村の窓口で行います）。"
                          : "送付の一覧はこの役割では閲覧できません。",
                std::string(RoleName(actor.role)) + " may not handle 送付");
}

Result<void> CheckFuriganaShokken(const Actor& actor) {
  if (actor.role == Role::kApprover) return Ok();
  return Refuse(ErrorCode::kPermissionDenied, "KSK-FURIGANA-007",
                "振り仮名の職権記載はこの役割ではできません（決裁者が行います）。",
                std::string(RoleName(actor.role)) + " may not record readings ex officio");
}

Result<void> CheckAdministration(const Actor& actor) {
  if (actor.role == Role::kAdmin) return Ok();
  return Refuse(ErrorCode::kPermissionDenied, "KSK-ADMIN-001",
                "この役割ではこの管理操作はできません。",
                std::string(RoleName(actor.role)) + " may not administer");
}

Result<void> CheckCertificateIssue(const Actor& actor) {
  if (actor.role == Role::kClerk) return Ok();
  return Refuse(ErrorCode::kPermissionDenied, "KSK-CERT-001",
                "証明書はこの役割では発行できません（市区町村の窓口で発行します）。",
                std::string(RoleName(actor.role)) + " may not issue certificates");
}

}  // namespace koseki::workflow
