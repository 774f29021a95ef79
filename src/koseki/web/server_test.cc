// The HTTPS server over real TLS on loopback: who gets in, what every response carries, what
// the limits and timeouts do, and how the server stops.
#include "koseki/web/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/web/testing/https_client.h"
#include "koseki/web/testing/test_devices.h"

namespace koseki::web {
namespace {

using ::koseki::testing::IsOk;
using testing::ClientOptions;
using ::testing::HasSubstr;
using testing::HttpsClient;
using ::testing::Not;
using testing::RawTcpExchange;
using ::testing::StartsWith;
using testing::TestCertificates;
using testing::TestDeviceGate;
using namespace std::chrono_literals;

constexpr std::size_t kPostLimit = 1024;
constexpr int kGathered = 3;

// Answers by path: /echo shows the request and the device; /missing is the handler's own 404
// (trying to weaken the security headers); /throw throws; /block waits until released;
// /gather waits until kGathered requests are in the handler at once (answering "together"),
// or 5 s ("alone"); /bad-204 returns a 204 with a body, which HTTP forbids.
class TestHandler final : public Handler {
 public:
  std::size_t BodyLimit(http::verb method, std::string_view /*target*/) const override {
    const std::lock_guard lock(mutex_);
    ++headers_read_;
    changed_.notify_all();
    return method == http::verb::post ? kPostLimit : 0;
  }

  HttpResponse Handle(const Request& request) override {
    const std::string_view target = request.message.target();
    if (target == "/throw") throw std::runtime_error("handler failure");
    if (target == "/block") {
      std::unique_lock lock(mutex_);
      entered_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
    }
    HttpResponse response{http::status::ok, request.message.version()};
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    if (target == "/gather") {
      std::unique_lock lock(mutex_);
      ++gathered_;
      changed_.notify_all();
      const bool together = changed_.wait_for(lock, 5s, [this] { return gathered_ >= kGathered; });
      response.body() = together ? "together" : "alone";
      return response;
    }
    if (target == "/missing") {
      response.result(http::status::not_found);
      response.set(http::field::cache_control, "public, max-age=86400");
      response.body() = "not here";
      return response;
    }
    if (target == "/bad-204") {
      response.result(http::status::no_content);
      response.body() = "a body where none is allowed";
      return response;
    }
    const Device& device = request.device;
    response.body() = "tenant=" + device.tenant_code + " zone=" + device.zone +
                      " serial=" + device.serial_hex + " fingerprint=" + device.fingerprint_hex +
                      " peer=" + std::string(request.peer_address) +
                      " request_id=" + std::string(request.request_id) +
                      " method=" + std::string(request.message.method_string()) +
                      " body=" + request.message.body();
    return response;
  }

  // Waits until the server has read a request header (and asked for its body limit).
  bool WaitUntilHeaderRead(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [this] { return headers_read_ > 0; });
  }

  // Waits until a request is inside /block; returns whether one arrived within `limit`.
  bool WaitUntilBlocked(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [this] { return entered_; });
  }
  void Release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable int headers_read_ = 0;
  bool entered_ = false;
  bool released_ = false;
  int gathered_ = 0;
};

