#include "koseki/access/device.h"

#include <nlohmann/json.hpp>

namespace koseki::access {
namespace {

using Json = nlohmann::json;

Error CorruptDevice(std::string_view detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-DEVICE-002", "端末の記録を読み取れません。",
                   std::string("device record: ") + std::string(detail));
}

Result<Json> ParseObject(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return CorruptDevice("not an object");
  return json;
}

}  // namespace

Result<void> ValidateDeviceName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-DEVICE-001",
                     "端末名は英数字と . _ - の 1〜64 文字で指定してください。",
                     "malformed device name");
  }
  return Ok();
}

std::string DeviceToJson(const DeviceRecord& device) {
  return Json{{"serial", device.serial_hex},
              {"fingerprint", device.fingerprint_hex},
              {"name", device.name},
              {"zone", ZoneName(device.zone)},
              {"not_before", device.not_before},
              {"not_after", device.not_after},
              {"enrolled_at", device.enrolled_at},
              {"enrolled_by", device.enrolled_by},
              {"revoked_at", device.revoked_at},
              {"revoked_by", device.revoked_by}}
      .dump();
}

Result<DeviceRecord> DeviceFromJson(std::string_view text) {
  KOSEKI_ASSIGN_OR_RETURN(const Json json, ParseObject(text));
  DeviceRecord device;
  try {
    device.serial_hex = json.at("serial").get<std::string>();
    device.fingerprint_hex = json.at("fingerprint").get<std::string>();
    device.name = json.at("name").get<std::string>();
    const std::optional<Zone> zone = ParseZone(json.at("zone").get<std::string>());
    if (!zone) return CorruptDevice("unknown zone");
    device.zone = *zone;
    device.not_before = json.at("not_before").get<std::int64_t>();
    device.not_after = json.at("not_after").get<std::int64_t>();
    device.enrolled_at = json.at("enrolled_at").get<std::int64_t>();
    device.enrolled_by = json.at("enrolled_by").get<std::string>();
    device.revoked_at = json.at("revoked_at").get<std::int64_t>();
    device.revoked_by = json.at("revoked_by").get<std::string>();
  } catch (const Json::exception& e) {
    return CorruptDevice(e.what());
  }
  return device;
}

std::string DeviceCaToJson(const DeviceCaRecord& ca) {
  return Json{{"cert", ca.cert_pem}, {"key", ca.key_pem}, {"created_at", ca.created_at}}.dump();
}

Result<DeviceCaRecord> DeviceCaFromJson(std::string_view text) {
  KOSEKI_ASSIGN_OR_RETURN(const Json json, ParseObject(text));
  DeviceCaRecord ca;
  try {
    ca.cert_pem = json.at("cert").get<std::string>();
    ca.key_pem = json.at("key").get<std::string>();
    ca.created_at = json.at("created_at").get<std::int64_t>();
  } catch (const Json::exception& e) {
    return CorruptDevice(e.what());
  }
  return ca;
}

}  // namespace koseki::access
