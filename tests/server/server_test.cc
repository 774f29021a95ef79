// The real server (ServerApp: registered-device gate, sign-in, portal) over mutual TLS on
// loopback, with a fake clock: who gets in, who is refused and why, and what is recorded.
// Transport-level limits (slow clients, oversized headers, TLS versions) are tested on the
// transport itself (src/koseki/web/server_test.cc); here they are checked where the portal
// changes them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "koseki/app/audit_commands.h"
#include "koseki/app/window_admin.h"
#include "koseki/base/testing/matchers.h"
#include "tests/server/server_fixture.h"

namespace koseki::server_testing {
namespace {

using ::koseki::testing::IsOk;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const access::Actor kCustodian{.user_id = "uid:0", .role = access::Role::kAdmin};

class ServerTest : public ServerFixture {};

TEST_F(ServerTest, ARegisteredDeviceGetsTheLoginPage) {
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto page = browser->Get("/");
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->result_int(), 200);
  EXPECT_THAT(page->body(), HasSubstr("ログイン"));
  EXPECT_THAT(page->body(), HasSubstr("青葉県みなと市"));
  const std::string cookie(page->at(web::http::field::set_cookie));
  EXPECT_THAT(cookie, HasSubstr("__Host-koseki="));
  EXPECT_THAT(cookie, HasSubstr("Secure"));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
}

// Returns whether a device's connection gets any HTTP response at all.
bool GetsAnswered(Result<Browser> browser) {
  if (!browser) return false;
  return browser->Get("/").has_value();
}

TEST_F(ServerTest, NoCertificateAnotherTenantsCaRevokedOrExpiredDevicesGetNoHttp) {
  EXPECT_FALSE(GetsAnswered(Open("")));
  EXPECT_FALSE(GetsAnswered(Open("revoked")));
  EXPECT_THAT(Recorded(kTenant, audit::Outcome::kRefused), Contains("conn.refused:KSK-DEVICE-012"));
  EXPECT_THAT(Recorded("system", audit::Outcome::kRefused),
              Contains("conn.refused:KSK-DEVICE-013"));
  // The device of another municipality is registered there, and only there.
  auto other = Open("other-city");
  ASSERT_TRUE(GetsAnswered(std::move(other)));
  clock_.Advance(std::chrono::hours(24 * 366));  // past the certificates' validity
  EXPECT_FALSE(GetsAnswered(Open("city")));
}

TEST_F(ServerTest, PlainHttpToThePortGetsNoHttpResponse) {
  auto reply = web::testing::RawTcpExchange("127.0.0.1", server_->port(),
                                            "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
                                            std::chrono::milliseconds(2000));
  ASSERT_THAT(reply, IsOk());
  EXPECT_THAT(reply->received, Not(HasSubstr("HTTP/1.")));
}

TEST_F(ServerTest, AFirstLoginGoesThroughPasswordChangeAndTotpToTheMenu) {
  const std::string password = AddUser("clerk01", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  FirstLogin(*browser, "clerk01", password);
  EXPECT_THAT(browser->last.body(), HasSubstr("窓口担当のメニュー"));
  auto account = browser->Get("/account");
  ASSERT_THAT(account, IsOk());
  EXPECT_THAT(account->body(), HasSubstr("2027-03-31"));
  EXPECT_THAT(Recorded(kTenant, audit::Outcome::kOk), Contains("auth.login:"));
}

TEST_F(ServerTest, EveryResponseCarriesTheSecurityHeaders) {
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto login = browser->Get("/");
  auto missing = browser->Get("/no-such-page");
  ASSERT_THAT(login, IsOk());
  ASSERT_THAT(missing, IsOk());
  auto large = browser->Post("/login", std::string(8192, 'a'));  // over the form limit
  ASSERT_THAT(large, IsOk());
  EXPECT_EQ(large->result_int(), 413);
  for (const web::HttpResponse* response : {&*login, &*missing, &*large}) {
    EXPECT_EQ((*response)[web::http::field::cache_control], "no-store");
    EXPECT_THAT(std::string((*response)["Content-Security-Policy"]),
                HasSubstr("default-src 'none'"));
    EXPECT_EQ((*response)["X-Frame-Options"], "DENY");
    EXPECT_EQ((*response)["Referrer-Policy"], "no-referrer");
    EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
    EXPECT_FALSE((*response)["Strict-Transport-Security"].empty());
    EXPECT_FALSE((*response)["Permissions-Policy"].empty());
  }
  // The server lives on.
  auto again = Open("city");
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(again->Get("/"), IsOk());
}

TEST_F(ServerTest, AMissingOrWrongCsrfTokenIsRefusedAndRecorded) {
  const std::string password = AddUser("clerk02", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto page = browser->Get("/");
  ASSERT_THAT(page, IsOk());
  auto missing = browser->Post("/login", "login=clerk02&password=" + FormEncode(password));
  ASSERT_THAT(missing, IsOk());
  EXPECT_EQ(missing->result_int(), 403);
  auto wrong = browser->Post("/login", "csrf=00&login=clerk02&password=" + FormEncode(password));
  ASSERT_THAT(wrong, IsOk());
  EXPECT_EQ(wrong->result_int(), 403);
  EXPECT_THAT(wrong->body(), HasSubstr("KSK-WEB-102"));
  EXPECT_THAT(Recorded(kTenant, audit::Outcome::kRefused),
              Contains("web.csrf_refused:KSK-WEB-102"));
}

TEST_F(ServerTest, AnOperatorOnACityDeviceIsRefused) {
  const std::string password = AddUser("op01", access::Role::kOperator);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto page = browser->Get("/");
  ASSERT_THAT(page, IsOk());
  auto refused = browser->Post(
      "/login", "csrf=" + CsrfOf(page->body()) + "&login=op01&password=" + FormEncode(password));
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 403);
  EXPECT_THAT(refused->body(), HasSubstr("KSK-AUTH-007"));
}

TEST_F(ServerTest, FiveWrongPasswordsLockTheAccount) {
  const std::string password = AddUser("clerk03", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto page = browser->Get("/");
  ASSERT_THAT(page, IsOk());
  for (int i = 0; i < 5; ++i) {
    auto wrong = browser->Post("/login", "csrf=" + CsrfOf(browser->last.body()) +
                                             "&login=clerk03&password=wrong-password");
    ASSERT_THAT(wrong, IsOk());
    EXPECT_EQ(wrong->result_int(), 401);
  }
  auto locked = browser->Post("/login", "csrf=" + CsrfOf(browser->last.body()) +
                                            "&login=clerk03&password=" + FormEncode(password));
  ASSERT_THAT(locked, IsOk());
  EXPECT_THAT(locked->body(), HasSubstr("KSK-AUTH-004"));
}

TEST_F(ServerTest, AWrongTotpCodeIsRefused) {
  const std::string password = AddUser("clerk04", access::Role::kClerk);
  auto first = Open("city");
  ASSERT_THAT(first, IsOk());
  FirstLogin(*first, "clerk04", password);
  clock_.Advance(std::chrono::minutes(1));
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  auto page = browser->Get("/");
  ASSERT_THAT(page, IsOk());
  auto posted = browser->Post("/login", "csrf=" + CsrfOf(page->body()) +
                                            "&login=clerk04&password=" + FormEncode(kNewPassword));
  ASSERT_THAT(posted, IsOk());
  auto totp = browser->Get("/");
  ASSERT_THAT(totp, IsOk());
  const std::string right = CodeNow(totp_secrets_["clerk04"]);
  const std::string wrong = right == "000000" ? "000001" : "000000";
  auto refused = browser->Post("/totp", "csrf=" + CsrfOf(totp->body()) + "&code=" + wrong);
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 401);
  EXPECT_THAT(refused->body(), HasSubstr("KSK-AUTH-013"));
  auto accepted = browser->Post("/totp", "csrf=" + CsrfOf(totp->body()) + "&code=" + right);
  ASSERT_THAT(accepted, IsOk());
  EXPECT_EQ(accepted->result_int(), 303);
}

TEST_F(ServerTest, NoPledgeOrLapsedTrainingIsRefusedWithTheReason) {
  const std::string no_pledge = AddUser("clerk05", access::Role::kClerk, /*pledge=*/false);
  const std::string untrained =
      AddUser("clerk06", access::Role::kClerk, /*pledge=*/true, /*trained=*/false);
  for (const auto& [login, password, id] : {std::tuple{"clerk05", no_pledge, "KSK-AUTH-005"},
                                            std::tuple{"clerk06", untrained, "KSK-AUTH-006"}}) {
    auto browser = Open("city");
    ASSERT_THAT(browser, IsOk());
    auto page = browser->Get("/");
    ASSERT_THAT(page, IsOk());
    auto refused = browser->Post("/login", "csrf=" + CsrfOf(page->body()) + "&login=" + login +
                                               "&password=" + FormEncode(password));
    ASSERT_THAT(refused, IsOk());
    EXPECT_EQ(refused->result_int(), 403);
    EXPECT_THAT(refused->body(), HasSubstr(id));
  }
}

TEST_F(ServerTest, AfterTheIdleTimeEveryPageLandsOnTheMenu) {
  const std::string password = AddUser("clerk07", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  FirstLogin(*browser, "clerk07", password);
  clock_.Advance(std::chrono::minutes(11));  // city idle time: 10 minutes
  auto account = browser->Get("/account");
  ASSERT_THAT(account, IsOk());
  EXPECT_EQ(account->result_int(), 200);
  EXPECT_THAT(account->body(), HasSubstr("初期メニューに戻りました"));
  EXPECT_THAT(account->body(), Not(HasSubstr("研修の有効期限")));
  // The user acts again: the page is shown.
  auto again = browser->Get("/account");
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(again->body(), HasSubstr("研修の有効期限"));
}

TEST_F(ServerTest, ASessionCookieReplayedFromAnotherDeviceIsRefused) {
  const std::string password = AddUser("clerk08", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  FirstLogin(*browser, "clerk08", password);
  auto thief = Open("city2");
  ASSERT_THAT(thief, IsOk());
  thief->cookie = browser->cookie;
  auto refused = thief->Get("/account");
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 403);
  EXPECT_THAT(refused->body(), HasSubstr("KSK-AUTH-011"));
  // The stolen session is over for its owner too.
  auto owner = browser->Get("/account");
  ASSERT_THAT(owner, IsOk());
  EXPECT_THAT(owner->body(), HasSubstr("ログイン"));
  EXPECT_THAT(Recorded(kTenant, audit::Outcome::kRefused),
              Contains("auth.session_refused:KSK-AUTH-011"));
}

TEST_F(ServerTest, AVendorDeviceIsRefusedOutsideItsWindowAndALiveSessionEnds) {
  const std::string password = AddUser("op02", access::Role::kOperator);
  auto browser = Open("vendor");
  ASSERT_THAT(browser, IsOk());
  FirstLogin(*browser, "op02", password);
  clock_.Advance(std::chrono::hours(8));  // 18:00: the vendor's window (09:00–17:00) closed
  auto closed = browser->Get("/");
  ASSERT_THAT(closed, IsOk());
  EXPECT_EQ(closed->result_int(), 403);
  EXPECT_THAT(closed->body(), HasSubstr("KSK-WEB-104"));
  EXPECT_THAT(Recorded(kTenant, audit::Outcome::kRefused),
              Contains("auth.session_end:KSK-WEB-104"));
  // A new connection is refused too; the city's office is not affected.
  auto later = Open("vendor");
  ASSERT_THAT(later, IsOk());
  auto refused = later->Get("/");
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 403);
  auto city = Open("city");
  ASSERT_THAT(city, IsOk());
  auto open = city->Get("/");
  ASSERT_THAT(open, IsOk());
  EXPECT_EQ(open->result_int(), 200);
  // On Monday morning the session is gone: the user logs in again.
  clock_.Advance(std::chrono::hours(16 + 48));
  auto morning = Open("vendor");
  ASSERT_THAT(morning, IsOk());
  morning->cookie = browser->cookie;
  auto login = morning->Get("/");
  ASSERT_THAT(login, IsOk());
  EXPECT_THAT(login->body(), HasSubstr("ログイン"));
}

TEST_F(ServerTest, ARevocationEndsConnectionsAlreadyOpen) {
  auto browser = Open("city2");
  ASSERT_THAT(browser, IsOk());
  ASSERT_THAT(browser->Get("/"), IsOk());
  auto koseki = OpenSecond();
  ASSERT_NE(koseki, nullptr);
  ASSERT_THAT(app::RevokeDevice(*koseki, kCustodian, kTenant, "test-city2"), IsOk());
  ASSERT_THAT(koseki->Close(), IsOk());
  auto refused = browser->Get("/");
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 403);
  EXPECT_THAT(refused->body(), HasSubstr("KSK-WEB-105"));
}

// A keep-alive connection reuses what it looked up while nothing is committed to the store; a
// change made beside the server, and the passing of time, still reach its next request.
TEST_F(ServerTest, ASignedInConnectionSeesAChangeOrItsLifetimesEndAtItsNextRequest) {
  const std::string first = AddUser("clerk09", access::Role::kClerk);
  const std::string second = AddUser("clerk10", access::Role::kClerk);
  auto disabled = Open("city");
  ASSERT_THAT(disabled, IsOk());
  FirstLogin(*disabled, "clerk09", first);
  auto lapsing = Open("city");
  ASSERT_THAT(lapsing, IsOk());
  FirstLogin(*lapsing, "clerk10", second);
  for (Browser* browser : {&*disabled, &*lapsing}) {
    for (int i = 0; i < 2; ++i) {
      auto account = browser->Get("/account");
      ASSERT_THAT(account, IsOk());
      EXPECT_THAT(account->body(), HasSubstr("研修の有効期限"));
    }
  }

  auto koseki = OpenSecond();
  ASSERT_NE(koseki, nullptr);
  ASSERT_THAT(app::SetUserDisabled(*koseki, kCustodian, kTenant, "clerk09", true), IsOk());
  ASSERT_THAT(koseki->Close(), IsOk());
  auto refused = disabled->Get("/account");
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->result_int(), 403);
  EXPECT_THAT(refused->body(), HasSubstr("KSK-AUTH-003"));

