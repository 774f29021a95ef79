#include "koseki/access/sign_in.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "koseki/audit/actions.h"
#include "koseki/base/hex.h"
#include "koseki/crypto/aead.h"
#include "koseki/crypto/password_hash.h"
#include "koseki/crypto/sha256.h"
#include "koseki/crypto/totp.h"

namespace koseki::access {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kSessionIdHexDigits = 16;
// An anonymous token: 'a', then hex of nonce (8 bytes) ‖ created_at (u64be, 8) ‖ MAC (16).
constexpr char kAnonymousPrefix = 'a';
constexpr std::size_t kAnonymousNonceBytes = 8;
constexpr std::size_t kAnonymousBodyHexDigits = (kAnonymousNonceBytes + 8) * 2;
constexpr std::size_t kAnonymousTokenSize =
    1 + kAnonymousBodyHexDigits + crypto::BlindIndexer::kOutputSize * 2;
constexpr std::string_view kAnonymousTagPurpose = "koseki.anonymous_session";
constexpr std::string_view kAnonymousCsrfPurpose = "koseki.anonymous_csrf";

bool IsAnonymousToken(std::string_view token) {
  return token.size() == kAnonymousTokenSize && token.front() == kAnonymousPrefix;
}

namespace actions = audit::actions;

crypto::Sha256Digest TokenHash(std::string_view token) {
  return crypto::Sha256({std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(token.data()), token.size())});
}

std::string SessionIdOf(std::string_view token) {
  return HexEncode(TokenHash(token)).substr(0, kSessionIdHexDigits);
}

Result<std::string> NewToken() {
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes bytes, crypto::RandomBytes(kTokenBytes));
  return HexEncode(bytes);
}

std::optional<SessionStage> ParseStage(std::string_view name) {
  for (SessionStage stage :
       {SessionStage::kAnonymous, SessionStage::kChangePassword, SessionStage::kEnrolTotp,
        SessionStage::kTotp, SessionStage::kActive}) {
    if (SessionStageName(stage) == name) return stage;
  }
  return std::nullopt;
}

std::string SessionToJson(const SessionRecord& record) {
  return Json{{"login", record.login},
              {"device", record.device_serial},
              {"stage", SessionStageName(record.stage)},
              {"csrf", record.csrf},
              {"created_at", record.created_at},
              {"last_seen", record.last_seen},
              {"expires_at", record.expires_at}}
      .dump();
}

Result<SessionRecord> SessionFromJson(std::string_view text) {
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  SessionRecord record;
  bool ok = json.is_object();
  if (ok) {
    try {
      record.login = json.at("login").get<std::string>();
      record.device_serial = json.at("device").get<std::string>();
      const std::optional<SessionStage> stage = ParseStage(json.at("stage").get<std::string>());
      ok = stage.has_value();
      if (stage) record.stage = *stage;
      record.csrf = json.at("csrf").get<std::string>();
      record.created_at = json.at("created_at").get<std::int64_t>();
      record.last_seen = json.at("last_seen").get<std::int64_t>();
      record.expires_at = json.at("expires_at").get<std::int64_t>();
    } catch (const Json::exception&) {
      ok = false;
    }
  }
  if (!ok) {
    return MakeError(ErrorCode::kDataLoss, "KSK-AUTH-014", "セッションの記録を読み取れません。",
                     "session record does not parse");
  }
  return record;
}

Error WrongCredentials() {
  return MakeError(ErrorCode::kUnauthenticated, "KSK-AUTH-010",
                   "ログイン ID またはパスワードが違います。", "wrong login or password");
}

Error WrongStage() {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-AUTH-015",
                   "この操作は今の画面ではできません。最初からやり直してください。",
                   "sign-in step out of order");
}

Error OtherDevice() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-AUTH-011",
                   "このセッションは別の端末で開始されたため、使用できません。",
                   "session token from another device");
}

crypto::ByteView AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string_view SessionStageName(SessionStage stage) {
  switch (stage) {
    case SessionStage::kAnonymous:
      return "anonymous";
    case SessionStage::kChangePassword:
      return "change_password";
    case SessionStage::kEnrolTotp:
      return "enrol_totp";
    case SessionStage::kTotp:
      return "totp";
    case SessionStage::kActive:
      return "active";
  }
  return "anonymous";
}

