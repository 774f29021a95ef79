// koseki_bench_server: koseki's HTTPS server (`koseki serve`, in this process) against nginx on
// the same machine, in the same run, over the same mutual TLS (TLS 1.3, the same server
// certificate and key, the same device CA for client certificates, no session resumption).
//
// koseki serves its real installation (KosekiSite: encrypted store, audit log, a registered
// city terminal, clerks signed in through password + TOTP), on as many I/O threads as there are
// cores. nginx (NginxServer) serves, as a static file, the very bytes of koseki's menu page, with
// as many workers as there are cores. The load (https_load.h) comes from this process, from
// `--client-threads` threads, over loopback. Measured, each for koseki and for nginx:
//   1. requests/s on `--connections` keep-alive connections, back to back, for the menu page
//      (koseki: the authenticated menu, each connection signed in once, before the window);
//   2. new mTLS handshakes/s: `--handshake-connections` loops of connect, handshake, GET /
//      with `Connection: close`, close (koseki answers GET / without a cookie with its login
//      page and an anonymous session, which is not stored; a koseki-only row does the same for
//      the stylesheet, which touches no store);
//   3. menu latency at `--latency-clients` (200) signed-in clients: closed loop (each client
//      sends its next request as soon as the last is answered: the server saturated), and
//      paced (each client asks once per `--think-ms`, latency counted from when it was due).
// Each test runs `--rounds` times per server, the order koseki/nginx alternating per round.
// The figures, the ratios koseki/nginx and the targets (requests ≥ 0.5×, handshakes
// ≥ 0.7×, menu p99 ≤ 30 ms at 200 clients) are printed; a missed target is reported, not
// failed on: the exit status is 0 unless the benchmark itself could not run. The CPU each
// server spent per request in the window (from /proc) is shown too: the client shares the
// cores, so it is the figure that does not depend on the client.
//
// Usage: koseki_bench_server [--quick] [--rounds R] [--connections C] [--json FILE] …
//        (--help lists every option)
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/https_load.h"
#include "bench/koseki_site.h"
#include "bench/nginx_server.h"
#include "bench/workload.h"

namespace koseki::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr double kTargetRequestRatio = 0.5;
constexpr double kTargetHandshakeRatio = 0.7;
constexpr double kTargetMenuP99Ms = 30.0;
constexpr char kKoseki[] = "koseki";
constexpr char kNginx[] = "nginx";

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

struct Options {
  bool quick = false;
  int rounds = 2;
  std::size_t connections = 64;
  std::size_t handshake_connections = 16;
  std::size_t latency_clients = 200;
  int think_ms = 500;
  int warmup_ms = -1;    // -1: 2000, or 200 with --quick
  int duration_ms = -1;  // -1: 8000, or 700 with --quick
  int client_threads = Cores();
  int io_threads = Cores();
  int nginx_workers = Cores();
  fs::path nginx = "/usr/sbin/nginx";
  std::vector<std::string> only_tests;  // empty: all (keys of MakeTests)
  bool koseki_only = false;             // no nginx at all (profiling koseki)
  fs::path json_out;
  fs::path work_dir;
  bool keep = false;
};

// One measured test: a load shape, run against each server every round.
struct Test {
  std::string key;    // in the JSON
  std::string title;  // in the table
  LoadPlan plan;
  bool sign_in = false;            // koseki's connections sign in first
  std::string koseki_path = "/";   // what koseki is asked for
  bool koseki_checks_body = true;  // koseki's responses must be the menu's size
  bool koseki_only = false;        // no nginx run (informational)
  std::map<std::string, std::vector<LoadResult>> results = {};  // server -> one per round
};