  // Looks up again after the commit, then reuses (nothing committed since) until the lapse.
  for (int i = 0; i < 2; ++i) {
    auto still = lapsing->Get("/account");
    ASSERT_THAT(still, IsOk());
    EXPECT_THAT(still->body(), HasSubstr("研修の有効期限"));
  }
  clock_.Advance(std::chrono::hours(12));  // the session's lifetime
  auto lapsed = lapsing->Get("/account");
  ASSERT_THAT(lapsed, IsOk());
  EXPECT_THAT(lapsed->body(), HasSubstr("action=\"/login\""));
  EXPECT_THAT(lapsed->body(), Not(HasSubstr("研修の有効期限")));
}

// The login form's session is not stored, but its key is the installation's: a form handed out
// before a restart still signs in after it.
TEST_F(ServerTest, ALoginFormFromBeforeARestartStillSignsIn) {
  const std::string password = AddUser("clerk11", access::Role::kClerk);
  std::string cookie, csrf;
  {
    auto browser = Open("city");
    ASSERT_THAT(browser, IsOk());
    auto form = browser->Get("/");
    ASSERT_THAT(form, IsOk());
    cookie = browser->cookie;
    csrf = CsrfOf(form->body());
  }
  StopServer();
  StartServer();
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  browser->cookie = cookie;
  auto signed_in =
      browser->Post("/login", "csrf=" + csrf + "&login=clerk11&password=" + FormEncode(password));
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_EQ(signed_in->result_int(), 303);
  EXPECT_NE(browser->cookie, cookie);
}