void ExpectSecurityHeaders(const HttpResponse& response) {
  EXPECT_EQ(response["Cache-Control"], "no-store");
  EXPECT_EQ(response["Content-Security-Policy"],
            "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["Permissions-Policy"],
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  EXPECT_EQ(response["Strict-Transport-Security"], "max-age=63072000; includeSubDomains");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Cross-Origin-Opener-Policy"], "same-origin");
  EXPECT_EQ(response["Cross-Origin-Resource-Policy"], "same-origin");
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<TestCertificates> made = testing::MakeTestCertificates();
    ASSERT_THAT(made, IsOk());
    certificates_ = new TestCertificates(std::move(made).value());
  }
  static void TearDownTestSuite() {
    delete certificates_;
    certificates_ = nullptr;
  }

  ServerTest() : gate_(certificates_->device_ca.cert_pem, {certificates_->device.serial_hex}) {}

  ~ServerTest() override {
    handler_.Release();
    if (server_) {
      server_->Stop();
      if (run_thread_.joinable()) run_thread_.join();
    }
  }

  // Starts a server with the test options changed by `adjust`.
  void StartServer(const std::function<void(ServerOptions&)>& adjust = {}) {
    ServerOptions options = testing::TestServerOptions(*certificates_);
    options.access_log = [this](std::string_view line) {
      const std::lock_guard lock(log_mutex_);
      access_log_.emplace_back(line);
      log_changed_.notify_all();
    };
    if (adjust) adjust(options);
    Result<std::unique_ptr<Server>> created = Server::Create(std::move(options), gate_, handler_);
    ASSERT_THAT(created, IsOk());
    server_ = std::move(created).value();
    std::promise<void> returned;
    run_returned_ = returned.get_future();
    run_thread_ = std::thread([this, done = std::move(returned)]() mutable {
      server_->Run();
      done.set_value();
    });
  }

  // Stops the server; returns whether Run() returned within `limit`.
  bool StopServer(std::chrono::milliseconds limit) {
    server_->Stop();
    const bool returned = run_returned_.wait_for(limit) == std::future_status::ready;
    if (returned) run_thread_.join();
    return returned;
  }

  ClientOptions ClientWith(const crypto::IssuedCertificate* device) const {
    return testing::TestClientOptions(*certificates_, device, server_->port());
  }
  ClientOptions Client() const { return ClientWith(&certificates_->device); }

  std::unique_ptr<HttpsClient> Connect() {
    Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Connect(Client());
    EXPECT_THAT(client, IsOk());
    return client ? std::move(client).value() : nullptr;
  }

  // Waits until the access log has `count` lines; returns them.
  std::vector<std::string> WaitForAccessLog(std::size_t count) {
    std::unique_lock lock(log_mutex_);
    log_changed_.wait_for(lock, 5s, [&] { return access_log_.size() >= count; });
    return access_log_;
  }

  static TestCertificates* certificates_;
  TestDeviceGate gate_;
  TestHandler handler_;
  std::unique_ptr<Server> server_;
  std::thread run_thread_;
  std::future<void> run_returned_;
  std::mutex log_mutex_;
  std::condition_variable log_changed_;
  std::vector<std::string> access_log_;
};

TestCertificates* ServerTest::certificates_ = nullptr;

TEST_F(ServerTest, RegisteredDeviceGetsAnswerWithItsDeviceVisibleToTheHandler) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> response = client->Get("/echo");
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::ok);
  const std::string& body = response->body();
  EXPECT_THAT(body, HasSubstr("tenant=131016 zone=city"));
  EXPECT_THAT(body, HasSubstr("serial=" + certificates_->device.serial_hex));
  EXPECT_THAT(body, HasSubstr("fingerprint=" + certificates_->device.fingerprint_hex));
  EXPECT_THAT(body, HasSubstr("peer=127.0.0.1:"));
  EXPECT_THAT(body, ::testing::ContainsRegex("request_id=[0-9a-f]{32} "));
  EXPECT_EQ(gate_.admitted(), 1u);
}

TEST_F(ServerTest, KeepsTheConnectionAliveAcrossRequests) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  for (int i = 0; i < 3; ++i) {
    Result<HttpResponse> response = client->Get("/echo");
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->result(), http::status::ok);
    EXPECT_TRUE(response->keep_alive());
  }
  EXPECT_TRUE(client->is_open());
  EXPECT_EQ(gate_.admitted(), 1u);  // one handshake for all three
}

