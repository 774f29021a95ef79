#include "koseki/access/user.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "koseki/base/clock.h"

namespace koseki::access {
namespace {

using Json = nlohmann::json;

bool IsLoginChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Error CorruptUser(std::string_view detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUTH-002", "利用者の記録を読み取れません。",
                   std::string("user record: ") + std::string(detail));
}

}  // namespace

Result<void> ValidateLogin(std::string_view login) {
  bool ok = login.size() >= 2 && login.size() <= 32 && login.front() != '.' &&
            login.front() != '_' && login.front() != '-';
  for (char c : login) ok = ok && IsLoginChar(c);
  if (!ok) {
    return MakeError(
        ErrorCode::kInvalidArgument, "KSK-AUTH-001",
        "ログイン ID は英小文字・数字と . _ - の 2〜32 文字で、英数字で始めてください。",
        "malformed login");
  }
  return Ok();
}

Result<std::chrono::year_month_day> ParseIsoDay(std::string_view text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  const std::string copy(text);
  if (text.size() == 10 && std::sscanf(copy.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3) {
    const std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(d)};
    if (day.ok()) return day;
  }
  return MakeError(ErrorCode::kInvalidArgument, "KSK-AUTH-008",
                   "日付は YYYY-MM-DD の形で指定してください。", "malformed date");
}

std::string FormatIsoDay(std::chrono::year_month_day day) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return buffer;
}

Result<ZoneSet> ParseZoneSet(std::string_view text) {
  ZoneSet zones;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::optional<Zone> zone = ParseZone(item);
    if (!zone) {
      zones = {};
      break;
    }
    (*zone == Zone::kCity ? zones.city : zones.vendor) = true;
  }
  if (!zones.city && !zones.vendor) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-AUTH-009",
                     "区域は city、vendor またはその両方（city,vendor）で指定してください。",
                     "malformed zone set");
  }
  return zones;
}

std::string FormatZoneSet(ZoneSet zones) {
  if (zones.city && zones.vendor) return "city,vendor";
  return zones.city ? "city" : (zones.vendor ? "vendor" : "");
}

std::string UserToJson(const UserRecord& user) {
  Json json = {{"login", user.login},
               {"role", RoleName(user.role)},
               {"disabled", user.disabled},
               {"password_hash", user.password_hash},
               {"must_change_password", user.must_change_password},
               {"totp_secret", user.totp_secret},
               {"totp_pending_secret", user.totp_pending_secret},
               {"totp_last_step", user.totp_last_step},
               {"failed_attempts", user.failed_attempts},
               {"locked_until", user.locked_until},
               {"pledge_signed", user.pledge_signed ? FormatIsoDay(*user.pledge_signed) : ""},
               {"training_until", user.training_until ? FormatIsoDay(*user.training_until) : ""},
               {"created_at", user.created_at},
               {"created_by", user.created_by}};
  return json.dump();
}

Result<UserRecord> UserFromJson(std::string_view text) {
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return CorruptUser("not an object");
  UserRecord user;
  try {
    user.login = json.at("login").get<std::string>();
    const std::optional<Role> role = ParseRole(json.at("role").get<std::string>());
    if (!role) return CorruptUser("unknown role");
    user.role = *role;
    user.disabled = json.at("disabled").get<bool>();
    user.password_hash = json.at("password_hash").get<std::string>();
    user.must_change_password = json.at("must_change_password").get<bool>();
    user.totp_secret = json.at("totp_secret").get<std::string>();
    user.totp_pending_secret = json.at("totp_pending_secret").get<std::string>();
    user.totp_last_step = json.at("totp_last_step").get<std::int64_t>();
    user.failed_attempts = json.at("failed_attempts").get<int>();
    user.locked_until = json.at("locked_until").get<std::int64_t>();
    for (auto [key, field] : {std::pair{"pledge_signed", &user.pledge_signed},
                              std::pair{"training_until", &user.training_until}}) {
      const std::string day = json.at(key).get<std::string>();
      if (day.empty()) continue;
      KOSEKI_ASSIGN_OR_RETURN(*field, ParseIsoDay(day));
    }
    user.created_at = json.at("created_at").get<std::int64_t>();
    user.created_by = json.at("created_by").get<std::string>();
  } catch (const Json::exception& e) {
    return CorruptUser(e.what());
  }
  if (!ValidateLogin(user.login)) return CorruptUser("malformed login");
  return user;
}

Result<void> CheckMayLogIn(const UserRecord& user, std::chrono::system_clock::time_point now) {
  if (user.disabled) {
    return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-003",
                     "このアカウントは停止されています。管理者に連絡してください。",
                     "user disabled");
  }
  if (user.locked_until > UnixMicros(now)) {
    return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-004",
                     "認証に続けて失敗したため、アカウントを 15 分間ロックしています。",
                     "user locked after failures");
  }
  if (!user.pledge_signed) {
    return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-005",
                     "行動規範への誓約が記録されていないため、ログインできません。",
                     "no pledge on record");
  }
  if (!user.training_until || *user.training_until < JapanDayOf(now)) {
    return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-006",
                     "研修の有効期限が切れているため、ログインできません。研修を受けてください。",
                     "training lapsed");
  }
  return Ok();
}

bool RoleAllowedInZone(Role role, Zone zone, const ZonePolicy& policy) {
  switch (role) {
    case Role::kOperator:
    case Role::kSupervisor:
      return zone == Zone::kVendor;
    case Role::kClerk:
    case Role::kExaminer:
    case Role::kApprover:
      return zone == Zone::kCity;
    case Role::kAuditor:
      return policy.auditor_zones.Has(zone);
    case Role::kAdmin:
      return policy.admin_zones.Has(zone);
  }
  return false;
}

Result<void> CheckRoleInZone(Role role, Zone zone, const ZonePolicy& policy) {
  if (RoleAllowedInZone(role, zone, policy)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-007",
                   "この役割では、この端末からは利用できません。", "role not allowed in zone");
}

}  // namespace koseki::access