SignIn::SignIn(Directory& directory, store::SealedObjects& sessions, audit::AuditLog& audit,
               const Clock& clock, crypto::BlindIndexer anonymous_key, SignInOptions options)
    : directory_(directory),
      sessions_(sessions),
      audit_(audit),
      clock_(clock),
      options_(std::move(options)),
      anonymous_mac_(std::move(anonymous_key)) {}

std::int64_t SignIn::Now() const { return UnixMicros(clock_.Now()); }

crypto::Bytes SignIn::AnonymousTag(const RequestOrigin& origin, std::string_view body_hex) const {
  // '/' occurs in none of the three parts, so the concatenation is unambiguous.
  return anonymous_mac_.Compute(kAnonymousTagPurpose, origin.tenant + "/" + origin.device_serial +
                                                          "/" + std::string(body_hex));
}

std::string SignIn::AnonymousCsrf(std::string_view token) const {
  return HexEncode(anonymous_mac_.Compute(kAnonymousCsrfPurpose, token));
}

std::optional<Session> SignIn::ResumeAnonymous(const RequestOrigin& origin,
                                               std::string_view token) const {
  if (!IsAnonymousToken(token)) return std::nullopt;
  const std::string_view body_hex = token.substr(1, kAnonymousBodyHexDigits);
  const std::optional<std::vector<std::uint8_t>> body = HexDecode(body_hex);
  const std::optional<std::vector<std::uint8_t>> tag =
      HexDecode(token.substr(1 + kAnonymousBodyHexDigits));
  if (!body || !tag) return std::nullopt;
  const crypto::Bytes expected = AnonymousTag(origin, body_hex);
  if (expected.size() != tag->size() ||
      CRYPTO_memcmp(expected.data(), tag->data(), tag->size()) != 0) {
    return std::nullopt;
  }
  std::uint64_t created = 0;
  for (std::size_t i = 0; i < 8; ++i) created = created << 8 | (*body)[kAnonymousNonceBytes + i];
  Session session = AnonymousSession(origin, token, static_cast<std::int64_t>(created));
  if (session.record.expires_at <= Now()) return std::nullopt;
  return session;
}

Session SignIn::AnonymousSession(const RequestOrigin& origin, std::string_view token,
                                 std::int64_t created_at) const {
  Session session;
  session.token = std::string(token);
  session.id = SessionIdOf(token);
  session.tenant = origin.tenant;
  session.record.device_serial = origin.device_serial;
  session.record.csrf = AnonymousCsrf(token);
  session.record.created_at = created_at;
  session.record.last_seen = created_at;
  session.record.expires_at =
      created_at + std::chrono::duration_cast<std::chrono::microseconds>(options_.lifetime).count();
  return session;
}

Result<void> SignIn::DeleteStored(std::string_view token) {
  if (token.empty() || IsAnonymousToken(token)) return Ok();
  return sessions_.DeleteSession(TokenHash(token));
}

bool SignIn::CsrfMatches(const Session& session, std::string_view csrf) {
  const std::string& expected = session.record.csrf;
  return !expected.empty() && csrf.size() == expected.size() &&
         CRYPTO_memcmp(csrf.data(), expected.data(), csrf.size()) == 0;
}

Result<void> SignIn::Save(Session& session) {
  const crypto::Sha256Digest hash = TokenHash(session.token);
  return sessions_.PutSession(session.tenant, hash, AsBytes(SessionToJson(session.record)),
                              session.record.expires_at);
}

// A new token for the same session: the old one is deleted, so a token that was known before a
// login (fixation) is worthless after it.
Result<void> SignIn::Rotate(Session& session) {
  const std::string old_token = session.token;
  KOSEKI_ASSIGN_OR_RETURN(session.token, NewToken());
  session.id = SessionIdOf(session.token);
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes csrf, crypto::RandomBytes(kTokenBytes));
  session.record.csrf = HexEncode(csrf);
  KOSEKI_RETURN_IF_ERROR(Save(session));
  return DeleteStored(old_token);
}

