#include "bench/koseki_site.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "bench/workload.h"
#include "koseki/access/user.h"
#include "koseki/app/device_admin.h"
#include "koseki/app/koseki.h"
#include "koseki/audit/actions.h"
#include "koseki/crypto/password_hash.h"
#include "koseki/crypto/totp.h"
#include "koseki/web/testing/form_scraping.h"
#include "koseki/workflow/recorded.h"

namespace koseki::bench {
namespace {

namespace fs = std::filesystem;
using web::testing::CsrfOf;
using web::testing::FormEncode;

constexpr char kTenant[] = "999911";  // a fictional 地方公共団体コード (check digit valid)
constexpr char kMunicipality[] = "青葉県ベンチ市";
constexpr char kPassphrase[] = "server bench passphrase (fictional, not secret)";
// Clerks are stored this many to a transaction (one durable commit per group).
constexpr std::size_t kUsersPerCommit = 250;

const access::Actor kCustodian{.user_id = "uid:0", .role = access::Role::kAdmin};

SecretBytes Passphrase() { return SecretBytes::FromString(kPassphrase); }

Result<void> WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return BenchError("cannot write " + path.string());
  return Ok();
}

std::string AsString(const SecretBytes& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string Expect(const HttpResponse& response, http::status status, std::string_view step) {
  if (response.result() == status) return {};
  return std::string(step) + ": status " + std::to_string(response.result_int()) + ", expected " +
         std::to_string(static_cast<int>(status));
}

}  // namespace

Result<std::unique_ptr<KosekiSite>> KosekiSite::Create(const KosekiSiteOptions& options) {
  std::unique_ptr<KosekiSite> site(new KosekiSite());
  KOSEKI_RETURN_IF_ERROR(site->Build(options));
  KOSEKI_RETURN_IF_ERROR(site->Start(options));
  return site;
}

Result<void> KosekiSite::Build(const KosekiSiteOptions& options) {
  const fs::path& dir = options.dir;
  location_ =
      app::Location{dir / "data", dir / "keys" / "master.key", dir / "keys" / "witness.log"};
  std::error_code ec;
  fs::create_directories(location_.key_file.parent_path(), ec);
  if (ec) return BenchError("cannot create " + location_.key_file.parent_path().string());
  KOSEKI_RETURN_IF_ERROR(
      app::Koseki::Init(location_, kCustodian, Passphrase(), crypto::KdfParams::Minimal()));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<app::Koseki> koseki,
                          app::Koseki::Open(location_, kCustodian, Passphrase()));
  KOSEKI_RETURN_IF_ERROR(koseki->AddTenant(kCustodian, kTenant, kMunicipality));
  KOSEKI_ASSIGN_OR_RETURN(
      app::EnrolledDevice device,
      app::EnrollDevice(*koseki, kCustodian,
                        {.tenant = kTenant, .zone = access::Zone::kCity, .name = "bench-city"}));
  KOSEKI_ASSIGN_OR_RETURN(app::ServerCertificate server_cert,
                          app::IssueServerCertificate(*koseki, kCustodian, "localhost"));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<access::DeviceCaRecord> device_ca,
                          koseki->directory().FindDeviceCa(kTenant));
  if (!device_ca) return BenchError("the tenant has no device CA");

  chain_file_ = dir / "keys" / "server-chain.pem";
  key_file_ = dir / "keys" / "server.key";
  client_ca_file_ = dir / "keys" / "device-ca.pem";
  KOSEKI_RETURN_IF_ERROR(WriteFile(chain_file_, server_cert.cert_chain_pem));
  KOSEKI_RETURN_IF_ERROR(WriteFile(key_file_, AsString(server_cert.key_pem)));
  KOSEKI_RETURN_IF_ERROR(WriteFile(client_ca_file_, device_ca->cert_pem));
  client_tls_ = ClientTls{.trust_anchor_pem = server_cert.ca_cert_pem,
                          .certificate_pem = device.certificate.cert_pem,
                          .private_key_pem = AsString(device.certificate.key_pem)};

  // The clerks, as they stand after their first login.
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  users_.reserve(options.users);
  for (std::size_t begin = 0; begin < options.users; begin += kUsersPerCommit) {
    const std::size_t end = std::min(options.users, begin + kUsersPerCommit);
    // Recorded as an administrator's adding of users, as every write must be (the store refuses
    // a row without its audit entry): one entry per commit of users.
    const auto add_users = [&](audit::Event&) -> Result<bool> {
      for (std::size_t i = begin; i < end; ++i) {
        char login[48];
        std::snprintf(login, sizeof(login), "bench-clerk-%05zu", i);
        BenchUser user{.login = login,
                       .password = std::string("bench password of ") + login,
                       .totp_secret = {}};
        KOSEKI_ASSIGN_OR_RETURN(user.totp_secret, crypto::NewTotpSecret());
        access::UserRecord record;
        record.login = user.login;
        record.role = access::Role::kClerk;
        KOSEKI_ASSIGN_OR_RETURN(record.password_hash,
                                crypto::HashPassword(SecretBytes::FromString(user.password),
                                                     crypto::PasswordHashParams::Minimal()));
        record.must_change_password = false;
        record.totp_secret = crypto::Base32Encode(user.totp_secret.span());
        record.pledge_signed = today;
        record.training_until = (today.year() + std::chrono::years(1)) / today.month() / 1;
        record.created_at =
            std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
        record.created_by = kCustodian.user_id;
        KOSEKI_RETURN_IF_ERROR(
            koseki->directory().PutUser(kTenant, {.value = std::move(record), .version = 0}));
        users_.push_back(std::move(user));
      }
      return true;
    };
    KOSEKI_RETURN_IF_ERROR(workflow::Recorded<bool>(
        koseki->audit(), koseki->LogFor(kTenant),
        workflow::EventOf(kCustodian, audit::actions::kUserAdd), add_users));
  }
  return koseki->Close();
}

