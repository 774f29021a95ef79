#include "bench/https_load.h"

#include <openssl/ssl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "bench/workload.h"
#include "koseki/web/internal/tls_context.h"

namespace koseki::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
// Bounds every network step, so that a stalled server ends a run instead of hanging it.
constexpr std::chrono::seconds kStepTimeout{15};
// How often a prepared connection looks whether the load has started.
constexpr std::chrono::milliseconds kStartPoll{10};

enum Phase : int { kPrepare, kWarmup, kMeasure, kStop };

std::string Describe(std::string_view step, const boost::system::error_code& ec) {
  return std::string(step) + ": " + ec.message();
}

// One connection's tallies; only its own coroutine touches them until the threads are joined.
struct WorkerStats {
  std::uint64_t completed = 0;
  std::uint64_t errors = 0;
  std::string first_error;
  std::vector<double> latency_ms;

  void Fail(std::string what) {
    ++errors;
    if (first_error.empty()) first_error = std::move(what);
  }
};

struct Shared {
  Shared(const Target& t, const LoadPlan& p, ssl::context& c)
      : target(t), plan(p), tls(c), stats(p.connections) {}

  const Target& target;
  const LoadPlan& plan;
  ssl::context& tls;
  std::atomic<int> phase{kPrepare};
  SteadyClock::time_point go;  // written before `phase` leaves kPrepare (release/acquire)
  std::vector<WorkerStats> stats;

  std::mutex mutex;  // guards ready, failed_prepare, first_prepare_error
  std::condition_variable all_ready;
  std::size_t ready = 0;
  std::size_t failed_prepare = 0;
  std::string first_prepare_error;

  void MarkReady(std::string prepare_error) {
    const std::lock_guard lock(mutex);
    ++ready;
    if (!prepare_error.empty()) {
      ++failed_prepare;
      if (first_prepare_error.empty()) first_prepare_error = std::move(prepare_error);
    }
    if (ready == stats.size()) all_ready.notify_all();
  }
};

// Checks a response of the measured load; returns what is wrong with it, or empty.
std::string CheckResponse(const HttpResponse& response, std::size_t expected_bytes) {
  if (response.result() != http::status::ok) {
    return "status " + std::to_string(response.result_int());
  }
  if (expected_bytes != 0 && response.body().size() != expected_bytes) {
    return "body of " + std::to_string(response.body().size()) + " bytes, expected " +
           std::to_string(expected_bytes);
  }
  return {};
}

net::awaitable<void> WaitForStart(Shared& shared) {
  net::steady_timer timer(co_await net::this_coro::executor);
  while (shared.phase.load(std::memory_order_acquire) == kPrepare) {
    timer.expires_after(kStartPoll);
    co_await timer.async_wait(kUseTuple);
  }
}

double MillisecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// kKeepAlive and kPaced: one prepared connection, requests until the run stops.
net::awaitable<void> KeepAliveWorker(Shared& shared, std::size_t index) {
  WorkerStats& stats = shared.stats[index];
  const Target& target = shared.target;
  Connection connection(co_await net::this_coro::executor, shared.tls, "localhost");
  std::string failed = co_await connection.Open(target.endpoint);
  if (failed.empty() && target.prepare) failed = co_await target.prepare(connection);
  const bool prepared = failed.empty();
  shared.MarkReady(std::move(failed));
  if (!prepared) co_return;
  co_await WaitForStart(shared);

  const bool paced = shared.plan.kind == LoadPlan::Kind::kPaced;
  const auto period = std::chrono::duration_cast<SteadyClock::duration>(shared.plan.period);
  // A random phase per connection, so that paced requests do not arrive in bursts.
  std::mt19937_64 rng(index + 1);
  SteadyClock::time_point due =
      shared.go + (paced ? SteadyClock::duration(std::uniform_int_distribution<SteadyClock::rep>(
                               0, period.count() - 1)(rng))
                         : SteadyClock::duration::zero());
  net::steady_timer timer(co_await net::this_coro::executor);
  HttpResponse response;
  while (shared.phase.load(std::memory_order_acquire) != kStop) {
    if (paced && SteadyClock::now() < due) {
      timer.expires_at(due);
      co_await timer.async_wait(kUseTuple);
      if (shared.phase.load(std::memory_order_acquire) == kStop) break;
    }
    const SteadyClock::time_point start = paced ? due : SteadyClock::now();
    failed = co_await connection.Exchange(http::verb::get, target.path, {}, response);
    const SteadyClock::time_point end = SteadyClock::now();
    if (paced) due += period;
    if (!failed.empty()) {  // the connection is gone
      stats.Fail(std::move(failed));
      break;
    }
    if (std::string wrong = CheckResponse(response, target.expected_body_bytes); !wrong.empty()) {
      stats.Fail(std::move(wrong));
      continue;
    }
    if (shared.phase.load(std::memory_order_acquire) == kMeasure) {
      ++stats.completed;
      stats.latency_ms.push_back(MillisecondsBetween(start, end));
    }
  }
  connection.Close();
}

