// Crash and full-disk tests of the audit trail (SECURITY.md "crash, power loss, full disk":
// a committed action never lacks its audit entry): a child process records certificate issues —
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

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/stored_log.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/audit/witness_file.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::audit {
namespace {

using ::koseki::store::testing::RawExec;
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
    // The tenant and its register, recorded with the entries that commit to their rows so that
    // the store's state verifies against the logs; in the system log, which may name any
    // tenant's rows, so that the tenant's log holds only the child's actions.
    (*backend)->RequireRecordedWrites();
    SystemClock clock;
    auto seeding =
        AuditLog::Open(**backend, clock, std::nullopt, {{}, {}, audit::testing::TestEntryKey()});
    ASSERT_THAT(seeding, IsOk());
    Event tenant_added;
    tenant_added.action = "cli.tenant_add";
    ASSERT_THAT((*seeding)->Record(
                    kSystemTenant, tenant_added,
                    [&](Event&) {
                      return (*backend)->InsertTenant({std::string(kTenant), "青葉県みなと市", 1});
                    }),
                IsOk());
    Event register_created;
    register_created.action = "register.create";
    ASSERT_THAT((*seeding)->Record(
                    kSystemTenant, register_created,
                    [&](Event&) { return (*backend)->InsertRegister(kTenant, kRegister, 1); }),
                IsOk());
    auto key = SigningKey::Generate("koseki.invalid/audit/crash");
    ASSERT_THAT(key, IsOk());
    verifier_ = key->verifier();
    seed_hex_ = Hex(key->seed());
  }

  std::filesystem::path witness() const { return dir() / "keys" / "koseki-witness.log"; }

  // Starts the child (with `extra` arguments) and waits until its store is open; returns its
  // pid, or 0 if it did not start (the child is reaped then). The child's stdout stays open in
  // child_out_ (one byte per commit) until the next Start.
  pid_t Start(const std::vector<std::string>& extra = {}) {
    if (child_out_ >= 0) ::close(child_out_);
    child_out_ = -1;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return 0;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<std::string> args{KOSEKI_CRASH_CHILD_PATH, db_file().string(), witness().string(),
                                  verifier_->name(),       seed_hex_,          std::string(kTenant),
                                  std::string(kRegister)};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);  // NOLINT
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      return 0;
    }
    pollfd ready{out[0], POLLIN, 0};
    const int polled = ::poll(&ready, 1, 30'000);
    char byte = 0;
    const bool started = polled == 1 && ::read(out[0], &byte, 1) == 1;
    if (started) {
      child_out_ = out[0];
      return pid;
    }
    ::close(out[0]);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return 0;
  }

  // Starts the child, lets it commit `commits` certificate issues and run on for `then` (so that
  // the kill lands anywhere in the next append), kills it.
  void RunAndKill(int commits, std::chrono::microseconds then) {
    const pid_t pid = Start();
    ASSERT_NE(pid, 0) << "child did not start";
    for (int i = 0; i < commits; ++i) {
      pollfd committed{child_out_, POLLIN, 0};
      char byte = 0;
      if (::poll(&committed, 1, 60'000) != 1 || ::read(child_out_, &byte, 1) != 1) break;
    }
    std::this_thread::sleep_for(then);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited by itself, status " << status;
  }

  // The store reopens, every log verifies, and the committed actions (certificate_issues rows)
  // and the ok entries of the log are the same set, number by number. Returns the number of
  // committed actions.
  std::int64_t ExpectVerifiableAndComplete(const std::string& when) {
    auto backend = store::SqliteBackend::Open(db_file());
    EXPECT_THAT(backend, IsOk()) << when;
    if (!backend) return -1;
    auto verified = VerifyStoredLogs(**backend, *verifier_, witness(), std::nullopt);
    EXPECT_THAT(verified, IsOk()) << when;
    if (!verified) return -1;
    for (const LogVerification& log : verified->logs) {
      EXPECT_TRUE(log.report.ok())
          << when << ": log " << log.log << " " << VerifyReasonCode(log.report.reason) << " at "
          << log.report.first_bad_index << ": "
          << (log.report.findings.empty() ? "" : log.report.findings[0].detail);
    }
    EXPECT_TRUE(verified->ok()) << when;

    auto entries = FindEntries(**backend, kTenant, {});
    EXPECT_THAT(entries, IsOk()) << when;
    if (!entries) return -1;
    std::set<std::string> recorded;
    for (const Entry& entry : *entries) {
      if (entry.event().outcome == Outcome::kOk) {
        EXPECT_TRUE(recorded.insert(entry.event().context_id).second) << "twice in the log";
      }
    }
    const std::int64_t issues = RawQueryInt(db_file(), "SELECT count(*) FROM certificate_issues");
    std::set<std::string> issued;
    for (std::int64_t n = 1; n <= issues; ++n) issued.insert("issue:" + std::to_string(n));
    EXPECT_EQ(recorded, issued) << when;
    return issues;
  }

  void TearDown() override {
    if (child_out_ >= 0) ::close(child_out_);
    StoreTest::TearDown();
  }

  std::optional<VerifierKey> verifier_;
  std::string seed_hex_;
  int child_out_ = -1;
};

TEST_F(AuditCrashTest, EveryKillLeavesAVerifiableLogWithAnEntryForEveryAction) {
  std::mt19937 random(20261126);
  // One to six commits (from the fifth on, a refusal has been recorded too), then up to 2 ms
  // more: the kill lands at a random point of an append, however loaded the machine is.
  std::uniform_int_distribution<int> commits(1, 6);
  std::uniform_int_distribution<int> micros(0, 2'000);
  std::int64_t last_issues = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    RunAndKill(commits(random), std::chrono::microseconds(micros(random)));
    ASSERT_FALSE(HasFatalFailure());
    const std::int64_t issues = ExpectVerifiableAndComplete("after kill " + std::to_string(kill));
    ASSERT_FALSE(HasFailure());
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

// Full disk: the child may grow no file past the current size plus a little (RLIMIT_FSIZE gives
// the write errors a full disk gives), so its actions start failing; it must stop cleanly, not
// crash. With the space back, the store reopens, verify passes, every committed action has its
// entry, and recording carries on. Three rounds, the room left growing each time.
TEST_F(AuditCrashTest, AFullDiskFailsActionsCleanlyAndTheLogCarriesOnAfterwards) {
  std::int64_t last_issues = 0;
  for (int round = 0; round < 3; ++round) {
    const std::string when = "after full disk " + std::to_string(round);
    // An empty WAL, so that the limit is the database file's size plus the room left, and the
    // WAL fills it within a few hundred actions.
    ASSERT_EQ(RawExec(db_file(), "PRAGMA wal_checkpoint(TRUNCATE)").rc, 0) << when;
    const std::uintmax_t room = 16'384u << (2 * round);
    const pid_t pid = Start({std::to_string(std::filesystem::file_size(db_file()) + room)});
    ASSERT_NE(pid, 0) << when << ": child did not start";
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status)) << when << ": child died, status " << status;
    ASSERT_EQ(WEXITSTATUS(status), 0) << when << " (7: never failed, 8: never succeeded)";

    const std::int64_t issues = ExpectVerifiableAndComplete(when);
    ASSERT_FALSE(HasFailure());
    EXPECT_GT(issues, last_issues) << when;
    last_issues = issues;

    RunAndKill(1, std::chrono::microseconds(0));
    ASSERT_FALSE(HasFatalFailure());
    const std::int64_t later = ExpectVerifiableAndComplete(when + ", then recording again");
    ASSERT_FALSE(HasFailure());
    EXPECT_GT(later, issues) << when;
    last_issues = later;
  }
}

}  // namespace
}  // namespace koseki::audit