TEST_F(ServerTest, HeadGetsTheLengthWithoutTheBody) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> get = client->Get("/missing");
  ASSERT_THAT(get, IsOk());
  Result<HttpResponse> head = client->Send(HttpRequest(http::verb::head, "/missing", 11));
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->result(), http::status::not_found);
  EXPECT_EQ((*head)[http::field::content_length], std::to_string(get->body().size()));
  EXPECT_TRUE(head->body().empty());
  ExpectSecurityHeaders(*head);
  // The connection is still in step: the next answer is read as it should be.
  Result<HttpResponse> after = client->Get("/echo");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->result(), http::status::ok);
}

TEST_F(ServerTest, PrefersTls13AndHandsOutNoSessionToResume) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Get("/echo"), IsOk());  // TLS 1.3 tickets would have arrived by now
  EXPECT_EQ(client->protocol(), "TLSv1.3");
  EXPECT_FALSE(client->has_resumable_session());
}

TEST_F(ServerTest, ClientWithoutCertificateIsRefusedAndReported) {
  StartServer();
  Result<std::unique_ptr<HttpsClient>> client =
      HttpsClient::Connect(ClientWith(/*device=*/nullptr));
  // With TLS 1.3 the client may finish its handshake before the server refuses it; either way
  // it gets no HTTP answer.
  if (client) {
    EXPECT_THAT((*client)->Get("/echo"), Not(IsOk()));
  }
  EXPECT_TRUE(gate_.WaitForMissing(1, 5s));
  EXPECT_EQ(gate_.admitted(), 0u);
  EXPECT_EQ(gate_.refused(), 0u);  // the gate is not asked without a certificate
}

TEST_F(ServerTest, CertificateFromAnotherCaIsRefused) {
  StartServer();
  Result<std::unique_ptr<HttpsClient>> client =
      HttpsClient::Connect(ClientWith(&certificates_->foreign_device));
  if (client) {
    EXPECT_THAT((*client)->Get("/echo"), Not(IsOk()));
  }
  EXPECT_TRUE(gate_.WaitForRefused(1, 5s));
  EXPECT_EQ(gate_.admitted(), 0u);
}

TEST_F(ServerTest, UnregisteredCertificateOfTheRightCaIsRefused) {
  StartServer();
  Result<std::unique_ptr<HttpsClient>> client =
      HttpsClient::Connect(ClientWith(&certificates_->unregistered_device));
  if (client) {
    EXPECT_THAT((*client)->Get("/echo"), Not(IsOk()));
  }
  EXPECT_TRUE(gate_.WaitForRefused(1, 5s));
  EXPECT_EQ(gate_.admitted(), 0u);
}

TEST_F(ServerTest, PlainHttpGetsNoHttpResponse) {
  StartServer();
  Result<testing::RawReply> reply =
      RawTcpExchange("127.0.0.1", server_->port(),
                     "GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 5s);
  ASSERT_THAT(reply, IsOk());
  EXPECT_TRUE(reply->closed_by_peer);
  EXPECT_THAT(reply->received, Not(HasSubstr("HTTP/")));
  EXPECT_EQ(gate_.admitted(), 0u);
}

TEST_F(ServerTest, SilentTcpConnectionIsClosedAfterTheHandshakeTimeout) {
  StartServer([](ServerOptions& options) { options.handshake_timeout = 200ms; });
  const auto start = std::chrono::steady_clock::now();
  Result<testing::RawReply> reply = RawTcpExchange("127.0.0.1", server_->port(), "", 5s);
  ASSERT_THAT(reply, IsOk());
  EXPECT_TRUE(reply->closed_by_peer);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST_F(ServerTest, Tls11ClientIsRefused) {
  StartServer();
  ClientOptions options = Client();
  options.min_version = TLS1_VERSION;
  options.max_version = TLS1_1_VERSION;
  options.cipher_list = "DEFAULT:@SECLEVEL=0";  // so that this client really offers TLS 1.1
  EXPECT_THAT(HttpsClient::Connect(options), Not(IsOk()));
  EXPECT_EQ(gate_.admitted(), 0u);
}

TEST_F(ServerTest, Tls12WithCbcSuitesIsRefused) {
  StartServer();
  ClientOptions options = Client();
  options.max_version = TLS1_2_VERSION;
  options.cipher_list =
      "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:"
      "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:"
      "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384";
  EXPECT_THAT(HttpsClient::Connect(options), Not(IsOk()));
  EXPECT_EQ(gate_.admitted(), 0u);
}

TEST_F(ServerTest, Tls12WithAeadSuitesIsServed) {
  StartServer();
  ClientOptions options = Client();
  options.max_version = TLS1_2_VERSION;
  options.cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
  Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Connect(options);
  ASSERT_THAT(client, IsOk());
  EXPECT_EQ((*client)->protocol(), "TLSv1.2");
  Result<HttpResponse> response = (*client)->Get("/echo");
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_FALSE((*client)->has_resumable_session());
}

TEST_F(ServerTest, SecurityHeadersOnTheHandlersAnswers) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> ok = client->Get("/echo");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->result(), http::status::ok);
  ExpectSecurityHeaders(*ok);

  Result<HttpResponse> missing = client->Get("/missing");
  ASSERT_THAT(missing, IsOk());
  EXPECT_EQ(missing->result(), http::status::not_found);
  ExpectSecurityHeaders(*missing);  // the handler's Cache-Control: public is overridden
  EXPECT_EQ(missing->count(http::field::cache_control), 1u);
}