std::vector<Test> MakeTests(const Options& options) {
  const milliseconds warmup(options.warmup_ms);
  const milliseconds duration(options.duration_ms);
  const auto plan = [&](LoadPlan::Kind kind, std::size_t connections, milliseconds period) {
    return LoadPlan{.kind = kind,
                    .connections = connections,
                    .warmup = warmup,
                    .duration = duration,
                    .period = period,
                    .threads = options.client_threads};
  };
  const std::string c = std::to_string(options.connections);
  const std::string h = std::to_string(options.handshake_connections);
  const std::string l = std::to_string(options.latency_clients);
  std::vector<Test> tests;
  tests.push_back(Test{.key = "requests",
                       .title = "menu requests/s, keep-alive, " + c + " conns",
                       .plan = plan(LoadPlan::Kind::kKeepAlive, options.connections, {}),
                       .sign_in = true});
  // koseki answers GET / without a cookie with its login page, nginx with the menu's bytes.
  tests.push_back(Test{.key = "handshakes",
                       .title = "handshakes/s (+ GET /), " + h + " loops",
                       .plan = plan(LoadPlan::Kind::kHandshake, options.handshake_connections, {}),
                       .koseki_checks_body = false});
  tests.push_back(Test{.key = "handshakes_static",
                       .title = "handshakes/s (+ GET css), " + h + " loops",
                       .plan = plan(LoadPlan::Kind::kHandshake, options.handshake_connections, {}),
                       .koseki_path = "/static/koseki.css",
                       .koseki_checks_body = false,
                       .koseki_only = true});
  tests.push_back(Test{.key = "latency_closed",
                       .title = "menu, " + l + " clients, closed loop",
                       .plan = plan(LoadPlan::Kind::kKeepAlive, options.latency_clients, {}),
                       .sign_in = true});
  tests.push_back(Test{
      .key = "latency_paced",
      .title = "menu, " + l + " clients, 1 per " + std::to_string(options.think_ms) + " ms",
      .plan = plan(LoadPlan::Kind::kPaced, options.latency_clients, milliseconds(options.think_ms)),
      .sign_in = true});
  if (!options.only_tests.empty()) {
    std::erase_if(tests, [&](const Test& test) {
      return std::find(options.only_tests.begin(), options.only_tests.end(), test.key) ==
             options.only_tests.end();
    });
  }
  return tests;
}

// Clerks the run signs in: one per signed-in connection of every koseki run, and the reference.
std::size_t UsersNeeded(const std::vector<Test>& tests, int rounds) {
  std::size_t per_round = 0;
  for (const Test& test : tests) {
    if (test.sign_in) per_round += test.plan.connections;
  }
  return per_round * static_cast<std::size_t>(rounds) + 1;
}

double MeanRate(const std::vector<LoadResult>& rounds) {
  if (rounds.empty()) return 0;
  double sum = 0;
  for (const LoadResult& r : rounds) sum += r.Rate();
  return sum / static_cast<double>(rounds.size());
}

// All rounds' latencies together, for percentiles over the whole test.
LoadResult Pooled(const std::vector<LoadResult>& rounds) {
  LoadResult all;
  for (const LoadResult& r : rounds) {
    all.completed += r.completed;
    all.errors += r.errors;
    if (all.first_error.empty()) all.first_error = r.first_error;
    all.seconds += r.seconds;
    all.server_cpu_seconds += r.server_cpu_seconds;
    all.client_cpu_seconds += r.client_cpu_seconds;
    all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
  }
  std::sort(all.latency_ms.begin(), all.latency_ms.end());
  return all;
}

std::string Verdict(bool pass) { return pass ? "PASS" : "MISS"; }

class Bench {
 public:
  explicit Bench(Options options) : options_(std::move(options)) {}

  Result<void> Run();

 private:
  // koseki's figure over nginx's for one test; `target` 0: none.
  struct Ratio {
    std::string key;
    std::string title;
    double throughput = 0;
    double cpu = 0;  // nginx's server CPU per request over koseki's
    double target = 0;
  };
  const std::vector<LoadResult>* ResultsOf(std::string_view key, std::string_view server) const;
  std::vector<Ratio> Ratios() const;

