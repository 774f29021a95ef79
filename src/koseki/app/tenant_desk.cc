#include "koseki/app/tenant_desk.h"

#include <chrono>
#include <vector>

#include "koseki/app/tenant_settings.h"
#include "koseki/audit/actions.h"
#include "koseki/base/clock.h"

namespace koseki::app {
namespace {

// Delivers a notice into the hosted tenant it names (workflow::ReceiveDelivered), opening
// that tenant's desk.
workflow::SofuDeliverer DeliverInto(Koseki& koseki, const workflow::TenantInfo& from) {
  return [&koseki, code = from.code, municipality = from.municipality](
             const workflow::SofuNotice& notice, const access::Actor& by) -> Result<std::string> {
    KOSEKI_ASSIGN_OR_RETURN(
        std::unique_ptr<TenantDesk> desk,
        TenantDesk::Open(koseki, by, *notice.tenant_code, audit::actions::kSofuDeliver));
    return workflow::ReceiveDelivered(desk->cases(), notice, by, code, municipality);
  };
}

}  // namespace

TenantDesk::TenantDesk(Koseki& koseki, workflow::TenantInfo tenant)
    : records_(koseki.installation().backend(), koseki.installation()),
      outbox_(koseki.objects()),
      cases_(koseki.registers(), records_, outbox_, koseki.audit(), koseki.clock(), tenant,
             DeliverInto(koseki, tenant)),
      pictures_(koseki.registers(), records_, koseki.installation().backend(), koseki.objects(),
                koseki.audit(), koseki.clock(), tenant.code),
      certificates_(koseki.registers(), koseki.installation().backend(), koseki.installation(),
                    koseki.objects(), koseki.audit(), koseki.clock(), tenant.code,
                    tenant.municipality),
      sofu_(outbox_, koseki.audit(), koseki.clock(), tenant.code),
      furigana_shokken_(koseki.registers(), koseki.audit(), koseki.clock(), tenant.code) {}

Result<std::unique_ptr<TenantDesk>> TenantDesk::Open(Koseki& koseki, const access::Actor& actor,
                                                     std::string_view tenant,
                                                     std::string_view action) {
  auto row = koseki.Tenant(tenant);
  if (!row) {
    (void)koseki.RecordRefusal(actor, action, row.error(), tenant, tenant);
    return std::move(row).error();
  }
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::TenantRow> all, koseki.installation().ListTenants());
  KOSEKI_ASSIGN_OR_RETURN(workflow::WorkflowPolicy policy, WorkflowPolicyOf(koseki, tenant));
  workflow::TenantInfo info{row->tenant_code, row->name, policy, {}};
  KOSEKI_ASSIGN_OR_RETURN(info.first_receipt_day, FirstReceiptDayOf(koseki, *row));
  // A municipality counts as hosted once it receives here: one still being set up (its first
  // receipt day ahead) gets its 送付 by post, so that it never blocks an approval elsewhere.
  // Asked only when a rule names a municipality, for that tenant alone; one whose settings
  // cannot be read is not counted as receiving, so its notice waits to be posted.
  info.hosted_tenant =
      [&koseki, all = std::move(all)](std::string_view municipality) -> std::optional<std::string> {
    for (const store::TenantRow& t : all) {
      if (t.name != municipality) continue;
      const Result<std::chrono::year_month_day> first = FirstReceiptDayOf(koseki, t);
      const std::chrono::year_month_day today = JapanDayOfMicros(UnixMicros(koseki.clock().Now()));
      if (first && *first <= today) return t.tenant_code;
    }
    return std::nullopt;
  };
  return std::unique_ptr<TenantDesk>(new TenantDesk(koseki, std::move(info)));
}

}  // namespace koseki::app
