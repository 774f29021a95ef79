#include "koseki/web/server.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "koseki/base/hex.h"
#include "koseki/base/log.h"
#include "koseki/web/access_log.h"
#include "koseki/web/internal/tls_context.h"
#include "koseki/web/response.h"

namespace koseki::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using ErrorCodeT = boost::system::error_code;
using TlsStream = ssl::stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kFirstReadSize = 4096;
// After the last response of a connection the server reads and drops what the client still
// sends, so that closing does not reset the connection before the client has read the
// response (a 413 answered before the whole body arrived, for example). Bounded by this.
constexpr std::chrono::milliseconds kMaxLinger{2000};

// What the TLS verify callback needs to know about its connection, reached from the SSL
// object through ex_data. Owned by the Connection; the SSL object only points to it.
struct HandshakeState {
  DeviceGate* gate = nullptr;
  std::string peer;
  bool gate_called = false;
  std::optional<Device> device;
};

int HandshakeStateIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// The certificate verify callback (SSL_CTX_set_cert_verify_callback): replaces OpenSSL's own
// chain building, so the DeviceGate alone decides. Called on the connection's I/O thread
// during the handshake; returns 1 to admit. Exceptions must not cross the C stack above.
int VerifyClientCertificate(X509_STORE_CTX* store_ctx, void* /*arg*/) {
  auto* ssl_object = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* state =
      ssl_object == nullptr
          ? nullptr
          : static_cast<HandshakeState*>(SSL_get_ex_data(ssl_object, HandshakeStateIndex()));
  X509* leaf = X509_STORE_CTX_get0_cert(store_ctx);
  if (state == nullptr || state->gate == nullptr || leaf == nullptr) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  state->gate_called = true;
  try {
    Result<Device> admitted =
        state->gate->Admit(leaf, X509_STORE_CTX_get0_untrusted(store_ctx), state->peer);
    if (admitted) {
      state->device = std::move(admitted).value();
      return 1;
    }
    log::Info("web.device_refused", {{"peer", state->peer}, {"error", admitted.error().id}});
  } catch (...) {
    log::Error("web.device_gate_threw", {{"peer", state->peer}});
  }
  X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_CERT_REJECTED);
  return 0;
}

bool IsMissingCertificate(const ErrorCodeT& ec) {
  return ec.category() == net::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
             SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

// Errors of the HTTP parser that mean "the client sent something that is not HTTP/1.1", as
// opposed to the connection ending, timing out or being reset.
bool IsParseError(const ErrorCodeT& ec) {
  if (ec.category() != beast::http::make_error_code(http::error::bad_method).category()) {
    return false;
  }
  return ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more && ec != http::error::need_buffer;
}

std::string PeerAddress(const tcp::endpoint& endpoint) {
  const net::ip::address address = endpoint.address();
  std::string text = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return text + ":" + std::to_string(endpoint.port());
}

std::string NewRequestId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // Uniqueness, not secrecy, is what a request id needs; a counter serves if the DRBG fails.
    static std::atomic<std::uint64_t> counter{0};
    const std::uint64_t n = counter.fetch_add(1);
    std::fill(std::begin(bytes), std::end(bytes), 0);
    for (int i = 0; i < 8; ++i) bytes[15 - i] = static_cast<unsigned char>(n >> (8 * i));
  }
  return HexEncode(std::span<const std::uint8_t>(bytes, sizeof(bytes)));
}

int EffectiveThreads(int requested) { return std::max(1, requested); }

Error OptionsError(std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-012", "サーバーの設定が正しくありません。",
                   std::string(detail));
}

Error ListenError(std::string_view detail) {
  return MakeError(ErrorCode::kUnavailable, "KSK-WEB-011",
                   "指定されたアドレスとポートで待ち受けできません。", std::string(detail));
}

