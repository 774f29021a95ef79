// Who may do and see what — decided here and only here: which action may follow, by whom
// (separation of duties, R14; the assignment lock; the state machine) and what of a case an
// actor may read (need-to-know, R2). Pure; the use cases (case_service.h, certificates.h) ask
// before doing or showing anything and audit every refusal.
#pragma once

#include "koseki/base/result.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

struct WorkflowPolicy {
  // Small towns may let one person both examine and approve; never the person who entered.
  bool allow_examiner_as_approver = false;
  // Two operators enter independently; their entries must agree before examination.
  bool double_entry = false;

  std::size_t RequiredOperators() const { return double_entry ? 2 : 1; }
};

// Returns OK if `proposed` (its kind, actor and payload) may be appended to `c` now. Refusals
// (never personal data):
//   KSK-CASE-001 PermissionDenied  the role may not perform this action
//   KSK-CASE-002 FailedPrecondition the action is not possible in the case's state
//   KSK-CASE-003 FailedPrecondition the case is closed (approved, withdrawn, rejected)
//   KSK-CASE-004 PermissionDenied  the operator is not assigned to this case
//   KSK-CASE-005 PermissionDenied  whoever entered may not examine or approve
//   KSK-CASE-006 PermissionDenied  the examiner may not also approve (tenant policy)
//   KSK-CASE-007 FailedPrecondition assignment lock: the case already has its operator(s)
//   KSK-CASE-008 FailedPrecondition the operator is already assigned
//   KSK-CASE-009 FailedPrecondition double entry: the entries differ (resolve by re-entry)
//   KSK-CASE-010 FailedPrecondition double entry: not every operator has submitted
Result<void> CheckAction(const Case& c, const CaseAction& proposed, const WorkflowPolicy& policy);

// What of a case an actor may read. The city's staff see everything the case holds; the
// vendor's roles see ids, states and who acted — never the entries, reasons or 届出人.
struct CaseDisclosure {
  bool contents = false;
};

// Returns what `actor` may read of `c` (case show), or a refusal:
//   KSK-CASE-045 PermissionDenied  the role may not read cases, or an operator not assigned
Result<CaseDisclosure> CheckShow(const Case& c, const Actor& actor);
// Returns OK if `actor` may list cases at all (KSK-CASE-045 otherwise); MayList then says
// which cases the list shows them (an operator: only the open cases assigned to them).
Result<void> CheckList(const Actor& actor);
bool MayList(const Actor& actor, const std::vector<std::string>& assignees, CaseState state);
// Returns OK if `actor` may be shown the case's registers (pictures, certificate text):
// the city's staff, and the operator assigned to the open case (KSK-CASE-043 otherwise).
Result<void> CheckRegisterRead(const Case& c, const Actor& actor);
// Returns OK if `actor` may add a scan of the notification to `c`: the city's clerk
// (KSK-CASE-001), while the case is open (KSK-CASE-003). Scans are read as registers are
// (CheckRegisterRead).
Result<void> CheckScanAdd(const Case& c, const Actor& actor);
// Returns whether a picture (scan, register) shown to `actor` must carry the viewer's
// watermark: always outside the city's office, there too if the tenant turned it on.
bool MustWatermark(const Actor& actor, bool tenant_marks_city);
// Returns OK if `actor` may see the examination view (findings, before/after, diff): an
// examiner or approver (KSK-CASE-001 otherwise).
Result<void> CheckReview(const Actor& actor);
// Returns OK if `actor` may issue a certificate (記録事項証明書): certificates print only at
// the city, by its clerks (KSK-CERT-001 otherwise).
Result<void> CheckCertificateIssue(const Actor& actor);

// Returns OK if `actor` may see the 送付 outbox (`mark_sent` false: the city's staff) or mark
// a notice sent (`mark_sent` true: its clerks); KSK-SOFU-001 otherwise.
Result<void> CheckSofu(const Actor& actor, bool mark_sent);

// Returns OK if `actor` may record 氏名の振り仮名 ex officio (職権, the mayor's act): an approver
// (KSK-FURIGANA-007 otherwise).
Result<void> CheckFuriganaShokken(const Actor& actor);

// Returns OK if `actor` may administer the installation (tenants, settings, register import
// and generation): an administrator (KSK-ADMIN-001 otherwise).
Result<void> CheckAdministration(const Actor& actor);

// The field keys on which two entries differ (values or acknowledgements), sorted.
std::vector<std::string> EntryDifferences(const rules::Entry& a, const rules::Entry& b);

}  // namespace koseki::workflow
