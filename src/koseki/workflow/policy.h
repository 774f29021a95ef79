// Which action may follow, by whom: separation of duties (R14), the assignment lock, and the
// state machine. Pure; the use cases call CheckAction before doing anything and audit refusals.
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

// The field keys on which two entries differ (values or acknowledgements), sorted.
std::vector<std::string> EntryDifferences(const rules::Entry& a, const rules::Entry& b);

}  // namespace koseki::workflow