Result<void> SignIn::Record(const RequestOrigin& origin, const Session& session,
                            std::string_view action, std::string_view login, const Error* error,
                            const std::function<Result<void>()>& write) {
  audit::Event event;
  event.actor = audit::Actor{.user_id = audit::IsOpaqueId(login) ? std::string(login) : "",
                             .device_id = origin.device_fingerprint,
                             .address = origin.address};
  event.action = std::string(action);
  event.object_id = audit::IsOpaqueId(login) ? std::string(login) : "";
  event.context_id = session.id.empty() ? "" : "session:" + session.id;
  if (error != nullptr) {
    event.outcome = audit::OutcomeOf(*error);
    event.error_id = error->id;
  }
  if (!write) {
    KOSEKI_RETURN_IF_ERROR(audit_.Append(origin.tenant, event));
    return Ok();
  }
  KOSEKI_RETURN_IF_ERROR(
      audit_.AppendWith(origin.tenant, event, [&](audit::Event& recorded) -> Result<void> {
        KOSEKI_RETURN_IF_ERROR(write());
        // The write may have rotated the session: the entry names the one that goes on.
        recorded.context_id = session.id.empty() ? "" : "session:" + session.id;
        return Ok();
      }));
  return Ok();
}

Result<Session> SignIn::StartAnonymous(const RequestOrigin& origin) {
  KOSEKI_ASSIGN_OR_RETURN(crypto::Bytes body, crypto::RandomBytes(kAnonymousNonceBytes));
  const std::int64_t created = Now();
  for (int shift = 56; shift >= 0; shift -= 8) {
    body.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(created) >> shift));
  }
  const std::string body_hex = HexEncode(body);
  return AnonymousSession(
      origin, kAnonymousPrefix + body_hex + HexEncode(AnonymousTag(origin, body_hex)), created);
}

Result<std::optional<Session>> SignIn::Resume(const RequestOrigin& origin, std::string_view token) {
  if (IsAnonymousToken(token)) return ResumeAnonymous(origin, token);
  if (token.size() != kTokenBytes * 2) return std::optional<Session>();
  KOSEKI_ASSIGN_OR_RETURN(auto stored, sessions_.GetSession(TokenHash(token)));
  if (!stored) return std::optional<Session>();
  Session session;
  session.id = SessionIdOf(token);
  session.tenant = stored->first;
  KOSEKI_ASSIGN_OR_RETURN(session.record, SessionFromJson(std::string_view(
                                              reinterpret_cast<const char*>(stored->second.data()),
                                              stored->second.size())));
  if (session.tenant != origin.tenant || session.record.device_serial != origin.device_serial) {
    const Error refused = OtherDevice();
    KOSEKI_RETURN_IF_ERROR(sessions_.DeleteSession(TokenHash(token)));
    // Recorded where the request came from; the session's own tenant learns of it only if it
    // is the same one (a foreign tenant's session id means nothing there).
    KOSEKI_RETURN_IF_ERROR(
        Record(origin, session, actions::kSessionRefused, session.record.login, &refused));
    return refused;
  }
  session.token = std::string(token);
  if (session.record.stage != SessionStage::kAnonymous) {
    KOSEKI_ASSIGN_OR_RETURN(Versioned<UserRecord> user, LoadUser(origin, session));
    session.user = std::move(user.value);
  }
  return Revalidate(origin, std::move(session));
}

Result<std::optional<Session>> SignIn::Revalidate(const RequestOrigin& origin, Session session) {
  if (session.record.expires_at <= Now()) return std::optional<Session>();
  if (session.user) {
    Result<void> may = CheckMayLogIn(*session.user, clock_.Now());
    if (may) may = CheckRoleInZone(session.user->role, origin.zone, origin.zones);
    if (!may) {
      KOSEKI_RETURN_IF_ERROR(End(origin, session, may.error()));
      return may.error();
    }
  }
  session.idle_expired = false;
  if (session.record.stage == SessionStage::kActive) {
    const std::int64_t idle =
        std::chrono::duration_cast<std::chrono::microseconds>(origin.idle_timeout).count();
    session.idle_expired = Now() - session.record.last_seen > idle;
  }
  return std::optional<Session>(std::move(session));
}

Result<Versioned<UserRecord>> SignIn::LoadUser(const RequestOrigin& origin,
                                               const Session& session) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<Versioned<UserRecord>> user,
                          directory_.FindUser(origin.tenant, session.record.login));
  if (!user) return WrongCredentials();
  return std::move(*user);
}

