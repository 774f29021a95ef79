// A case (届出事件) is an ordered list of actions; its state is derived from the list, never
// stored beside it (ARCHITECTURE.md "Cases — event-sourced"). This header holds the pure model:
// actions, the derived state, and who did what. policy.h decides which action is allowed.
//
//   受付 received ─ attach registers ─ 割当 assigned ─ 入力 drafting ─ submitted ─ 審査 examined
//     ─ 決裁 approved;  差戻し returned (back to the same operator) from submitted/examined;
//     取下げ withdrawn and 不受理 rejected from any open state.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/actor.h"
#include "koseki/rules/notification.h"
#include "koseki/workflow/receipt.h"

namespace koseki::workflow {

// Who acts: the actor of every use case (access/actor.h).
using access::Actor;
using access::Role;
using access::RoleName;

enum class CaseState {
  kReceived,   // 受付
  kAssigned,   // 割当
  kDrafting,   // 入力中
  kSubmitted,  // 入力済 (審査待ち)
  kExamined,   // 審査済 (決裁待ち)
  kApproved,   // 決裁
  kReturned,   // 差戻し
  kWithdrawn,  // 取下げ
  kRejected,   // 不受理
};

// Returns the Japanese name of a state: 受付, 割当, 入力中, …
std::string_view CaseStateName(CaseState state);
// True for approved, withdrawn and rejected: nothing may follow.
bool IsFinal(CaseState state);

enum class ActionKind {
  kReceive,    // the clerk registers the notification
  kAttach,     // the clerk attaches a register (need-to-know list)
  kAssign,     // the supervisor assigns an operator
  kSaveDraft,  // the operator saves an entry
  kSubmit,     // the operator submits the entry
  kExamine,    // the examiner confirms (校合)
  kApprove,    // the approver approves (決裁): the ChangeSet was applied
  kReturn,     // examiner/approver (or the system on a conflict) returns it with a reason
  kWithdraw,   // 取下げ
  kReject,     // 不受理
  // The clerk corrects the 受付日時 (or the 送付 details) before anyone has entered the case.
  kCorrectReceipt,
};

std::string_view ActionKindName(ActionKind kind);  // "receive", "attach", …

// A register the case may read, with the version attached (or re-read on re-entry).
struct AttachedRegisterRef {
  std::string register_id;
  std::uint64_t version = 0;
  friend bool operator==(const AttachedRegisterRef&, const AttachedRegisterRef&) = default;
};

struct CaseAction {
  ActionKind kind = ActionKind::kReceive;
  Actor actor = {};
  std::int64_t at = 0;  // Unix microseconds
  // Payload, by kind: kReceive → notifier and receipt; kCorrectReceipt → receipt; kAttach →
  // attached; kAssign → assignee; kSaveDraft/kSubmit → entry; kReturn/kWithdraw/kReject → reason.
  std::optional<AttachedRegisterRef> attached = {};
  std::string assignee = {};
  std::optional<rules::Entry> entry = {};
  std::string reason = {};
  std::string notifier = {};  // 届出人 as written on the 届書 (personal data: encrypted at rest)
  // The 受付日時 given by the clerk. A receipt stored without one was received when recorded.
  std::optional<Receipt> receipt = {};
};

struct Case {
  std::string case_id = {};
  std::string tenant = {};
  std::string uketsuke_bango = {};  // 受付番号, e.g. "2026-000123"
  rules::NotificationType type = rules::NotificationType::kShussei;
  std::vector<CaseAction> actions = {};  // in order; the first is kReceive

  CaseState State() const;
  // When and how the notification was received: the latest correction, else the receipt.
  Receipt CurrentReceipt() const;
  // The registers the case may read, in attachment order ("R1", "R2", …).
  std::vector<AttachedRegisterRef> Attached() const;
  // Operators currently assigned (an assignment stays until the case ends).
  std::vector<std::string> Assignees() const;
  // Everyone who saved or submitted an entry (they may never examine or approve).
  std::set<std::string> Enterers() const;
  // The user who examined the current submission, if the case is examined.
  std::optional<std::string> Examiner() const;
  // Each assignee's latest submitted entry since the last return (double entry compares them).
  std::vector<std::pair<std::string, rules::Entry>> CurrentSubmissions() const;
  // The latest entry of `operator_id` (draft or submitted), if any.
  std::optional<rules::Entry> LatestEntryOf(std::string_view operator_id) const;
};

}  // namespace koseki::workflow
