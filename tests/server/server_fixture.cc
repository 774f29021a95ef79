#include "tests/server/server_fixture.h"

#include <fstream>

#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/totp.h"
#include "koseki/web/portal.h"

namespace koseki::server_testing {
namespace {

using ::koseki::testing::IsOk;

const access::Actor kCustodian{.user_id = "uid:0", .role = access::Role::kAdmin};
const crypto::PasswordHashParams kFastHash{.ops_limit = 1, .mem_limit = 8192};

SecretBytes Passphrase() { return SecretBytes::FromString(kPassphrase); }

void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

std::chrono::system_clock::time_point FridayMorning() {
  return std::chrono::sys_days(std::chrono::year(2026) / 12 / 4) + std::chrono::hours(1);
}

Result<web::HttpResponse> Browser::Get(std::string_view target) {
  web::HttpRequest request{web::http::verb::get, target, 11};
  if (!cookie.empty())
    request.set(web::http::field::cookie, std::string(web::kSessionCookie) + "=" + cookie);
  KOSEKI_ASSIGN_OR_RETURN(last, client->Send(std::move(request)));
  const std::string_view set = last[web::http::field::set_cookie];
  if (!set.empty()) cookie = web::testing::CookieValueOf(set);
  return last;
}

Result<web::HttpResponse> Browser::Post(std::string_view target, std::string form_body) {
  web::HttpRequest request{web::http::verb::post, target, 11};
  if (!cookie.empty())
    request.set(web::http::field::cookie, std::string(web::kSessionCookie) + "=" + cookie);
  request.set(web::http::field::content_type, "application/x-www-form-urlencoded");
  request.body() = std::move(form_body);
  request.prepare_payload();
  KOSEKI_ASSIGN_OR_RETURN(last, client->Send(std::move(request)));
  const std::string_view set = last[web::http::field::set_cookie];
  if (!set.empty()) cookie = web::testing::CookieValueOf(set);
  return last;
}

void ServerFixture::SetUp() {
  location_ = app::Location{dir_.path() / "data", dir_.path() / "keys" / "master.key",
                            dir_.path() / "keys" / "witness.log"};
  std::filesystem::create_directories(location_.key_file.parent_path());
  ASSERT_THAT(app::Koseki::Init(location_, kCustodian, Passphrase(), crypto::KdfParams::Minimal()),
              IsOk());
  auto koseki = app::Koseki::Open(location_, kCustodian, Passphrase(), {}, &clock_);
  ASSERT_THAT(koseki, IsOk());
  app::Koseki& k = **koseki;
  ASSERT_THAT(k.AddTenant(kCustodian, kTenant, "青葉県みなと市"), IsOk());
  ASSERT_THAT(k.AddTenant(kCustodian, kOtherTenant, "青葉県さくら町"), IsOk());
  for (const auto& [name, tenant, zone] :
       {std::tuple{"city", kTenant, access::Zone::kCity},
        std::tuple{"vendor", kTenant, access::Zone::kVendor},
        std::tuple{"city2", kTenant, access::Zone::kCity},
        std::tuple{"revoked", kTenant, access::Zone::kCity},
        std::tuple{"other-city", kOtherTenant, access::Zone::kCity}}) {
    auto enrolled = app::EnrollDevice(
        k, kCustodian, {.tenant = tenant, .zone = zone, .name = std::string("test-") + name});
    ASSERT_THAT(enrolled, IsOk());
    devices_.emplace(name, *std::move(enrolled));
  }
  ASSERT_THAT(app::RevokeDevice(k, kCustodian, kTenant, "test-revoked"), IsOk());
  auto server_cert = app::IssueServerCertificate(k, kCustodian, "localhost");
  ASSERT_THAT(server_cert, IsOk());
  server_ca_pem_ = server_cert->ca_cert_pem;
  cert_file_ = dir_.path() / "keys" / "server.pem";
  key_file_ = dir_.path() / "keys" / "server.key";
  WriteFile(cert_file_, server_cert->cert_chain_pem);
  WriteFile(key_file_, std::string_view(reinterpret_cast<const char*>(server_cert->key_pem.data()),
                                        server_cert->key_pem.size()));
  ASSERT_THAT(k.Close(), IsOk());
  StartServer();
}

void ServerFixture::StartServer(const std::function<void(app::ServerConfig&)>& adjust) {
  app::ServerConfig config;
  config.port = 0;
  config.data_dir = location_.data_dir;
  config.key_file = location_.key_file;
  config.witness_file = location_.witness_file;
  config.tls_cert_file = cert_file_;
  config.tls_key_file = key_file_;
  config.io_threads = 2;
  config.request_threads = 4;
  config.read_timeout = std::chrono::milliseconds(2000);
  config.keep_alive_idle = std::chrono::milliseconds(5000);
  config.body_limit_form = 4096;
  if (adjust) adjust(config);
  auto server = app::ServerApp::Create(config, Passphrase(), kCustodian, &clock_);
  ASSERT_THAT(server, IsOk());
  server_ = *std::move(server);
  server_thread_ = std::thread([this] { EXPECT_THAT(server_->Run(), IsOk()); });
}

void ServerFixture::StopServer() {
  if (!server_) return;
  server_->Stop();
  if (server_thread_.joinable()) server_thread_.join();
  server_.reset();
}

void ServerFixture::TearDown() { StopServer(); }

Result<Browser> ServerFixture::Open(const std::string& device, std::chrono::milliseconds timeout) {
  web::testing::ClientOptions options;
  options.timeout = timeout;
  options.port = server_->port();
  options.trust_anchor_pem = server_ca_pem_;
  if (!device.empty()) {
    const crypto::IssuedCertificate& cert = devices_.at(device).certificate;
    options.client_certificate_pem = cert.cert_pem;
    options.client_private_key_pem =
        std::string(reinterpret_cast<const char*>(cert.key_pem.data()), cert.key_pem.size());
  }
  KOSEKI_ASSIGN_OR_RETURN(auto client, web::testing::HttpsClient::Connect(options));
  Browser browser;
  browser.client = std::move(client);
  return browser;
}

std::string ServerFixture::AddUser(const std::string& login, access::Role role, bool pledge,
                                   bool trained) {
  auto koseki = OpenSecond();
  if (!koseki) return "";
  app::NewUser user{.tenant = kTenant, .login = login, .role = role};
  if (pledge) user.pledge_signed = std::chrono::year(2026) / 4 / 1;
  user.training_until =
      trained ? std::chrono::year(2027) / 3 / 31 : std::chrono::year(2026) / 3 / 31;
  auto password = app::AddUser(*koseki, kCustodian, user, kFastHash);
  EXPECT_THAT(password, IsOk());
  EXPECT_THAT(koseki->Close(), IsOk());
  if (!password) return "";
  return std::string(reinterpret_cast<const char*>(password->data()), password->size());
}

std::unique_ptr<app::Koseki> ServerFixture::OpenSecond() {
  auto koseki = app::Koseki::Open(location_, kCustodian, Passphrase(), {}, &clock_);
  EXPECT_THAT(koseki, IsOk());
  return koseki ? *std::move(koseki) : nullptr;
}

std::string ServerFixture::CodeNow(const std::string& secret_base32) {
  auto secret = crypto::Base32Decode(secret_base32);
  EXPECT_THAT(secret, IsOk());
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  return crypto::TotpCode(*secret, seconds);
}

void ServerFixture::FirstLogin(Browser& browser, const std::string& login,
                               const std::string& password) {
  auto page = browser.Get("/");
  ASSERT_THAT(page, IsOk());
  auto posted = browser.Post("/login", "csrf=" + CsrfOf(page->body()) + "&login=" + login +
                                           "&password=" + FormEncode(password));
  ASSERT_THAT(posted, IsOk());
  ASSERT_EQ(posted->result_int(), 303) << posted->body();
  auto change = browser.Get("/");
  ASSERT_THAT(change, IsOk());
  const std::string encoded = FormEncode(kNewPassword);
  auto changed = browser.Post("/password", "csrf=" + CsrfOf(change->body()) +
                                               "&password=" + encoded + "&confirm=" + encoded);
  ASSERT_THAT(changed, IsOk());
  ASSERT_EQ(changed->result_int(), 303) << changed->body();
  auto enrol = browser.Get("/");
  ASSERT_THAT(enrol, IsOk());
  const std::string secret = TotpSecretOf(enrol->body());
  ASSERT_FALSE(secret.empty()) << enrol->body();
  totp_secrets_[login] = secret;
  auto confirmed =
      browser.Post("/totp", "csrf=" + CsrfOf(enrol->body()) + "&code=" + CodeNow(secret));
  ASSERT_THAT(confirmed, IsOk());
  ASSERT_EQ(confirmed->result_int(), 303) << confirmed->body();
  auto menu = browser.Get("/");
  ASSERT_THAT(menu, IsOk());
  ASSERT_THAT(menu->body(), ::testing::HasSubstr("メニュー"));
}

std::vector<std::string> ServerFixture::Recorded(const std::string& log,
                                                 std::optional<audit::Outcome> outcome) {
  auto koseki = OpenSecond();
  std::vector<std::string> out;
  if (!koseki) return out;
  auto entries = audit::FindEntries(koseki->installation().backend(), log, {});
  EXPECT_THAT(entries, IsOk());
  for (const audit::Entry& entry : *entries) {
    if (!outcome || entry.event().outcome == *outcome) {
      out.push_back(entry.event().action + ":" + entry.event().error_id);
    }
  }
  return out;
}

}  // namespace koseki::server_testing
