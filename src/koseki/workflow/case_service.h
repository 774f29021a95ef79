// CaseService: the use cases of the case workflow (届出事件), one method per action. Each
// method loads the case, asks policy.h whether the actor may act, does the work, and appends
// the action; a refusal changes nothing. Operators read registers only through a case they are
// assigned to (need-to-know): no method takes a free register id or a search term from them.
// Approval applies the ChangeSet to every touched register in one transaction with optimistic
// version checks; a register changed since it was attached fails the approval with a conflict
// (KSK-CASE-040) and the case is returned for re-entry.
//
// Every action and every read — allowed or refused — is recorded in the tenant's audit log
// (audit_log.h): an allowed action in the same transaction as its effect, a refusal in its own.
// Every register an operator or examiner is shown is recorded as a view with the case as its
// context. Who may do or see what is decided in policy.h only; a caller (the CLI, a web
// handler) gets exactly what the actor may see and prints it.
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/rules/calendar.h"
#include "koseki/rules/notification_rule.h"
#include "koseki/store/register_store.h"
#include "koseki/workflow/case_records.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/sofu_delivery.h"
#include "koseki/workflow/sofu_outbox.h"
#include "koseki/workflow/text_diff.h"

namespace koseki::workflow {

// Cases per page of a case list: shown unless asked otherwise, and at most (each case shown is
// decrypted to derive its state).
inline constexpr std::size_t kDefaultCasePage = 50;
inline constexpr std::size_t kMaxCasePage = 500;

struct TenantInfo {
  std::string code;          // 999997
  std::string municipality;  // 青葉県みなと市
  WorkflowPolicy policy;
  // Tenant code of a municipality hosted on this server, if any (for 送付 notices).
  std::function<std::optional<std::string>(std::string_view)> hosted_tenant;
  // The office's first day of receipts: no 受付日 may be earlier (unbounded if not set).
  std::optional<std::chrono::year_month_day> first_receipt_day = {};
};

struct EntryOutcome {
  Case updated;
  std::vector<rules::Finding> findings;
};

// What the examiner compares (校合): per touched register, the certificate text before and
// after, and their line diff; per new register, its text.
struct RegisterReview {
  std::string label;        // "R1" or the creation label
  std::string before_text;  // empty for a new register
  std::string after_text;
  std::vector<DiffLine> diff;
};
struct Review {
  std::vector<rules::Finding> findings;
  std::vector<RegisterReview> registers;
  std::vector<rules::OutgoingNotice> notices;
};

// A case as `actor` may see it: without entries, reasons and 届出人 unless disclosure.contents.
struct CaseView {
  Case c;
  CaseDisclosure disclosure;
};

struct ApprovalResult {
  Case updated;
  audit::Receipt receipt;  // the approval's audit entry (log index, covering checkpoint)
  std::vector<std::pair<std::string, std::uint64_t>> written;  // register id → new version
  std::vector<std::string> created;                            // new register ids
  std::vector<rules::OutgoingNotice> notices;
};

class CaseService {
 public:
  // `deliverer` receives the approvals' notices to municipalities hosted here (sofu_delivery.h);
  // without one they wait in the outbox for the clerk like every other notice.
  CaseService(store::RegisterStore& registers, CaseRecords& cases, SofuOutbox& outbox,
              audit::AuditLog& audit, const Clock& clock, TenantInfo tenant,
              SofuDeliverer deliverer = {});

