#include "koseki/app/server_app.h"

#include <fstream>
#include <iterator>

#include "koseki/app/window_admin.h"
#include "koseki/audit/entry.h"
#include "koseki/base/log.h"
#include "koseki/crypto/aead.h"
#include "koseki/crypto/blind_index.h"

namespace koseki::app {
namespace {

constexpr std::chrono::seconds kHousekeepingEvery{30};
constexpr std::string_view kAnonymousSessionKeyValue = "anonymous_session_key";

// The key of the login form's anonymous sessions (access/sign_in.h): one per installation, a
// sealed installation secret made by the first server that needs it, so that a restart, or
// another server on the same store, accepts the login forms handed out before.
Result<crypto::BlindIndexer> AnonymousSessionKey(store::Installation& installation) {
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes key,
                          installation.LoadOrCreateSealedSecret(kAnonymousSessionKeyValue,
                                                                crypto::BlindIndexer::kKeySize));
  return crypto::BlindIndexer::Create(std::move(key));
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "KSK-APP-020",
                     "サーバ証明書または秘密鍵のファイルを読めません。",
                     "cannot read TLS file " + path.filename().string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

// What the portal reads per request, over the installation.
class ServerApp::Services final : public web::PortalServices {
 public:
  explicit Services(Koseki& koseki) : koseki_(koseki) {}

  Result<std::uint64_t> ChangeStamp() override {
    return koseki_.installation().backend().ChangeStamp();
  }

  Result<std::string> TenantName(std::string_view tenant) override {
    KOSEKI_ASSIGN_OR_RETURN(store::TenantRow row, koseki_.Tenant(tenant));
    return row.name;
  }
  Result<access::AccessSettings> AccessSettingsOf(std::string_view tenant) override {
    return app::AccessSettingsOf(koseki_, tenant);
  }
  Result<std::optional<access::DeviceRecord>> FindDevice(std::string_view tenant,
                                                         std::string_view serial_hex) override {
    KOSEKI_ASSIGN_OR_RETURN(auto device, koseki_.directory().FindDevice(tenant, serial_hex));
    if (!device) return std::optional<access::DeviceRecord>();
    return std::optional<access::DeviceRecord>(std::move(device->value));
  }
  void RecordRefusal(const access::RequestOrigin& origin, std::string_view action,
                     const Error& error) override {
    audit::Event event;
    event.actor = audit::Actor{
        .user_id = {}, .device_id = origin.device_fingerprint, .address = origin.address};
    event.action = std::string(action);
    event.outcome = audit::OutcomeOf(error);
    event.error_id = error.id;
    (void)koseki_.audit().Append(koseki_.LogFor(origin.tenant), event);
  }

 private:
  Koseki& koseki_;
};

Result<std::unique_ptr<ServerApp>> ServerApp::Create(
    const ServerConfig& config, const SecretBytes& passphrase, const access::Actor& custodian,
    const Clock* clock, std::function<void(std::string_view)> access_log) {
  KOSEKI_RETURN_IF_ERROR(CheckServerConfigComplete(config));
  KOSEKI_ASSIGN_OR_RETURN(std::string chain, ReadFile(config.tls_cert_file));
  KOSEKI_ASSIGN_OR_RETURN(std::string key, ReadFile(config.tls_key_file));
  const Location location{config.data_dir, config.key_file, config.witness_file};
  KOSEKI_ASSIGN_OR_RETURN(audit::CheckpointPolicy policy, ResolveCheckpointPolicy());

  std::unique_ptr<ServerApp> app(new ServerApp());
  KOSEKI_ASSIGN_OR_RETURN(app->koseki_,
                          Koseki::Open(location, custodian, passphrase, policy, clock));
  Koseki& koseki = *app->koseki_;
  KOSEKI_ASSIGN_OR_RETURN(crypto::BlindIndexer anonymous_key,
                          AnonymousSessionKey(koseki.installation()));
  app->sign_in_ = std::make_unique<access::SignIn>(
      koseki.directory(), koseki.objects(), koseki.audit(), koseki.clock(),
      std::move(anonymous_key), access::SignInOptions{.lifetime = config.session_lifetime});
  app->services_ = std::make_unique<Services>(koseki);
  app->gate_ = std::make_unique<RegisteredDeviceGate>(koseki);
  app->portal_ =
      std::make_unique<web::Portal>(*app->sign_in_, *app->services_, koseki.clock(),
                                    web::PortalOptions{.idle_city = config.idle_city,
                                                       .idle_vendor = config.idle_vendor,
                                                       .form_body_limit = config.body_limit_form});
  web::ServerOptions options;
  options.listen_host = config.listen_host;
  options.port = config.port;
  options.tls_certificate_chain_pem = std::move(chain);
  options.tls_private_key_pem = SecretBytes::FromString(key);
  if (config.io_threads > 0) options.io_threads = config.io_threads;
  options.request_threads = config.request_threads;
  options.header_limit = config.header_limit;
  options.handshake_timeout = config.handshake_timeout;
  options.read_timeout = config.read_timeout;
  options.write_timeout = config.write_timeout;
  options.keep_alive_idle = config.keep_alive_idle;
  options.max_connections = config.max_connections;
  options.access_log = std::move(access_log);
  KOSEKI_ASSIGN_OR_RETURN(app->server_,
                          web::Server::Create(std::move(options), *app->gate_, *app->portal_));
  return app;
}

ServerApp::~ServerApp() {
  if (server_) server_->Stop();
}

void ServerApp::Housekeeping() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kHousekeepingEvery, [this] { return stopping_; })) {
    lock.unlock();
    if (auto done = koseki_->audit().CheckpointIfDue(); !done) {
      log::Error("checkpoint_failed", {{"error_id", done.error().id}});
    }
    if (auto removed = koseki_->objects().DeleteExpiredSessions(); !removed) {
      log::Error("session_cleanup_failed", {{"error_id", removed.error().id}});
    }
    lock.lock();
  }
}

Result<void> ServerApp::Run() {
  std::thread housekeeping([this] { Housekeeping(); });
  server_->Run();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  housekeeping.join();
  return koseki_->Close();
}

}  // namespace koseki::app