  Result<void> Setup();
  Result<void> RunTests();
  void Report();
  nlohmann::ordered_json Json();

  Options options_;
  std::vector<Test> tests_;
  std::unique_ptr<KosekiSite> site_;
  std::unique_ptr<ssl::context> tls_;
  std::unique_ptr<NginxServer> nginx_;
  std::size_t menu_bytes_ = 0;
  double setup_seconds_ = 0;
  double load_before_ = 0;  // one-minute load averages around the measurements
  double load_after_ = 0;
};

double LoadAverage() {
  double load = 0;
  return getloadavg(&load, 1) == 1 ? load : 0;
}

Result<void> Bench::Setup() {
  const Stopwatch watch;
  tests_ = MakeTests(options_);
  const std::size_t users = UsersNeeded(tests_, options_.rounds);
  std::fprintf(stderr, "building the koseki installation (%zu clerks)...\n", users);
  KOSEKI_ASSIGN_OR_RETURN(site_, KosekiSite::Create({.dir = options_.work_dir / "koseki",
                                                     .users = users,
                                                     .io_threads = options_.io_threads}));
  KOSEKI_ASSIGN_OR_RETURN(tls_, MakeClientContext(site_->client_tls()));
  KOSEKI_ASSIGN_OR_RETURN(const std::string menu, site_->ReferenceMenu(*tls_));
  if (menu.find("メニュー") == std::string::npos) {
    return BenchError("the signed-in page is not the menu");
  }
  menu_bytes_ = menu.size();
  if (options_.koseki_only) {
    setup_seconds_ = watch.Seconds();
    return Ok();
  }
  std::fprintf(stderr, "starting nginx (%s)...\n", options_.nginx.c_str());
  KOSEKI_ASSIGN_OR_RETURN(nginx_, NginxServer::Start({.binary = options_.nginx,
                                                      .dir = options_.work_dir / "nginx",
                                                      .certificate_chain_file = site_->chain_file(),
                                                      .private_key_file = site_->key_file(),
                                                      .client_ca_file = site_->client_ca_file(),
                                                      .index_html = menu,
                                                      .workers = options_.nginx_workers}));
  setup_seconds_ = watch.Seconds();
  return Ok();
}

Result<void> Bench::RunTests() {
  load_before_ = LoadAverage();
  const auto loopback = net::ip::make_address_v4("127.0.0.1");
  for (int round = 0; round < options_.rounds; ++round) {
    // Even rounds koseki first, odd rounds nginx first.
    const std::vector<std::string> order = round % 2 == 0
                                               ? std::vector<std::string>{kKoseki, kNginx}
                                               : std::vector<std::string>{kNginx, kKoseki};
    for (Test& test : tests_) {
      for (const std::string& server : order) {
        if (server == kNginx && (test.koseki_only || options_.koseki_only)) continue;
        Target target;
        target.name = server;
        if (server == kKoseki) {
          target.endpoint = tcp::endpoint(loopback, site_->port());
          target.path = test.koseki_path;
          target.expected_body_bytes = test.koseki_checks_body ? menu_bytes_ : 0;
          if (test.sign_in) target.prepare = site_->SignInPrepare();
          target.server_cpu_seconds = [](const std::vector<pid_t>& exclude) {
            return OwnThreadsCpuSecondsExcept(exclude);
          };
        } else {
          target.endpoint = tcp::endpoint(loopback, nginx_->port());
          target.expected_body_bytes = menu_bytes_;
          target.server_cpu_seconds = [this](const std::vector<pid_t>&) {
            return nginx_->CpuSeconds();
          };
        }
        KOSEKI_ASSIGN_OR_RETURN(LoadResult result, RunLoad(target, test.plan, *tls_));
        std::fprintf(
            stderr, "round %d  %-42s %-6s %9.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %llu%s%s\n",
            round + 1, test.title.c_str(), server.c_str(), result.Rate(), result.LatencyMs(0.50),
            result.LatencyMs(0.99), static_cast<unsigned long long>(result.errors),
            result.first_error.empty() ? "" : "  first: ", result.first_error.c_str());
        test.results[server].push_back(std::move(result));
      }
    }
  }
  load_after_ = LoadAverage();
  return Ok();
}

