// SignIn: the server-side sessions of the web channel and the steps that make one (R8, R11,
// R13): password (Argon2id), a first-login password change, TOTP enrolment (RFC 6238) and the
// TOTP code — in that order, each step a transition of the session's stage. Every outcome that
// matters is recorded in the tenant's audit log: a login (ok or refused with the reason), each
// refused step, a password change, a TOTP enrolment, a session refused because its cookie came
// from another device, a logout, a session ended by its window or lifetime.
//
// Sessions live in the store (sealed, keyed by the SHA-256 of the token, store/sealed_objects.h)
// so that several servers can share them — from the password step on. Before it, the login
// form's session is anonymous and costs no write: its token carries the device, its start and
// a MAC under the installation's anonymous-session key (so a new connection that only asks for
// the login page writes nothing), and its CSRF token is a MAC of the token. An anonymous token
// is bound to its device like any other; it grants nothing but the login form, and it lapses
// with the session lifetime. A session is bound to the device it started on: the
// token presented by another device is refused and the session ended. The token changes when a
// login succeeds, so a token planted before the login is worthless after it.
//
// Idle: a session unused for longer than its zone's idle time is not ended but marked; the
// caller then shows the initial menu and nothing else, and the next request is normal (R8:
// "idle → menu"). Activity is written to the store at most every kTouchInterval, so a session's
// idle time is measured to within that interval.
//
// Thread-safe; each call is one request's work.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/access/directory.h"
#include "koseki/access/user.h"
#include "koseki/access/zone.h"
#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/crypto/blind_index.h"
#include "koseki/store/sealed_objects.h"

namespace koseki::access {

enum class SessionStage {
  kAnonymous,       // before login: holds only the CSRF token of the login form
  kChangePassword,  // password accepted; a one-time password must be replaced
  kEnrolTotp,       // password accepted; no TOTP secret yet
  kTotp,            // password accepted; the TOTP code is due
  kActive,          // logged in
};
std::string_view SessionStageName(SessionStage stage);

struct SessionRecord {
  std::string login = {};  // empty while anonymous
  std::string device_serial = {};
  SessionStage stage = SessionStage::kAnonymous;
  std::string csrf = {};  // per session; every state-changing request must echo it
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  std::int64_t expires_at = 0;  // absolute lifetime
};

// A session as a request sees it.
struct Session {
  std::string token = {};  // the cookie value; set only when this call created or replaced it
  std::string id;          // short public id of the session (audit context), not the token
  std::string tenant = {};
  SessionRecord record = {};
  std::optional<UserRecord> user = {};  // from the session's stage kChangePassword on
  bool idle_expired = false;            // land on the menu (see header)
};

// Where a request comes from: the device the TLS handshake identified, and what the tenant
// allows there.
struct RequestOrigin {
  std::string tenant = {};
  Zone zone = Zone::kCity;
  std::string device_serial = {};
  std::string device_fingerprint = {};
  std::string address = {};  // the device's IP address
  ZonePolicy zones = {};
  std::chrono::seconds idle_timeout{600};
};

struct SignInOptions {
  std::chrono::seconds lifetime{12 * 3600};
  std::string issuer_prefix = "koseki";  // TOTP issuer shown in authenticator apps
};

// What the TOTP enrolment page shows.
struct TotpEnrolment {
  std::string secret_base32 = {};
  std::string provisioning_uri = {};
};

inline constexpr std::chrono::seconds kTouchInterval{15};

class SignIn {
 public:
  // All references must outlive this object.
  // `anonymous_key` keys the anonymous sessions' MACs: the installation's, so that every
  // server on the store, and this one after a restart, accepts the login forms it handed out.
  SignIn(Directory& directory, store::SealedObjects& sessions, audit::AuditLog& audit,
         const Clock& clock, crypto::BlindIndexer anonymous_key, SignInOptions options = {});

