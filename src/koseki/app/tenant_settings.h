// Per-tenant settings: the workflow policy (double entry; whether one person may both examine
// and approve, for small towns), the office's first day of receipts, and what its certificates
// print (the mayor's name, the 職印; workflow/certificates.h). Stored versioned in the database;
// each change is an admin action in the system audit log.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/app/koseki.h"
#include "koseki/workflow/policy.h"

namespace koseki::app {

inline constexpr std::string_view kDoubleEntrySetting = "workflow.double_entry";
inline constexpr std::string_view kCombineReviewSetting = "workflow.examiner_may_approve";
// No 受付日 may be earlier ("YYYY-MM-DD"); by default the day the tenant was added. An office
// that starts on koseki with notifications already received sets it back.
inline constexpr std::string_view kFirstReceiptDaySetting = "receipt.first_day";

struct TenantSettingsChange {
  std::optional<bool> double_entry = {};
  std::optional<bool> examiner_may_approve = {};
  std::optional<std::chrono::year_month_day> first_receipt_day = {};
  std::optional<bool> watermark_city = {};     // the city's pictures watermarked too
  std::optional<std::string> mayor_name = {};  // a name (text::ValidateName); empty = none
  std::optional<std::string> seal_png = {};    // the 職印 as PNG (render::CheckSeal)
};

// Applies the given changes as `actor` (an administrator only: KSK-ADMIN-001; unknown tenant:
// KSK-STORE-013), all or none, audited as admin.tenant_setting. A mayor's name that is not a
// valid name (KSK-TEXT-…) or a seal that cannot be drawn (KSK-RENDER-011) changes nothing.
Result<void> ChangeTenantSettings(Koseki& koseki, const access::Actor& actor,
                                  std::string_view tenant, const TenantSettingsChange& change);

// Returns the tenant's workflow policy (defaults: single entry, examiner ≠ approver).
Result<workflow::WorkflowPolicy> WorkflowPolicyOf(Koseki& koseki, std::string_view tenant);
// Returns the tenant's first day of receipts: the setting, else the Japan day it was added.
Result<std::chrono::year_month_day> FirstReceiptDayOf(Koseki& koseki,
                                                      const store::TenantRow& tenant);

}  // namespace koseki::app
