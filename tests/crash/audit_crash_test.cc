// Crash test of the audit trail (issue [2/7]): a child process records certificate issues —
// action and entry in one transaction, checkpoints to the witness file — and is SIGKILLed at a
// random point, 100 times over the same database. After every kill: the store reopens, `audit
// verify` passes (entries, nodes, checkpoints, witness), and every committed action has its
// entry and every entry its action (certificate_issues rows ↔ ok cli.cert entries, number by
// number).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/stored_log.h"
#include "koseki/audit/witness_file.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::audit {
namespace {

using ::koseki::store::testing::RawQueryInt;
using ::koseki::testing::IsOk;

constexpr std::string_view kTenant = "999997";
constexpr std::string_view kRegister = "0123456789abcdef0123456789abcdef";
constexpr int kKills = 100;

std::string Hex(const SecretBytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes.span()) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

class AuditCrashTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    ASSERT_THAT((*backend)->InsertTenant({std::string(kTenant), "青葉県みなと市", 1}), IsOk());
    ASSERT_THAT((*backend)->InsertRegister(kTenant, kRegister, 1), IsOk());
    auto key = SigningKey::Generate("koseki.invalid/audit/crash");
    ASSERT_THAT(key, IsOk());
    verifier_ = key->verifier();
    seed_hex_ = Hex(key->seed());
  }

  std::filesystem::path witness() const { return dir() / "keys" / "koseki-witness.log"; }

  // Starts the child, waits until its store is open, lets it append for `run`, kills it.
  void RunAndKill(std::chrono::microseconds run) {
    int out[2];
    ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> args{KOSEKI_CRASH_CHILD_PATH, db_file().string(), witness().string(),
                                  verifier_->name(),       seed_hex_,          std::string(kTenant),
                                  std::string(kRegister)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);  // NOLINT
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ASSERT_EQ(rc, 0);
    pollfd ready{out[0], POLLIN, 0};
    const int polled = ::poll(&ready, 1, 30'000);
    char byte = 0;
    const bool started = polled == 1 && ::read(out[0], &byte, 1) == 1;
    ::close(out[0]);
    if (started) std::this_thread::sleep_for(run);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(started) << "child did not start, status " << status;
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited by itself, status " << status;
  }

  std::optional<VerifierKey> verifier_;
  std::string seed_hex_;
};

TEST_F(AuditCrashTest, EveryKillLeavesAVerifiableLogWithAnEntryForEveryAction) {
  std::mt19937 random(20261126);
  std::uniform_int_distribution<int> micros(0, 60'000);
  std::int64_t last_issues = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    RunAndKill(std::chrono::microseconds(micros(random)));
    ASSERT_FALSE(HasFatalFailure());

    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk()) << "after kill " << kill;
    auto verified = VerifyStoredLogs(**backend, *verifier_, witness(), std::nullopt);
    ASSERT_THAT(verified, IsOk());
    for (const LogVerification& log : verified->logs) {
      ASSERT_TRUE(log.report.ok())
          << "after kill " << kill << ": log " << log.log << " "
          << VerifyReasonCode(log.report.reason) << " at " << log.report.first_bad_index << ": "
          << (log.report.findings.empty() ? "" : log.report.findings[0].detail);
    }
    ASSERT_TRUE(verified->ok());

    // Every committed action has its entry, and every ok entry its action.
    auto entries = FindEntries(**backend, kTenant, {});
    ASSERT_THAT(entries, IsOk());
    std::set<std::string> recorded;
    for (const Entry& entry : *entries) {
      if (entry.event().outcome == Outcome::kOk) {
        EXPECT_TRUE(recorded.insert(entry.event().context_id).second) << "twice in the log";
      }
    }
    const std::int64_t issues = RawQueryInt(db_file(), "SELECT count(*) FROM certificate_issues");
    std::set<std::string> issued;
    for (std::int64_t n = 1; n <= issues; ++n) issued.insert("issue:" + std::to_string(n));
    ASSERT_EQ(recorded, issued) << "after kill " << kill;
    EXPECT_GE(issues, last_issues);
    last_issues = issues;
  }
  // The children did real work, refusals included, and checkpoints reached the witness file.
  auto backend = store::SqliteBackend::Open(db_file());
  ASSERT_THAT(backend, IsOk());
  auto entries = FindEntries(**backend, kTenant, {});
  ASSERT_THAT(entries, IsOk());
  EXPECT_GT(last_issues, kKills);
  EXPECT_TRUE(std::any_of(entries->begin(), entries->end(),
                          [](const Entry& e) { return e.event().outcome == Outcome::kRefused; }));
  auto notes = ReadWitnessNotes(witness());
  ASSERT_THAT(notes, IsOk());
  ASSERT_TRUE(notes->has_value());
  EXPECT_GT((*notes)->size(), static_cast<std::size_t>(kKills / 10));
  std::cout << "entries " << entries->size() << ", certificates " << last_issues
            << ", witness checkpoints " << (*notes)->size() << '\n';
}

}  // namespace
}  // namespace koseki::audit