Result<void> KosekiSite::Start(const KosekiSiteOptions& options) {
  app::ServerConfig config;
  config.port = 0;
  config.data_dir = location_.data_dir;
  config.key_file = location_.key_file;
  config.witness_file = location_.witness_file;
  config.tls_cert_file = chain_file_;
  config.tls_key_file = key_file_;
  config.io_threads = options.io_threads;
  KOSEKI_ASSIGN_OR_RETURN(server_, app::ServerApp::Create(config, Passphrase(), kCustodian));
  server_thread_ = std::thread([this] { served_ = server_->Run(); });
  return Ok();
}

KosekiSite::~KosekiSite() {
  if (!server_) return;
  server_->Stop();
  if (server_thread_.joinable()) server_thread_.join();
  if (!served_) {
    std::fprintf(stderr, "koseki server: %s %s\n", served_.error().id.c_str(),
                 served_.error().internal_detail.c_str());
  }
  server_.reset();
}

const BenchUser* KosekiSite::TakeUser() {
  const std::size_t index = next_user_.fetch_add(1);
  return index < users_.size() ? &users_[index] : nullptr;
}

std::size_t KosekiSite::users_left() const {
  const std::size_t taken = next_user_.load();
  return taken < users_.size() ? users_.size() - taken : 0;
}

net::awaitable<std::string> KosekiSite::SignInFlow(Connection& connection, const BenchUser& user) {
  HttpResponse page;
  std::string failed = co_await connection.Exchange(http::verb::get, "/", {}, page);
  if (failed.empty()) failed = Expect(page, http::status::ok, "login page");
  if (!failed.empty()) co_return failed;
  failed = co_await connection.Exchange(http::verb::post, "/login",
                                        "csrf=" + CsrfOf(page.body()) +
                                            "&login=" + FormEncode(user.login) +
                                            "&password=" + FormEncode(user.password),
                                        page);
  if (failed.empty()) failed = Expect(page, http::status::see_other, "password");
  if (!failed.empty()) co_return failed;
  failed = co_await connection.Exchange(http::verb::get, "/", {}, page);
  if (failed.empty()) failed = Expect(page, http::status::ok, "code page");
  if (!failed.empty()) co_return failed;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  failed = co_await connection.Exchange(
      http::verb::post, "/totp",
      "csrf=" + CsrfOf(page.body()) + "&code=" + crypto::TotpCode(user.totp_secret, seconds), page);
  if (failed.empty()) failed = Expect(page, http::status::see_other, "code");
  co_return failed;
}

Prepare KosekiSite::SignInPrepare() {
  return [this](Connection& connection) -> net::awaitable<std::string> {
    const BenchUser* user = TakeUser();
    if (user == nullptr) co_return "no clerk left in the pool";
    co_return co_await SignInFlow(connection, *user);
  };
}

Result<std::string> KosekiSite::ReferenceMenu(ssl::context& tls) {
  const BenchUser* user = TakeUser();
  if (user == nullptr) return BenchError("no clerk left in the pool");
  net::io_context ioc;
  std::string failed = "not run";
  std::string menu;
  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), port());
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        Connection connection(co_await net::this_coro::executor, tls, "localhost");
        failed = co_await connection.Open(endpoint);
        if (failed.empty()) failed = co_await SignInFlow(connection, *user);
        HttpResponse page;
        if (failed.empty()) failed = co_await connection.Exchange(http::verb::get, "/", {}, page);
        if (failed.empty()) failed = Expect(page, http::status::ok, "menu");
        if (failed.empty()) menu = page.body();
        connection.Close();
      },
      net::detached);
  ioc.run();
  if (!failed.empty()) return BenchError("signing in a reference clerk: " + failed);
  return menu;
}

}  // namespace koseki::bench
