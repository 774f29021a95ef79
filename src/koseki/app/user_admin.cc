#include "koseki/app/user_admin.h"

#include <utility>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

namespace actions = audit::actions;

audit::Event UserEvent(const access::Actor& actor, std::string_view action,
                       std::string_view login) {
  return workflow::EventOf(actor, action, audit::IsOpaqueId(login) ? login : "");
}

Result<access::Versioned<access::UserRecord>> ExistingUser(Koseki& koseki, std::string_view tenant,
                                                           std::string_view login) {
  KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
  KOSEKI_ASSIGN_OR_RETURN(auto user, koseki.directory().FindUser(tenant, login));
  if (!user) {
    return MakeError(ErrorCode::kNotFound, "KSK-AUTH-021", "指定された利用者は登録されていません。",
                     "unknown login");
  }
  return std::move(*user);
}

// Runs `change` on the stored user as the administrative action `action`.
Result<void> ChangeUser(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                        std::string_view login, std::string_view action,
                        const std::function<Result<void>(access::UserRecord&)>& change) {
  KOSEKI_RETURN_IF_ERROR(workflow::Recorded<bool>(
      koseki.audit(), koseki.LogFor(tenant), UserEvent(actor, action, login),
      [&](audit::Event&) -> Result<bool> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_ASSIGN_OR_RETURN(auto user, ExistingUser(koseki, tenant, login));
        KOSEKI_RETURN_IF_ERROR(change(user.value));
        KOSEKI_RETURN_IF_ERROR(koseki.directory().PutUser(tenant, user));
        return true;
      }));
  return Ok();
}

}  // namespace

Result<SecretBytes> AddUser(Koseki& koseki, const access::Actor& actor, const NewUser& request,
                            crypto::PasswordHashParams params) {
  return workflow::Recorded<SecretBytes>(
      koseki.audit(), koseki.LogFor(request.tenant),
      UserEvent(actor, actions::kUserAdd, request.login),
      [&](audit::Event&) -> Result<SecretBytes> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_RETURN_IF_ERROR(koseki.Tenant(request.tenant));
        KOSEKI_RETURN_IF_ERROR(access::ValidateLogin(request.login));
        KOSEKI_ASSIGN_OR_RETURN(auto existing,
                                koseki.directory().FindUser(request.tenant, request.login));
        if (existing) {
          return MakeError(ErrorCode::kAlreadyExists, "KSK-AUTH-020",
                           "このログイン ID は既に使われています。", "login taken");
        }
        KOSEKI_ASSIGN_OR_RETURN(SecretBytes password, crypto::NewOneTimePassword());
        access::UserRecord user{.login = request.login,
                                .role = request.role,
                                .must_change_password = true,
                                .pledge_signed = request.pledge_signed,
                                .training_until = request.training_until,
                                .created_at = UnixMicros(koseki.clock().Now()),
                                .created_by = actor.user_id};
        KOSEKI_ASSIGN_OR_RETURN(user.password_hash, crypto::HashPassword(password, params));
        KOSEKI_RETURN_IF_ERROR(koseki.directory().PutUser(request.tenant, {std::move(user), 0}));
        return password;
      });
}

Result<std::vector<access::UserRecord>> ListUsers(Koseki& koseki, const access::Actor& actor,
                                                  std::string_view tenant) {
  return workflow::Recorded<std::vector<access::UserRecord>>(
      koseki.audit(), koseki.LogFor(tenant), workflow::EventOf(actor, actions::kUserList),
      [&](audit::Event&) -> Result<std::vector<access::UserRecord>> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
        KOSEKI_ASSIGN_OR_RETURN(auto users, koseki.directory().ListUsers(tenant));
        std::vector<access::UserRecord> out;
        for (auto& user : users) {
          user.value.password_hash.clear();
          user.value.totp_secret.clear();
          user.value.totp_pending_secret.clear();
          out.push_back(std::move(user.value));
        }
        return out;
      });
}

Result<void> SetUserDisabled(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                             std::string_view login, bool disabled) {
  return ChangeUser(koseki, actor, tenant, login,
                    disabled ? actions::kUserDisable : actions::kUserEnable,
                    [&](access::UserRecord& user) -> Result<void> {
                      user.disabled = disabled;
                      return Ok();
                    });
}

Result<SecretBytes> ResetUser(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                              std::string_view login, crypto::PasswordHashParams params) {
  return workflow::Recorded<SecretBytes>(
      koseki.audit(), koseki.LogFor(tenant), UserEvent(actor, actions::kUserReset, login),
      [&](audit::Event&) -> Result<SecretBytes> {
        KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
        KOSEKI_ASSIGN_OR_RETURN(auto user, ExistingUser(koseki, tenant, login));
        KOSEKI_ASSIGN_OR_RETURN(SecretBytes password, crypto::NewOneTimePassword());
        KOSEKI_ASSIGN_OR_RETURN(user.value.password_hash, crypto::HashPassword(password, params));
        user.value.must_change_password = true;
        user.value.totp_secret.clear();
        user.value.totp_pending_secret.clear();
        user.value.failed_attempts = 0;
        user.value.locked_until = 0;
        KOSEKI_RETURN_IF_ERROR(koseki.directory().PutUser(tenant, user));
        return password;
      });
}

Result<void> SetUser(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                     std::string_view login, const UserChange& change) {
  return ChangeUser(koseki, actor, tenant, login, actions::kUserSet,
                    [&](access::UserRecord& user) -> Result<void> {
                      if (change.role) user.role = *change.role;
                      if (change.pledge_signed) user.pledge_signed = change.pledge_signed;
                      if (change.training_until) user.training_until = change.training_until;
                      return Ok();
                    });
}

Result<access::Actor> CliUserActor(Koseki& koseki, std::string_view tenant, std::string_view login,
                                   std::string_view os_user) {
  access::Actor actor{.user_id = audit::IsOpaqueId(login) ? std::string(login) : "",
                      .channel = access::Channel::kCli,
                      .device_id = std::string(os_user)};
  Result<access::Versioned<access::UserRecord>> user = ExistingUser(koseki, tenant, login);
  Result<void> may =
      user ? access::CheckMayLogIn(user->value, koseki.clock().Now()) : Result<void>(user.error());
  if (!may) {
    audit::Event event = UserEvent(actor, actions::kCliUserRefused, login);
    event.outcome = audit::OutcomeOf(may.error());
    event.error_id = may.error().id;
    (void)koseki.audit().Append(koseki.LogFor(tenant), event);
    return may.error();
  }
  actor.role = user->value.role;
  return actor;
}

}  // namespace koseki::app