Result<void> CheckOptions(const ServerOptions& options) {
  if (options.header_limit == 0) return OptionsError("header_limit is 0");
  if (options.max_connections == 0) return OptionsError("max_connections is 0");
  if (options.io_threads < 0) return OptionsError("io_threads is negative");
  if (options.request_threads < 1 || options.request_threads > 1024) {
    return OptionsError("request_threads is not 1…1024");
  }
  using std::chrono::milliseconds;
  for (const milliseconds timeout :
       {options.handshake_timeout, options.read_timeout, options.write_timeout,
        options.keep_alive_idle, options.shutdown_grace}) {
    if (timeout <= milliseconds::zero()) return OptionsError("a timeout is not positive");
  }
  return Ok();
}

class Connection;

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, DeviceGate& gate, Handler& handler, internal::SslCtxPtr ctx);
  ~Impl();

  Result<void> Listen();
  std::uint16_t port() const { return port_; }
  void Run();
  void Stop();
  void StopOnSignals();

  // For connections.
  const ServerOptions& options() const { return options_; }
  DeviceGate& gate() { return gate_; }
  Handler& handler() { return handler_; }
  net::thread_pool& request_threads() { return request_threads_; }
  bool stopping() const { return stopping_.load(); }
  void WriteAccessLog(const AccessLogEntry& entry);
  void Unregister(std::uint64_t id);

 private:
  void Accept();
  void OnAccept(const ErrorCodeT& ec, tcp::socket socket);
  void BeginStop();
  void OnGraceExpired(const ErrorCodeT& ec);
  std::vector<std::shared_ptr<Connection>> Snapshot();

  const ServerOptions options_;
  DeviceGate& gate_;
  Handler& handler_;
  std::atomic<bool> stopping_{false};
  // Set while the io_context is destroyed: connections dying then must not post new work.
  std::atomic<bool> destroying_{false};

  std::mutex mutex_;  // guards connections_ and next_id_
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 0;

  // Declared after what connections use: the io_context destroys the handlers it still holds
  // (and so the connections) while the members above are alive.
  net::io_context ioc_;
  // Runs the handler (ServerOptions::request_threads). Declared after ioc_: it is joined first,
  // while what its queued work holds on to (work guards of ioc_) is still alive.
  net::thread_pool request_threads_;
  ssl::context tls_;
  // Serializes the acceptor, the signal set, the timers and the stop sequence.
  net::strand<net::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer grace_timer_;
  net::steady_timer accept_backoff_;
  bool stop_started_ = false;  // on control_ only
  std::uint16_t port_ = 0;
};