  // 受付: a clerk registers a notification, its 届出人 and its receipt (receipt.h: checked by
  // CheckReceipt); returns the case with its 受付番号, numbered in the year of the 受付日.
  Result<Case> Receive(const Actor& clerk, rules::NotificationType type, std::string notifier = {},
                       ReceiptInput receipt = {});
  // The clerk corrects the receipt (all of it: time and 送付 details) before the case is
  // entered (KSK-CASE-002 after); the 受付番号 stays. Audited as case.receipt.
  Result<Case> CorrectReceipt(const Actor& clerk, std::string_view case_id, ReceiptInput receipt);
  // The clerk attaches the register found by 本籍 + 筆頭者 (its current version).
  Result<Case> Attach(const Actor& clerk, std::string_view case_id, std::string_view honseki,
                      std::string_view hittosha);
  Result<Case> Assign(const Actor& supervisor, std::string_view case_id,
                      std::string_view operator_id);
  // The operator saves (findings returned, nothing refused for findings) or submits (refused
  // with KSK-CASE-041 while an error or unacknowledged warning remains).
  Result<EntryOutcome> SaveDraft(const Actor& op, std::string_view case_id, rules::Entry entry);
  Result<EntryOutcome> Submit(const Actor& op, std::string_view case_id, rules::Entry entry);
  // The registers the actor may see for this case (operators: only when assigned).
  Result<std::vector<rules::AttachedRegister>> ReadRegisters(const Actor& actor,
                                                             std::string_view case_id);
  // The examination view: findings, before/after certificates and diffs.
  Result<Review> ReviewCase(const Actor& actor, std::string_view case_id);
  Result<Case> Examine(const Actor& examiner, std::string_view case_id);
  Result<ApprovalResult> Approve(const Actor& approver, std::string_view case_id);
  Result<Case> Return(const Actor& actor, std::string_view case_id, std::string reason);
  Result<Case> Withdraw(const Actor& clerk, std::string_view case_id, std::string reason);
  Result<Case> Reject(const Actor& approver, std::string_view case_id, std::string reason);
  // The case as the actor may see it (policy.h CheckShow), recorded as case.show.
  Result<CaseView> Show(const Actor& actor, std::string_view case_id);
  // A page of the cases the actor may see in a list (policy.h CheckList, MayList), newest
  // first: of the next `limit` cases (1…kMaxCasePage, else InvalidArgument KSK-CASE-047) from
  // the newest or else just after `after`, those the actor may see — a page may show fewer —
  // and where the following page starts. Recorded as case.list.
  Result<CaseListPage> List(const Actor& actor, const std::optional<CaseCursor>& after = {},
                            std::size_t limit = kDefaultCasePage);

 private:
  // What an approval will write: the case it was planned from (given up to the claim that
  // appends the approval), the rule's change set and its register versions prepared for
  // writing (one per change.updates).
  struct ApprovalPlan {
    Case c;
    rules::ChangeSet change;
    std::vector<store::PreparedRegister> versions;
  };

  Result<Case> Append(Case c, CaseAction action);
  // Loads the case, checks that `approver` may approve it, evaluates its current submission
  // (refusals: KSK-CASE-044 nothing submitted, KSK-CASE-041 blocked by findings) and prepares
  // the new register versions.
  Result<ApprovalPlan> PlanApproval(const Actor& approver, std::string_view case_id);
  // Runs `fn` as the audited action `action` on `object` (see the class comment).
  template <typename T>
  Result<T> Recorded(const Actor& actor, std::string_view action, std::string_view object,
                     const std::function<Result<T>()>& fn, audit::Receipt* receipt = nullptr);
  // Delivers a notice just added to the outbox into its hosted tenant and marks it delivered
  // (version 2), recorded here as sofu.deliver; inside the approval's transaction.
  Result<void> Deliver(const Actor& approver, SofuNotice notice);
  // Records that `actor` was shown the registers of a case.
  Result<void> RecordViews(const Actor& actor, std::string_view case_id,
                           const std::vector<rules::AttachedRegister>& shown);
  Result<rules::RuleContext> ContextFor(const Case& c);
  // Evaluates `entry` of `c` on `context`, ContextFor(c).
  Result<rules::Evaluation> Evaluate(const Case& c, const rules::Entry& entry,
                                     const rules::RuleContext& context);
  Result<EntryOutcome> Enter(ActionKind kind, const Actor& op, std::string_view case_id,
                             rules::Entry entry);
  std::int64_t NowMicros() const;
  // The receipt `input` states, checked against now and the tenant's first day.
  Result<Receipt> CheckedReceipt(const ReceiptInput& input) const;

  store::RegisterStore& registers_;
  CaseRecords& cases_;
  SofuOutbox& outbox_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  TenantInfo tenant_;
  SofuDeliverer deliverer_;
  rules::JapaneseOfficeCalendar calendar_;
};

}  // namespace koseki::workflow
