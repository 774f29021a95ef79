#include "koseki/access/access_settings.h"

namespace koseki::access {
namespace {

Error BadSetting(std::string_view name) {
  return MakeError(ErrorCode::kDataLoss, "KSK-ACCESS-020",
                   "自治体の利用時間・区域の設定を読み取れません。管理者に連絡してください。",
                   "setting does not parse: " + std::string(name));
}

const std::string* Find(const std::map<std::string, std::string>& settings,
                        const std::string& name) {
  const auto it = settings.find(name);
  return it == settings.end() ? nullptr : &it->second;
}

Result<void> ReadWindow(const std::map<std::string, std::string>& settings, Zone zone,
                        ServiceWindow& window) {
  if (const std::string* hours = Find(settings, WindowHoursSetting(zone))) {
    Result<WeeklyHours> parsed = ParseWeeklyHours(*hours);
    if (!parsed) return BadSetting(WindowHoursSetting(zone));
    window.hours = *parsed;
  }
  if (const std::string* closures = Find(settings, WindowClosuresSetting(zone))) {
    Result<std::vector<Closure>> parsed = ParseClosures(*closures);
    if (!parsed) return BadSetting(WindowClosuresSetting(zone));
    window.closures = std::move(*parsed);
  }
  if (const std::string* holidays = Find(settings, WindowHolidaysSetting(zone))) {
    if (*holidays != "on" && *holidays != "off") return BadSetting(WindowHolidaysSetting(zone));
    window.closed_on_office_holidays = *holidays == "on";
  }
  return Ok();
}

}  // namespace

ServiceWindow DefaultCityWindow() {
  ServiceWindow window;
  window.hours = *ParseWeeklyHours("always");
  window.closed_on_office_holidays = false;
  return window;
}

std::string WindowHoursSetting(Zone zone) {
  return "window." + std::string(ZoneName(zone)) + ".hours";
}
std::string WindowClosuresSetting(Zone zone) {
  return "window." + std::string(ZoneName(zone)) + ".closures";
}
std::string WindowHolidaysSetting(Zone zone) {
  return "window." + std::string(ZoneName(zone)) + ".office_holidays";
}

Result<AccessSettings> AccessSettingsFrom(const std::map<std::string, std::string>& settings) {
  AccessSettings out;
  KOSEKI_RETURN_IF_ERROR(ReadWindow(settings, Zone::kCity, out.city));
  KOSEKI_RETURN_IF_ERROR(ReadWindow(settings, Zone::kVendor, out.vendor));
  for (auto [name, target] : {std::pair{kAuditorZonesSetting, &out.zones.auditor_zones},
                              std::pair{kAdminZonesSetting, &out.zones.admin_zones}}) {
    if (const std::string* value = Find(settings, std::string(name))) {
      Result<ZoneSet> parsed = ParseZoneSet(*value);
      if (!parsed) return BadSetting(name);
      *target = *parsed;
    }
  }
  return out;
}

}  // namespace koseki::access
