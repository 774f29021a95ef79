#include "koseki/web/portal.h"

#include <utility>

#include "koseki/audit/actions.h"
#include "koseki/base/log.h"
#include "koseki/render/qr_svg.h"
#include "koseki/web/form_data.h"
#include "koseki/web/pages.h"

namespace koseki::web {
namespace {

Error WindowClosed() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-WEB-104",
                   "サービス時間外です。利用時間内に接続してください。",
                   "outside the zone's service window");
}

Error CsrfRefused() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-WEB-102",
                   "画面の有効期限が切れたか、正しくない送信です。画面を開き直してください。",
                   "missing or wrong CSRF token");
}

Error PasswordsDiffer() {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-103",
                   "確認のために入力したパスワードが一致しません。",
                   "password confirmation differs");
}

Error DeviceNotRegistered() {
  return MakeError(ErrorCode::kPermissionDenied, "KSK-WEB-105",
                   "この端末は登録されていないか、登録が取り消されています。",
                   "device not registered, revoked or outside its validity");
}

Error PageNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-WEB-106", "ページが見つかりません。", "no such page");
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view ZoneLabel(access::Zone zone) {
  return zone == access::Zone::kCity ? "市区町村" : "事業者";
}

}  // namespace

// What a connection's earlier requests looked up, valid while the store's change stamp is the
// one read before the lookups: a keep-alive connection then costs one stamp read per request
// instead of a read and an AEAD open of settings, tenant, device, session and user. Any commit
// — a revocation, a disabled user, a changed window, this server's own session writes, a CLI
// command beside it — moves the stamp, and the next request looks everything up again.
struct PortalMemo final : ConnectionMemo {
  std::uint64_t stamp = 0;
  access::AccessSettings settings = {};
  std::string tenant_name = {};
  std::optional<access::DeviceRecord> device = {};
  std::optional<access::Session> session = {};  // as SignIn::Resume returned it (with its token)
};

struct Portal::Exchange {
  const Request& request;
  std::string path = {};
  bool post = false;
  access::RequestOrigin origin = {};
  PageFrame frame = {};
  FormFields form = {};
  std::optional<std::string> set_cookie = {};  // a new token to send; "" clears the cookie
};

std::string AddressOfPeer(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const std::size_t close = peer.find(']');
    return std::string(peer.substr(1, close == std::string_view::npos ? 0 : close - 1));
  }
  return std::string(peer.substr(0, peer.rfind(':')));
}

http::status HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return http::status::bad_request;
    case ErrorCode::kNotFound:
      return http::status::not_found;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAborted:
      return http::status::conflict;
    case ErrorCode::kPermissionDenied:
      return http::status::forbidden;
    case ErrorCode::kUnauthenticated:
      return http::status::unauthorized;
    case ErrorCode::kUnavailable:
      return http::status::service_unavailable;
    case ErrorCode::kDataLoss:
    case ErrorCode::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::size_t Portal::BodyLimit(http::verb method, std::string_view) const {
  return method == http::verb::post ? options_.form_body_limit : 0;
}

namespace {

HttpResponse MakeResponse(const Request& request, http::status status, std::string body,
                          std::string_view content_type) {
  HttpResponse response{status, request.message.version()};
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.keep_alive(request.message.keep_alive());
  return response;
}

HttpResponse Html(const Request& request, http::status status, std::string body) {
  return MakeResponse(request, status, std::move(body), "text/html; charset=utf-8");
}

HttpResponse SeeOther(const Request& request, std::string_view location) {
  HttpResponse response = MakeResponse(request, http::status::see_other, {}, "text/plain");
  response.set(http::field::location, location);
  return response;
}

}  // namespace

HttpResponse Portal::Handle(const Request& request) {
  Exchange exchange{.request = request, .path = std::string(PathOf(request.message.target()))};
  exchange.post = request.message.method() == http::verb::post;
  Result<HttpResponse> served = Serve(exchange);
  HttpResponse response = served ? std::move(*served)
                                 : Html(request, HttpStatusFor(served.error().code),
                                        ErrorPage(exchange.frame, "エラー", served.error()));
  if (!served) {
    if (HttpStatusFor(served.error().code) == http::status::internal_server_error) {
      log::Error("portal_failed",
                 {{"error_id", served.error().id}, {"detail", served.error().internal_detail}});
    }
    // A refused device or window: nothing more will be served on this connection.
    if (served.error().id == WindowClosed().id || served.error().id == DeviceNotRegistered().id) {
      response.keep_alive(false);
    }
  }
  if (exchange.set_cookie) {
    const std::string& token = *exchange.set_cookie;
    response.set(http::field::set_cookie, std::string(kSessionCookie) + "=" + token +
                                              "; Path=/; Secure; HttpOnly; SameSite=Strict" +
                                              (token.empty() ? "; Max-Age=0" : ""));
  }
  return response;
}

