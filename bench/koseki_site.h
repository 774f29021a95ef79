// KosekiSite: what koseki_bench_server measures on the koseki side — a complete installation in
// a directory of the benchmark's (encrypted SQLite store, audit log and witness file, sealed
// master key under a minimal-cost KDF), one fictional municipality with one registered city
// terminal, the server's TLS certificate from the installation's CA, and a pool of clerks, all
// made through koseki's own use cases; then the real ServerApp serving it over mutual TLS on a
// loopback port, in this process, on `io_threads` I/O threads, with the system clock.
//
// The clerks are written straight into the directory as they would stand after their first
// login (password changed, TOTP enrolled, pledge and training on record), with Argon2id at
// libsodium's minimum cost, so that hashing passwords does not dominate the sign-ins the bench
// makes. Each keep-alive connection of the load signs in through the real web flow (GET /,
// POST /login with the password, GET /, POST /totp with the current code); a clerk is handed
// out once only, since a TOTP code is accepted once per 30-second step.
//
// Thread safety: Create, ReferenceMenu and the destructor run on one thread; SignInFlow and
// TakeUser may run concurrently on the load's threads. The destructor stops the server.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/https_load.h"
#include "koseki/app/server_app.h"
#include "koseki/base/secret_bytes.h"

namespace koseki::bench {

struct BenchUser {
  std::string login;
  std::string password;
  SecretBytes totp_secret;
};

struct KosekiSiteOptions {
  std::filesystem::path dir;
  std::size_t users = 0;
  int io_threads = 1;
};

class KosekiSite {
 public:
  // Builds the installation in options.dir (which must be empty) and starts the server.
  static Result<std::unique_ptr<KosekiSite>> Create(const KosekiSiteOptions& options);
  ~KosekiSite();
  KosekiSite(const KosekiSite&) = delete;
  KosekiSite& operator=(const KosekiSite&) = delete;

  std::uint16_t port() const { return server_->port(); }
  // The client side of the registered terminal, and the CA the server's chain leads to.
  const ClientTls& client_tls() const { return client_tls_; }
  // PEM files nginx is given: the server's chain (leaf, CA) and key, and the device CA.
  const std::filesystem::path& chain_file() const { return chain_file_; }
  const std::filesystem::path& key_file() const { return key_file_; }
  const std::filesystem::path& client_ca_file() const { return client_ca_file_; }

  // Returns the next clerk not signed in yet, or nullptr when the pool is used up.
  const BenchUser* TakeUser();
  std::size_t users_left() const;

  // Signs `user` in on `connection` through the web flow; empty on success, else what failed.
  static net::awaitable<std::string> SignInFlow(Connection& connection, const BenchUser& user);
  // Returns a Prepare that signs the connection in as the next clerk of the pool.
  Prepare SignInPrepare();
  // Signs one clerk in on a connection of its own and returns the menu page's HTML.
  Result<std::string> ReferenceMenu(ssl::context& tls);

 private:
  KosekiSite() = default;
  Result<void> Build(const KosekiSiteOptions& options);
  Result<void> Start(const KosekiSiteOptions& options);

  app::Location location_;
  std::filesystem::path chain_file_, key_file_, client_ca_file_;
  ClientTls client_tls_;
  std::vector<BenchUser> users_;
  std::atomic<std::size_t> next_user_{0};
  std::unique_ptr<app::ServerApp> server_;
  std::thread server_thread_;
  Result<void> served_ = Ok();  // what Run returned, once the thread is joined
};

}  // namespace koseki::bench
