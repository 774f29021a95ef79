// Per-tenant settings: today the workflow policy (double entry; whether one person may both
// examine and approve, for small towns). Stored versioned in the database; each change is an
// admin action in the system audit log.
#pragma once

#include <optional>
#include <string_view>

#include "koseki/app/koseki.h"
#include "koseki/workflow/policy.h"

namespace koseki::app {

inline constexpr std::string_view kDoubleEntrySetting = "workflow.double_entry";
inline constexpr std::string_view kCombineReviewSetting = "workflow.examiner_may_approve";

struct TenantSettingsChange {
  std::optional<bool> double_entry;
  std::optional<bool> examiner_may_approve;
};

// Applies the given changes as `actor` (an administrator only: KSK-ADMIN-001; unknown tenant:
// KSK-STORE-013), audited as admin.tenant_setting.
Result<void> ChangeTenantSettings(Koseki& koseki, const access::Actor& actor,
                                  std::string_view tenant, const TenantSettingsChange& change);

// Returns the tenant's workflow policy (defaults: single entry, examiner ≠ approver).
Result<workflow::WorkflowPolicy> WorkflowPolicyOf(Koseki& koseki, std::string_view tenant);

}  // namespace koseki::app
