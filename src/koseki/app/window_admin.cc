#include "koseki/app/window_admin.h"

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

// Runs `fn` (which writes settings) as an audited administrative action of the tenant.
Result<void> RecordedChange(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                            std::string_view action,
                            const std::function<Result<void>(store::Backend&, std::int64_t)>& fn) {
  audit::Event event = workflow::EventOf(actor, action, audit::IsOpaqueId(tenant) ? tenant : "");
  const auto apply = [&](audit::Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
    KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
    return fn(koseki.installation().backend(), UnixMicros(koseki.clock().Now()));
  };
  KOSEKI_RETURN_IF_ERROR(koseki.audit().Record(koseki.LogFor(tenant), event, apply));
  return Ok();
}

}  // namespace

Result<access::AccessSettings> AccessSettingsOf(Koseki& koseki, std::string_view tenant) {
  KOSEKI_ASSIGN_OR_RETURN(auto settings, koseki.installation().backend().GetTenantSettings(tenant));
  return access::AccessSettingsFrom(settings);
}

Result<void> ChangeWindow(Koseki& koseki, const access::Actor& actor, const WindowChange& change) {
  return RecordedChange(koseki, actor, change.tenant, audit::actions::kWindow,
                        [&](store::Backend& backend, std::int64_t now) -> Result<void> {
                          const access::Zone zone = change.zone;
                          if (change.hours) {
                            KOSEKI_ASSIGN_OR_RETURN(access::WeeklyHours hours,
                                                    access::ParseWeeklyHours(*change.hours));
                            KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
                                change.tenant, access::WindowHoursSetting(zone),
                                access::FormatWeeklyHours(hours), now));
                          }
                          if (change.closed_on_office_holidays) {
                            KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
                                change.tenant, access::WindowHolidaysSetting(zone),
                                *change.closed_on_office_holidays ? "on" : "off", now));
                          }
                          if (change.add_closure) {
                            KOSEKI_ASSIGN_OR_RETURN(access::AccessSettings current,
                                                    AccessSettingsOf(koseki, change.tenant));
                            std::vector<access::Closure> closures = current.WindowOf(zone).closures;
                            closures.push_back(*change.add_closure);
                            KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
                                change.tenant, access::WindowClosuresSetting(zone),
                                access::FormatClosures(closures), now));
                          }
                          return Ok();
                        });
}

Result<void> SetRoleZones(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                          std::optional<access::ZoneSet> auditor_zones,
                          std::optional<access::ZoneSet> admin_zones) {
  return RecordedChange(
      koseki, actor, tenant, audit::actions::kRoleZones,
      [&](store::Backend& backend, std::int64_t now) -> Result<void> {
        if (auditor_zones) {
          KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
              tenant, access::kAuditorZonesSetting, access::FormatZoneSet(*auditor_zones), now));
        }
        if (admin_zones) {
          KOSEKI_RETURN_IF_ERROR(backend.SetTenantSetting(
              tenant, access::kAdminZonesSetting, access::FormatZoneSet(*admin_zones), now));
        }
        return Ok();
      });
}

}  // namespace koseki::app