TEST_F(ServerTest, BodyOverTheHandlersLimitGets413AndTheServerServesOn) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> within = client->Post("/echo", std::string(kPostLimit, 'a'));
  ASSERT_THAT(within, IsOk());
  EXPECT_EQ(within->result(), http::status::ok);

  Result<HttpResponse> over = client->Post("/echo", std::string(kPostLimit + 1, 'a'));
  ASSERT_THAT(over, IsOk());
  EXPECT_EQ(over->result(), http::status::payload_too_large);
  EXPECT_FALSE(over->keep_alive());
  EXPECT_THAT(over->body(), HasSubstr("KSK-WEB-002"));
  ExpectSecurityHeaders(*over);

  auto next = Connect();
  ASSERT_NE(next, nullptr);
  Result<HttpResponse> after = next->Get("/echo");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->result(), http::status::ok);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitGets413) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  const std::string chunk(800, 'b');
  ASSERT_THAT(client->WriteRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n"
                               "320\r\n" +
                               chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"),
              IsOk());
  Result<HttpResponse> response = client->ReadResponse();
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::payload_too_large);
  ExpectSecurityHeaders(*response);
}

TEST_F(ServerTest, HeaderOver16KiBGets431AndTheServerServesOn) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  HttpRequest request(http::verb::get, "/echo", 11);
  request.set("X-Padding", std::string(17 * 1024, 'p'));
  Result<HttpResponse> response = client->Send(std::move(request));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::request_header_fields_too_large);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_THAT(response->body(), HasSubstr("KSK-WEB-003"));
  ExpectSecurityHeaders(*response);

  auto next = Connect();
  ASSERT_NE(next, nullptr);
  Result<HttpResponse> after = next->Get("/echo");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->result(), http::status::ok);
}

TEST_F(ServerTest, MalformedRequestGets400AndTheServerServesOn) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->WriteRaw("GET /echo HTTP/1.1\r\nHost: localhost\r\nBroken header\r\n\r\n"),
              IsOk());
  Result<HttpResponse> response = client->ReadResponse();
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::bad_request);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_THAT(response->body(), HasSubstr("KSK-WEB-001"));
  ExpectSecurityHeaders(*response);

  auto next = Connect();
  ASSERT_NE(next, nullptr);
  Result<HttpResponse> after = next->Get("/echo");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->result(), http::status::ok);
}