// kHandshake: a new connection, and so a full handshake, for every request.
net::awaitable<void> HandshakeWorker(Shared& shared, std::size_t index) {
  WorkerStats& stats = shared.stats[index];
  const Target& target = shared.target;
  shared.MarkReady({});
  co_await WaitForStart(shared);
  const net::any_io_executor executor = co_await net::this_coro::executor;
  HttpResponse response;
  while (shared.phase.load(std::memory_order_acquire) != kStop) {
    const SteadyClock::time_point start = SteadyClock::now();
    Connection connection(executor, shared.tls, "localhost");
    std::string failed = co_await connection.Open(target.endpoint);
    if (failed.empty()) {
      failed = co_await connection.Exchange(http::verb::get, target.path, {}, response,
                                            /*close=*/true);
    }
    if (failed.empty()) failed = CheckResponse(response, target.expected_body_bytes);
    connection.Close();
    const SteadyClock::time_point end = SteadyClock::now();
    if (!failed.empty()) {
      stats.Fail(std::move(failed));
      continue;
    }
    if (shared.phase.load(std::memory_order_acquire) == kMeasure) {
      ++stats.completed;
      stats.latency_ms.push_back(MillisecondsBetween(start, end));
    }
  }
}

// Reads utime + stime (fields 14 and 15) of a /proc stat file, in seconds; 0 if it is gone.
double StatCpuSeconds(const std::filesystem::path& stat_file) {
  std::ifstream in(stat_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int number = 3; number <= 15 && (fields >> field); ++number) {
    if (number == 14) utime = std::stoull(field);
    if (number == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

double LoadResult::LatencyMs(double p) const {
  if (latency_ms.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(latency_ms.size())));
  return latency_ms[std::clamp<std::size_t>(rank, 1, latency_ms.size()) - 1];
}

double LoadResult::ServerCpuUsPerRequest() const {
  return completed == 0 ? 0 : 1e6 * server_cpu_seconds / static_cast<double>(completed);
}

Result<std::unique_ptr<ssl::context>> MakeClientContext(const ClientTls& tls) {
  // The exception barrier of this interface: Asio's context reports allocation failures by
  // throwing; everything else below uses error codes.
  try {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX* ctx = context->native_handle();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_ciphersuites(ctx, web::internal::kTls13Ciphersuites) != 1) {
      return BenchError("client TLS protocol settings refused");
    }
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    boost::system::error_code ec;
    context->add_certificate_authority(net::buffer(tls.trust_anchor_pem), ec);
    if (!ec) {
      context->use_certificate(net::buffer(tls.certificate_pem), ssl::context::pem, ec);
    }
    if (!ec) {
      context->use_private_key(net::buffer(tls.private_key_pem), ssl::context::pem, ec);
    }
    if (!ec) context->set_verify_mode(ssl::verify_peer, ec);
    if (ec) return BenchError(Describe("client TLS credentials", ec));
    return context;
  } catch (const std::exception& e) {
    return BenchError(std::string("client TLS context: ") + e.what());
  }
}

Connection::Connection(const net::any_io_executor& executor, ssl::context& tls,
                       std::string server_name)
    : server_name_(std::move(server_name)), stream_(executor, tls) {}

net::awaitable<std::string> Connection::Open(const tcp::endpoint& endpoint) {
  SSL* ssl_object = stream_.native_handle();
  // SNI and the name the server certificate must carry.
  // SSL_set_tlsext_host_name without its macro's C-style cast.
  if (SSL_ctrl(ssl_object, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               server_name_.data()) != 1 ||
      SSL_set1_host(ssl_object, server_name_.c_str()) != 1) {
    co_return "setting the server name failed";
  }
  beast::tcp_stream& tcp_stream = beast::get_lowest_layer(stream_);
  tcp_stream.expires_after(kStepTimeout);
  auto [connect_ec] = co_await tcp_stream.async_connect(endpoint, kUseTuple);
  if (connect_ec) co_return Describe("connect", connect_ec);
  boost::system::error_code ignored;
  tcp_stream.socket().set_option(tcp::no_delay(true), ignored);
  tcp_stream.expires_after(kStepTimeout);
  auto [handshake_ec] = co_await stream_.async_handshake(ssl::stream_base::client, kUseTuple);
  if (handshake_ec) co_return Describe("handshake", handshake_ec);
  co_return std::string();
}

net::awaitable<std::string> Connection::Exchange(http::verb method, std::string_view target,
                                                 std::string form_body, HttpResponse& response,
                                                 bool close) {
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, server_name_);
  if (!cookie_.empty()) request.set(http::field::cookie, cookie_);
  if (method == http::verb::post) {
    request.set(http::field::content_type, "application/x-www-form-urlencoded");
    request.body() = std::move(form_body);
  }
  request.keep_alive(!close);
  request.prepare_payload();
  beast::tcp_stream& tcp_stream = beast::get_lowest_layer(stream_);
  tcp_stream.expires_after(kStepTimeout);
  auto [write_ec, written] = co_await http::async_write(stream_, request, kUseTuple);
  if (write_ec) co_return Describe("write", write_ec);
  response = {};
  tcp_stream.expires_after(kStepTimeout);
  auto [read_ec, read] = co_await http::async_read(stream_, buffer_, response, kUseTuple);
  if (read_ec) co_return Describe("read", read_ec);
  if (const auto set = response[http::field::set_cookie]; !set.empty()) {
    const std::string_view pair(set.data(), std::min(set.size(), set.find(';')));
    // "name=" with nothing after it is the server clearing its cookie.
    cookie_ = pair.ends_with('=') ? std::string() : std::string(pair);
  }
  co_return std::string();
}

