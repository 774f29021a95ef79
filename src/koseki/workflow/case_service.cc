#include "koseki/workflow/case_service.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <semaphore>
#include <thread>

#include "koseki/audit/actions.h"
#include "koseki/domain/certificate.h"
#include "koseki/text/japanese_date.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {
namespace {

// Opaque case ids carry no meaning: 128 random bits as hex.
std::string NewCaseId() {
  std::random_device rd;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    std::array<char, 9> part{};
    std::snprintf(part.data(), part.size(), "%08x", rd());
    id += part.data();
  }
  return id;
}

// Removes what a disclosure without contents may not show: entries, reasons, 届出人 and where
// a 送付 was filed (the 受付日時 stays, like the 受付番号).
Case WithoutContents(Case c) {
  for (CaseAction& action : c.actions) {
    action.entry.reset();
    action.reason.clear();
    action.notifier.clear();
    if (action.receipt) action.receipt->forwarded.reset();
  }
  return c;
}

// Returns FailedPrecondition (KSK-CASE-041): an error or an unacknowledged warning blocks
// the submission or approval of the entry.
Error BlockedByFindings(bool at_approval) {
  return MakeError(
      ErrorCode::kFailedPrecondition, "KSK-CASE-041",
      at_approval ? "エラーまたは確認されていない警告があるため決裁できません。"
                  : "エラーまたは確認されていない警告があるため提出できません。",
      at_approval ? "entry blocked by findings at approval" : "entry blocked by findings");
}

// At most as many approvals plan at once as there are cores. Planning is CPU work only: more at
// once would share the cores and all finish late together, while the writer — which needs a
// core to write the plans already made — waits for its share. (With 50 approvers at once the
// p99 latency doubled without this.)
class PlanningSlot {
 public:
  PlanningSlot() { Slots().acquire(); }
  ~PlanningSlot() { Slots().release(); }
  PlanningSlot(const PlanningSlot&) = delete;
  PlanningSlot& operator=(const PlanningSlot&) = delete;

 private:
  static std::counting_semaphore<>& Slots() {
    static std::counting_semaphore<> slots(std::max(1U, std::thread::hardware_concurrency()));
    return slots;
  }
};

// The id of an approval that lost to a newer register version; the case goes back for
// re-entry.
constexpr char kApprovalConflictId[] = "KSK-CASE-040";

Error NoSubmission() {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-CASE-044", "審査できる入力がありません。",
                   "no current submission");
}

Result<std::string> RenderForReview(const domain::Register& reg, const text::JapaneseDate& today,
                                    const std::string& mayor) {
  domain::CertificateOptions options{.issue_date = today};
  options.mayor_line = mayor;
  return domain::RenderCertificateText(reg, options);
}

}  // namespace

CaseService::CaseService(store::RegisterStore& registers, CaseRecords& cases, SofuOutbox& outbox,
                         audit::AuditLog& audit, const Clock& clock, TenantInfo tenant,
                         SofuDeliverer deliverer)
    : registers_(registers),
      cases_(cases),
      outbox_(outbox),
      audit_(audit),
      clock_(clock),
      tenant_(std::move(tenant)),
      deliverer_(std::move(deliverer)) {}

template <typename T>
Result<T> CaseService::Recorded(const Actor& actor, std::string_view action,
                                std::string_view object, const std::function<Result<T>()>& fn,
                                audit::Receipt* receipt) {
  return workflow::Recorded<T>(
      audit_, tenant_.code, EventOf(actor, action, object), [&](audit::Event&) { return fn(); },
      receipt);
}

Result<void> CaseService::RecordViews(const Actor& actor, std::string_view case_id,
                                      const std::vector<rules::AttachedRegister>& shown) {
  for (const rules::AttachedRegister& reg : shown) {
    audit::Event event = EventOf(actor, audit::actions::kRegisterView,
                                 reg.register_id + ":" + std::to_string(reg.version));
    event.context_id = std::string(case_id);
    KOSEKI_RETURN_IF_ERROR(audit_.Append(tenant_.code, event));
  }
  return Ok();
}