Result<HttpResponse> Portal::Serve(Exchange& ex) {
  const Request& request = ex.request;
  if (!ex.post && ex.path == "/static/koseki.css") {
    return MakeResponse(request, http::status::ok, std::string(StyleSheet()),
                        "text/css; charset=utf-8");
  }
  if (!ex.post && request.message.method() != http::verb::get) return PageNotFound();

  const Device& device = request.device;
  const std::optional<access::Zone> zone = access::ParseZone(device.zone);
  if (!zone) return DeviceNotRegistered();
  KOSEKI_ASSIGN_OR_RETURN(const std::uint64_t stamp, services_.ChangeStamp());
  auto* memo = dynamic_cast<PortalMemo*>(request.memo.get());
  if (memo == nullptr || memo->stamp != stamp) {
    auto fresh = std::make_unique<PortalMemo>();
    fresh->stamp = stamp;
    KOSEKI_ASSIGN_OR_RETURN(fresh->settings, services_.AccessSettingsOf(device.tenant_code));
    KOSEKI_ASSIGN_OR_RETURN(fresh->tenant_name, services_.TenantName(device.tenant_code));
    KOSEKI_ASSIGN_OR_RETURN(fresh->device,
                            services_.FindDevice(device.tenant_code, device.serial_hex));
    memo = fresh.get();
    request.memo = std::move(fresh);
  }
  const access::AccessSettings& settings = memo->settings;
  ex.origin = access::RequestOrigin{
      .tenant = device.tenant_code,
      .zone = *zone,
      .device_serial = device.serial_hex,
      .device_fingerprint = device.fingerprint_hex,
      .address = AddressOfPeer(request.peer_address),
      .zones = settings.zones,
      .idle_timeout = *zone == access::Zone::kCity ? options_.idle_city : options_.idle_vendor};
  ex.frame.tenant_name = memo->tenant_name;
  ex.frame.zone_label = std::string(ZoneLabel(*zone));

  // 1. Still registered (a revocation also ends connections opened before it).
  const std::int64_t now = UnixMicros(clock_.Now());
  const std::optional<access::DeviceRecord>& registered = memo->device;
  if (!registered || registered->revoked_at != 0 ||
      registered->fingerprint_hex != device.fingerprint_hex || now < registered->not_before ||
      now >= registered->not_after) {
    services_.RecordRefusal(ex.origin, audit::actions::kConnRefused, DeviceNotRegistered());
    return DeviceNotRegistered();
  }

  const std::optional<std::string_view> token =
      CookieValue(request.message[http::field::cookie], kSessionCookie);
  // 2. Inside the zone's service window; a live session ends when the window closes.
  if (!access::IsOpen(settings.WindowOf(*zone),
                      std::chrono::time_point_cast<std::chrono::microseconds>(clock_.Now()))) {
    std::optional<access::Session> live;
    if (token) {
      if (auto resumed = sign_in_.Resume(ex.origin, *token); resumed && *resumed) {
        live = std::move(**resumed);
      }
    }
    if (live) {
      KOSEKI_RETURN_IF_ERROR(sign_in_.End(ex.origin, *live, WindowClosed()));
      ex.set_cookie = "";
    } else {
      services_.RecordRefusal(ex.origin, audit::actions::kConnRefused, WindowClosed());
    }
    return WindowClosed();
  }

  // 3. The session, and the CSRF token of a state-changing request.
  std::optional<access::Session> session;
  if (token) {
    Result<std::optional<access::Session>> resumed =
        memo->session && memo->session->token == *token
            ? sign_in_.Revalidate(ex.origin, *memo->session)
            : sign_in_.Resume(ex.origin, *token);
    if (!resumed) {
      ex.set_cookie = "";
      return std::move(resumed).error();
    }
    session = std::move(*resumed);
    memo->session = session;
  }
  if (ex.post) {
    KOSEKI_ASSIGN_OR_RETURN(ex.form, ParseForm(request.message.body()));
    if (!session || !access::SignIn::CsrfMatches(*session, FieldOr(ex.form, "csrf"))) {
      services_.RecordRefusal(ex.origin, audit::actions::kCsrfRefused, CsrfRefused());
      return CsrfRefused();
    }
  }
  if (!session) {
    KOSEKI_ASSIGN_OR_RETURN(access::Session fresh, sign_in_.StartAnonymous(ex.origin));
    ex.set_cookie = fresh.token;
    return Html(request, http::status::ok, LoginPage(ex.frame, fresh.record.csrf, nullptr));
  }
  if (session->record.stage != access::SessionStage::kAnonymous) {
    ex.frame.login = session->record.login;
    ex.frame.csrf = session->record.csrf;
  }
  if (ex.post && ex.path == "/logout" &&
      session->record.stage != access::SessionStage::kAnonymous) {
    KOSEKI_RETURN_IF_ERROR(sign_in_.Logout(ex.origin, *session));
    ex.set_cookie = "";
    ex.frame.login.clear();
    return Html(request, http::status::ok, LoggedOutPage(ex.frame));
  }
  // 4. The page of the session's stage.
  if (session->record.stage == access::SessionStage::kActive) return ServeActive(ex, *session);
  return ServeSignIn(ex, *session);
}

