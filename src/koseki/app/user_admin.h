// Users of a tenant (R11, R13) as administrative use cases: add (with a one-time password that
// must be changed at first login), list, disable, enable, reset (a new one-time password, TOTP
// to be enrolled again, lock cleared) and set (role, pledge date, training date).
//
// Every use case takes the actor (an administrator: KSK-ADMIN-001) and records itself in the
// tenant's audit log (admin.user_*), refusals included. A one-time password is returned once
// and never stored: only its Argon2id hash is (in the tenant-sealed user record).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/user.h"
#include "koseki/app/koseki.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/password_hash.h"

namespace koseki::app {

struct NewUser {
  std::string tenant = {};
  std::string login = {};
  access::Role role = access::Role::kClerk;
  std::optional<std::chrono::year_month_day> pledge_signed = {};
  std::optional<std::chrono::year_month_day> training_until = {};
};

// Adds a user; returns the one-time password. AlreadyExists KSK-AUTH-020 if the login is taken.
Result<SecretBytes> AddUser(Koseki& koseki, const access::Actor& actor, const NewUser& user,
                            crypto::PasswordHashParams params = {});
// Returns the tenant's users (credentials cleared).
Result<std::vector<access::UserRecord>> ListUsers(Koseki& koseki, const access::Actor& actor,
                                                  std::string_view tenant);
// NotFound KSK-AUTH-021 for an unknown login.
Result<void> SetUserDisabled(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                             std::string_view login, bool disabled);
Result<SecretBytes> ResetUser(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                              std::string_view login, crypto::PasswordHashParams params = {});
struct UserChange {
  std::optional<access::Role> role = {};
  std::optional<std::chrono::year_month_day> pledge_signed = {};
  std::optional<std::chrono::year_month_day> training_until = {};
};
Result<void> SetUser(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                     std::string_view login, const UserChange& change);

// Returns the enabled user `login` of the tenant for a command-line actor, refused as at login
// (disabled, locked, pledge, training: access::CheckMayLogIn) and recorded as cli.user_refused
// when refused. The role comes from the record, never from the command line.
Result<access::Actor> CliUserActor(Koseki& koseki, std::string_view tenant, std::string_view login,
                                   std::string_view os_user);

}  // namespace koseki::app
