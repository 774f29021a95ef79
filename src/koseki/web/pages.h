// The server-rendered pages of the sign-in flow and the initial menu: HTML only, no script
// (the Content-Security-Policy allows none), styles from /static/koseki.css. Pure functions of
// their inputs, so each page is tested on its own. Every text is Japanese and carries no
// personal data beyond the user's own login; errors show their stable code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/actor.h"
#include "koseki/base/error.h"
#include "koseki/web/html_escape.h"

namespace koseki::web {

// What every page shows in its header: the municipality and the device's zone.
struct PageFrame {
  std::string tenant_name = {};
  std::string zone_label = {};  // "市区町村" or "事業者"
  std::string login = {};       // empty before login
  std::string csrf = {};        // for the logout form; empty before login
};

std::string LoginPage(const PageFrame& frame, std::string_view csrf, const Error* error);
std::string ChangePasswordPage(const PageFrame& frame, const Error* error);
// `qr_svg` is the provisioning URI drawn as SVG (render/qr_svg.h).
std::string TotpEnrolPage(const PageFrame& frame, std::string_view secret_base32,
                          std::string_view qr_svg, const Error* error);
std::string TotpPage(const PageFrame& frame, const Error* error);

// One item of the initial menu; `href` empty for work not yet available on this server.
struct MenuItem {
  std::string label = {};
  std::string href = {};
};
// Returns the initial menu's items for a role (data: one place to change).
std::vector<MenuItem> MenuFor(access::Role role);
// The initial menu; `idle_notice` says the user was brought back after a pause.
std::string MenuPage(const PageFrame& frame, access::Role role, bool idle_notice);
// The user's own account (role, zone, pledge and training dates): the one content page until
// the work pages exist.
struct AccountFacts {
  std::string role_label = {};
  std::string pledge_signed = {};
  std::string training_until = {};
};
std::string AccountPage(const PageFrame& frame, const AccountFacts& facts);
std::string LoggedOutPage(const PageFrame& frame);
// An error page: title, the error's user line (code + message), and a link back to the start.
std::string ErrorPage(const PageFrame& frame, std::string_view title, const Error& error);

// The stylesheet served at /static/koseki.css.
std::string_view StyleSheet();

// Japanese label of a role, e.g. 窓口担当.
std::string_view RoleLabel(access::Role role);

}  // namespace koseki::web
