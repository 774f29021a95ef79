// The application's side of the HTTPS server: one Handler answers every admitted request.
//
// The transport (server.h) owns TLS, parsing, limits, timeouts, security headers and the
// access log; a Handler sees only complete, well-formed requests from an admitted Device and
// returns a response. Headers the transport sets itself (the security headers, Connection,
// Content-Length) override whatever the handler put there.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <memory>
#include <string_view>

#include "koseki/web/device_gate.h"

namespace koseki::web {

namespace http = boost::beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// What a handler keeps from one request of a connection to the next (e.g. what it looked up
// about the connection's device and session, so that a keep-alive connection need not look it
// all up again). The transport owns it and drops it with the connection; the handler decides
// when it is stale.
class ConnectionMemo {
 public:
  virtual ~ConnectionMemo() = default;
};

// One request as the handler sees it. Everything is borrowed for the duration of Handle().
struct Request {
  const HttpRequest& message;
  const Device& device;
  std::string_view peer_address;          // "ip:port", "[v6]:port" for IPv6
  std::string_view request_id;            // random, 32 hex digits; also in the access log
  std::unique_ptr<ConnectionMemo>& memo;  // the connection's; empty on its first request
};

// Thread safety: BodyLimit is called on the server's I/O threads and Handle on its request
// threads, both concurrently for different connections (requests of one connection are
// sequential). Must not throw: the server answers anything
// that escapes with a 500 page and keeps running, but a throwing handler is a bug.
class Handler {
 public:
  virtual ~Handler() = default;

  // Returns the largest request body accepted for this request line; larger bodies get 413 and
  // the connection is closed. Called once the header has been read, before the body is.
  virtual std::size_t BodyLimit(http::verb method, std::string_view target) const = 0;

  // Answers one request. Called on a request thread (ServerOptions::request_threads), which a
  // slow handler holds; the I/O threads go on serving other connections.
  virtual HttpResponse Handle(const Request& request) = 0;
};

}  // namespace koseki::web
