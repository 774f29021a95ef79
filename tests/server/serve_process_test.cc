// The real `koseki serve` process: it serves registered devices, an administrator enrols a
// device with the CLI while it runs, and SIGTERM in the middle of a load stops it cleanly —
// requests in flight answered, the closing checkpoint written, `koseki audit verify` happy.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/web/testing/https_client.h"
#include "tests/integration/cli_runner.h"

namespace koseki::server_testing {
namespace {

using ::koseki::testing::IsOk;
using ::koseki::testing::RunKoseki;
using ::testing::HasSubstr;

constexpr char kTenant[] = "999997";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

// Returns what `write` puts into a memory BIO.
template <typename Write>
std::string ToPem(Write write) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

// A device's certificate and key in PEM, out of the bundle `device enroll` wrote.
struct DevicePem {
  std::string cert;
  std::string key;
};
DevicePem FromBundle(const std::filesystem::path& p12_file, const std::string& password) {
  const std::string der = ReadFile(p12_file);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()));
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  DevicePem pem;
  if (p12 != nullptr && PKCS12_parse(p12, password.c_str(), &key, &cert, nullptr) == 1) {
    pem.cert = ToPem([&](BIO* bio) { PEM_write_bio_X509(bio, cert); });
    pem.key = ToPem([&](BIO* bio) {
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    });
  }
  EVP_PKEY_free(key);
  X509_free(cert);
  PKCS12_free(p12);
  return pem;
}

// `koseki serve` as a child process; a thread keeps reading its stdout (the access log), so
// that the server never blocks on a full pipe.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    const std::string binary = koseki::testing::KosekiBinary().string();
    std::vector<std::string> argv_storage{binary, "serve"};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_storage;
    for (const char* keep : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "PATH", "TMPDIR"}) {
      // NOLINTNEXTLINE(concurrency-mt-unsafe)
      if (const char* v = std::getenv(keep)) env_storage.push_back(std::string(keep) + "=" + v);
    }
    for (const auto& [k, v] : env) env_storage.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), &actions, &attr, argv.data(), envp.data()) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    reader_ = std::thread([this, fd = out[0]] {
      char buffer[4096];
      ssize_t n = 0;
      while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        output_.append(buffer, static_cast<std::size_t>(n));
        grew_.notify_all();
      }
      ::close(fd);
    });
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();  // the pipe closes when the child is gone
  }

  // Waits until stdout holds `needle` or `limit` passes; returns everything read so far.
  std::string ReadUntil(std::string_view needle, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    grew_.wait_for(lock, limit, [&] { return output_.find(needle) != std::string::npos; });
    return output_;
  }
  void Signal(int signal) { ::kill(pid_, signal); }
  // Waits for the exit; returns the exit code, or -1 if it did not exit within `limit`.
  int Wait(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ReadUntil("\x01", std::chrono::milliseconds(20));  // a short wait between polls
    }
    return -1;
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable grew_;
  std::string output_;
};

TEST(ServeProcessTest, EnrolmentBesideTheServerAndSigtermDuringLoadStopCleanly) {
  koseki::testing::TempDir dir;
  const std::filesystem::path keys = dir.path() / "keys";
  const std::map<std::string, std::string> env{
      {"KOSEKI_DATA", (dir.path() / "data").string()},
      {"KOSEKI_KEY_FILE", (keys / "master.key").string()},
      {"KOSEKI_PASSPHRASE", "serve process test (fictional)"}};
  std::filesystem::create_directories(keys);
  ASSERT_EQ(RunKoseki({"init"}, env).exit_code, 0);
  ASSERT_EQ(
      RunKoseki({"tenant", "add", "--code", kTenant, "--name", "青葉県みなと市"}, env).exit_code,
      0);
  ASSERT_EQ(RunKoseki({"server-cert", "issue", "--host", "localhost", "--cert",
                       (keys / "server.pem").string(), "--key", (keys / "server.key").string(),
                       "--ca", (keys / "ca.pem").string()},
                      env)
                .exit_code,
            0);
  auto enroll = [&](const std::string& name) {
    const auto run = RunKoseki({"device", "enroll", "--tenant", kTenant, "--zone", "city", "--name",
                                name, "--out", (keys / (name + ".p12")).string()},
                               env);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return FromBundle(keys / (name + ".p12"), LastLine(run.out));
  };
  const DevicePem first = enroll("desk-01");
  ASSERT_FALSE(first.key.empty());

  ServeProcess server({"--listen", "127.0.0.1:0", "--tls-cert", (keys / "server.pem").string(),
                       "--tls-key", (keys / "server.key").string()},
                      env);
  ASSERT_TRUE(server.started());
  const std::string banner = server.ReadUntil("/ ", std::chrono::seconds(60));
  const std::size_t colon = banner.find("127.0.0.1:");
  ASSERT_NE(colon, std::string::npos) << banner;
  const auto port = static_cast<std::uint16_t>(std::stoi(banner.substr(colon + 10)));

  auto options = [&](const DevicePem& device) {
    web::testing::ClientOptions o;
    o.port = port;
    o.trust_anchor_pem = ReadFile(keys / "ca.pem");
    o.client_certificate_pem = device.cert;
    o.client_private_key_pem = device.key;
    return o;
  };
  // Load: keep-alive clients asking for the login page until the server goes away.
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> wrong_status{0};
  std::vector<std::thread> load;
  for (int i = 0; i < 4; ++i) {
    load.emplace_back([&] {
      while (!stop) {
        auto client = web::testing::HttpsClient::Connect(options(first));
        if (!client) continue;
        for (int r = 0; r < 20 && !stop; ++r) {
          auto page = (*client)->Get("/");
          if (!page) break;  // the server closed the connection: a clean end, not an answer
          if (page->result_int() == 200) {
            ++answered;
          } else {
            ++wrong_status;
          }
        }
      }
    });
  }
  // An administrator enrols a device while the server runs and serves.
  const DevicePem second = enroll("desk-02");
  auto fresh = web::testing::HttpsClient::Connect(options(second));
  ASSERT_THAT(fresh, IsOk());
  auto page = (*fresh)->Get("/");
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->result_int(), 200);

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(std::chrono::seconds(60)), 0);
  stop = true;
  for (std::thread& thread : load) thread.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(wrong_status.load(), 0);
  const std::string output = server.ReadUntil("停止しました", std::chrono::seconds(5));
  EXPECT_THAT(output, HasSubstr("停止しました"));
  // One access-log line per request, without cookies or query strings.
  EXPECT_THAT(output, HasSubstr("\"path\":\"/\",\"status\":200"));
  EXPECT_THAT(output, ::testing::Not(HasSubstr("__Host-koseki")));

  const auto verify = RunKoseki({"audit", "verify"}, env);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto log = RunKoseki({"audit", "show", "--tenant", kTenant}, env);
  EXPECT_THAT(log.out, HasSubstr("admin.device_enroll"));
}

}  // namespace
}  // namespace koseki::server_testing