TEST_F(ServerTest, ThrowingHandlerGets500AndTheServerServesOn) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> response = client->Get("/throw");
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::internal_server_error);
  EXPECT_THAT(response->body(), HasSubstr("KSK-WEB-004"));
  EXPECT_THAT(response->body(), Not(HasSubstr("handler failure")));
  ExpectSecurityHeaders(*response);

  auto next = Connect();
  ASSERT_NE(next, nullptr);
  Result<HttpResponse> after = next->Get("/echo");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->result(), http::status::ok);
}

TEST_F(ServerTest, UnusableHandlerResponseGets500) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  Result<HttpResponse> response = client->Get("/bad-204");
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::internal_server_error);
  ExpectSecurityHeaders(*response);
}

TEST_F(ServerTest, SlowLorisIsCutOffAtTheReadTimeout) {
  StartServer([](ServerOptions& options) { options.read_timeout = 300ms; });
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  const std::string header =
      "GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + std::string(40, 's') + "\r\n\r\n";
  const testing::SlowSendResult result = client->SendSlowly(header, 50ms);
  EXPECT_TRUE(result.closed_by_server);
  EXPECT_LT(result.bytes_sent, header.size());
  EXPECT_LT(result.elapsed, 3s);
}

TEST_F(ServerTest, IdleKeptAliveConnectionIsClosed) {
  StartServer([](ServerOptions& options) { options.keep_alive_idle = 200ms; });
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Get("/echo"), IsOk());
  EXPECT_TRUE(client->WaitForServerClose(5s));
}

TEST_F(ServerTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  StartServer([](ServerOptions& options) { options.max_connections = 1; });
  auto first = Connect();
  ASSERT_NE(first, nullptr);
  ASSERT_THAT(first->Get("/echo"), IsOk());
  Result<std::unique_ptr<HttpsClient>> second = HttpsClient::Connect(Client());
  EXPECT_THAT(second, Not(IsOk()));
  Result<HttpResponse> still = first->Get("/echo");
  ASSERT_THAT(still, IsOk());
  EXPECT_EQ(still->result(), http::status::ok);
}

TEST_F(ServerTest, WritesOneAccessLogLinePerRequestWithoutQueryString) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Get("/echo?name=secret"), IsOk());
  ASSERT_THAT(client->Get("/missing"), IsOk());
  const std::vector<std::string> lines = WaitForAccessLog(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], StartsWith("{\"time\":\""));
  EXPECT_THAT(lines[0], HasSubstr("\"method\":\"GET\",\"path\":\"/echo\",\"status\":200"));
  EXPECT_THAT(lines[0], HasSubstr("\"tenant\":\"131016\""));
  EXPECT_THAT(lines[0], HasSubstr("\"device\":\"" +
                                  certificates_->device.fingerprint_hex.substr(0, 16) + "\"}"));
  EXPECT_THAT(lines[0], ::testing::ContainsRegex("\"request_id\":\"[0-9a-f]{32}\""));
  EXPECT_THAT(lines[0], Not(HasSubstr("secret")));
  EXPECT_THAT(lines[1], HasSubstr("\"path\":\"/missing\",\"status\":404"));
}

TEST_F(ServerTest, TransportErrorsAreInTheAccessLog) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Post("/echo", std::string(kPostLimit + 1, 'a')), IsOk());
  const std::vector<std::string> lines = WaitForAccessLog(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("\"method\":\"POST\",\"path\":\"/echo\",\"status\":413"));
}