void Bench::Report() {
  std::printf(
      "koseki HTTPS server vs nginx: mutual TLS 1.3 over loopback, %d cores shared by servers and "
      "client\n  koseki: in-process ServerApp, %d I/O threads; nginx: %d workers; client: %d "
      "threads\n  menu page: %zu bytes (nginx serves the same bytes as a static file); %d rounds "
      "of %d ms (+%d ms warm-up), order alternating\n  setup %.1f s; load average %.2f before, "
      "%.2f after (the bench adds about the core count; other work on the machine skews the "
      "rates, less the CPU per request)\n\n",
      Cores(), options_.io_threads, options_.nginx_workers, options_.client_threads, menu_bytes_,
      options_.rounds, options_.duration_ms, options_.warmup_ms, setup_seconds_, load_before_,
      load_after_);
  std::printf("%-42s %-6s %8s %14s %8s %8s %8s %8s %6s\n", "test", "server", "mean/s", "rounds/s",
              "p50 ms", "p99 ms", "srv CPU", "cli CPU", "errors");
  std::printf("%-42s %-6s %8s %14s %8s %8s %8s %8s %6s\n", "", "", "", "", "", "", "us/req",
              "us/req", "");
  for (const Test& test : tests_) {
    for (const auto& [server, rounds] : test.results) {
      const LoadResult all = Pooled(rounds);
      std::string per_round;
      for (const LoadResult& r : rounds) {
        per_round += (per_round.empty() ? "" : "/") + std::to_string(static_cast<long>(r.Rate()));
      }
      const double client_us =
          all.completed == 0 ? 0
                             : 1e6 * all.client_cpu_seconds / static_cast<double>(all.completed);
      std::printf("%-42s %-6s %8.0f %14s %8.2f %8.2f %8.0f %8.0f %6llu\n", test.title.c_str(),
                  server.c_str(), MeanRate(rounds), per_round.c_str(), all.LatencyMs(0.50),
                  all.LatencyMs(0.99), all.ServerCpuUsPerRequest(), client_us,
                  static_cast<unsigned long long>(all.errors));
    }
  }

  std::printf(
      "\nratios koseki/nginx (throughput; and nginx's server CPU per request / koseki's):\n");
  for (const Ratio& r : Ratios()) {
    std::printf("  %-40s %6.2fx   CPU %6.2fx", r.title.c_str(), r.throughput, r.cpu);
    if (r.target > 0) {
      std::printf("   target >= %.1fx  %s", r.target, Verdict(r.throughput >= r.target).c_str());
    }
    std::printf("\n");
  }
  std::printf("\nmenu latency at %zu clients (target: koseki p99 <= %.0f ms):\n",
              options_.latency_clients, kTargetMenuP99Ms);
  for (const char* key : {"latency_paced", "latency_closed"}) {
    for (const char* server : {kKoseki, kNginx}) {
      const std::vector<LoadResult>* rounds = ResultsOf(key, server);
      if (rounds == nullptr) continue;
      const LoadResult all = Pooled(*rounds);
      const std::string label = std::string(key) == "latency_paced"
                                    ? "paced, 1 per " + std::to_string(options_.think_ms) + " ms"
                                    : std::string("closed loop (saturated)");
      std::printf("  %-32s %-6s p50 %7.2f ms  p99 %7.2f ms", label.c_str(), server,
                  all.LatencyMs(0.50), all.LatencyMs(0.99));
      if (std::string(server) == kKoseki) {
        std::printf("   %s", Verdict(all.LatencyMs(0.99) <= kTargetMenuP99Ms).c_str());
      }
      std::printf("\n");
    }
  }
}

