// ServerFixture: a real installation (encrypted SQLite, audit log with witness file) with one
// fictional municipality, a device per zone and one user per role, served by the real
// ServerApp over mutual TLS on a loopback port — with a fake clock the test moves. Helpers
// drive a browser's part: cookies, CSRF tokens from the forms, TOTP codes from the enrolment
// page.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "koseki/app/device_admin.h"
#include "koseki/app/koseki.h"
#include "koseki/app/server_app.h"
#include "koseki/app/user_admin.h"
#include "koseki/base/testing/fake_clock.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/web/testing/form_scraping.h"
#include "koseki/web/testing/https_client.h"

namespace koseki::server_testing {

inline constexpr char kTenant[] = "999997";
inline constexpr char kOtherTenant[] = "999989";
inline constexpr char kPassphrase[] = "server test passphrase (fictional)";
inline constexpr char kNewPassword[] = "a long new passphrase 42";

// 2026-12-04 (a Friday) 10:00 in Japan: inside the vendor's default hours.
std::chrono::system_clock::time_point FridayMorning();

// One browser: a TLS connection from one device, and the session cookie it was given.
struct Browser {
  std::unique_ptr<web::testing::HttpsClient> client;
  std::string cookie;  // the __Host-koseki value, empty before the first page
  web::HttpResponse last;

  // Sends a request with the cookie; remembers a new cookie the server sets.
  Result<web::HttpResponse> Get(std::string_view target);
  Result<web::HttpResponse> Post(std::string_view target, std::string form_body);
};

using web::testing::CsrfOf;
using web::testing::FormEncode;
using web::testing::TotpSecretOf;

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Connects a browser on the device enrolled for `zone` ("city", "vendor", "other-city" for
  // the other tenant's city device, "revoked" for one that was revoked).
  // `timeout` bounds each of the browser's connects, reads and writes.
  Result<Browser> Open(const std::string& device,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Adds a user (fast password hashing) with pledge and training current; returns the one-time
  // password.
  std::string AddUser(const std::string& login, access::Role role, bool pledge = true,
                      bool trained = true);
  // Logs in through every first-login step; the browser ends on the menu.
  void FirstLogin(Browser& browser, const std::string& login, const std::string& password);
  // Returns the current TOTP code of a secret at the fake clock's time.
  std::string CodeNow(const std::string& secret_base32);
  // Returns "action:error_id" of each entry of the tenant's log with the outcome (or all).
  std::vector<std::string> Recorded(const std::string& log, std::optional<audit::Outcome> outcome);
  // Runs an administrative use case on a second Koseki over the same data directory, as the
  // CLI would beside the running server.
  std::unique_ptr<app::Koseki> OpenSecond();

  // Starts the server with the fixture's configuration, changed by `adjust` if given.
  void StartServer(const std::function<void(app::ServerConfig&)>& adjust = {});
  void StopServer();

  koseki::testing::TempDir dir_;
  app::Location location_;
  koseki::testing::FakeClock clock_{FridayMorning()};
  std::map<std::string, app::EnrolledDevice> devices_;
  std::string server_ca_pem_;
  std::filesystem::path cert_file_, key_file_;
  std::unique_ptr<app::ServerApp> server_;
  std::thread server_thread_;
  std::map<std::string, std::string> passwords_;
  std::map<std::string, std::string> totp_secrets_;
};

}  // namespace koseki::server_testing
