// An installation written by the koseki before row commitments and audit entry format 2
// (testdata/format1_installation, made by its make.sh with that version's binary: a 死亡届
// approved, two certificates issued, a setting changed) opened by this version. Its rows were
// written when no entry named them: the first keyed command restates them once in the system
// log (audit/row_baseline.h), and from then on `koseki audit verify` holds them to it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/internal/stored_hash_source.h"
#include "koseki/audit/merkle.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::koseki::store::testing::RawExec;
using ::testing::HasSubstr;

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override { CopyTree(KOSEKI_FORMAT1_INSTALLATION, dir_.path()); }

  std::map<std::string, std::string> Env(const std::string& passphrase = kPassphrase) const {
    return {{"KOSEKI_DATA", (dir_.path() / "data").string()},
            {"KOSEKI_KEY_FILE", (dir_.path() / "keys" / "master.key").string()},
            {"KOSEKI_PASSPHRASE", passphrase}};
  }
  CliRun Run(const std::vector<std::string>& args) const { return RunKoseki(args, Env()); }
  std::filesystem::path db_file() const { return dir_.path() / "data" / "koseki.db"; }

  // A keyed command that changes nothing.
  void OpenWithTheKey() const {
    CliRun listed = Run({"device", "list", "--tenant", kTenant});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
  }

  // The system log's baseline entries and the rows they restate.
  struct Baseline {
    int entries = 0;
    int rows = 0;
  };
  Baseline SystemBaseline() const {
    CliRun shown = Run({"audit", "show", "--tenant", "system", "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    Baseline baseline;
    for (const auto& entry : nlohmann::json::parse(shown.out)) {
      if (entry["action"] != audit::actions::kRowBaseline) continue;
      EXPECT_TRUE(entry["sealed"].get<bool>());
      ++baseline.entries;
      baseline.rows += entry["writes"].get<int>();
    }
    return baseline;
  }

  TempDir dir_;
};

TEST_F(UpgradeTest, VerifyWaitsForTheFirstKeyedOpenWhichRestatesEveryRowOnce) {
  CliRun before = Run({"audit", "verify"});
  EXPECT_EQ(before.exit_code, 0) << before.out << before.err;
  EXPECT_THAT(before.out, HasSubstr("state=awaits-baseline"));
  EXPECT_EQ(SystemBaseline().entries, 0);

  OpenWithTheKey();
  const Baseline baseline = SystemBaseline();
  EXPECT_EQ(baseline.entries, 1);
  // The tenant and its key, the register and its two versions, two cases' rows, their
  // actions, two issues, a setting, five users and the device CA at least.
  EXPECT_GT(baseline.rows, 15);
  CliRun after = Run({"audit", "verify"});
  EXPECT_EQ(after.exit_code, 0) << after.out;
  EXPECT_THAT(after.out, HasSubstr("state=ok findings=0"));

  OpenWithTheKey();
  EXPECT_EQ(SystemBaseline().entries, 1);
}

// `audit show --object` reads the whole log until the old entries are indexed by object (at
// the first keyed open), then only the index: the same entries either way.
TEST_F(UpgradeTest, TheEntriesOfAnObjectAreFoundBeforeAndAfterTheOldEntriesAreIndexed) {
  const auto approvals = [&]() {
    CliRun shown = Run({"audit", "show", "--tenant", kTenant, "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    std::string case_id;
    for (const auto& entry : nlohmann::json::parse(shown.out)) {
      if (entry["action"] == "case.approve") case_id = entry["object"].get<std::string>();
    }
    return case_id;
  };
  const std::string case_id = approvals();
  ASSERT_FALSE(case_id.empty());
  const auto of_case = [&]() {
    CliRun shown = Run({"audit", "show", "--tenant", kTenant, "--object", case_id, "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    std::vector<std::uint64_t> indexes;
    for (const auto& entry : nlohmann::json::parse(shown.out)) {
      EXPECT_EQ(entry["object"], case_id);
      indexes.push_back(entry["index"].get<std::uint64_t>());
    }
    return indexes;
  };
  const std::vector<std::uint64_t> before = of_case();
  EXPECT_GE(before.size(), 6u);  // received, attached, assigned, submitted, examined, approved
  OpenWithTheKey();
  EXPECT_EQ(of_case(), before);
}

TEST_F(UpgradeTest, ARowChangedAfterTheBaselineIsFound) {
  OpenWithTheKey();
  ASSERT_EQ(RawExec(db_file(), "UPDATE tenants SET name = '青葉県みなと町'").rc, 0);
  CliRun verify = Run({"audit", "verify"});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("state=mismatch"));
  EXPECT_THAT(verify.out, HasSubstr("tenant tenant " + std::string(kTenant)));
  EXPECT_THAT(verify.err, HasSubstr("[KSK-AUDIT-060]"));
}

TEST_F(UpgradeTest, AMistypedPassphraseBeforeTheFirstOpenDoesNotStopTheBaseline) {
  // The refusal is appended without the key (format 2, unsealed) after the old entries.
  ASSERT_NE(RunKoseki({"device", "list", "--tenant", kTenant}, Env("wrong passphrase entirely"))
                .exit_code,
            0);
  OpenWithTheKey();
  EXPECT_EQ(SystemBaseline().entries, 1);
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("state=ok findings=0"));
}

// Appends `encoded` as the next entry of `log` with the nodes it completes, as koseki's own
// library would, but without any key.
void AppendRaw(store::Backend& backend, std::string_view log, std::vector<std::uint8_t> encoded) {
  auto last = backend.GetLastAuditEntry(log);
  ASSERT_THAT(last, IsOk());
  const std::uint64_t size = *last ? (**last).index + 1 : 0;
  const audit::internal::StoredHashSource source(backend, log);
  auto frontier = audit::Frontier::FromSource(source, size);
  ASSERT_THAT(frontier, IsOk());
  const audit::Hash leaf = audit::LeafHash(encoded);
  std::vector<store::AuditNodeRow> nodes;
  for (const audit::Frontier::Node& node : frontier->Append(leaf)) {
    if (node.level > 0) {
      nodes.push_back({node.level, node.index, store::Bytes(node.hash.begin(), node.hash.end())});
    }
  }
  ASSERT_THAT(backend.AppendAuditEntry(
                  log, {size, std::move(encoded), {leaf.begin(), leaf.end()}, {}}, nodes),
              IsOk());
}

// A format-1 entry is what the old version wrote, and it carries no MAC: once the baseline is
// signed, one added to a log (here: a refusal, which an unsealed format-2 entry may record) is
// forged, and the next keyed command refuses to sign it.
TEST_F(UpgradeTest, AFormat1EntryAddedAfterTheBaselineIsNeverSigned) {
  OpenWithTheKey();
  {
    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    auto last = (*backend)->GetLastAuditEntry(kTenant);
    ASSERT_THAT(last, IsOk());
    ASSERT_TRUE(*last);
    audit::Event refusal;
    refusal.actor.user_id = "clerk-1";
    refusal.action = std::string(audit::actions::kRegisterView);
    refusal.outcome = audit::Outcome::kRefused;
    refusal.error_id = "KSK-CASE-001";
    auto entry = audit::Entry::Create(kTenant, (**last).index + 1,
                                      audit::Timestamp(std::chrono::microseconds(1)), refusal);
    ASSERT_THAT(entry, IsOk());
    // Format 1 is format 2 without its writes count and MAC size (docs/formats.md).
    std::vector<std::uint8_t> encoded = entry->Encode();
    encoded[0] = audit::kEntryFormatVersion1;
    encoded.resize(encoded.size() - 5);
    ASSERT_THAT(audit::Entry::Parse(encoded), IsOk());
    AppendRaw(**backend, kTenant, std::move(encoded));
  }
  CliRun next = Run({"device", "list", "--tenant", kTenant});
  EXPECT_NE(next.exit_code, 0);
  EXPECT_THAT(next.err, HasSubstr("[KSK-AUDIT-059]"));
}

}  // namespace
}  // namespace koseki::testing