const std::vector<LoadResult>* Bench::ResultsOf(std::string_view key,
                                                std::string_view server) const {
  for (const Test& test : tests_) {
    if (test.key != key) continue;
    const auto found = test.results.find(std::string(server));
    return found == test.results.end() || found->second.empty() ? nullptr : &found->second;
  }
  return nullptr;
}

std::vector<Bench::Ratio> Bench::Ratios() const {
  std::vector<Ratio> ratios;
  const auto add = [&](std::string_view key, std::string title, double target) {
    const std::vector<LoadResult>* koseki = ResultsOf(key, kKoseki);
    const std::vector<LoadResult>* nginx = ResultsOf(key, kNginx);
    if (koseki == nullptr || nginx == nullptr) return;
    const double nginx_rate = MeanRate(*nginx);
    const double koseki_cpu = Pooled(*koseki).ServerCpuUsPerRequest();
    ratios.push_back(
        Ratio{.key = std::string(key),
              .title = std::move(title),
              .throughput = nginx_rate > 0 ? MeanRate(*koseki) / nginx_rate : 0,
              .cpu = koseki_cpu > 0 ? Pooled(*nginx).ServerCpuUsPerRequest() / koseki_cpu : 0,
              .target = target});
  };
  add("requests", "menu requests/s, keep-alive", kTargetRequestRatio);
  add("handshakes", "new mTLS handshakes/s", kTargetHandshakeRatio);
  add("latency_closed",
      "menu requests/s, " + std::to_string(options_.latency_clients) + " clients closed loop", 0);
  return ratios;
}

nlohmann::ordered_json Bench::Json() {
  nlohmann::ordered_json tests = nlohmann::ordered_json::object();
  for (const Test& test : tests_) {
    nlohmann::ordered_json servers = nlohmann::ordered_json::object();
    for (const auto& [server, rounds] : test.results) {
      nlohmann::ordered_json per_round = nlohmann::ordered_json::array();
      for (const LoadResult& r : rounds) {
        per_round.push_back({{"per_second", r.Rate()},
                             {"completed", r.completed},
                             {"errors", r.errors},
                             {"seconds", r.seconds},
                             {"p50_ms", r.LatencyMs(0.50)},
                             {"p99_ms", r.LatencyMs(0.99)},
                             {"server_cpu_seconds", r.server_cpu_seconds},
                             {"client_cpu_seconds", r.client_cpu_seconds}});
      }
      const LoadResult all = Pooled(rounds);
      servers[server] = {{"mean_per_second", MeanRate(rounds)},
                         {"p50_ms", all.LatencyMs(0.50)},
                         {"p90_ms", all.LatencyMs(0.90)},
                         {"p99_ms", all.LatencyMs(0.99)},
                         {"max_ms", all.latency_ms.empty() ? 0 : all.latency_ms.back()},
                         {"server_cpu_us_per_request", all.ServerCpuUsPerRequest()},
                         {"errors", all.errors},
                         {"first_error", all.first_error},
                         {"rounds", per_round}};
    }
    tests[test.key] = {
        {"title", test.title}, {"connections", test.plan.connections}, {"servers", servers}};
  }
  nlohmann::ordered_json ratios = nlohmann::ordered_json::object();
  for (const Ratio& r : Ratios()) {
    ratios[r.key] = {{"throughput", r.throughput}, {"server_cpu_per_request", r.cpu}};
    if (r.target > 0) {
      ratios[r.key]["target"] = r.target;
      ratios[r.key]["verdict"] = Verdict(r.throughput >= r.target);
    }
  }
  if (const std::vector<LoadResult>* paced = ResultsOf("latency_paced", kKoseki)) {
    const double p99 = Pooled(*paced).LatencyMs(0.99);
    ratios["latency_paced_p99_ms"] = {{"koseki", p99},
                                      {"target", kTargetMenuP99Ms},
                                      {"verdict", Verdict(p99 <= kTargetMenuP99Ms)}};
  }
  return {{"cores", Cores()},
          {"koseki_io_threads", options_.io_threads},
          {"nginx_workers", options_.nginx_workers},
          {"client_threads", options_.client_threads},
          {"rounds", options_.rounds},
          {"warmup_ms", options_.warmup_ms},
          {"duration_ms", options_.duration_ms},
          {"think_ms", options_.think_ms},
          {"menu_bytes", menu_bytes_},
          {"load_average_before", load_before_},
          {"load_average_after", load_after_},
          {"tests", tests},
          {"ratios", ratios}};
}

