// A small synchronous HTTPS client for tests and the load benchmark, and a plain TCP helper.
//
// HttpsClient opens one TLS connection (optionally with a client certificate), sends requests
// on it one after another and keeps it alive while the server does. Every operation is bounded
// by ClientOptions::timeout. It also exposes the raw byte level that attack tests need (sending
// a header one byte at a time). RawTcpExchange talks to the port without TLS, as a plain HTTP
// client or a port scanner would.
//
// Not thread-safe: one client per thread (each has its own io_context). Errors are test
// errors (id "TEST-WEB-…"), not user-facing ones.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/web/handler.h"

namespace koseki::web::testing {

struct ClientOptions {
  std::string host = "127.0.0.1";  // an IP address literal
  std::uint16_t port = 0;
  // Sent as SNI and required in the server certificate (subjectAltName).
  std::string server_name = "localhost";
  std::string trust_anchor_pem;        // the CA certificate(s) the server certificate chains to
  std::string client_certificate_pem;  // empty: present no client certificate
  std::string client_private_key_pem;
  int min_version = TLS1_2_VERSION;
  int max_version = 0;      // 0: the library's highest
  std::string cipher_list;  // TLS 1.2 and older suites; empty: OpenSSL's default
  std::chrono::milliseconds timeout{5000};
};

// What SendSlowly observed.
struct SlowSendResult {
  std::size_t bytes_sent = 0;
  bool closed_by_server = false;
  std::chrono::milliseconds elapsed{0};
};

class HttpsClient {
 public:
  // Connects and completes the TLS handshake. Fails if the server refuses the handshake (with
  // TLS 1.3 a refused client certificate may only show at the first read, i.e. in Send).
  static Result<std::unique_ptr<HttpsClient>> Connect(const ClientOptions& options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends `request` (Host, Content-Length and keep-alive are filled in) and reads the response.
  // Closes the connection afterwards if the response says `Connection: close`.
  Result<HttpResponse> Send(HttpRequest request);
  Result<HttpResponse> Get(std::string_view target);
  Result<HttpResponse> Post(std::string_view target, std::string body);

  // Writes `bytes` to the TLS stream as they are (no HTTP framing).
  Result<void> WriteRaw(std::string_view bytes);
  // Reads one response (after WriteRaw); closes the connection if it says `Connection: close`.
  Result<HttpResponse> ReadResponse();
  // Waits up to `limit` for the server to close the connection; returns whether it did.
  bool WaitForServerClose(std::chrono::milliseconds limit);
  // Writes `bytes` one byte per `interval` and stops early when the server closes the
  // connection; the pacing is the attack being simulated.
  SlowSendResult SendSlowly(std::string_view bytes, std::chrono::milliseconds interval);

  // Returns whether the connection is still open from this side.
  bool is_open() const;
  // Returns the negotiated protocol, e.g. "TLSv1.3".
  std::string protocol() const;
  // Returns whether the server handed out a session this client could resume (a ticket).
  bool has_resumable_session() const;

  class Impl;

 private:
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct RawReply {
  std::string received;
  bool closed_by_peer = false;  // false: `timeout` ended the wait
};

// Connects over plain TCP, sends `bytes` (may be empty), and reads until the peer closes the
// connection or `timeout` passes.
Result<RawReply> RawTcpExchange(std::string_view host, std::uint16_t port, std::string_view bytes,
                                std::chrono::milliseconds timeout);

}  // namespace koseki::web::testing