Result<void> CaseService::Deliver(const Actor& approver, SofuNotice notice) {
  notice.version = 1;
  KOSEKI_ASSIGN_OR_RETURN(std::string delivered, deliverer_(notice, approver));
  notice.sent_on = JapanDayOfMicros(notice.approved_at);  // sent as it is approved
  notice.means = std::string(kDeliveredHere);
  notice.sent_by = approver.user_id;
  notice.delivered_case = std::move(delivered);
  KOSEKI_RETURN_IF_ERROR(outbox_.Update(tenant_.code, notice));
  KOSEKI_RETURN_IF_ERROR(audit_.Append(
      tenant_.code, EventOf(approver, audit::actions::kSofuDeliver, notice.notice_id)));
  return Ok();
}

std::int64_t CaseService::NowMicros() const { return UnixMicros(clock_.Now()); }

Result<Case> CaseService::Append(Case c, CaseAction action) {
  KOSEKI_RETURN_IF_ERROR(CheckAction(c, action, tenant_.policy));
  action.at = NowMicros();
  KOSEKI_RETURN_IF_ERROR(cases_.Append(tenant_.code, c.case_id, c.actions.size(), action));
  c.actions.push_back(std::move(action));
  return c;
}

Result<Receipt> CaseService::CheckedReceipt(const ReceiptInput& input) const {
  const std::int64_t now = NowMicros();
  Receipt receipt{.at = input.at.value_or(now), .forwarded = input.forwarded};
  KOSEKI_RETURN_IF_ERROR(
      CheckReceipt(receipt, now, tenant_.first_receipt_day, rules::MayorOf(tenant_.municipality)));
  return receipt;
}

Result<Case> CaseService::Receive(const Actor& clerk, rules::NotificationType type,
                                  std::string notifier, ReceiptInput receipt) {
  const std::string case_id = NewCaseId();
  return Recorded<Case>(clerk, audit::actions::kCaseReceive, case_id, [&]() -> Result<Case> {
    Case c{.case_id = case_id, .tenant = tenant_.code, .type = type};
    CaseAction receive{.kind = ActionKind::kReceive, .actor = clerk, .at = NowMicros()};
    receive.notifier = notifier;
    KOSEKI_RETURN_IF_ERROR(CheckAction(c, receive, tenant_.policy));
    KOSEKI_ASSIGN_OR_RETURN(receive.receipt, CheckedReceipt(receipt));
    // Numbered in the 受付帳 of the year the notification was received. The number is read
    // and used in one transaction, so two receipts cannot share it.
    const int year = static_cast<int>(JapanDayOfMicros(receive.receipt->at).year());
    KOSEKI_ASSIGN_OR_RETURN(std::int64_t number, cases_.NextReceiptNumber(tenant_.code, year));
    std::array<char, 32> bango{};
    std::snprintf(bango.data(), bango.size(), "%04d-%06lld", year, static_cast<long long>(number));
    c.uketsuke_bango = bango.data();
    c.actions.push_back(std::move(receive));
    KOSEKI_RETURN_IF_ERROR(cases_.Create(c));
    return c;
  });
}

Result<Case> CaseService::CorrectReceipt(const Actor& clerk, std::string_view case_id,
                                         ReceiptInput receipt) {
  return Recorded<Case>(clerk, audit::actions::kCaseReceipt, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    CaseAction correction{.kind = ActionKind::kCorrectReceipt, .actor = clerk};
    KOSEKI_RETURN_IF_ERROR(CheckAction(c, correction, tenant_.policy));
    KOSEKI_ASSIGN_OR_RETURN(correction.receipt, CheckedReceipt(receipt));
    return Append(std::move(c), std::move(correction));
  });
}

