// A user of a tenant (R11, R13): login, role, credentials and the conditions of access — the
// 行動規範誓約 (pledge) and the training that must be current. Values and the checks on them
// only; storing them is access/directory.h, the sign-in flow access/sign_in.h.
//
// The login is an opaque id (a staff code such as "op-07" or "clerk.k2"): it names the user in
// audit entries, so it is restricted to what an audit id may hold and never a person's name.
// Credentials live only inside the tenant-sealed record: the Argon2id hash of the password and
// the TOTP secret (RFC 6238) in base32.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/access/actor.h"
#include "koseki/access/zone.h"
#include "koseki/base/result.h"

namespace koseki::access {

struct UserRecord {
  std::string login = {};
  Role role = Role::kClerk;
  bool disabled = false;
  std::string password_hash = {};  // Argon2id, libsodium's encoded form
  bool must_change_password = true;
  std::string totp_secret = {};          // base32; empty until enrolment is confirmed
  std::string totp_pending_secret = {};  // base32; offered during enrolment, not yet confirmed
  std::int64_t totp_last_step = 0;       // a TOTP code is accepted once: steps ≤ this are refused
  int failed_attempts = 0;               // consecutive wrong passwords or codes
  std::int64_t locked_until = 0;         // Unix micros; 0 = not locked
  std::optional<std::chrono::year_month_day> pledge_signed = {};  // 行動規範誓約の日
  std::optional<std::chrono::year_month_day> training_until =
      {};  // 研修の有効期限（その日まで有効）
  std::int64_t created_at = 0;
  std::string created_by = {};
};

// After this many consecutive failures an account is locked for kLockout.
inline constexpr int kMaxFailedAttempts = 5;
inline constexpr std::chrono::minutes kLockout{15};

// Checks a login: 2–32 characters of [a-z0-9._-], starting with a letter or digit
// (InvalidArgument KSK-AUTH-001).
Result<void> ValidateLogin(std::string_view login);

// Serializes a record for sealing (JSON; the secrets stay inside the sealed bytes).
std::string UserToJson(const UserRecord& user);
// DataLoss KSK-AUTH-002 if the bytes are not a user record.
Result<UserRecord> UserFromJson(std::string_view json);

// Returns OK if `user` may log in at `now`; otherwise the reason the user is told (R13):
// disabled (KSK-AUTH-003), locked after failures (KSK-AUTH-004), no pledge on record
// (KSK-AUTH-005), training lapsed or never recorded (KSK-AUTH-006).
Result<void> CheckMayLogIn(const UserRecord& user, std::chrono::system_clock::time_point now);

// Returns whether `role` may work from a device of `zone`: operators and supervisors only from
// the vendor's room, clerks, examiners and approvers only from the city; auditors and
// administrators from the zones the tenant allows (`auditor_zones`, `admin_zones`).
struct ZoneSet {
  bool city = false;
  bool vendor = false;
  bool Has(Zone zone) const { return zone == Zone::kCity ? city : vendor; }
};
// Parses "city", "vendor", "city,vendor" (InvalidArgument KSK-AUTH-009).
Result<ZoneSet> ParseZoneSet(std::string_view text);
std::string FormatZoneSet(ZoneSet zones);
struct ZonePolicy {
  ZoneSet auditor_zones = ZoneSet{.city = true, .vendor = false};
  ZoneSet admin_zones = ZoneSet{.city = true, .vendor = false};
};
bool RoleAllowedInZone(Role role, Zone zone, const ZonePolicy& policy);
// PermissionDenied KSK-AUTH-007 unless RoleAllowedInZone.
Result<void> CheckRoleInZone(Role role, Zone zone, const ZonePolicy& policy);

// Parses "YYYY-MM-DD" (InvalidArgument KSK-AUTH-008) and formats it back.
Result<std::chrono::year_month_day> ParseIsoDay(std::string_view text);
std::string FormatIsoDay(std::chrono::year_month_day day);

}  // namespace koseki::access