Result<void> Bench::Run() {
  KOSEKI_RETURN_IF_ERROR(Setup());
  KOSEKI_RETURN_IF_ERROR(RunTests());
  // nginx and koseki are stopped before the report, so that their shutdown is checked.
  nginx_.reset();
  site_.reset();
  std::fprintf(stderr, "\n");
  Report();
  if (!options_.json_out.empty()) {
    std::ofstream(options_.json_out, std::ios::trunc) << Json().dump(2) << '\n';
    std::printf("\nwritten to %s\n", options_.json_out.c_str());
  }
  return Ok();
}

}  // namespace
}  // namespace koseki::bench

int main(int argc, char** argv) {
  koseki::bench::Options options;
  CLI::App app{"koseki HTTPS server benchmark against nginx (mutual TLS)"};
  app.add_flag("--quick", options.quick,
               "0.7 s windows after 0.2 s warm-ups (a smoke run of under a minute, most of it "
               "signing clerks in); the default is 8 s after 2 s");
  app.add_option("--rounds", options.rounds, "rounds per server, order alternating")
      ->check(CLI::Range(1, 100));
  app.add_option("--connections", options.connections, "keep-alive connections (C)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4000}));
  app.add_option("--handshake-connections", options.handshake_connections,
                 "concurrent connect-handshake-GET-close loops")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4000}));
  app.add_option("--latency-clients", options.latency_clients,
                 "signed-in clients of the latency test")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4000}));
  app.add_option("--think-ms", options.think_ms, "paced latency test: one request per client per")
      ->check(CLI::Range(1, 600000));
  app.add_option("--warmup-ms", options.warmup_ms, "warm-up before each window")
      ->check(CLI::Range(0, 600000));
  app.add_option("--duration-ms", options.duration_ms, "each measured window")
      ->check(CLI::Range(1, 3600000));
  app.add_option("--client-threads", options.client_threads, "load client threads")
      ->check(CLI::Range(1, 256));
  app.add_option("--io-threads", options.io_threads, "koseki's I/O threads")
      ->check(CLI::Range(1, 256));
  app.add_option("--nginx-workers", options.nginx_workers, "nginx worker processes")
      ->check(CLI::Range(1, 256));
  app.add_option("--nginx", options.nginx, "the nginx binary");
  app.add_option("--tests", options.only_tests,
                 "run only these tests: requests, handshakes, handshakes_static, latency_closed, "
                 "latency_paced")
      ->delimiter(',')
      ->check(CLI::IsMember(
          {"requests", "handshakes", "handshakes_static", "latency_closed", "latency_paced"}));
  app.add_flag("--koseki-only", options.koseki_only,
               "measure koseki alone, without nginx (for profiling); no ratios");
  app.add_option("--json", options.json_out, "also write the figures as JSON to this file");
  app.add_option("--work-dir", options.work_dir, "directory for koseki's and nginx's files");
  app.add_flag("--keep", options.keep, "keep the work directory");
  CLI11_PARSE(app, argc, argv);
  if (options.warmup_ms < 0) options.warmup_ms = options.quick ? 200 : 2000;
  if (options.duration_ms < 0) options.duration_ms = options.quick ? 700 : 8000;

  return koseki::bench::RunInWorkDirectory("server", options.work_dir, options.keep, [&] {
    return koseki::bench::Bench(std::move(options)).Run();
  });
}
