// The audit log benchmark: durable append rate and verify rate of the stored audit
// log, against this machine's raw SHA-256 speed measured in the same run.
//
//   append (durable)   AuditLog::Append in group commits of --batch entries (each commit is
//                      fsync'd: synchronous=FULL), and one commit per entry for comparison;
//   verify             audit::VerifyStoredLogs over --entries entries (default 1,000,000):
//                      read, parse, recompute the tree, check stored nodes and checkpoints;
//   SHA-256 limit      the same leaf and node hashes verify must compute (SHA-256 of every
//                      entry's bytes with its 0x00 prefix, and n − 1 node hashes of 65 bytes),
//                      done alone with OpenSSL on one core, the entries already in memory.
//                      Verify and the limit are timed in alternating rounds; the ratio
//                      reported is the median of the rounds' ratios. Verify runs twice a
//                      round: as it runs (reading on one thread, hashing on a second) and
//                      with both threads pinned to one core.
// Targets: verify ≥ 90 % of the SHA-256 limit with two threads and ≥ 50 % on one core;
// durable append ≥ 5,000/s.
// Figures are informational; nothing here fails on a missed target.
#include <openssl/evp.h>
#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "koseki/audit/actions.h"
#include "koseki/audit/audit_log.h"
#include "koseki/audit/internal/entry_view.h"
#include "koseki/audit/internal/pinned_tree.h"
#include "koseki/audit/merkle.h"
#include "koseki/audit/stored_log.h"
#include "koseki/base/clock.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/crypto/aead.h"
#include "koseki/store/sqlite/sqlite_backend.h"

namespace koseki::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// A realistic event: a register view by a user at a device, for a case.
audit::Event SampleEvent(std::uint64_t n) {
  audit::Event event;
  event.actor = {"u-" + std::to_string(n % 97), "dev-" + std::to_string(n % 13), "192.0.2.10"};
  event.action = std::string(audit::actions::kRegisterView);
  event.object_id = "0123456789abcdef0123456789ab" + std::to_string(1000 + n % 9000);
  event.context_id = "case-" + std::to_string(n / 7);
  return event;
}

struct Fixture {
  koseki::testing::TempDir dir{"koseki-bench-audit"};
  SystemClock clock;
  std::unique_ptr<store::SqliteBackend> backend;
  std::unique_ptr<audit::AuditLog> log;
  std::optional<audit::VerifierKey> verifier;
  std::filesystem::path witness;
};

int Fail(const Error& error) {
  std::cerr << "audit_bench: " << error.id << " " << error.internal_detail << '\n';
  return 1;
}