  // Returns the session of `token` for this request, or nullopt if there is none (unknown,
  // expired, ended). A token of another device or tenant is refused: recorded, the session
  // ended, PermissionDenied KSK-AUTH-011 returned. A user who may no longer log in (disabled,
  // locked, training lapsed, zone) has the session ended and gets the reason.
  Result<std::optional<Session>> Resume(const RequestOrigin& origin, std::string_view token);
  // Resume's checks again, for a session Resume returned earlier on the same connection when
  // nothing was committed to the store since (store::Backend::ChangeStamp): what depends on
  // the time — expiry, the user's training, idle — is decided anew; the rest cannot have
  // changed.
  Result<std::optional<Session>> Revalidate(const RequestOrigin& origin, Session session);
  // Starts an anonymous session (the login form's CSRF token); nothing is stored.
  Result<Session> StartAnonymous(const RequestOrigin& origin);

  // The login form. Wrong login or password: Unauthenticated KSK-AUTH-010 (the same for
  // both), counted towards the lock; the account's own reasons (CheckMayLogIn) and the zone
  // (KSK-AUTH-007) after the password was right. On success the session moves on and gets a
  // new token (session.token).
  Result<void> SubmitPassword(const RequestOrigin& origin, Session& session, std::string_view login,
                              const SecretBytes& password);
  // Replaces the one-time password (stage kChangePassword): the policy of
  // crypto::CheckPasswordPolicy; the new one must differ from the current one (KSK-AUTH-012).
  Result<void> ChangePassword(const RequestOrigin& origin, Session& session,
                              const SecretBytes& new_password);
  // Offers a TOTP secret (stage kEnrolTotp), the same one until it is confirmed.
  Result<TotpEnrolment> BeginTotpEnrolment(const RequestOrigin& origin, Session& session,
                                           std::string_view tenant_name);
  // Confirms enrolment with a code of the offered secret, or checks the code of an enrolled
  // user (stage kTotp). A wrong code: Unauthenticated KSK-AUTH-013, counted towards the lock.
  // On success the session is active (auth.login recorded) and gets a new token.
  Result<void> SubmitTotp(const RequestOrigin& origin, Session& session, std::string_view code);
  // Records the request's activity (see the header on kTouchInterval) and clears idle.
  Result<void> Touch(Session& session);
  // Ends the session: logout (auth.logout) or, with a reason (KSK id), ended by the server.
  Result<void> Logout(const RequestOrigin& origin, Session& session);
  Result<void> End(const RequestOrigin& origin, Session& session, const Error& reason);

  // Returns whether `csrf` is the session's token (constant time).
  static bool CsrfMatches(const Session& session, std::string_view csrf);

 private:
  Result<void> Save(Session& session);
  // The anonymous session of `token` if it is one this process issued to this device and it
  // has not lapsed; nullopt otherwise.
  std::optional<Session> ResumeAnonymous(const RequestOrigin& origin, std::string_view token) const;
  // The token's MAC (over tenant, device and the token's body) and the CSRF token derived
  // from a token.
  crypto::Bytes AnonymousTag(const RequestOrigin& origin, std::string_view body_hex) const;
  // The anonymous session of `token` (already checked or just made) started at `created_at`.
  Session AnonymousSession(const RequestOrigin& origin, std::string_view token,
                           std::int64_t created_at) const;
  std::string AnonymousCsrf(std::string_view token) const;
  // Deletes the stored session of `token`; nothing for an anonymous (never stored) one.
  Result<void> DeleteStored(std::string_view token);
  Result<void> Rotate(Session& session);
  // Records `action` (refused with `error` if given). `write`, if given, is what the action
  // changes (the user's record, the session): it runs in the same transaction as the entry, so
  // that the user's row is never written without the entry that commits to it.
  Result<void> Record(const RequestOrigin& origin, const Session& session, std::string_view action,
                      std::string_view login, const Error* error,
                      const std::function<Result<void>()>& write = {});
  // Counts a failed password or code and locks the account at kMaxFailedAttempts.
  Result<void> CountFailure(std::string_view tenant, Versioned<UserRecord>& user);
  Result<Versioned<UserRecord>> LoadUser(const RequestOrigin& origin, const Session& session);
  Result<void> Activate(const RequestOrigin& origin, Session& session, Versioned<UserRecord>& user);
  std::int64_t Now() const;

  Directory& directory_;
  store::SealedObjects& sessions_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  SignInOptions options_ = {};
  crypto::BlindIndexer anonymous_mac_;
};

}  // namespace koseki::access
