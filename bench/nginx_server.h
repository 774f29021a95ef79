// NginxServer: the reference server of koseki_bench_server — the system's nginx binary, started
// as the current user from a generated configuration in a directory of the benchmark's, serving
// one static page over the same mutual TLS koseki asks for: TLS 1.3 only, the same server
// certificate chain and key, `ssl_verify_client on` against the same device CA, koseki's TLS 1.3
// suites and groups, no session resumption (no tickets, no cache), HTTP/1.1 keep-alive without a
// per-connection request limit, access_log off.
//
// nginx runs in the foreground (`daemon off`) with a master and `workers` worker processes, so
// the master is this object's child: Start waits until the port accepts connections, the
// destructor stops it (SIGQUIT, a graceful stop, then SIGKILL if it lingers) and reaps it. The
// pid file, error log and temporary paths stay in the given directory. Not thread-safe; Start
// and the destructor run on one thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::bench {

struct NginxOptions {
  std::filesystem::path binary = "/usr/sbin/nginx";
  std::filesystem::path dir;  // written to: nginx.conf, html/, logs, temporary paths
  std::filesystem::path certificate_chain_file;
  std::filesystem::path private_key_file;
  std::filesystem::path client_ca_file;
  std::string index_html;  // served for GET /
  int workers = 1;
};

class NginxServer {
 public:
  // Writes the configuration and the page, starts nginx on a free loopback port and waits (up
  // to 10 s) until it accepts connections. Fails with the end of nginx's error log if it exits.
  static Result<std::unique_ptr<NginxServer>> Start(const NginxOptions& options);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Returns the CPU seconds nginx's processes (master and workers) have used so far.
  double CpuSeconds() const;

 private:
  NginxServer(pid_t master, std::uint16_t port) : master_(master), port_(port) {}

  pid_t master_;
  std::uint16_t port_;
};

// Returns the configuration NginxServer writes.
std::string NginxConfig(const NginxOptions& options, std::uint16_t port);

}  // namespace koseki::bench