Result<HttpResponse> Portal::ServeSignIn(Exchange& ex, access::Session& session) {
  const Request& request = ex.request;
  // Re-renders the stage's page with `error`, or moves on to "/" with the session's new token.
  auto after =
      [&](const Result<void>& step,
          const std::function<Result<std::string>(const Error*)>& page) -> Result<HttpResponse> {
    if (step) {
      if (!session.token.empty()) ex.set_cookie = session.token;
      return SeeOther(request, "/");
    }
    const ErrorCode code = step.error().code;
    if (code == ErrorCode::kInternal || code == ErrorCode::kDataLoss ||
        code == ErrorCode::kUnavailable) {
      return step.error();
    }
    KOSEKI_ASSIGN_OR_RETURN(std::string body, page(&step.error()));
    return Html(request, HttpStatusFor(code), std::move(body));
  };

  switch (session.record.stage) {
    case access::SessionStage::kAnonymous: {
      auto page = [&](const Error* error) -> Result<std::string> {
        return LoginPage(ex.frame, session.record.csrf, error);
      };
      if (ex.post && ex.path == "/login") {
        const SecretBytes password = SecretBytes::FromString(FieldOr(ex.form, "password"));
        const Result<void> step =
            sign_in_.SubmitPassword(ex.origin, session, FieldOr(ex.form, "login"), password);
        if (step) {
          ex.frame.login = session.record.login;
          ex.frame.csrf = session.record.csrf;
        }
        return after(step, page);
      }
      break;
    }
    case access::SessionStage::kChangePassword: {
      auto page = [&](const Error* error) -> Result<std::string> {
        return ChangePasswordPage(ex.frame, error);
      };
      if (ex.post && ex.path == "/password") {
        const SecretBytes password = SecretBytes::FromString(FieldOr(ex.form, "password"));
        const SecretBytes confirm = SecretBytes::FromString(FieldOr(ex.form, "confirm"));
        if (!password.Equals(confirm)) return after(PasswordsDiffer(), page);
        return after(sign_in_.ChangePassword(ex.origin, session, password), page);
      }
      break;
    }
    case access::SessionStage::kEnrolTotp: {
      auto page = [&](const Error* error) -> Result<std::string> {
        KOSEKI_ASSIGN_OR_RETURN(
            access::TotpEnrolment enrolment,
            sign_in_.BeginTotpEnrolment(ex.origin, session, ex.frame.tenant_name));
        KOSEKI_ASSIGN_OR_RETURN(std::string qr, render::QrCodeSvg(enrolment.provisioning_uri));
        return TotpEnrolPage(ex.frame, enrolment.secret_base32, qr, error);
      };
      if (ex.post && ex.path == "/totp") {
        return after(sign_in_.SubmitTotp(ex.origin, session, FieldOr(ex.form, "code")), page);
      }
      if (!ex.post) {
        KOSEKI_ASSIGN_OR_RETURN(std::string body, page(nullptr));
        return Html(request, http::status::ok, std::move(body));
      }
      break;
    }
    case access::SessionStage::kTotp: {
      auto page = [&](const Error* error) -> Result<std::string> {
        return TotpPage(ex.frame, error);
      };
      if (ex.post && ex.path == "/totp") {
        return after(sign_in_.SubmitTotp(ex.origin, session, FieldOr(ex.form, "code")), page);
      }
      break;
    }
    case access::SessionStage::kActive:
      break;
  }
  if (ex.post) return SeeOther(request, "/");
  switch (session.record.stage) {
    case access::SessionStage::kChangePassword:
      return Html(request, http::status::ok, ChangePasswordPage(ex.frame, nullptr));
    case access::SessionStage::kTotp:
      return Html(request, http::status::ok, TotpPage(ex.frame, nullptr));
    default:
      return Html(request, http::status::ok, LoginPage(ex.frame, session.record.csrf, nullptr));
  }
}

Result<HttpResponse> Portal::ServeActive(Exchange& ex, access::Session& session) {
  const Request& request = ex.request;
  const access::UserRecord& user = *session.user;
  const bool idle = session.idle_expired;
  KOSEKI_RETURN_IF_ERROR(sign_in_.Touch(session));
  // After a pause every request lands on the initial menu, showing nothing else, until the
  // user acts again.
  if (idle) {
    if (ex.post) return SeeOther(request, "/");
    return Html(request, http::status::ok, MenuPage(ex.frame, user.role, /*idle_notice=*/true));
  }
  if (ex.post) return PageNotFound();
  if (ex.path == "/") {
    return Html(request, http::status::ok, MenuPage(ex.frame, user.role, false));
  }
  if (ex.path == "/account") {
    const AccountFacts facts{
        .role_label = std::string(RoleLabel(user.role)),
        .pledge_signed = user.pledge_signed ? access::FormatIsoDay(*user.pledge_signed) : "-",
        .training_until = user.training_until ? access::FormatIsoDay(*user.training_until) : "-"};
    return Html(request, http::status::ok, AccountPage(ex.frame, facts));
  }
  return PageNotFound();
}

}  // namespace koseki::web
