#include "koseki/web/testing/https_client.h"

#include <openssl/err.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

namespace koseki::web::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using ErrorCodeT = boost::system::error_code;
using Clock = std::chrono::steady_clock;

Error ClientError(std::string_view what, const ErrorCodeT& ec) {
  return MakeError(ErrorCode::kUnavailable, "TEST-WEB-001",
                   "テスト用クライアントの通信に失敗しました。",
                   std::string(what) + ": " + ec.message());
}

Error SetupError(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, "TEST-WEB-002",
                   "テスト用クライアントの設定が正しくありません。", std::string(what));
}

// Runs the io_context until `done` is set: each client operation is one asynchronous
// operation bounded by the stream's expiry, completed before the call returns.
void RunUntil(net::io_context& ioc, const bool& done) {
  ioc.restart();
  while (!done && ioc.run_one() > 0) {
  }
}

Result<tcp::endpoint> Endpoint(std::string_view host, std::uint16_t port) {
  ErrorCodeT ec;
  const net::ip::address address = net::ip::make_address(std::string(host), ec);
  if (ec) return SetupError("host is not an IP address");
  return tcp::endpoint(address, port);
}

}  // namespace

class HttpsClient::Impl {
 public:
  explicit Impl(const ClientOptions& options) : options_(options), tls_(ssl::context::tls_client) {}

  Result<void> Configure() {
    SSL_CTX* ctx = tls_.native_handle();
    ErrorCodeT ec;
    if (SSL_CTX_set_min_proto_version(ctx, options_.min_version) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, options_.max_version) != 1) {
      return SetupError("protocol versions");
    }
    if (!options_.cipher_list.empty() &&
        SSL_CTX_set_cipher_list(ctx, options_.cipher_list.c_str()) != 1) {
      return SetupError("cipher list");
    }
    if (!options_.trust_anchor_pem.empty()) {
      tls_.add_certificate_authority(net::buffer(options_.trust_anchor_pem), ec);
      if (ec) return ClientError("trust anchor", ec);
    }
    if (!options_.client_certificate_pem.empty()) {
      tls_.use_certificate_chain(net::buffer(options_.client_certificate_pem), ec);
      if (!ec) {
        tls_.use_private_key(net::buffer(options_.client_private_key_pem), ssl::context::pem, ec);
      }
      if (ec) return ClientError("client certificate", ec);
    }
    // The stream's SSL object takes its settings from the context when it is made: now.
    stream_.emplace(ioc_, tls_);
    // SSL_set_tlsext_host_name, without the macro's C cast.
    if (SSL_ctrl(stream_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 options_.server_name.data()) != 1) {
      return SetupError("server name");
    }
    stream_->set_verify_mode(ssl::verify_peer);
    stream_->set_verify_callback(ssl::host_name_verification(options_.server_name));
    return Ok();
  }

  Result<void> Open() {
    KOSEKI_ASSIGN_OR_RETURN(const tcp::endpoint endpoint, Endpoint(options_.host, options_.port));
    ErrorCodeT ec;
    bool done = false;
    tcp().expires_after(options_.timeout);
    tcp().async_connect(endpoint, [&](const ErrorCodeT& e) {
      ec = e;
      done = true;
    });
    RunUntil(ioc_, done);
    if (ec) return ClientError("connect", ec);
    // As a browser does: small TLS records must not wait for delayed acknowledgements.
    tcp().socket().set_option(tcp::no_delay(true), ec);

    done = false;
    tcp().expires_after(options_.timeout);
    stream_->async_handshake(ssl::stream_base::client, [&](const ErrorCodeT& e) {
      ec = e;
      done = true;
    });
    RunUntil(ioc_, done);
    if (ec) {
      Close();
      return ClientError("TLS handshake", ec);
    }
    open_ = true;
    return Ok();
  }

  Result<HttpResponse> Send(HttpRequest request) {
    if (!open_) return SetupError("connection closed");
    if (request.find(http::field::host) == request.end()) {
      request.set(http::field::host, options_.server_name);
    }
    request.prepare_payload();
    const bool head = request.method() == http::verb::head;
    ErrorCodeT ec;
    bool done = false;
    tcp().expires_after(options_.timeout);
    http::async_write(*stream_, request, [&](const ErrorCodeT& e, std::size_t) {
      ec = e;
      done = true;
    });
    RunUntil(ioc_, done);
    if (ec) {
      Close();
      return ClientError("write", ec);
    }

    return ReadResponse(head);
  }

  // `head`: the response answers a HEAD request, so it has no body whatever it announces.
  Result<HttpResponse> ReadResponse(bool head) {
    if (!open_) return SetupError("connection closed");
    ErrorCodeT ec;
    bool done = false;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    tcp().expires_after(options_.timeout);
    http::async_read(*stream_, buffer_, parser, [&](const ErrorCodeT& e, std::size_t) {
      ec = e;
      done = true;
    });
    RunUntil(ioc_, done);
    if (ec) {
      Close();
      return ClientError("read", ec);
    }
    HttpResponse response = parser.release();
    if (!response.keep_alive()) Close();
    return response;
  }

  bool WaitForServerClose(std::chrono::milliseconds limit) {
    if (!open_) return false;
    bool closed = false;
    bool finished = false;
    std::array<char, 512> scratch{};
    tcp().expires_after(limit);
    stream_->async_read_some(net::buffer(scratch), [&](const ErrorCodeT& ec, std::size_t) {
      // The stream's own expiry is this wait's limit, not the server closing.
      closed = ec && ec != beast::error::timeout;
      finished = true;
    });
    RunUntil(ioc_, finished);
    Close();
    return closed;
  }

  Result<void> WriteRaw(std::string_view bytes) {
    if (!open_) return SetupError("connection closed");
    ErrorCodeT ec;
    bool done = false;
    tcp().expires_after(options_.timeout);
    net::async_write(*stream_, net::buffer(bytes.data(), bytes.size()),
                     [&](const ErrorCodeT& e, std::size_t) {
                       ec = e;
                       done = true;
                     });
    RunUntil(ioc_, done);
    if (ec) {
      Close();
      return ClientError("write", ec);
    }
    return Ok();
  }

  SlowSendResult SendSlowly(std::string_view bytes, std::chrono::milliseconds interval) {
    SlowSendResult result;
    const auto start = Clock::now();
    if (!open_) return result;
    // A read stays pending throughout: it completes (with an error or end of stream) exactly
    // when the server closes the connection.
    bool closed = false;
    std::array<char, 512> scratch{};
    tcp().expires_never();
    stream_->async_read_some(net::buffer(scratch),
                             [&](const ErrorCodeT&, std::size_t) { closed = true; });
    for (const char byte : bytes) {
      bool written = false;
      ErrorCodeT ec;
      net::async_write(*stream_, net::buffer(&byte, 1), [&](const ErrorCodeT& e, std::size_t) {
        ec = e;
        written = true;
      });
      ioc_.restart();
      while (!written && !closed && ioc_.run_one() > 0) {
      }
      if (closed || ec) break;
      ++result.bytes_sent;
      ioc_.restart();
      ioc_.run_for(interval);  // returns early once the pending read completes
      if (closed) break;
    }
    result.closed_by_server = closed;
    Close();
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
  }

  void Close() {
    if (closed_ || !stream_) return;
    closed_ = true;
    open_ = false;
    ErrorCodeT ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
    // Let the aborted operations finish while the locals they refer to still exist.
    ioc_.restart();
    ioc_.poll();
  }

  bool is_open() const { return open_; }

  bool has_resumable_session() {
    if (!stream_) return false;
    SSL_SESSION* session = SSL_get_session(stream_->native_handle());
    return session != nullptr && SSL_SESSION_is_resumable(session) == 1;
  }

  std::string protocol() {
    if (!stream_) return "";
    const char* version = SSL_get_version(stream_->native_handle());
    return version == nullptr ? "" : version;
  }

 private:
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(*stream_); }

  ClientOptions options_;
  net::io_context ioc_;
  ssl::context tls_;
  std::optional<ssl::stream<beast::tcp_stream>> stream_;  // made once the context is set up
  beast::flat_buffer buffer_;
  bool open_ = false;
  bool closed_ = false;
};

