// Service windows (R5) and the zones of auditors and administrators, as administrative use
// cases over the tenant's settings (access/access_settings.h). Changes are recorded in the
// tenant's audit log (admin.window), refusals included; only administrators may change them
// (KSK-ADMIN-001). Reading them is not personal data and is not recorded.
#pragma once

#include <optional>
#include <string_view>

#include "koseki/access/access_settings.h"
#include "koseki/access/zone.h"
#include "koseki/app/koseki.h"
#include "koseki/base/result.h"

namespace koseki::app {

struct WindowChange {
  std::string tenant = {};
  access::Zone zone = access::Zone::kCity;
  std::optional<std::string> hours = {};  // weekly hours text (access::ParseWeeklyHours)
  std::optional<bool> closed_on_office_holidays = {};
  std::optional<access::Closure> add_closure = {};  // an ad-hoc closure to add
};
Result<void> ChangeWindow(Koseki& koseki, const access::Actor& actor, const WindowChange& change);

// Sets the zones auditors or administrators may work from ("city", "vendor", "city,vendor").
Result<void> SetRoleZones(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                          std::optional<access::ZoneSet> auditor_zones,
                          std::optional<access::ZoneSet> admin_zones);

Result<access::AccessSettings> AccessSettingsOf(Koseki& koseki, std::string_view tenant);

}  // namespace koseki::app