Result<void> SignIn::CountFailure(std::string_view tenant, Versioned<UserRecord>& user) {
  user.value.failed_attempts += 1;
  if (user.value.failed_attempts >= kMaxFailedAttempts) {
    user.value.locked_until =
        Now() + std::chrono::duration_cast<std::chrono::microseconds>(kLockout).count();
    user.value.failed_attempts = 0;
  }
  KOSEKI_ASSIGN_OR_RETURN(user.version, directory_.PutUser(tenant, user));
  return Ok();
}

Result<void> SignIn::SubmitPassword(const RequestOrigin& origin, Session& session,
                                    std::string_view login, const SecretBytes& password) {
  if (session.record.stage != SessionStage::kAnonymous) return WrongStage();
  std::optional<Versioned<UserRecord>> user;
  if (ValidateLogin(login)) {
    KOSEKI_ASSIGN_OR_RETURN(user, directory_.FindUser(origin.tenant, login));
  }
  auto refuse = [&](const Error& error) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(Record(origin, session, actions::kPasswordStep,
                                  user ? std::string_view(user->value.login) : "", &error));
    return error;
  };
  if (!user) return refuse(WrongCredentials());
  // A locked account is refused before its password is even looked at, so the lock stops
  // guessing; the other reasons are told only to whoever knows the password.
  if (user->value.locked_until > Now())
    return refuse(CheckMayLogIn(user->value, clock_.Now()).error());
  if (!crypto::VerifyPassword(password, user->value.password_hash)) {
    const Error wrong = WrongCredentials();
    KOSEKI_RETURN_IF_ERROR(Record(origin, session, actions::kPasswordStep, user->value.login,
                                  &wrong, [&] { return CountFailure(origin.tenant, *user); }));
    return wrong;
  }
  if (Result<void> may = CheckMayLogIn(user->value, clock_.Now()); !may) {
    return refuse(may.error());
  }
  if (Result<void> zone = CheckRoleInZone(user->value.role, origin.zone, origin.zones); !zone) {
    return refuse(zone.error());
  }
  session.record.login = user->value.login;
  session.record.stage = user->value.must_change_password  ? SessionStage::kChangePassword
                         : user->value.totp_secret.empty() ? SessionStage::kEnrolTotp
                                                           : SessionStage::kTotp;
  session.user = user->value;
  KOSEKI_RETURN_IF_ERROR(Rotate(session));
  return Record(origin, session, actions::kPasswordStep, user->value.login, nullptr);
}

Result<void> SignIn::ChangePassword(const RequestOrigin& origin, Session& session,
                                    const SecretBytes& new_password) {
  if (session.record.stage != SessionStage::kChangePassword) return WrongStage();
  KOSEKI_ASSIGN_OR_RETURN(Versioned<UserRecord> user, LoadUser(origin, session));
  auto refuse = [&](const Error& error) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(
        Record(origin, session, actions::kPasswordChange, user.value.login, &error));
    return error;
  };
  if (Result<void> policy = crypto::CheckPasswordPolicy(new_password, user.value.login); !policy) {
    return refuse(policy.error());
  }
  if (crypto::VerifyPassword(new_password, user.value.password_hash)) {
    return refuse(MakeError(ErrorCode::kInvalidArgument, "KSK-AUTH-012",
                            "新しいパスワードは今のパスワードと別のものにしてください。",
                            "new password equals the current one"));
  }
  KOSEKI_ASSIGN_OR_RETURN(user.value.password_hash, crypto::HashPassword(new_password));
  user.value.must_change_password = false;
  session.record.stage =
      user.value.totp_secret.empty() ? SessionStage::kEnrolTotp : SessionStage::kTotp;
  session.user = user.value;
  return Record(origin, session, actions::kPasswordChange, user.value.login, nullptr,
                [&]() -> Result<void> {
                  KOSEKI_ASSIGN_OR_RETURN(user.version, directory_.PutUser(origin.tenant, user));
                  return Save(session);
                });
}