TEST_F(ServerTest, ServesManyConcurrentKeptAliveClients) {
  // 200 handshakes at once on a shared test machine: the limits here are for hangs, not speed.
  StartServer([](ServerOptions& options) {
    options.io_threads = 4;
    options.handshake_timeout = 30s;
    options.read_timeout = 30s;
  });
  ClientOptions client_options = Client();
  client_options.timeout = 30s;
  constexpr int kThreads = 8;
  constexpr int kClientsPerThread = 25;
  constexpr int kRounds = 3;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::latch all_connected(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::unique_ptr<HttpsClient>> clients;
      for (int c = 0; c < kClientsPerThread; ++c) {
        Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Connect(client_options);
        if (client) {
          clients.push_back(std::move(client).value());
        } else {
          failed += kRounds;
        }
      }
      all_connected.arrive_and_wait();  // 200 connections open at once
      for (int round = 0; round < kRounds; ++round) {
        for (auto& client : clients) {
          Result<HttpResponse> response = client->Get("/echo");
          if (response && response->result() == http::status::ok) {
            ++ok;
          } else {
            ++failed;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(ok.load(), kThreads * kClientsPerThread * kRounds);
}

TEST_F(ServerTest, HandlesMoreRequestsAtOnceThanItHasIoThreads) {
  // A handler that waits (for a commit's flush, say) must not hold an I/O thread: concurrent
  // requests could not then wait together, and their commits could not share a flush.
  StartServer([](ServerOptions& options) {
    options.io_threads = 1;
    options.request_threads = kGathered;
  });
  std::vector<std::unique_ptr<HttpsClient>> clients;
  for (int i = 0; i < kGathered; ++i) {
    clients.push_back(Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  std::vector<std::future<Result<HttpResponse>>> answers;
  for (auto& client : clients) {
    answers.push_back(std::async(std::launch::async, [&] { return client->Get("/gather"); }));
  }
  for (auto& answer : answers) {
    Result<HttpResponse> response = answer.get();
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->body(), "together");
  }
}

TEST_F(ServerTest, StopLetsTheRequestInFlightFinishWithConnectionClose) {
  StartServer();
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  std::future<Result<HttpResponse>> in_flight =
      std::async(std::launch::async, [&] { return client->Get("/block"); });
  ASSERT_TRUE(handler_.WaitUntilBlocked(5s));
  server_->Stop();
  handler_.Release();
  Result<HttpResponse> response = in_flight.get();
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(StopServer(5s));
  EXPECT_THAT(HttpsClient::Connect(Client()), Not(IsOk()));  // no longer accepting
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndRunReturns) {
  StartServer([](ServerOptions& options) {
    options.keep_alive_idle = 60s;
    options.shutdown_grace = 30s;
  });
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Get("/echo"), IsOk());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(StopServer(10s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // neither idle limit nor grace
  EXPECT_TRUE(client->WaitForServerClose(5s));
}

TEST_F(ServerTest, ShutdownGraceBoundsARequestThatDoesNotFinish) {
  StartServer([](ServerOptions& options) {
    options.read_timeout = 60s;
    options.shutdown_grace = 300ms;
  });
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  // A body announced and never sent: the request stays in flight.
  ASSERT_THAT(client->WriteRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                               "Content-Length: 100\r\n\r\nonly this"),
              IsOk());
  ASSERT_TRUE(handler_.WaitUntilHeaderRead(5s));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(StopServer(10s));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 250ms);  // the request was given its grace
  EXPECT_LT(took, 5s);     // and no more: not the read timeout
  EXPECT_TRUE(client->WaitForServerClose(5s));
}

TEST_F(ServerTest, StopDuringLoadCompletesOrClosesEveryRequestCleanly) {
  StartServer([](ServerOptions& options) { options.io_threads = 4; });
  constexpr int kThreads = 8;
  std::atomic<int> ok{0};
  std::atomic<int> wrong_status{0};
  std::atomic<bool> done{false};
  std::mutex mutex;
  std::condition_variable progressed;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!done.load()) {
        Result<std::unique_ptr<HttpsClient>> client = HttpsClient::Connect(Client());
        if (!client) continue;  // refused once the server stopped accepting
        for (int i = 0; i < 5 && (*client)->is_open(); ++i) {
          Result<HttpResponse> response = (*client)->Get("/echo");
          if (!response) break;  // closed by the server between requests
          if (response->result() != http::status::ok) ++wrong_status;
          ++ok;
          progressed.notify_all();
        }
      }
    });
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(progressed.wait_for(lock, 10s, [&] { return ok.load() >= 100; }));
  }
  const bool returned = StopServer(10s);
  done = true;
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(returned);
  EXPECT_EQ(wrong_status.load(), 0);
}

