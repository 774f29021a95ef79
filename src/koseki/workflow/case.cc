#include "koseki/workflow/case.h"

#include <algorithm>

namespace koseki::workflow {

std::string_view CaseStateName(CaseState state) {
  switch (state) {
    case CaseState::kReceived:
      return "受付";
    case CaseState::kAssigned:
      return "割当";
    case CaseState::kDrafting:
      return "入力中";
    case CaseState::kSubmitted:
      return "入力済";
    case CaseState::kExamined:
      return "審査済";
    case CaseState::kApproved:
      return "決裁";
    case CaseState::kReturned:
      return "差戻し";
    case CaseState::kWithdrawn:
      return "取下げ";
    case CaseState::kRejected:
      return "不受理";
  }
  return "";
}

bool IsFinal(CaseState state) {
  return state == CaseState::kApproved || state == CaseState::kWithdrawn ||
         state == CaseState::kRejected;
}

std::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kReceive:
      return "receive";
    case ActionKind::kAttach:
      return "attach";
    case ActionKind::kAssign:
      return "assign";
    case ActionKind::kSaveDraft:
      return "save_draft";
    case ActionKind::kSubmit:
      return "submit";
    case ActionKind::kExamine:
      return "examine";
    case ActionKind::kApprove:
      return "approve";
    case ActionKind::kReturn:
      return "return";
    case ActionKind::kWithdraw:
      return "withdraw";
    case ActionKind::kReject:
      return "reject";
    case ActionKind::kCorrectReceipt:
      return "correct_receipt";
  }
  return "unknown";
}

namespace {

// Index of the first action after the last return (a return restarts entry and review).
std::size_t RoundStart(const std::vector<CaseAction>& actions) {
  for (std::size_t i = actions.size(); i > 0; --i) {
    if (actions[i - 1].kind == ActionKind::kReturn) return i;
  }
  return 0;
}

}  // namespace

std::vector<AttachedRegisterRef> Case::Attached() const {
  std::vector<AttachedRegisterRef> attached;
  for (const CaseAction& a : actions) {
    if (a.kind != ActionKind::kAttach || !a.attached) continue;
    // Re-attaching a register (after a conflict) replaces its version, keeping its ref.
    auto it = std::find_if(attached.begin(), attached.end(), [&](const AttachedRegisterRef& r) {
      return r.register_id == a.attached->register_id;
    });
    if (it == attached.end()) {
      attached.push_back(*a.attached);
    } else {
      it->version = a.attached->version;
    }
  }
  return attached;
}

std::vector<std::string> Case::Assignees() const {
  std::vector<std::string> assignees;
  for (const CaseAction& a : actions) {
    if (a.kind == ActionKind::kAssign) assignees.push_back(a.assignee);
  }
  return assignees;
}

std::set<std::string> Case::Enterers() const {
  std::set<std::string> enterers;
  for (const CaseAction& a : actions) {
    if (a.kind == ActionKind::kSaveDraft || a.kind == ActionKind::kSubmit) {
      enterers.insert(a.actor.user_id);
    }
  }
  return enterers;
}

std::optional<std::string> Case::Examiner() const {
  for (std::size_t i = actions.size(); i > RoundStart(actions); --i) {
    if (actions[i - 1].kind == ActionKind::kExamine) return actions[i - 1].actor.user_id;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, rules::Entry>> Case::CurrentSubmissions() const {
  std::vector<std::pair<std::string, rules::Entry>> submissions;
  const std::size_t start = RoundStart(actions);
  for (const std::string& assignee : Assignees()) {
    const CaseAction* latest = nullptr;
    for (std::size_t i = start; i < actions.size(); ++i) {
      const CaseAction& a = actions[i];
      if ((a.kind == ActionKind::kSaveDraft || a.kind == ActionKind::kSubmit) &&
          a.actor.user_id == assignee) {
        latest = &a;
      }
    }
    if (latest != nullptr && latest->kind == ActionKind::kSubmit && latest->entry) {
      submissions.emplace_back(assignee, *latest->entry);
    }
  }
  return submissions;
}

std::optional<rules::Entry> Case::LatestEntryOf(std::string_view operator_id) const {
  for (std::size_t i = actions.size(); i > 0; --i) {
    const CaseAction& a = actions[i - 1];
    if ((a.kind == ActionKind::kSaveDraft || a.kind == ActionKind::kSubmit) &&
        a.actor.user_id == operator_id && a.entry) {
      return a.entry;
    }
  }
  return std::nullopt;
}

Receipt Case::CurrentReceipt() const {
  Receipt current;
  if (!actions.empty()) current.at = actions.front().at;
  for (const CaseAction& a : actions) {
    if ((a.kind == ActionKind::kReceive || a.kind == ActionKind::kCorrectReceipt) && a.receipt) {
      current = *a.receipt;
    }
  }
  return current;
}

CaseState Case::State() const {
  CaseState state = CaseState::kReceived;
  for (const CaseAction& a : actions) {
    switch (a.kind) {
      case ActionKind::kReceive:
        state = CaseState::kReceived;
        break;
      case ActionKind::kAttach:
        break;
      case ActionKind::kAssign:
        if (state == CaseState::kReceived) state = CaseState::kAssigned;
        break;
      case ActionKind::kSaveDraft:
      case ActionKind::kSubmit:
        state = CaseState::kDrafting;
        break;
      case ActionKind::kExamine:
        state = CaseState::kExamined;
        break;
      case ActionKind::kApprove:
        state = CaseState::kApproved;
        break;
      case ActionKind::kReturn:
        state = CaseState::kReturned;
        break;
      case ActionKind::kWithdraw:
        state = CaseState::kWithdrawn;
        break;
      case ActionKind::kReject:
        state = CaseState::kRejected;
        break;
      case ActionKind::kCorrectReceipt:
        break;
    }
  }
  // Entry is complete when every assignee's latest entry of this round is a submission.
  if (state == CaseState::kDrafting && !Assignees().empty() &&
      CurrentSubmissions().size() == Assignees().size()) {
    state = CaseState::kSubmitted;
  }
  return state;
}

}  // namespace koseki::workflow
