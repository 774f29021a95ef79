// A tenant's access settings — each zone's service window and the zones its auditors and
// administrators may work from — as they are kept among the tenant's settings (plain values,
// never personal data: store::Backend::SetTenantSetting). A zone without stored hours has its
// default (DefaultCityWindow, DefaultWindow(kVendor)). Pure: the caller reads the settings map.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "koseki/access/service_window.h"
#include "koseki/access/user.h"
#include "koseki/access/zone.h"
#include "koseki/base/result.h"

namespace koseki::access {

// The setting names.
std::string WindowHoursSetting(Zone zone);     // "window.<zone>.hours"
std::string WindowClosuresSetting(Zone zone);  // "window.<zone>.closures"
std::string WindowHolidaysSetting(Zone zone);  // "window.<zone>.office_holidays": on | off
inline constexpr std::string_view kAuditorZonesSetting = "access.auditor_zones";
inline constexpr std::string_view kAdminZonesSetting = "access.admin_zones";

// The city's own office is open whenever the city says: by default its zone is never closed
// (時間外受付, the night desk, works on Saturdays too); a city may set hours to restrict it.
ServiceWindow DefaultCityWindow();

struct AccessSettings {
  ServiceWindow city = DefaultCityWindow();
  ServiceWindow vendor = DefaultWindow(Zone::kVendor);
  ZonePolicy zones;
  const ServiceWindow& WindowOf(Zone zone) const { return zone == Zone::kCity ? city : vendor; }
};

// Reads the access settings out of a tenant's settings; DataLoss KSK-ACCESS-020 naming the
// setting if a stored value does not parse.
Result<AccessSettings> AccessSettingsFrom(const std::map<std::string, std::string>& settings);

}  // namespace koseki::access
