// The load generator of koseki_bench_server: many mutual-TLS HTTPS connections driven by C++20
// coroutines on a few threads of one Boost.Asio io_context, against one server at a time.
//
// Three load shapes (LoadPlan::Kind):
//   * kKeepAlive: `connections` connections, each prepared once (Target::prepare, e.g. a
//     sign-in), then sending GET Target::path back to back (closed loop) on the one connection;
//   * kHandshake: `connections` loops of connect, full TLS 1.3 handshake with the client
//     certificate, one GET with `Connection: close`, close — new handshakes per second;
//   * kPaced: like kKeepAlive, but each connection sends one request per `period` (a random
//     phase each), and latency counts from the time a request was due, not from when it could
//     be sent, so a server that falls behind is not flattered (no coordinated omission).
// Every run goes prepare → warmup → measured window → stop. Only requests completed inside
// the window count; a response that is not 200 or not of the expected size is an error. The
// CPU the server used in the window is read from /proc (Target::server_cpu_seconds) and the
// CPU of the client threads beside it, so a result also says what each request cost the server.
//
// Thread safety: RunLoad blocks its caller and owns its threads; the TLS context must outlive
// the call and is only read. A Connection is used by one coroutine at a time. Errors are the
// benchmark's (KSK-BENCH-001); nothing here throws across its interface.
#pragma once

#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using HttpResponse = http::response<http::string_body>;

// What the client presents and trusts. The context it makes speaks TLS 1.3 only, offers
// koseki's TLS 1.3 suites in koseki's order, verifies the server certificate against
// `trust_anchor_pem` and its name against `server_name`, and never resumes a session.
struct ClientTls {
  std::string trust_anchor_pem;
  std::string certificate_pem;
  std::string private_key_pem;
  std::string server_name = "localhost";
};
Result<std::unique_ptr<ssl::context>> MakeClientContext(const ClientTls& tls);

// One client connection with a one-cookie jar (the last Set-Cookie's name=value, sent back).
class Connection {
 public:
  Connection(const net::any_io_executor& executor, ssl::context& tls, std::string server_name);

  // Connects and completes the TLS handshake; empty on success, else what failed.
  net::awaitable<std::string> Open(const tcp::endpoint& endpoint);
  // Sends one request (a POST body as a form) and reads the response into `response`; keeps
  // the connection unless `close`. Empty on success, else what failed.
  net::awaitable<std::string> Exchange(http::verb method, std::string_view target,
                                       std::string form_body, HttpResponse& response,
                                       bool close = false);
  // Drops the connection at once (no close_notify exchange).
  void Close();

 private:
  std::string server_name_;
  ssl::stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::string cookie_;  // "name=value", empty before the first Set-Cookie
};

// Returns what prepared the connection wrong, or empty; runs on the connection's coroutine.
using Prepare = std::function<net::awaitable<std::string>(Connection&)>;

struct Target {
  std::string name;
  tcp::endpoint endpoint;
  std::string path = "/";
  std::size_t expected_body_bytes = 0;  // 0: any size
  Prepare prepare;                      // kKeepAlive and kPaced only; may be empty
  // Returns the CPU seconds the server has used so far, leaving out the threads of this
  // process in `exclude` (the load's own, when the server runs in this process).
  std::function<double(const std::vector<pid_t>& exclude)> server_cpu_seconds;
};

struct LoadPlan {
  enum class Kind { kKeepAlive, kHandshake, kPaced };
  Kind kind = Kind::kKeepAlive;
  std::size_t connections = 1;
  std::chrono::milliseconds warmup{500};
  std::chrono::milliseconds duration{2000};
  std::chrono::milliseconds period{0};  // kPaced: one request per connection per period
  int threads = 2;                      // client I/O threads
};

struct LoadResult {
  std::uint64_t completed = 0;     // requests completed inside the window
  std::uint64_t errors = 0;        // failed requests or connections over the whole run
  std::string first_error;         // what the first of them was
  double seconds = 0;              // length of the window
  std::vector<double> latency_ms;  // of each completed request, sorted
  double server_cpu_seconds = 0;   // in the window
  double client_cpu_seconds = 0;   // in the window

  double Rate() const { return seconds > 0 ? static_cast<double>(completed) / seconds : 0; }
  // Returns the nearest-rank percentile `p` (0–1) of the latencies, or 0 if there are none.
  double LatencyMs(double p) const;
  // Returns the server's CPU microseconds per completed request.
  double ServerCpuUsPerRequest() const;
};

// Runs `plan` against `target`. Fails if no connection could be prepared, or the preparation
// took longer than `prepare_limit`.
Result<LoadResult> RunLoad(const Target& target, const LoadPlan& plan, ssl::context& tls,
                           std::chrono::seconds prepare_limit = std::chrono::seconds(300));

// CPU accounting from /proc (Linux): the user+system CPU seconds of one process (all its
// threads), of the threads of this process except `exclude`, and of given threads of it.
double ProcessCpuSeconds(pid_t pid);
double OwnThreadsCpuSecondsExcept(const std::vector<pid_t>& exclude);
double OwnThreadsCpuSeconds(const std::vector<pid_t>& tids);
// Returns the ids of the processes whose parent is `parent`.
std::vector<pid_t> ChildProcesses(pid_t parent);
// Returns the calling thread's kernel id.
pid_t CurrentThreadId();

}  // namespace koseki::bench
