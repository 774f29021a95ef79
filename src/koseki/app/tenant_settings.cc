#include "koseki/app/tenant_settings.h"

#include "koseki/access/user.h"
#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/render/certificate_print.h"
#include "koseki/text/name.h"
#include "koseki/workflow/case_pictures.h"
#include "koseki/workflow/certificates.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {

Result<void> ChangeTenantSettings(Koseki& koseki, const access::Actor& actor,
                                  std::string_view tenant, const TenantSettingsChange& change) {
  audit::Event event = workflow::EventOf(actor, audit::actions::kAdminTenantSetting);
  if (audit::IsOpaqueId(tenant)) event.object_id = std::string(tenant);
  const auto apply = [&](audit::Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
    KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
    // Checked before anything is written, so that a refusal changes nothing.
    if (change.mayor_name && !change.mayor_name->empty()) {
      KOSEKI_RETURN_IF_ERROR(text::ValidateName(*change.mayor_name));
    }
    if (change.seal_png) KOSEKI_RETURN_IF_ERROR(render::CheckSeal(*change.seal_png));
    store::Backend& backend = koseki.installation().backend();
    const std::int64_t now = UnixMicros(koseki.clock().Now());
    if (change.double_entry) {
      KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(tenant, kDoubleEntrySetting,
                                                      *change.double_entry ? "on" : "off", now));
    }
    if (change.examiner_may_approve) {
      KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
          tenant, kCombineReviewSetting, *change.examiner_may_approve ? "on" : "off", now));
    }
    if (change.first_receipt_day) {
      KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
          tenant, kFirstReceiptDaySetting, access::FormatIsoDay(*change.first_receipt_day), now));
    }
    if (change.watermark_city) {
      KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(tenant, workflow::kCityWatermarkSetting,
                                                      *change.watermark_city ? "on" : "off", now));
    }
    if (change.mayor_name) {
      KOSEKI_RETURN_IF_ERROR(
          backend.SetTenantSetting(tenant, workflow::kMayorNameSetting, *change.mayor_name, now));
    }
    if (change.seal_png) {
      store::SealedObjects& objects = koseki.objects();
      KOSEKI_ASSIGN_OR_RETURN(
          auto head, objects.Get(tenant, workflow::kSealObjectKind, workflow::kSealObjectId));
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(change.seal_png->data());
      KOSEKI_RETURN_IF_ERROR(objects.Put(tenant, workflow::kSealObjectKind, workflow::kSealObjectId,
                                         head ? head->version : 0,
                                         crypto::ByteView(bytes, change.seal_png->size())));
    }
    return Ok();
  };
  KOSEKI_RETURN_IF_ERROR(koseki.audit().Record(audit::kSystemTenant, event, apply));
  return Ok();
}

Result<workflow::WorkflowPolicy> WorkflowPolicyOf(Koseki& koseki, std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(auto settings, koseki.installation().backend().GetTenantSettings(tenant));
  const auto on = [&](std::string_view name) {
    auto it = settings.find(std::string(name));
    return it != settings.end() && it->second == "on";
  };
  workflow::WorkflowPolicy policy;
  policy.double_entry = on(kDoubleEntrySetting);
  policy.allow_examiner_as_approver = on(kCombineReviewSetting);
  return policy;
}

Result<std::chrono::year_month_day> FirstReceiptDayOf(Koseki& koseki,
                                                      const store::TenantRow& tenant) {
  KOSEKI_ASSIGN_OR_RETURN(auto settings,
                          koseki.installation().backend().GetTenantSettings(tenant.tenant_code));
  if (auto it = settings.find(std::string(kFirstReceiptDaySetting)); it != settings.end()) {
    return access::ParseIsoDay(it->second);
  }
  return JapanDayOfMicros(tenant.created_at);
}

}  // namespace koseki::app