Result<Case> CaseService::Attach(const Actor& clerk, std::string_view case_id,
                                 std::string_view honseki, std::string_view hittosha) {
  return Recorded<Case>(clerk, audit::actions::kCaseAttach, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    // Check the role before searching: only a clerk may look registers up.
    KOSEKI_RETURN_IF_ERROR(
        CheckAction(c, CaseAction{.kind = ActionKind::kAttach, .actor = clerk}, tenant_.policy));
    KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            registers_.FindByHonsekiAndHittosha(tenant_.code, honseki, hittosha));
    if (ids.empty()) {
      return MakeError(ErrorCode::kNotFound, "KSK-CASE-022",
                       "指定された本籍・筆頭者の戸籍は見つかりません。",
                       "no register for lookup key");
    }
    KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister head, registers_.Load(tenant_.code, ids.front()));
    return Append(std::move(c),
                  CaseAction{.kind = ActionKind::kAttach,
                             .actor = clerk,
                             .attached = AttachedRegisterRef{head.register_id, head.version}});
  });
}

Result<Case> CaseService::Assign(const Actor& supervisor, std::string_view case_id,
                                 std::string_view operator_id) {
  return Recorded<Case>(supervisor, audit::actions::kCaseAssign, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    return Append(std::move(c), CaseAction{.kind = ActionKind::kAssign,
                                           .actor = supervisor,
                                           .assignee = std::string(operator_id)});
  });
}

Result<rules::RuleContext> CaseService::ContextFor(const Case& c) {
  rules::RuleContext context;
  // The 届出日 is the day of receipt: here, or for a 送付 at the office that accepted it.
  const Receipt receipt = c.CurrentReceipt();
  const std::chrono::year_month_day here = JapanDayOfMicros(receipt.at);
  context.received_on = here;
  if (receipt.forwarded) {
    context.received_on = receipt.forwarded->accepted_on;
    context.forwarded =
        rules::Forwarded{.arrived_on = here, .accepted_by = receipt.forwarded->accepted_by};
  }
  context.municipality = tenant_.municipality;
  context.tenant_code = tenant_.code;
  context.hosted_tenant = tenant_.hosted_tenant;
  context.calendar = &calendar_;
  int n = 0;
  for (const AttachedRegisterRef& ref : c.Attached()) {
    KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister stored,
                            registers_.Load(tenant_.code, ref.register_id, ref.version));
    context.registers.push_back(rules::AttachedRegister{
        "R" + std::to_string(++n), stored.register_id, stored.version, std::move(stored.value)});
  }
  return context;
}

Result<rules::Evaluation> CaseService::Evaluate(const Case& c, const rules::Entry& entry,
                                                const rules::RuleContext& context) {
  if (entry.type != c.type) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CASE-042",
                     "入力の届出の種類が事件の種類と一致しません。", "entry type mismatch");
  }
  return rules::RuleFor(c.type).Evaluate(entry, context);
}

Result<EntryOutcome> CaseService::Enter(ActionKind kind, const Actor& op, std::string_view case_id,
                                        rules::Entry entry) {
  const std::string_view audit_action =
      kind == ActionKind::kSubmit ? audit::actions::kCaseSubmit : audit::actions::kCaseEntry;
  return Recorded<EntryOutcome>(op, audit_action, case_id, [&]() -> Result<EntryOutcome> {
    KOSEKI_RETURN_IF_ERROR(rules::CheckEntryBounds(entry));
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    CaseAction action{.kind = kind, .actor = op, .entry = entry};
    KOSEKI_RETURN_IF_ERROR(CheckAction(c, action, tenant_.policy));
    KOSEKI_ASSIGN_OR_RETURN(const rules::RuleContext context, ContextFor(c));
    KOSEKI_ASSIGN_OR_RETURN(rules::Evaluation evaluation, Evaluate(c, entry, context));
    if (kind == ActionKind::kSubmit && evaluation.Blocked()) {
      return BlockedByFindings(/*at_approval=*/false);
    }
    KOSEKI_ASSIGN_OR_RETURN(Case updated, Append(std::move(c), std::move(action)));
    return EntryOutcome{std::move(updated), std::move(evaluation.findings)};
  });
}

