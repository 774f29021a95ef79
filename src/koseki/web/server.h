// The HTTPS server: mutual TLS, HTTP/1.1 keep-alive, bounded and timed reads, security
// headers on every response, one access-log line per request, graceful shutdown.
//
// There is no plaintext listener: every connection starts with a TLS handshake that requires a
// client certificate, which the DeviceGate (device_gate.h) admits or refuses; only then is HTTP
// read. Requests go to the Handler (handler.h). The transport itself answers only what it
// must: 400 for a malformed request, 413 for a body over the handler's limit, 431 for a header
// over `header_limit`, 500 when the handler throws; each of these closes the connection.
//
// Limits and timeouts (ServerOptions):
//   * handshake_timeout bounds the TLS handshake;
//   * read_timeout bounds the wait for the first request after the handshake, then the request
//     header from its first byte, and then the body separately (a slow-loris client sending
//     one byte at a time is cut off when it runs out); a timed-out read gets no answer;
//   * keep_alive_idle bounds the wait for the next request on a kept-alive connection;
//   * write_timeout bounds writing a response (and sending close_notify);
//   * after a connection's last response the server drops what the client still sends for up
//     to min(read_timeout, 2 s) before closing, so that the client reads the response rather
//     than a reset (a 413 answered before the whole body arrived, say);
//   * a connection over max_connections is accepted and closed at once, before TLS (no 503:
//     answering would cost a handshake, which is what an overload cannot afford).
//   TLS session resumption is off (no tickets, no session cache), so every connection's
//   Device comes from a full certificate check.
//
// Lifecycle and thread safety: Create() binds the port (port() is known at once); Run() runs
// the I/O threads and blocks until a Stop() finishes; call it once. Stop() may be called from
// any thread, also before Run() and more than once: it stops accepting, lets requests in
// flight finish (their responses carry `Connection: close`), closes idle connections and makes
// Run() return when all connections are gone or `shutdown_grace` has passed, whichever comes
// first (after the grace, remaining connections are closed; a handler still running keeps its
// thread, and Run(), until it returns). The Server must outlive Run(); the DeviceGate and the
// Handler must outlive the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "koseki/base/result.h"
#include "koseki/base/secret_bytes.h"
#include "koseki/web/device_gate.h"
#include "koseki/web/handler.h"

namespace koseki::web {

struct ServerOptions {
  // An IP address literal ("127.0.0.1", "0.0.0.0", "::"); host names are not resolved.
  std::string listen_host = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port (tests); see Server::port()
  // The server's certificate chain in PEM, leaf first, then intermediates; and its private key
  // in PEM (unencrypted). Given as contents, not file names: the caller decides where they
  // come from (files, the sealed installation store).
  std::string tls_certificate_chain_pem;
  SecretBytes tls_private_key_pem;
  int io_threads = static_cast<int>(std::thread::hardware_concurrency());  // 0 means 1
  // The Handler runs on threads of its own, not on the I/O threads: a handler waits — above
  // all for the disk's flush when it commits — and concurrent requests' commits share one
  // flush only if they can wait at the same time (the store's group commit). This bounds how
  // many requests are handled at once; more wait in line. 1…1024.
  int request_threads = 64;
  std::size_t header_limit = 16 * 1024;  // bytes of request line plus header fields
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds keep_alive_idle{30000};
  std::chrono::milliseconds shutdown_grace{10000};
  std::size_t max_connections = 1024;
  // Receives each access-log line (one JSON object, access_log.h). Empty: the line goes to the
  // diagnostic log (log::Info, visible when verbose). Called on I/O threads, concurrently.
  std::function<void(std::string_view json_line)> access_log;
};

class Server {
 public:
  // Checks the options, loads the certificate and key, and binds and listens on the port.
  // InvalidArgument KSK-WEB-010 for an unusable certificate or key, KSK-WEB-012 for bad
  // options; Unavailable KSK-WEB-011 if the address cannot be bound; Internal KSK-WEB-013 if
  // OpenSSL cannot set up TLS.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, DeviceGate& gate,
                                                Handler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Returns the bound port (the ephemeral one if options.port was 0).
  std::uint16_t port() const;
  // Serves until Stop() (or a signal, after StopOnSignals()) completes; see the header comment.
  void Run();
  // Starts a graceful shutdown; returns at once. Thread-safe.
  void Stop();
  // Makes SIGTERM and SIGINT call Stop() from now on, for the lifetime of the Server (a signal
  // before Run() stops the server as soon as it runs). Call once, before Run().
  void StopOnSignals();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace koseki::web