TEST_F(ServerTest, StopBeforeRunMakesRunReturn) {
  StartServer();
  EXPECT_TRUE(StopServer(5s));
}

TEST_F(ServerTest, SigtermStopsTheServerAfterStopOnSignals) {
  ServerOptions options = testing::TestServerOptions(*certificates_);
  Result<std::unique_ptr<Server>> created = Server::Create(std::move(options), gate_, handler_);
  ASSERT_THAT(created, IsOk());
  server_ = std::move(created).value();
  server_->StopOnSignals();
  ASSERT_EQ(std::raise(SIGTERM), 0);
  std::future<void> run = std::async(std::launch::async, [&] { server_->Run(); });
  EXPECT_EQ(run.wait_for(10s), std::future_status::ready);
}

TEST(ServerCreateTest, RefusesAHostName) {
  Result<TestCertificates> certificates = testing::MakeTestCertificates();
  ASSERT_THAT(certificates, IsOk());
  TestDeviceGate gate(certificates->device_ca.cert_pem, {});
  TestHandler handler;
  ServerOptions options = testing::TestServerOptions(*certificates);
  options.listen_host = "localhost";
  EXPECT_THAT(Server::Create(std::move(options), gate, handler),
              koseki::testing::ErrorIdIs("KSK-WEB-012"));
}

TEST(ServerCreateTest, RefusesAZeroTimeout) {
  Result<TestCertificates> certificates = testing::MakeTestCertificates();
  ASSERT_THAT(certificates, IsOk());
  TestDeviceGate gate(certificates->device_ca.cert_pem, {});
  TestHandler handler;
  ServerOptions options = testing::TestServerOptions(*certificates);
  options.read_timeout = 0ms;
  EXPECT_THAT(Server::Create(std::move(options), gate, handler),
              koseki::testing::ErrorIdIs("KSK-WEB-012"));
}

TEST(ServerCreateTest, RefusesNoRequestThreads) {
  Result<TestCertificates> certificates = testing::MakeTestCertificates();
  ASSERT_THAT(certificates, IsOk());
  TestDeviceGate gate(certificates->device_ca.cert_pem, {});
  TestHandler handler;
  ServerOptions options = testing::TestServerOptions(*certificates);
  options.request_threads = 0;
  EXPECT_THAT(Server::Create(std::move(options), gate, handler),
              koseki::testing::ErrorIdIs("KSK-WEB-012"));
}

TEST(ServerCreateTest, RefusesAPortInUse) {
  Result<TestCertificates> certificates = testing::MakeTestCertificates();
  ASSERT_THAT(certificates, IsOk());
  TestDeviceGate gate(certificates->device_ca.cert_pem, {});
  TestHandler handler;
  Result<std::unique_ptr<Server>> first =
      Server::Create(testing::TestServerOptions(*certificates), gate, handler);
  ASSERT_THAT(first, IsOk());
  ServerOptions options = testing::TestServerOptions(*certificates);
  options.port = (*first)->port();
  EXPECT_THAT(Server::Create(std::move(options), gate, handler),
              koseki::testing::ErrorIdIs("KSK-WEB-011"));
}

TEST(ServerCreateTest, RefusesAKeyThatDoesNotMatchTheCertificate) {
  Result<TestCertificates> certificates = testing::MakeTestCertificates();
  ASSERT_THAT(certificates, IsOk());
  TestDeviceGate gate(certificates->device_ca.cert_pem, {});
  TestHandler handler;
  ServerOptions options = testing::TestServerOptions(*certificates);
  options.tls_private_key_pem = certificates->device.key_pem.Copy();
  EXPECT_THAT(Server::Create(std::move(options), gate, handler),
              koseki::testing::ErrorIdIs("KSK-WEB-010"));
}

}  // namespace
}  // namespace koseki::web