Result<EntryOutcome> CaseService::SaveDraft(const Actor& op, std::string_view case_id,
                                            rules::Entry entry) {
  return Enter(ActionKind::kSaveDraft, op, case_id, std::move(entry));
}

Result<EntryOutcome> CaseService::Submit(const Actor& op, std::string_view case_id,
                                         rules::Entry entry) {
  return Enter(ActionKind::kSubmit, op, case_id, std::move(entry));
}

Result<std::vector<rules::AttachedRegister>> CaseService::ReadRegisters(const Actor& actor,
                                                                        std::string_view case_id) {
  using Registers = std::vector<rules::AttachedRegister>;
  KOSEKI_ASSIGN_OR_RETURN(
      Registers shown,
      Recorded<Registers>(actor, audit::actions::kCaseView, case_id, [&]() -> Result<Registers> {
        KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
        KOSEKI_RETURN_IF_ERROR(CheckRegisterRead(c, actor));
        KOSEKI_ASSIGN_OR_RETURN(rules::RuleContext context, ContextFor(c));
        return std::move(context.registers);
      }));
  KOSEKI_RETURN_IF_ERROR(RecordViews(actor, case_id, shown));
  return shown;
}

Result<Review> CaseService::ReviewCase(const Actor& actor, std::string_view case_id) {
  std::vector<rules::AttachedRegister> shown;
  KOSEKI_ASSIGN_OR_RETURN(
      Review review,
      Recorded<Review>(actor, audit::actions::kCaseReview, case_id, [&]() -> Result<Review> {
        KOSEKI_RETURN_IF_ERROR(CheckReview(actor));
        KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
        const auto submissions = c.CurrentSubmissions();
        if (submissions.empty()) return NoSubmission();
        KOSEKI_ASSIGN_OR_RETURN(rules::RuleContext context, ContextFor(c));
        shown = context.registers;
        const rules::Evaluation evaluation =
            rules::RuleFor(c.type).Evaluate(submissions.front().second, context);
        Review found{evaluation.findings, {}, {}};
        if (!evaluation.change_set) return found;
        KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate today,
                                text::JapaneseDate::FromGregorian(JapanDayOfMicros(NowMicros())));
        const std::string mayor = context.Mayor();
        for (const rules::RegisterUpdate& update : evaluation.change_set->updates) {
          const rules::AttachedRegister* before = context.Find(update.ref);
          if (before == nullptr) continue;
          RegisterReview r{update.ref, {}, {}, {}};
          KOSEKI_ASSIGN_OR_RETURN(r.before_text, RenderForReview(before->value, today, mayor));
          KOSEKI_ASSIGN_OR_RETURN(r.after_text, RenderForReview(update.after, today, mayor));
          r.diff = DiffLines(r.before_text, r.after_text);
          found.registers.push_back(std::move(r));
        }
        for (const rules::RegisterCreation& creation : evaluation.change_set->creations) {
          RegisterReview r{creation.label, {}, {}, {}};
          KOSEKI_ASSIGN_OR_RETURN(r.after_text, RenderForReview(creation.value, today, mayor));
          r.diff = DiffLines("", r.after_text);
          found.registers.push_back(std::move(r));
        }
        found.notices = evaluation.change_set->notices;
        return found;
      }));
  KOSEKI_RETURN_IF_ERROR(RecordViews(actor, case_id, shown));
  return review;
}

Result<Case> CaseService::Examine(const Actor& examiner, std::string_view case_id) {
  return Recorded<Case>(examiner, audit::actions::kCaseExamine, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    return Append(std::move(c), CaseAction{.kind = ActionKind::kExamine, .actor = examiner});
  });
}