void Connection::Close() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream_).close();
}

Result<LoadResult> RunLoad(const Target& target, const LoadPlan& plan, ssl::context& tls,
                           std::chrono::seconds prepare_limit) {
  if (plan.connections == 0 || plan.threads <= 0 || plan.duration.count() <= 0 ||
      (plan.kind == LoadPlan::Kind::kPaced && plan.period.count() <= 0)) {
    return BenchError("unusable load plan");
  }
  Shared shared(target, plan, tls);
  net::io_context ioc(plan.threads);
  for (std::size_t i = 0; i < plan.connections; ++i) {
    auto worker = plan.kind == LoadPlan::Kind::kHandshake ? HandshakeWorker(shared, i)
                                                          : KeepAliveWorker(shared, i);
    net::co_spawn(net::make_strand(ioc), std::move(worker), net::detached);
  }
  std::mutex tids_mutex;
  std::vector<pid_t> client_tids{CurrentThreadId()};  // the controlling thread and the I/O ones
  std::vector<std::thread> threads;
  for (int i = 0; i < plan.threads; ++i) {
    threads.emplace_back([&] {
      {
        const std::lock_guard lock(tids_mutex);
        client_tids.push_back(CurrentThreadId());
      }
      // The thread entry's exception barrier; a coroutine that throws is a bug of the bench.
      try {
        ioc.run();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "load thread: %s\n", e.what());
        std::abort();
      }
    });
  }
  const auto stop_and_join = [&] {
    shared.phase.store(kStop, std::memory_order_release);
    for (std::thread& thread : threads) thread.join();
  };

  {
    std::unique_lock lock(shared.mutex);
    if (!shared.all_ready.wait_for(lock, prepare_limit,
                                   [&] { return shared.ready == plan.connections; })) {
      lock.unlock();
      stop_and_join();
      return BenchError(target.name + ": the connections were not prepared in time");
    }
    if (shared.failed_prepare > 0) {
      const std::string detail =
          target.name + ": " + std::to_string(shared.failed_prepare) + " of " +
          std::to_string(plan.connections) +
          " connections could not be prepared; first: " + shared.first_prepare_error;
      lock.unlock();
      stop_and_join();
      return BenchError(detail);
    }
  }

  shared.go = SteadyClock::now();
  shared.phase.store(kWarmup, std::memory_order_release);
  std::this_thread::sleep_for(plan.warmup);
  std::vector<pid_t> exclude;
  {
    const std::lock_guard lock(tids_mutex);
    exclude = client_tids;
  }
  const double server_cpu_start =
      target.server_cpu_seconds ? target.server_cpu_seconds(exclude) : 0;
  const double client_cpu_start = OwnThreadsCpuSeconds(exclude);
  const SteadyClock::time_point window_start = SteadyClock::now();
  shared.phase.store(kMeasure, std::memory_order_release);
  std::this_thread::sleep_for(plan.duration);
  shared.phase.store(kStop, std::memory_order_release);
  const SteadyClock::time_point window_end = SteadyClock::now();
  const double server_cpu_end = target.server_cpu_seconds ? target.server_cpu_seconds(exclude) : 0;
  const double client_cpu_end = OwnThreadsCpuSeconds(exclude);
  stop_and_join();

  LoadResult result;
  result.seconds = std::chrono::duration<double>(window_end - window_start).count();
  result.server_cpu_seconds = server_cpu_end - server_cpu_start;
  result.client_cpu_seconds = client_cpu_end - client_cpu_start;
  for (WorkerStats& stats : shared.stats) {
    result.completed += stats.completed;
    result.errors += stats.errors;
    if (result.first_error.empty()) result.first_error = stats.first_error;
    result.latency_ms.insert(result.latency_ms.end(), stats.latency_ms.begin(),
                             stats.latency_ms.end());
  }
  std::sort(result.latency_ms.begin(), result.latency_ms.end());
  return result;
}