Result<void> OpenFixture(Fixture& f) {
  KOSEKI_ASSIGN_OR_RETURN(f.backend, store::SqliteBackend::Open(f.dir.path() / "koseki.db"));
  KOSEKI_ASSIGN_OR_RETURN(audit::SigningKey key,
                          audit::SigningKey::Generate("koseki.invalid/audit/bench"));
  f.verifier = key.verifier();
  std::filesystem::create_directories(f.dir.path() / "keys");
  f.witness = f.dir.path() / "keys" / "koseki-witness.log";
  // Entries are sealed as koseki seals them (Koseki::OpenAudit), so the MAC is in the figure.
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes entry_secret,
                          crypto::RandomSecret(crypto::MessageMac::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(crypto::MessageMac entry_key,
                          crypto::MessageMac::Create(std::move(entry_secret)));
  KOSEKI_ASSIGN_OR_RETURN(
      f.log,
      audit::AuditLog::Open(*f.backend, f.clock, std::move(key),
                            {{1000, std::chrono::seconds(60)}, f.witness, std::move(entry_key)}));
  return Ok();
}

// Appends `count` entries to `log_id` in commits of `batch`; returns the elapsed time.
Result<Clock::duration> AppendEntries(Fixture& f, std::string_view log_id, std::uint64_t count,
                                      std::uint64_t batch, std::uint64_t first) {
  const auto start = Clock::now();
  for (std::uint64_t done = 0; done < count;) {
    const std::uint64_t n = std::min(batch, count - done);
    KOSEKI_RETURN_IF_ERROR(f.backend->InTransaction([&]() -> Result<void> {
      for (std::uint64_t i = 0; i < n; ++i) {
        KOSEKI_RETURN_IF_ERROR(f.log->Append(log_id, SampleEvent(first + done + i)));
      }
      return Ok();
    }));
    done += n;
    // Checkpoints are written after commits, as in production.
    KOSEKI_RETURN_IF_ERROR(f.log->CheckpointIfDue());
  }
  KOSEKI_RETURN_IF_ERROR(f.log->Flush());
  return Clock::now() - start;
}

// The inputs of the hashes verify must compute: every stored entry with its 0x00 prefix.
Result<std::vector<std::vector<std::uint8_t>>> LoadLeafInputs(Fixture& f, std::string_view log_id) {
  std::vector<std::vector<std::uint8_t>> inputs;
  KOSEKI_RETURN_IF_ERROR(
      f.backend->ScanAuditEntries(log_id, 0, [&](const store::AuditEntryView& row) -> Result<bool> {
        std::vector<std::uint8_t> input;
        input.reserve(row.entry.size() + 1);
        input.push_back(0x00);
        input.insert(input.end(), row.entry.begin(), row.entry.end());
        inputs.push_back(std::move(input));
        return true;
      }));
  return inputs;
}

// The SHA-256 limit: the leaf hashes of `inputs` and n − 1 node hashes of 65 bytes, with
// OpenSSL alone on one thread. Returns the elapsed time of the hashing only.
Clock::duration HashLikeVerify(const std::vector<std::vector<std::uint8_t>>& inputs) {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::array<unsigned char, 65> node{};
  node[0] = 0x01;
  unsigned char digest[32];
  unsigned int size = 0;
  std::uint8_t sink = 0;
  const auto start = Clock::now();
  for (const auto& input : inputs) {
    EVP_DigestInit_ex(ctx, sha256, nullptr);
    EVP_DigestUpdate(ctx, input.data(), input.size());
    EVP_DigestFinal_ex(ctx, digest, &size);
    sink ^= digest[0];
  }
  for (std::uint64_t i = 1; i < inputs.size(); ++i) {
    node[1] = static_cast<unsigned char>(i);
    node[33] = digest[0];
    EVP_DigestInit_ex(ctx, sha256, nullptr);
    EVP_DigestUpdate(ctx, node.data(), node.size());
    EVP_DigestFinal_ex(ctx, digest, &size);
  }
  const auto elapsed = Clock::now() - start;
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(sha256);
  if (sink == 0xff && digest[0] == 0xff) std::cerr << "";  // keep the loop observable
  return elapsed;
}

// Runs `fn` with this thread, and the threads it starts, on the one CPU it is on now; returns
// its result, or a negative value (reported) if the thread cannot be pinned: the figure would
// otherwise be the two-thread one under the one-core label.
double OnOneCore(const std::function<double()>& fn) {
  cpu_set_t saved;
  cpu_set_t one;
  CPU_ZERO(&saved);
  CPU_ZERO(&one);
  const int cpu = sched_getcpu();
  if (cpu < 0 || sched_getaffinity(0, sizeof saved, &saved) != 0) {
    std::cerr << "audit_bench: cannot read this thread's CPU affinity\n";
    return -1.0;
  }
  CPU_SET(cpu, &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0) {
    std::cerr << "audit_bench: cannot pin verify to one core\n";
    return -1.0;
  }
  const double result = fn();
  sched_setaffinity(0, sizeof saved, &saved);
  return result;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Main(int argc, char** argv) {
  CLI::App app{"koseki audit log benchmark"};
  std::uint64_t entries = 1'000'000;
  std::uint64_t append_entries = 100'000;
  std::uint64_t batch = 1000;
  std::uint64_t single = 2000;
  std::string json_path;
  bool breakdown = false;
  int rounds = 5;
  app.add_flag("--breakdown", breakdown, "also time the parts of verify");
  app.add_option("--rounds", rounds, "rounds of verify and the SHA-256 limit (5)")
      ->check(CLI::PositiveNumber);
  app.add_option("--entries", entries, "entries to verify (default 1000000)");
  app.add_option("--append-entries", append_entries, "entries for the append rate (100000)");
  app.add_option("--batch", batch, "entries per group commit (1000)")->check(CLI::PositiveNumber);
  app.add_option("--single", single, "entries appended one commit each (2000)");
  app.add_option("--json", json_path, "write the figures as JSON here");
  CLI11_PARSE(app, argc, argv);

  Fixture f;
  if (auto opened = OpenFixture(f); !opened) return Fail(opened.error());

  // Durable appends: group commit, then one commit per entry.
  auto grouped = AppendEntries(f, "131016", append_entries, batch, 0);
  if (!grouped) return Fail(grouped.error());
  const double grouped_rate = static_cast<double>(append_entries) / Seconds(*grouped);
  auto one_by_one = AppendEntries(f, "131024", single, 1, 0);
  if (!one_by_one) return Fail(one_by_one.error());
  const double single_rate = static_cast<double>(single) / Seconds(*one_by_one);

  // The verify log: `entries` entries (group commits of 10,000 to build it quickly).
  const auto build_start = Clock::now();
  if (auto built = AppendEntries(f, "999997", entries, 10'000, 0); !built) {
    return Fail(built.error());
  }
  const double build_seconds = Seconds(Clock::now() - build_start);

  // Verify and the SHA-256 limit in alternating rounds; the reported ratio is the median of
  // the rounds' ratios, so that a change in machine speed during the run (other tenants,
  // frequency scaling) affects both sides of each ratio alike.
  auto leaf_inputs = LoadLeafInputs(f, "999997");
  if (!leaf_inputs) return Fail(leaf_inputs.error());
  if (leaf_inputs->size() != entries) {
    std::cerr << "audit_bench: the verify log has " << leaf_inputs->size() << " entries\n";
    return 1;
  }
  std::vector<double> verify_times;
  std::vector<double> sha_times;
  std::vector<double> fractions;
  std::vector<double> one_core_fractions;
  // Returns verify's time, or a negative value if it failed (already reported).
  const auto time_verify = [&]() -> double {
    const auto verify_start = Clock::now();
    auto verified = audit::VerifyStoredLogs(*f.backend, *f.verifier, f.witness, "999997");
    const double seconds = Seconds(Clock::now() - verify_start);
    if (!verified) {
      Fail(verified.error());
      return -1.0;
    }
    if (!verified->ok()) {
      std::cerr << "audit_bench: verification failed\n";
      return -1.0;
    }
    return seconds;
  };
  for (int round = 0; round < rounds; ++round) {
    verify_times.push_back(time_verify());
    const double one_core = OnOneCore(time_verify);
    if (verify_times.back() < 0 || one_core < 0) return 1;
    sha_times.push_back(Seconds(HashLikeVerify(*leaf_inputs)));
    fractions.push_back(sha_times.back() / verify_times.back());
    one_core_fractions.push_back(sha_times.back() / one_core);
  }
  const double verify_seconds = Median(verify_times);
  const double verify_rate = static_cast<double>(entries) / verify_seconds;
  const double sha_rate = static_cast<double>(entries) / Median(sha_times);
  const double fraction = Median(fractions);
  const auto [min_fraction, max_fraction] = std::minmax_element(fractions.begin(), fractions.end());
  const double one_core_fraction = Median(one_core_fractions);

  if (breakdown) {
    // Where verify's time goes: reading the rows (no copies), then each in-memory step alone
    // over the entries already loaded for the SHA-256 limit (their 0x00 prefix skipped).
    auto t0 = Clock::now();
    std::uint64_t rows = 0;
    (void)f.backend->ScanAuditEntries("999997", 0,
                                      [&](const store::AuditEntryView&) -> Result<bool> {
                                        ++rows;
                                        return true;
                                      });
    auto t1 = Clock::now();
    std::uint64_t nodes = 0;
    (void)f.backend->ScanAuditLog(
        "999997", [&](const store::AuditEntryView&) -> Result<bool> { return true; },
        [&](const store::AuditNodeView&) -> Result<bool> {
          ++nodes;
          return true;
        });
    auto t2 = Clock::now();
    std::uint64_t parsed = 0;
    for (const auto& input : *leaf_inputs) {
      parsed += audit::internal::ParseEntryView(std::span(input).subspan(1)).has_value() ? 1 : 0;
    }
    auto t3 = Clock::now();
    std::vector<audit::Hash> leaves;
    leaves.reserve(leaf_inputs->size());
    for (const auto& input : *leaf_inputs)
      leaves.push_back(audit::LeafHash(std::span(input).subspan(1)));
    auto t4 = Clock::now();
    audit::internal::PinnedTree tree;  // as verify keeps it (pinned sizes aside)
    for (const audit::Hash& leaf : leaves) tree.Append(leaf);
    auto t5 = Clock::now();
    // The node hashes alone: what of "tree" is not bookkeeping.
    audit::Hash chained = leaves.front();
    for (std::size_t i = 1; i < leaves.size(); ++i) chained = audit::NodeHash(leaves[i], chained);
    auto t6 = Clock::now();
    if (chained[0] == 0xff && chained[1] == 0xff) std::cerr << "";  // keep the loop observable
    std::uint64_t entry_bytes = 0;
    for (const auto& input : *leaf_inputs) entry_bytes += input.size() - 1;
    std::printf(
        "  breakdown: read entries %.3f s (%llu), read entries+nodes %.3f s (%llu nodes), "
        "parse %.3f s (%llu), leaf hashes %.3f s, tree %.3f s (of which node hashes %.3f s), "
        "%.0f bytes per entry\n",
        Seconds(t1 - t0), static_cast<unsigned long long>(rows), Seconds(t2 - t1),
        static_cast<unsigned long long>(nodes), Seconds(t3 - t2),
        static_cast<unsigned long long>(parsed), Seconds(t4 - t3), Seconds(t5 - t4),
        Seconds(t6 - t5), static_cast<double>(entry_bytes) / static_cast<double>(leaves.size()));
  }

  std::printf("audit log benchmark\n");
  std::printf("  durable append, group commit of %llu : %12.0f entries/s  (target >= 5000)\n",
              static_cast<unsigned long long>(batch), grouped_rate);
  std::printf("  durable append, one commit per entry  : %12.0f entries/s\n", single_rate);
  std::printf("  building the verify log (%llu)       : %12.1f s\n",
              static_cast<unsigned long long>(entries), build_seconds);
  std::printf("  verify                                : %12.0f entries/s  (%.2f s)\n", verify_rate,
              verify_seconds);
  std::printf("  SHA-256 limit (leaf + node hashes)    : %12.0f entries/s\n", sha_rate);
  std::printf(
      "  verify / SHA-256 limit                : %12.1f %%  (target >= 90 %%; median of %d "
      "rounds, %.1f-%.1f)\n",
      100.0 * fraction, rounds, 100.0 * *min_fraction, 100.0 * *max_fraction);
  std::printf("  verify on one core / SHA-256 limit    : %12.1f %%  (target >= 50 %%)\n",
              100.0 * one_core_fraction);

  if (!json_path.empty()) {
    nlohmann::ordered_json json = {
        {"append_group_commit_entries_per_s", grouped_rate},
        {"append_group_commit_batch", batch},
        {"append_single_commit_entries_per_s", single_rate},
        {"verify_entries", entries},
        {"verify_entries_per_s", verify_rate},
        {"sha256_limit_entries_per_s", sha_rate},
        {"verify_fraction_of_sha256_limit", fraction},
        {"verify_fraction_per_round", fractions},
        {"verify_one_core_fraction_of_sha256_limit", one_core_fraction},
        {"verify_one_core_fraction_per_round", one_core_fractions},
    };
    std::ofstream(json_path) << json.dump(2) << '\n';
  }
  return 0;
}

}  // namespace
}  // namespace koseki::bench

int main(int argc, char** argv) { return koseki::bench::Main(argc, argv); }