namespace {

// One client connection: the TLS handshake, then requests one after another. Every step runs
// on the connection's strand (the executor of its socket), so the members need no locks; the
// server reaches a connection only by posting to that strand (OnServerStop, ForceClose).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, std::uint64_t id, tcp::socket socket, ssl::context& tls,
             std::string peer)
      : server_(server), id_(id), stream_(std::move(socket), tls) {
    handshake_.gate = &server.gate();
    handshake_.peer = std::move(peer);
  }
  ~Connection() { server_.Unregister(id_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Handshake(); });
  }
  // Closes the connection if it is between requests; a request in progress finishes first.
  void OnServerStop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kHandshake || self->phase_ == Phase::kIdle) {
        beast::get_lowest_layer(self->stream_).cancel();
      }
    });
  }
  // Drops the connection whatever it is doing (the shutdown grace has passed).
  void ForceClose() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
  }

 private:
  enum class Phase { kHandshake, kIdle, kRequest, kHandling, kWriting, kClosing, kClosed };

  const ServerOptions& options() const { return server_.options(); }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void Handshake() {
    phase_ = Phase::kHandshake;
    if (server_.stopping()) return CloseNow();
    if (SSL_set_ex_data(stream_.native_handle(), HandshakeStateIndex(), &handshake_) != 1) {
      return CloseNow();
    }
    tcp().expires_after(options().handshake_timeout);
    stream_.async_handshake(
        ssl::stream_base::server,
        [self = shared_from_this()](const ErrorCodeT& ec) { self->OnHandshake(ec); });
  }

  void OnHandshake(const ErrorCodeT& ec) {
    SSL_set_ex_data(stream_.native_handle(), HandshakeStateIndex(), nullptr);
    if (ec || !handshake_.device) {
      if (ec && !handshake_.gate_called && IsMissingCertificate(ec)) {
        try {
          server_.gate().OnMissingCertificate(handshake_.peer);
        } catch (...) {
          log::Error("web.device_gate_threw", {{"peer", handshake_.peer}});
        }
      }
      const std::string reason = ec ? ec.message() : "no device";
      log::Info("web.handshake_failed", {{"peer", handshake_.peer}, {"reason", reason}});
      return CloseNow();
    }
    WaitForRequest(options().read_timeout);
  }

  // Waits for the first bytes of the next request: the idle time of a kept-alive connection
  // is not the request's read time, so the read deadline starts with the request's first byte.
  void WaitForRequest(std::chrono::milliseconds idle_limit) {
    phase_ = Phase::kIdle;
    // Between requests nothing is unread, so there is nothing to linger for.
    if (server_.stopping()) return CloseGracefully(/*linger=*/false);
    if (buffer_.size() > 0) return BeginRequest();  // pipelined: already here
    tcp().expires_after(idle_limit);
    stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                            [self = shared_from_this()](const ErrorCodeT& ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec || n == 0) return self->CloseNow();
                              self->BeginRequest();
                            });
  }

  void BeginRequest() {
    phase_ = Phase::kRequest;
    request_id_ = NewRequestId();
    started_ = Clock::now();
    started_wall_ = std::chrono::system_clock::now();
    method_.clear();
    target_.clear();
    head_request_ = false;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options().header_limit, UINT32_MAX)));
    // The body limit depends on the request line (Handler::BodyLimit); until the header is
    // read, a Content-Length must not be refused by the parser's default limit.
    parser_->body_limit(boost::none);
    tcp().expires_after(options().read_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const ErrorCodeT& ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(const ErrorCodeT& ec) {
    if (ec == http::error::header_limit) {
      return SendError(http::status::request_header_fields_too_large,
                       HeaderTooLargeError(options().header_limit));
    }
    if (ec && IsParseError(ec)) {
      return SendError(http::status::bad_request, MalformedRequestError(ec.message()));
    }
    if (ec) return CloseNow();  // closed, reset or timed out: nobody to answer

    const auto& header = parser_->get();
    method_ = std::string(header.method_string());
    head_request_ = header.method() == http::verb::head;
    target_ = std::string(header.target());
    std::size_t limit = 0;
    try {
      limit = server_.handler().BodyLimit(header.method(), header.target());
    } catch (...) {
      return SendError(http::status::internal_server_error,
                       HandlerFailedError("Handler::BodyLimit threw"));
    }
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return SendError(http::status::payload_too_large, BodyTooLargeError(limit));
    }
    if (parser_->is_done()) return Dispatch();
    parser_->body_limit(limit);
    tcp().expires_after(options().read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this(), limit](const ErrorCodeT& read_ec, std::size_t) {
                       self->OnBody(read_ec, limit);
                     });
  }

  void OnBody(const ErrorCodeT& ec, std::size_t limit) {
    if (ec == http::error::body_limit) {
      return SendError(http::status::payload_too_large, BodyTooLargeError(limit));
    }
    if (ec && IsParseError(ec)) {
      return SendError(http::status::bad_request, MalformedRequestError(ec.message()));
    }
    if (ec) return CloseNow();
    Dispatch();
  }

  // Hands the request to a request thread; the answer is sent from the connection's strand
  // again. Nothing else runs on the connection meanwhile (no read is pending), except stop and
  // force-close, which touch neither the request nor what it refers to. The work guard keeps
  // Run() from returning while the handler runs.
  void Dispatch() {
    phase_ = Phase::kHandling;
    net::post(server_.request_threads(),
              [self = shared_from_this(), work = net::make_work_guard(stream_.get_executor()),
               message = parser_->release()]() mutable { self->Handle(std::move(message)); });
  }

  // On a request thread.
  void Handle(HttpRequest message) {
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    const Request request{message, *handshake_.device, handshake_.peer, request_id_, memo_};
    std::optional<HttpResponse> response;
    try {
      response = server_.handler().Handle(request);
    } catch (...) {
      // What the exception says could hold request data; the request id finds the request.
      log::Error("web.handler_threw", {{"request_id", request_id_}});
    }
    net::post(stream_.get_executor(), [self = shared_from_this(), response = std::move(response),
                                       keep_alive, version]() mutable {
      if (!response) {
        return self->SendError(http::status::internal_server_error,
                               HandlerFailedError("Handler::Handle threw"));
      }
      self->Send(std::move(*response), keep_alive && !self->server_.stopping(), version);
    });
  }

  // Answers with one of the transport's own error pages and closes the connection.
  void SendError(http::status status, const Error& error) {
    log::Info("web.request_refused", {{"request_id", request_id_}, {"error", error.id}});
    Send(MakeErrorResponse(status, error, request_id_), false, 11);
  }

  void Send(HttpResponse response, bool keep_alive, unsigned version) {
    phase_ = Phase::kWriting;
    try {
      Finish(response, keep_alive, version, head_request_);
    } catch (const std::exception&) {
      // prepare_payload refuses a body on 1xx, 204 and 304 responses.
      response = MakeErrorResponse(http::status::internal_server_error,
                                   HandlerFailedError("unusable handler response"), request_id_);
      keep_alive = false;
      Finish(response, keep_alive, version, head_request_);
    }
    keep_alive_ = keep_alive;
    response_ = std::move(response);
    tcp().expires_after(options().write_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](const ErrorCodeT& ec, std::size_t bytes) {
                        self->OnWrite(ec, bytes);
                      });
  }

  // Sets what the transport owns on every response; the one place the security headers are
  // applied.
  static void Finish(HttpResponse& response, bool keep_alive, unsigned version, bool head) {
    ApplySecurityHeaders(response.base());
    response.version(version == 10 ? 10 : 11);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    if (head) {
      // A response to HEAD announces the length of the body it does not send.
      const std::size_t size = response.body().size();
      response.body().clear();
      response.content_length(size);
    }
  }

  void OnWrite(const ErrorCodeT& ec, std::size_t bytes) {
    const Device* device = handshake_.device ? &*handshake_.device : nullptr;
    server_.WriteAccessLog(AccessLogEntry{
        .time = started_wall_,
        .request_id = request_id_,
        .method = method_,
        .target = target_,
        .status = static_cast<int>(response_.result_int()),
        .response_bytes = bytes,
        .duration_us =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count(),
        .tenant_code = device != nullptr ? std::string_view(device->tenant_code) : "",
        .device_fingerprint_hex =
            device != nullptr ? std::string_view(device->fingerprint_hex) : "",
    });
    response_ = {};
    if (ec) return CloseNow();
    if (!keep_alive_) return CloseGracefully(/*linger=*/true);
    parser_.reset();
    WaitForRequest(options().keep_alive_idle);
  }

  // Sends close_notify without waiting for the client's (marking it as received makes
  // SSL_shutdown finish at once), then closes; with `linger`, half-closes TCP first and drops
  // what the client still sends until it closes (see kMaxLinger).
  void CloseGracefully(bool linger) {
    if (phase_ == Phase::kClosing || phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosing;
    SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
    tcp().expires_after(options().write_timeout);
    stream_.async_shutdown([self = shared_from_this(), linger](const ErrorCodeT& ec) {
      if (!linger || (ec && ec != ssl::error::stream_truncated)) return self->CloseNow();
      ErrorCodeT ignored;
      self->tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->tcp().expires_after(std::min(self->options().read_timeout, kMaxLinger));
      self->Linger();
    });
  }

  void Linger() {
    tcp().async_read_some(net::buffer(linger_buffer_),
                          [self = shared_from_this()](const ErrorCodeT& ec, std::size_t) {
                            if (ec) return self->CloseNow();
                            self->Linger();
                          });
  }

  void CloseNow() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    ErrorCodeT ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
  }

  Server::Impl& server_;
  const std::uint64_t id_;
  TlsStream stream_;
  HandshakeState handshake_;
  Phase phase_ = Phase::kHandshake;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpResponse response_;
  bool keep_alive_ = false;
  bool head_request_ = false;
  std::string request_id_;
  std::unique_ptr<ConnectionMemo> memo_;  // the handler's, across this connection's requests
  std::string method_;
  std::string target_;
  Clock::time_point started_;
  std::chrono::system_clock::time_point started_wall_;
  std::array<char, 4096> linger_buffer_{};
};

}  // namespace