double ProcessCpuSeconds(pid_t pid) {
  return StatCpuSeconds(std::filesystem::path("/proc") / std::to_string(pid) / "stat");
}

double OwnThreadsCpuSecondsExcept(const std::vector<pid_t>& exclude) {
  double total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const std::string name = entry.path().filename().string();
    const pid_t tid = static_cast<pid_t>(std::strtol(name.c_str(), nullptr, 10));
    if (std::find(exclude.begin(), exclude.end(), tid) != exclude.end()) continue;
    total += StatCpuSeconds(entry.path() / "stat");
  }
  return total;
}

double OwnThreadsCpuSeconds(const std::vector<pid_t>& tids) {
  double total = 0;
  for (const pid_t tid : tids) {
    total +=
        StatCpuSeconds(std::filesystem::path("/proc/self/task") / std::to_string(tid) / "stat");
  }
  return total;
}

std::vector<pid_t> ChildProcesses(pid_t parent) {
  std::vector<pid_t> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream in(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(text.substr(close + 1));
    std::string state;
    long ppid = 0;
    if (fields >> state >> ppid && ppid == parent) {
      children.push_back(static_cast<pid_t>(std::strtol(name.c_str(), nullptr, 10)));
    }
  }
  return children;
}

pid_t CurrentThreadId() { return static_cast<pid_t>(syscall(SYS_gettid)); }

}  // namespace koseki::bench
