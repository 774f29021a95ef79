// The child of the audit crash test (audit_crash_test.cc): opens the store and records
// certificate issues in a loop — each one an action (a certificate_issues row) and its audit
// entry in one transaction, every fifth a refusal (no row, a refused entry of its own), with a
// checkpoint every three entries — until it is SIGKILLed. It writes one byte to stdout once the
// store is open, and one after every committed certificate issue, so that the parent kills it
// after a number of commits it chose rather than after a time (which a loaded machine
// stretches).
//
// With a seventh argument FILE_SIZE_LIMIT (bytes), the disk-full variant: once the store is
// open the child may grow no file beyond that size (RLIMIT_FSIZE; writes past it fail with
// EFBIG, as they would with ENOSPC on a full disk), keeps recording until 50 actions in a row
// have failed, and exits 0. Exit 7: it never failed; 8: it never succeeded.
//
// usage: koseki_audit_crash_child DB WITNESS KEY_NAME SEED_HEX TENANT REGISTER_ID [LIMIT]
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "koseki/audit/actions.h"
#include "koseki/audit/audit_log.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/clock.h"
#include "koseki/store/sqlite/sqlite_backend.h"

namespace {

koseki::SecretBytes SeedFromHex(const std::string& hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return koseki::SecretBytes::FromBytes(bytes);
}

int Run(int argc, char** argv) {
  if (argc != 7 && argc != 8) return 2;
  const std::string db = argv[1], witness = argv[2], key_name = argv[3], seed = argv[4],
                    tenant = argv[5], register_id = argv[6];
  auto backend = koseki::store::SqliteBackend::Open(db);
  if (!backend) return 3;
  auto key = koseki::audit::SigningKey::FromSeed(key_name, SeedFromHex(seed));
  if (!key) return 4;
  // As koseki runs: every row committed to by its entry (Koseki::OpenAudit).
  (*backend)->RequireRecordedWrites();
  koseki::SystemClock clock;
  auto log = koseki::audit::AuditLog::Open(
      **backend, clock, std::move(*key),
      {{3, std::chrono::hours(1)}, witness, koseki::audit::testing::TestEntryKey()});
  if (!log) return 5;
  if (::write(STDOUT_FILENO, "r", 1) != 1) return 6;
  const bool disk_full = argc == 8;
  if (disk_full) {
    ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails instead of killing us
    const rlimit limit{std::stoull(argv[7]), std::stoull(argv[7])};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 6;
  }
  std::uint64_t succeeded = 0;
  std::uint64_t failed_in_a_row = 0;
  bool ever_failed = false;
  for (std::uint64_t n = 0;; ++n) {
    koseki::audit::Event event;
    event.actor.user_id = "uid:crash";
    event.action = std::string(koseki::audit::actions::kCertIssue);
    const auto issue = [&](koseki::audit::Event& recorded) -> koseki::Result<void> {
      if (n % 5 == 4) {
        return koseki::MakeError(koseki::ErrorCode::kNotFound, "KSK-APP-010", "見つかりません",
                                 "crash test refusal");
      }
      KOSEKI_ASSIGN_OR_RETURN(std::int64_t number,
                              (*backend)->RecordCertificateIssue(tenant, register_id, 1, 0));
      recorded.object_id = register_id + ":1";
      recorded.context_id = "issue:" + std::to_string(number);
      return koseki::Ok();
    };
    const auto recorded = (*log)->Record(tenant, event, issue);
    if (!disk_full) {
      if (recorded && ::write(STDOUT_FILENO, "c", 1) != 1) return 6;
      continue;
    }
    // A refusal comes back as itself whether or not its entry could be written: only the
    // other actions tell whether the disk is full.
    if (n % 5 == 4) continue;
    if (!recorded) {
      ever_failed = true;
      if (++failed_in_a_row == 50) return succeeded == 0 ? 8 : 0;
    } else {
      failed_in_a_row = 0;
      ++succeeded;
    }
    if (n > 1'000'000) return ever_failed ? 0 : 7;
  }
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