Server::Impl::Impl(ServerOptions options, DeviceGate& gate, Handler& handler,
                   internal::SslCtxPtr ctx)
    : options_(std::move(options)),
      gate_(gate),
      handler_(handler),
      ioc_(EffectiveThreads(options_.io_threads)),
      request_threads_(static_cast<std::size_t>(options_.request_threads)),
      tls_(ctx.release()),
      control_(net::make_strand(ioc_)),
      acceptor_(control_),
      signals_(control_),
      grace_timer_(control_),
      accept_backoff_(control_) {
  SSL_CTX_set_cert_verify_callback(tls_.native_handle(), &VerifyClientCertificate, nullptr);
}

Server::Impl::~Impl() { destroying_.store(true); }

Result<void> Server::Impl::Listen() {
  ErrorCodeT ec;
  const net::ip::address address = net::ip::make_address(options_.listen_host, ec);
  if (ec) return OptionsError("listen_host is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.listen_host + " port " + std::to_string(options_.port);
  // Each step reports through `ec`; the first failure ends the sequence.
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return ListenError(where + ": " + ec.message());
  const tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) return ListenError(where + ": " + ec.message());
  port_ = bound.port();
  return Ok();
}

void Server::Impl::Run() {
  net::post(control_, [this] { Accept(); });
  const auto run = [this] {
    // The thread entry's exception barrier: a stray exception must not end the server.
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        log::Error("web.io_thread_exception", {{"what", e.what()}});
      } catch (...) {
        log::Error("web.io_thread_exception");
      }
    }
  };
  std::vector<std::thread> threads;
  const int count = EffectiveThreads(options_.io_threads);
  threads.reserve(static_cast<std::size_t>(count - 1));
  for (int i = 1; i < count; ++i) threads.emplace_back(run);
  run();
  for (std::thread& thread : threads) thread.join();
}

