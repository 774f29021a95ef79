// ServerApp: `koseki serve` assembled — the composition root of the HTTPS server. It opens the
// installation once (the master key unsealed at start), and wires the registered-device gate
// (device_gate.h), the sign-in sessions (access/sign_in.h) and the portal (web/portal.h) onto
// the mTLS transport (web/server.h).
//
// Concurrency: the server's request threads share the one Koseki. That is safe because what they
// use is: the SQLite backend serializes writers (one write transaction at a time, also across
// processes — so `koseki device enroll` or `user add` run beside the server on the same data
// directory) and reads from a pool of WAL reader connections; the audit log appends under its
// own lock and re-reads a tree edge another process moved; the installation's key cache is
// locked. A housekeeping thread writes due audit checkpoints and removes expired sessions.
//
// Shutdown (Stop, SIGTERM, SIGINT): the transport finishes requests in flight, then Close()
// writes the audit log's closing checkpoints.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "koseki/access/sign_in.h"
#include "koseki/app/device_gate.h"
#include "koseki/app/koseki.h"
#include "koseki/app/server_config.h"
#include "koseki/web/portal.h"
#include "koseki/web/server.h"

namespace koseki::app {

class ServerApp {
 public:
  // Opens the installation of `config` with `passphrase` and binds the listener (nothing is
  // served until Run). `clock`: the system clock if null (tests pass a fake one, which must
  // outlive the server). The TLS certificate chain and key are read from the config's files.
  // `access_log` receives one JSON line per request (web/access_log.h); empty: the diagnostic
  // log.
  static Result<std::unique_ptr<ServerApp>> Create(
      const ServerConfig& config, const SecretBytes& passphrase, const access::Actor& custodian,
      const Clock* clock = nullptr,
      std::function<void(std::string_view json_line)> access_log = {});
  ~ServerApp();

  std::uint16_t port() const { return server_->port(); }
  // Serves until Stop() or (after StopOnSignals) SIGTERM/SIGINT; then writes the closing
  // checkpoints. Returns the first error of the closing.
  Result<void> Run();
  void Stop() { server_->Stop(); }
  void StopOnSignals() { server_->StopOnSignals(); }
  Koseki& koseki() { return *koseki_; }

 private:
  class Services;
  ServerApp() = default;
  void Housekeeping();

  std::unique_ptr<Koseki> koseki_;
  std::unique_ptr<access::SignIn> sign_in_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<RegisteredDeviceGate> gate_;
  std::unique_ptr<web::Portal> portal_;
  std::unique_ptr<web::Server> server_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace koseki::app