Result<CaseService::ApprovalPlan> CaseService::PlanApproval(const Actor& approver,
                                                            std::string_view case_id) {
  KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
  KOSEKI_RETURN_IF_ERROR(
      CheckAction(c, CaseAction{.kind = ActionKind::kApprove, .actor = approver}, tenant_.policy));
  const auto submissions = c.CurrentSubmissions();
  if (submissions.empty()) return NoSubmission();
  KOSEKI_ASSIGN_OR_RETURN(const rules::RuleContext context, ContextFor(c));
  KOSEKI_ASSIGN_OR_RETURN(rules::Evaluation evaluation,
                          Evaluate(c, submissions.front().second, context));
  if (evaluation.Blocked() || !evaluation.change_set) {
    return BlockedByFindings(/*at_approval=*/true);
  }
  ApprovalPlan plan{std::move(c), std::move(*evaluation.change_set), {}};
  for (const rules::RegisterUpdate& update : plan.change.updates) {
    // The attachment the update was computed from: the store then writes only the lookup keys
    // that version does not already have. Only if it is the very version written onto.
    const rules::AttachedRegister* base = context.Find(update.ref);
    const bool written_onto = base != nullptr && base->register_id == update.register_id &&
                              base->version == update.base_version;
    KOSEKI_ASSIGN_OR_RETURN(
        store::PreparedRegister version,
        registers_.Prepare(tenant_.code, update.register_id, update.base_version, update.after,
                           written_onto ? &base->value : nullptr));
    plan.versions.push_back(std::move(version));
  }
  return plan;
}

Result<ApprovalResult> CaseService::Approve(const Actor& approver, std::string_view case_id) {
  // Planning — loading the case, evaluating its rule, serializing and sealing the new register
  // versions — is most of an approval's work, and it reads only what cannot change once read:
  // the case's actions so far and the register versions they attached. So it is done first, outside
  // the transaction, where concurrent approvals plan side by side; the transaction, which holds the
  // one writer, only writes. Its first write claims the case at the number of actions the plan saw;
  // if the case moved on in between, that changes nothing and the transaction plans again from the
  // case as it is.
  Result<ApprovalPlan> early = [&] {
    const PlanningSlot slot;
    return PlanApproval(approver, case_id);
  }();
  const CaseAction approve{.kind = ActionKind::kApprove, .actor = approver};
  audit::Receipt receipt;
  Result<ApprovalResult> approved = Recorded<ApprovalResult>(
      approver, audit::actions::kCaseApprove, case_id,
      [&]() -> Result<ApprovalResult> {
        ApprovalResult result;
        std::optional<ApprovalPlan> plan;
        if (early) {
          Result<Case> claimed = Append(std::move(early->c), approve);
          if (claimed) {
            result.updated = std::move(*claimed);
            plan = std::move(*early);
          } else if (claimed.error().code != ErrorCode::kAborted) {
            return std::move(claimed).error();
          }
        }
        if (!plan) {
          KOSEKI_ASSIGN_OR_RETURN(plan, PlanApproval(approver, case_id));
          KOSEKI_ASSIGN_OR_RETURN(result.updated, Append(std::move(plan->c), approve));
        }
        // All of this is one transaction (the audit Record's): every register version, every
        // new register, the approval action and its audit entry commit together or not at all.
        // The plan's case moved into the claim; the approved case is the same case one action on.
        const Case& c = result.updated;
        const rules::ChangeSet& change = plan->change;
        result.notices = change.notices;
        for (std::size_t i = 0; i < change.updates.size(); ++i) {
          const rules::RegisterUpdate& update = change.updates[i];
          auto version = registers_.AppendVersion(plan->versions[i]);
          if (!version && version.error().code == ErrorCode::kAborted) {
            return MakeError(
                ErrorCode::kAborted, kApprovalConflictId,
                "入力後に戸籍が更新されていたため決裁できません。事件は再入力に戻されました。",
                "register version conflict at approval");
          }
          if (!version) return std::move(version).error();
          result.written.emplace_back(update.register_id, *version);
        }
        for (const rules::RegisterCreation& creation : change.creations) {
          // A register of another hosted tenant is that tenant's to create, on the 送付.
          if (creation.tenant_code && *creation.tenant_code != tenant_.code) continue;
          KOSEKI_ASSIGN_OR_RETURN(std::string id, registers_.Create(tenant_.code, creation.value));
          result.created.push_back(std::move(id));
        }
        // The 送付 notices join the outbox in the same transaction: they exist exactly when
        // the approval does. One to a municipality hosted here is delivered there now.
        const std::int64_t now = NowMicros();
        const std::chrono::year_month_day filed_on = JapanDayOfMicros(c.CurrentReceipt().at);
        for (std::size_t i = 0; i < change.notices.size(); ++i) {
          const rules::OutgoingNotice& n = change.notices[i];
          SofuNotice notice{.notice_id = c.case_id + "." + std::to_string(i + 1),
                            .case_id = c.case_id,
                            .uketsuke_bango = c.uketsuke_bango,
                            .type = c.type,
                            .municipality = n.municipality,
                            .tenant_code = n.tenant_code,
                            .reason = n.reason,
                            .filed_on = filed_on,
                            .approved_at = now};
          KOSEKI_RETURN_IF_ERROR(outbox_.Add(tenant_.code, notice));
          if (notice.tenant_code && deliverer_) {
            KOSEKI_RETURN_IF_ERROR(Deliver(approver, notice));
          }
        }
        return result;
      },
      &receipt);
  if (approved) {
    approved->receipt = std::move(receipt);
    return approved;
  }
  if (approved.error().id == kApprovalConflictId) {
    // A register moved on since it was attached: back to the operator for re-entry.
    KOSEKI_RETURN_IF_ERROR(Return(approver, case_id, "決裁時の戸籍更新の競合"));
  }
  return approved;
}