void Server::Impl::Stop() {
  stopping_.store(true);
  net::post(control_, [this] { BeginStop(); });
}

void Server::Impl::StopOnSignals() {
  // Registered at once (not posted), so that a signal arriving before Run() is kept for the
  // wait below rather than ending the process.
  ErrorCodeT ec;
  signals_.add(SIGTERM, ec);
  signals_.add(SIGINT, ec);
  net::post(control_, [this] {
    if (stop_started_) return;
    signals_.async_wait([this](const ErrorCodeT& wait_ec, int signal) {
      if (wait_ec) return;
      log::Warn("web.signal", {{"signal", std::to_string(signal)}});
      Stop();
    });
  });
}

void Server::Impl::Accept() {
  if (stop_started_) return;
  acceptor_.async_accept(
      net::make_strand(ioc_),
      net::bind_executor(control_, [this](const ErrorCodeT& ec, tcp::socket socket) {
        OnAccept(ec, std::move(socket));
      }));
}

void Server::Impl::OnAccept(const ErrorCodeT& ec, tcp::socket socket) {
  if (stop_started_ || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors, most likely: try again shortly rather than spin.
    log::Warn("web.accept_failed", {{"error", ec.message()}});
    accept_backoff_.expires_after(std::chrono::milliseconds(50));
    accept_backoff_.async_wait([this](const ErrorCodeT& wait_ec) {
      if (!wait_ec) Accept();
    });
    return;
  }
  ErrorCodeT peer_ec;
  const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
  // TLS writes a response's header and body as separate records; without this the second
  // waits for the client's delayed acknowledgement of the first.
  ErrorCodeT ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  if (!peer_ec) {
    std::shared_ptr<Connection> connection;
    {
      const std::lock_guard lock(mutex_);
      if (connections_.size() < options_.max_connections) {
        const std::uint64_t id = next_id_++;
        connection =
            std::make_shared<Connection>(*this, id, std::move(socket), tls_, PeerAddress(peer));
        connections_.emplace(id, connection);
      }
    }
    if (connection) {
      connection->Start();
    } else {
      log::Warn("web.connection_refused",
                {{"peer", PeerAddress(peer)}, {"reason", "max_connections"}});
      socket.close(peer_ec);
    }
  }
  Accept();
}