TEST_F(ServerTest, ManyConcurrentKeepAliveClientsAreAllServed) {
  // What is tested is that every client is served, not how fast: with 200 handshakes at once
  // on a loaded machine (sanitizers, other tests beside), a client may wait seconds for its
  // turn, and the fixture's short timeouts would cut it off.
  constexpr auto kPatient = std::chrono::seconds(120);
  StopServer();
  StartServer([&](app::ServerConfig& config) {
    config.handshake_timeout = kPatient;
    config.read_timeout = kPatient;
    config.write_timeout = kPatient;
    config.keep_alive_idle = kPatient;
  });
  constexpr int kClients = 200;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&] {
      auto browser = Open("city", kPatient);
      if (!browser) return;
      for (int request = 0; request < 3; ++request) {
        auto page = browser->Get("/");
        if (!page || page->result_int() != 200) return;
      }
      ++ok;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kClients);
}

TEST_F(ServerTest, AdministrationBesideTheRunningServerKeepsOneVerifiableLog) {
  const std::string password = AddUser("clerk09", access::Role::kClerk);
  auto browser = Open("city");
  ASSERT_THAT(browser, IsOk());
  FirstLogin(*browser, "clerk09", password);
  auto koseki = OpenSecond();
  ASSERT_NE(koseki, nullptr);
  auto enrolled = app::EnrollDevice(
      *koseki, kCustodian, {.tenant = kTenant, .zone = access::Zone::kCity, .name = "late"});
  ASSERT_THAT(enrolled, IsOk());
  ASSERT_THAT(koseki->Close(), IsOk());
  ASSERT_THAT(browser->Get("/account"), IsOk());
  StopServer();
  auto verified = app::VerifyAudit(location_, "", std::nullopt);
  ASSERT_THAT(verified, IsOk());
  EXPECT_FALSE(verified->verification.witness_missing);
  for (const audit::LogVerification& log : verified->verification.logs) {
    EXPECT_TRUE(log.report.ok()) << log.log << ": " << log.report.ToError().UserLine();
  }
}

}  // namespace
}  // namespace koseki::server_testing