Result<TotpEnrolment> SignIn::BeginTotpEnrolment(const RequestOrigin& origin, Session& session,
                                                 std::string_view tenant_name) {
  if (session.record.stage != SessionStage::kEnrolTotp) return WrongStage();
  KOSEKI_ASSIGN_OR_RETURN(Versioned<UserRecord> user, LoadUser(origin, session));
  if (user.value.totp_pending_secret.empty()) {
    KOSEKI_ASSIGN_OR_RETURN(SecretBytes secret, crypto::NewTotpSecret());
    user.value.totp_pending_secret = crypto::Base32Encode(secret.span());
    KOSEKI_RETURN_IF_ERROR(Record(
        origin, session, actions::kTotpIssue, user.value.login, nullptr, [&]() -> Result<void> {
          KOSEKI_ASSIGN_OR_RETURN(user.version, directory_.PutUser(origin.tenant, user));
          return Ok();
        }));
  }
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes secret, crypto::Base32Decode(user.value.totp_pending_secret));
  const std::string issuer = options_.issuer_prefix + " " + std::string(tenant_name);
  return TotpEnrolment{
      .secret_base32 = user.value.totp_pending_secret,
      .provisioning_uri = crypto::TotpProvisioningUri(issuer, user.value.login, secret)};
}

Result<void> SignIn::SubmitTotp(const RequestOrigin& origin, Session& session,
                                std::string_view code) {
  const bool enrolling = session.record.stage == SessionStage::kEnrolTotp;
  if (!enrolling && session.record.stage != SessionStage::kTotp) return WrongStage();
  KOSEKI_ASSIGN_OR_RETURN(Versioned<UserRecord> user, LoadUser(origin, session));
  const std::string_view action = enrolling ? actions::kTotpEnrol : actions::kTotpStep;
  auto refuse = [&](const Error& error) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(Record(origin, session, action, user.value.login, &error));
    return error;
  };
  if (Result<void> may = CheckMayLogIn(user.value, clock_.Now()); !may) {
    return refuse(may.error());
  }
  const std::string& secret_text =
      enrolling ? user.value.totp_pending_secret : user.value.totp_secret;
  std::optional<std::int64_t> step;
  if (!secret_text.empty()) {
    KOSEKI_ASSIGN_OR_RETURN(SecretBytes secret, crypto::Base32Decode(secret_text));
    const std::int64_t now_seconds = Now() / 1'000'000;
    step = crypto::VerifyTotp(secret, code, now_seconds, user.value.totp_last_step);
  }
  if (!step) {
    const Error wrong = MakeError(
        ErrorCode::kUnauthenticated, "KSK-AUTH-013",
        "確認コードが違います。認証アプリの 6 桁の数字を入力してください。", "wrong TOTP code");
    KOSEKI_RETURN_IF_ERROR(Record(origin, session, action, user.value.login, &wrong,
                                  [&] { return CountFailure(origin.tenant, user); }));
    return wrong;
  }
  if (enrolling) {
    user.value.totp_secret = std::move(user.value.totp_pending_secret);
    user.value.totp_pending_secret.clear();
  }
  user.value.totp_last_step = *step;
  KOSEKI_RETURN_IF_ERROR(Activate(origin, session, user));
  return Ok();
}

Result<void> SignIn::Activate(const RequestOrigin& origin, Session& session,
                              Versioned<UserRecord>& user) {
  user.value.failed_attempts = 0;
  session.record.stage = SessionStage::kActive;
  session.record.last_seen = Now();
  session.user = user.value;
  return Record(origin, session, actions::kLogin, user.value.login, nullptr, [&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(user.version, directory_.PutUser(origin.tenant, user));
    return Rotate(session);
  });
}

Result<void> SignIn::Touch(Session& session) {
  const std::int64_t now = Now();
  const std::int64_t interval =
      std::chrono::duration_cast<std::chrono::microseconds>(kTouchInterval).count();
  const bool write = session.idle_expired || now - session.record.last_seen >= interval;
  session.idle_expired = false;
  if (!write) return Ok();
  session.record.last_seen = now;
  return Save(session);
}

Result<void> SignIn::Logout(const RequestOrigin& origin, Session& session) {
  KOSEKI_RETURN_IF_ERROR(DeleteStored(session.token));
  return Record(origin, session, actions::kLogout, session.record.login, nullptr);
}

Result<void> SignIn::End(const RequestOrigin& origin, Session& session, const Error& reason) {
  KOSEKI_RETURN_IF_ERROR(DeleteStored(session.token));
  return Record(origin, session, actions::kSessionEnd, session.record.login, &reason);
}

}  // namespace koseki::access