Result<std::unique_ptr<HttpsClient>> HttpsClient::Connect(const ClientOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  KOSEKI_RETURN_IF_ERROR(impl->Configure());
  KOSEKI_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() {
  if (impl_) impl_->Close();
}

Result<HttpResponse> HttpsClient::Send(HttpRequest request) {
  return impl_->Send(std::move(request));
}

Result<HttpResponse> HttpsClient::Get(std::string_view target) {
  return Send(HttpRequest(http::verb::get, target, 11));
}

Result<HttpResponse> HttpsClient::Post(std::string_view target, std::string body) {
  HttpRequest request(http::verb::post, target, 11);
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  request.body() = std::move(body);
  return Send(std::move(request));
}

Result<void> HttpsClient::WriteRaw(std::string_view bytes) { return impl_->WriteRaw(bytes); }
Result<HttpResponse> HttpsClient::ReadResponse() { return impl_->ReadResponse(false); }
bool HttpsClient::WaitForServerClose(std::chrono::milliseconds limit) {
  return impl_->WaitForServerClose(limit);
}
bool HttpsClient::has_resumable_session() const { return impl_->has_resumable_session(); }

SlowSendResult HttpsClient::SendSlowly(std::string_view bytes, std::chrono::milliseconds interval) {
  return impl_->SendSlowly(bytes, interval);
}

bool HttpsClient::is_open() const { return impl_->is_open(); }
std::string HttpsClient::protocol() const { return impl_->protocol(); }

Result<RawReply> RawTcpExchange(std::string_view host, std::uint16_t port, std::string_view bytes,
                                std::chrono::milliseconds timeout) {
  KOSEKI_ASSIGN_OR_RETURN(const tcp::endpoint endpoint, Endpoint(host, port));
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  const auto deadline = Clock::now() + timeout;
  ErrorCodeT ec;
  bool done = false;
  stream.expires_at(deadline);
  stream.async_connect(endpoint, [&](const ErrorCodeT& e) {
    ec = e;
    done = true;
  });
  RunUntil(ioc, done);
  if (ec) return ClientError("connect", ec);

  if (!bytes.empty()) {
    done = false;
    stream.expires_at(deadline);
    net::async_write(stream, net::buffer(bytes.data(), bytes.size()),
                     [&](const ErrorCodeT& e, std::size_t) {
                       ec = e;
                       done = true;
                     });
    RunUntil(ioc, done);
    if (ec && ec != beast::error::timeout) return ClientError("write", ec);
  }

  RawReply reply;
  std::array<char, 4096> chunk{};
  for (;;) {
    done = false;
    std::size_t n = 0;
    stream.expires_at(deadline);
    stream.async_read_some(net::buffer(chunk), [&](const ErrorCodeT& e, std::size_t read) {
      ec = e;
      n = read;
      done = true;
    });
    RunUntil(ioc, done);
    reply.received.append(chunk.data(), n);
    if (ec == beast::error::timeout) break;
    if (ec) {
      reply.closed_by_peer = true;  // end of stream or reset
      break;
    }
  }
  return reply;
}

}  // namespace koseki::web::testing