std::vector<std::shared_ptr<Connection>> Server::Impl::Snapshot() {
  std::vector<std::shared_ptr<Connection>> alive;
  const std::lock_guard lock(mutex_);
  alive.reserve(connections_.size());
  for (const auto& [id, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

void Server::Impl::BeginStop() {
  if (stop_started_) return;
  stop_started_ = true;
  log::Info("web.stopping");
  ErrorCodeT ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  accept_backoff_.cancel();
  for (const auto& connection : Snapshot()) connection->OnServerStop();
  bool idle = false;
  {
    const std::lock_guard lock(mutex_);
    idle = connections_.empty();
  }
  if (idle) return;
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](const ErrorCodeT& ec) { OnGraceExpired(ec); });
}

void Server::Impl::OnGraceExpired(const ErrorCodeT& ec) {
  if (ec) return;  // cancelled: every connection finished in time
  const auto remaining = Snapshot();
  log::Warn("web.shutdown_grace_expired", {{"connections", std::to_string(remaining.size())}});
  // Closing the sockets ends every pending operation, so Run() returns once the connections'
  // strands have run that. (A handler that never returns holds its thread, and Run(), forever:
  // no transport can fix that.)
  for (const auto& connection : remaining) connection->ForceClose();
}

void Server::Impl::Unregister(std::uint64_t id) {
  bool last = false;
  {
    const std::lock_guard lock(mutex_);
    connections_.erase(id);
    last = connections_.empty();
  }
  if (last && stopping_.load() && !destroying_.load()) {
    net::post(control_, [this] { grace_timer_.cancel(); });
  }
}

void Server::Impl::WriteAccessLog(const AccessLogEntry& entry) {
  const std::string line = FormatAccessLogLine(entry);
  if (options_.access_log) {
    try {
      options_.access_log(line);
    } catch (...) {
      log::Error("web.access_log_threw");
    }
    return;
  }
  log::Info(line);
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, DeviceGate& gate,
                                               Handler& handler) {
  KOSEKI_RETURN_IF_ERROR(CheckOptions(options));
  KOSEKI_ASSIGN_OR_RETURN(
      internal::SslCtxPtr ctx,
      internal::MakeServerContext(options.tls_certificate_chain_pem, options.tls_private_key_pem));
  // The key now lives in the SSL_CTX only; the options keep no copy of it.
  options.tls_private_key_pem = SecretBytes();
  auto impl = std::make_unique<Impl>(std::move(options), gate, handler, std::move(ctx));
  KOSEKI_RETURN_IF_ERROR(impl->Listen());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;
std::uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
void Server::StopOnSignals() { impl_->StopOnSignals(); }

}  // namespace koseki::web
