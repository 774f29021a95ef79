// Portal: the Handler of koseki's HTTPS server for everything a person does before the work
// pages — the service window, the session (cookie, CSRF), the sign-in steps, the initial menu,
// idle → menu, logout. Thin: each request is parsed here, decided by access/ (SignIn, the
// window, the zone rules) and rendered by pages.h.
//
// Per request, in this order:
//   1. the device must still be registered and not revoked (a revocation takes effect on
//      connections already open);
//   2. the device's zone must be inside its service window; outside it a live session ends and
//      the request is refused (403, KSK-WEB-104), recorded;
//   3. the session from the `__Host-koseki` cookie (bound to this device; another device's
//      cookie is refused, KSK-AUTH-011); a state-changing request (POST) must carry the
//      session's CSRF token (403, KSK-WEB-102, recorded);
//   4. the session's stage decides which page answers.
// Steps 1–3 use what the connection's earlier requests looked up while the store's change stamp
// is unchanged (PortalMemo in portal.cc); the checks that depend on the time run every time.
// Error statuses come from one mapping (HttpStatusFor). Thread-safe (its parts are).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/access/access_settings.h"
#include "koseki/access/device.h"
#include "koseki/access/sign_in.h"
#include "koseki/base/clock.h"
#include "koseki/web/handler.h"

namespace koseki::web {

// The session cookie's name: the __Host- prefix makes browsers accept it only Secure, without
// Domain and with Path=/ — it cannot be set by a sibling host.
inline constexpr std::string_view kSessionCookie = "__Host-koseki";

// Returns the IP address of "ip:port" or "[v6]:port" (audit entries keep the address only).
std::string AddressOfPeer(std::string_view peer);

// Returns the HTTP status of an error class (the one mapping).
http::status HttpStatusFor(ErrorCode code);

// What the portal needs from the rest of the server, per tenant.
class PortalServices {
 public:
  virtual ~PortalServices() = default;
  // The store's change stamp (store::Backend::ChangeStamp): what the portal looked up for a
  // connection stays valid while it is unchanged.
  virtual Result<std::uint64_t> ChangeStamp() = 0;
  virtual Result<std::string> TenantName(std::string_view tenant) = 0;
  virtual Result<access::AccessSettings> AccessSettingsOf(std::string_view tenant) = 0;
  virtual Result<std::optional<access::DeviceRecord>> FindDevice(std::string_view tenant,
                                                                 std::string_view serial_hex) = 0;
  // Records a refused request in the tenant's log (action, the device, its address).
  virtual void RecordRefusal(const access::RequestOrigin& origin, std::string_view action,
                             const Error& error) = 0;
};

struct PortalOptions {
  std::chrono::seconds idle_city{600};
  std::chrono::seconds idle_vendor{300};
  std::size_t form_body_limit = 64 * 1024;
};

class Portal final : public Handler {
 public:
  // All references must outlive the portal.
  Portal(access::SignIn& sign_in, PortalServices& services, const Clock& clock,
         PortalOptions options = {})
      : sign_in_(sign_in), services_(services), clock_(clock), options_(options) {}

  std::size_t BodyLimit(http::verb method, std::string_view target) const override;
  HttpResponse Handle(const Request& request) override;

 private:
  struct Exchange;  // one request's state (portal.cc)
  Result<HttpResponse> Serve(Exchange& exchange);
  Result<HttpResponse> ServeSignIn(Exchange& exchange, access::Session& session);
  Result<HttpResponse> ServeActive(Exchange& exchange, access::Session& session);

  access::SignIn& sign_in_;
  PortalServices& services_;
  const Clock& clock_;
  PortalOptions options_ = {};
};

}  // namespace koseki::web