Result<Case> CaseService::Return(const Actor& actor, std::string_view case_id, std::string reason) {
  return Recorded<Case>(actor, audit::actions::kCaseReturn, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    return Append(
        std::move(c),
        CaseAction{.kind = ActionKind::kReturn, .actor = actor, .reason = std::move(reason)});
  });
}

Result<Case> CaseService::Withdraw(const Actor& clerk, std::string_view case_id,
                                   std::string reason) {
  return Recorded<Case>(clerk, audit::actions::kCaseWithdraw, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    return Append(
        std::move(c),
        CaseAction{.kind = ActionKind::kWithdraw, .actor = clerk, .reason = std::move(reason)});
  });
}

Result<Case> CaseService::Reject(const Actor& approver, std::string_view case_id,
                                 std::string reason) {
  return Recorded<Case>(approver, audit::actions::kCaseReject, case_id, [&]() -> Result<Case> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    return Append(
        std::move(c),
        CaseAction{.kind = ActionKind::kReject, .actor = approver, .reason = std::move(reason)});
  });
}

Result<CaseView> CaseService::Show(const Actor& actor, std::string_view case_id) {
  return Recorded<CaseView>(actor, audit::actions::kCaseShow, case_id, [&]() -> Result<CaseView> {
    KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_.code, case_id));
    KOSEKI_ASSIGN_OR_RETURN(CaseDisclosure disclosure, CheckShow(c, actor));
    if (!disclosure.contents) c = WithoutContents(std::move(c));
    return CaseView{std::move(c), disclosure};
  });
}

Result<CaseListPage> CaseService::List(const Actor& actor, const std::optional<CaseCursor>& after,
                                       std::size_t limit) {
  return Recorded<CaseListPage>(
      actor, audit::actions::kCaseList, {}, [&]() -> Result<CaseListPage> {
        KOSEKI_RETURN_IF_ERROR(CheckList(actor));
        if (limit == 0 || limit > kMaxCasePage) {
          return MakeError(
              ErrorCode::kInvalidArgument, "KSK-CASE-047",
              "一覧の件数は 1 から " + std::to_string(kMaxCasePage) + " までで指定してください。",
              "case list limit out of range");
        }
        KOSEKI_ASSIGN_OR_RETURN(CaseListPage page, cases_.List(tenant_.code, after, limit));
        std::erase_if(page.cases, [&](const CaseSummary& summary) {
          return !MayList(actor, summary.assignees, summary.state);
        });
        return page;
      });
}

}  // namespace koseki::workflow
