// Someone with write access to the data directory but without the passphrase edits the SQLite
// file directly (triggers dropped first, as a determined insider would). Each attack that once
// went unnoticed is here as a test that failed before the row commitments and entry MACs
// (docs/security.md) and passes now: `koseki audit verify` names the disagreement, or the next
// keyed command refuses. A randomized loop then changes one byte, one number or one row of a
// random committed table and expects every change to be found.
//
// One installation is built once per suite through the real binary — a 死亡届 approved, two
// certificates issued, a setting changed — and copied for each test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "koseki/app/audit_commands.h"
#include "koseki/audit/audit_log.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/domain/register_json.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::koseki::store::testing::RawExec;
using ::testing::HasSubstr;

constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";

// Every append-only trigger of the committed and audit tables, which an attacker drops first.
constexpr char kDropTriggers[] =
    "DROP TRIGGER IF EXISTS registers_no_delete; DROP TRIGGER IF EXISTS "
    "registers_head_moves_forward; DROP TRIGGER IF EXISTS registers_no_replace; "
    "DROP TRIGGER IF EXISTS register_versions_no_update; DROP TRIGGER IF EXISTS "
    "register_versions_no_delete; DROP TRIGGER IF EXISTS register_versions_follow_head; "
    "DROP TRIGGER IF EXISTS tenant_keys_no_update; DROP TRIGGER IF EXISTS tenant_keys_no_delete; "
    "DROP TRIGGER IF EXISTS certificate_issues_no_update; DROP TRIGGER IF EXISTS "
    "certificate_issues_no_delete; DROP TRIGGER IF EXISTS certificate_issues_sequential; "
    "DROP TRIGGER IF EXISTS cases_no_update; DROP TRIGGER IF EXISTS cases_no_delete; "
    "DROP TRIGGER IF EXISTS case_actions_no_update; DROP TRIGGER IF EXISTS "
    "case_actions_no_delete; DROP TRIGGER IF EXISTS case_actions_next_seq; "
    "DROP TRIGGER IF EXISTS tenant_settings_no_update; DROP TRIGGER IF EXISTS "
    "tenant_settings_no_delete; DROP TRIGGER IF EXISTS tenant_settings_next_version; "
    "DROP TRIGGER IF EXISTS object_versions_no_update; DROP TRIGGER IF EXISTS "
    "object_versions_no_delete; DROP TRIGGER IF EXISTS object_versions_next_version; "
    "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS "
    "audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_sequential; "
    "DROP TRIGGER IF EXISTS audit_nodes_no_update; DROP TRIGGER IF EXISTS audit_nodes_no_delete; "
    "DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS "
    "audit_checkpoints_no_delete; ";

class TamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prepared_ = new TempDir();
    const std::filesystem::path root = prepared_->path();
    std::filesystem::create_directories(root / "keys");
    const auto env = EnvFor(root);
    auto run = [&](const std::vector<std::string>& args) -> std::string {
      CliRun r = RunKoseki(args, env);
      EXPECT_EQ(r.exit_code, 0) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": "
                                << r.err;
      return r.out;
    };
    run({"init"});
    run({"tenant", "add", "--code", kTenant, "--name", kTenantName});
    std::ofstream(root / "family.jsonl")
        << domain::ToJson(rules::testing::core::ExampleRegisterBeforeDeath()).dump() << "\n";
    run({"import", "--tenant", kTenant, (root / "family.jsonl").string()});
    std::ofstream(root / "death.json") << R"({"type": "shibou", "values": {
        "deceased": "R1:1", "death_date": "令和６年１１月２０日", "death_time": "15:45",
        "death_place": "青葉県みなと市", "todokedenin_shikaku": "同居の親族",
        "todokedenin_name": "山川美咲"},
      "acknowledgements": {"RULE-DEADLINE-001": "届出人の入院のため"}})";
    for (const auto& [login, role] :
         std::vector<std::pair<std::string, std::string>>{{"clerk-1", "clerk"},
                                                          {"sup-1", "supervisor"},
                                                          {"op-1", "operator"},
                                                          {"exa-1", "examiner"},
                                                          {"app-1", "approver"}}) {
      run(UserAddArgs(login, role, CurrentTrainingUntil()));
    }
    auto act = [&](const std::string& sub, const std::string& user,
                   std::vector<std::string> extra) {
      std::vector<std::string> args{"case", sub, "--tenant", kTenant, "--user", user};
      args.insert(args.end(), extra.begin(), extra.end());
      return run(args);
    };
    const std::string received =
        act("receive", "clerk-1", {"--type", "shibou", "--todokedenin", "親族　山川美咲"});
    std::smatch m;
    ASSERT_TRUE(std::regex_search(received, m, std::regex("事件 ([0-9a-f]{32})")));
    case_id_ = new std::string(m[1]);
    act("attach", "clerk-1", {"--case", *case_id_, "--honseki", kHonseki, "--head", "山川健一"});
    act("assign", "sup-1", {"--case", *case_id_, "--operator", "op-1"});
    act("submit", "op-1", {"--case", *case_id_, (root / "death.json").string()});
    act("examine", "exa-1", {"--case", *case_id_});
    act("approve", "app-1", {"--case", *case_id_});
    run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
    run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
    run({"tenant", "set", "--code", kTenant, "--double-entry", "on"});
  }
  static void TearDownTestSuite() {
    delete prepared_;
    prepared_ = nullptr;
    delete case_id_;
    case_id_ = nullptr;
  }

  void SetUp() override { CopyTree(prepared_->path(), dir_.path()); }

  static std::map<std::string, std::string> EnvFor(const std::filesystem::path& root) {
    return {{"KOSEKI_DATA", (root / "data").string()},
            {"KOSEKI_KEY_FILE", (root / "keys" / "master.key").string()},
            {"KOSEKI_PASSPHRASE", kPassphrase}};
  }
  CliRun Run(const std::vector<std::string>& args) const {
    return RunKoseki(args, EnvFor(dir_.path()));
  }
  std::filesystem::path db_file() const { return dir_.path() / "data" / "koseki.db"; }
  std::filesystem::path witness() const { return dir_.path() / "keys" / "koseki-witness.log"; }
  app::Location location() const {
    return {dir_.path() / "data", {}, dir_.path() / "keys" / "koseki-witness.log"};
  }

  // Runs SQL on the file as the attacker, triggers dropped first.
  void Tamper(const std::string& sql) const {
    const auto result = RawExec(db_file(), kDropTriggers + sql);
    ASSERT_EQ(result.rc, 0) << result.message;
  }

  // `koseki audit verify`, expected to find the state disagreeing with the log; returns its
  // output.
  std::string ExpectStateMismatch() const {
    CliRun verify = Run({"audit", "verify"});
    EXPECT_NE(verify.exit_code, 0) << verify.out;
    EXPECT_THAT(verify.out, HasSubstr("state=mismatch"));
    EXPECT_THAT(verify.err, HasSubstr("[KSK-AUDIT-060]"));
    return verify.out;
  }

  static TempDir* prepared_;
  static std::string* case_id_;
  TempDir dir_;
};

TempDir* TamperTest::prepared_ = nullptr;
std::string* TamperTest::case_id_ = nullptr;

TEST_F(TamperTest, TheHonestInstallationVerifiesWithItsStateAndOnlySealedEntries) {
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("state=ok findings=0"));
  EXPECT_THAT(verify.out, HasSubstr("log=" + std::string(kTenant) + " status=ok"));
  EXPECT_THAT(verify.out, ::testing::ContainsRegex("log=" + std::string(kTenant) +
                                                   " status=ok .* unsealed=0\n"));
  EXPECT_THAT(verify.out, ::testing::ContainsRegex("log=system status=ok .* unsealed=0\n"));
}

// 1. The head set back behind an approved 死亡: the certificate would print version 1.
TEST_F(TamperTest, ARegisterHeadSetBackIsNamed) {
  Tamper("UPDATE registers SET head_version = 1");
  const std::string out = ExpectStateMismatch();
  EXPECT_THAT(out, HasSubstr("register_head tenant " + std::string(kTenant)));
  EXPECT_THAT(out, HasSubstr("head is 1, the log's last version is 2"));
}

// 1. …and with the new version and the approval deleted too, so that the case could be
// approved again.
TEST_F(TamperTest, AVersionAndItsApprovalDeletedAreNamed) {
  Tamper(
      "UPDATE registers SET head_version = 1; DELETE FROM register_versions WHERE version = 2; "
      "DELETE FROM case_actions WHERE seq = (SELECT max(seq) FROM case_actions)");
  const std::string out = ExpectStateMismatch();
  EXPECT_THAT(out, HasSubstr("register_version tenant " + std::string(kTenant)));
  EXPECT_THAT(out, HasSubstr("number 2: logged row is missing"));
  EXPECT_THAT(out, HasSubstr("case_action tenant " + std::string(kTenant) + " key " + *case_id_));
}

// 2. An examination relabelled as an approval: refused where it is read (bound by its AEAD)
// and named by verify.
TEST_F(TamperTest, ACaseActionRelabelledIsRefusedOnReadAndNamed) {
  Tamper("UPDATE case_actions SET kind = 'approve' WHERE kind = 'examine'");
  CliRun shown =
      Run({"case", "show", "--tenant", kTenant, "--user", "clerk-1", "--case", *case_id_});
  EXPECT_NE(shown.exit_code, 0);
  EXPECT_THAT(shown.err, HasSubstr("[KSK-CASE-023]"));
  EXPECT_THAT(ExpectStateMismatch(), HasSubstr("row differs from what was logged"));
}

// 3. Plain SQL, no trigger dropped: the mayor's title, a setting, the 発行番号, the 受付番号.
TEST_F(TamperTest, ATenantRenamedIsNamed) {
  ASSERT_EQ(RawExec(db_file(), "UPDATE tenants SET name = '架空県別町'").rc, 0);
  EXPECT_THAT(ExpectStateMismatch(), HasSubstr("tenant tenant " + std::string(kTenant) + " key " +
                                               kTenant + " number 0: row differs"));
}

TEST_F(TamperTest, ASettingInsertedIsNamed) {
  ASSERT_EQ(RawExec(db_file(),
                    "INSERT INTO tenant_settings SELECT tenant_code, "
                    "'workflow.examiner_may_approve', 1, 'on', 0 FROM tenants")
                .rc,
            0);
  EXPECT_THAT(ExpectStateMismatch(),
              HasSubstr("key workflow.examiner_may_approve number 1: row no log recorded"));
}

TEST_F(TamperTest, DeletedCertificateIssuesAreNamed) {
  Tamper("DELETE FROM certificate_issues");
  const std::string out = ExpectStateMismatch();
  EXPECT_THAT(out, HasSubstr("certificate_issue tenant " + std::string(kTenant) +
                             " number 1: logged row is missing"));
  EXPECT_THAT(out, HasSubstr("number 2: logged row is missing"));
}

TEST_F(TamperTest, ARewrittenReceiptNumberIsNamed) {
  Tamper("UPDATE cases SET uketsuke_bango = '2026-999999'");
  EXPECT_THAT(ExpectStateMismatch(), HasSubstr("case tenant " + std::string(kTenant) + " key " +
                                               *case_id_ + " number 0: row differs"));
}

// 4. A well-formed entry added with koseki's own library but without the key: the next keyed
// command refuses to sign a checkpoint over it, and the witness gains nothing.
TEST_F(TamperTest, AnEntryAddedWithoutTheKeyIsNeverSigned) {
  {
    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    SystemClock clock;
    auto log = audit::AuditLog::Open(**backend, clock, std::nullopt, {});
    ASSERT_THAT(log, IsOk());
    audit::Event fake;
    fake.actor.user_id = "app-1";
    fake.action = "case.approve";
    fake.object_id = *case_id_;
    ASSERT_THAT((*log)->Append(kTenant, fake), IsOk());
  }
  const std::string witnessed = ReadFile(witness());
  CliRun next = Run({"device", "list", "--tenant", kTenant});
  EXPECT_NE(next.exit_code, 0);
  EXPECT_THAT(next.err, HasSubstr("[KSK-AUDIT-059]"));
  EXPECT_EQ(ReadFile(witness()), witnessed);
  CliRun verify = Run({"audit", "verify"});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("entry without a MAC records a success or a write"));
}

// 4. …and one sealed under a key the attacker made up is refused the same way.
TEST_F(TamperTest, AnEntrySealedUnderAnotherKeyIsNeverSigned) {
  {
    auto backend = store::SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    SystemClock clock;
    auto mac = crypto::MessageMac::Create(SecretBytes::FromBytes(std::vector<std::uint8_t>(32, 7)));
    ASSERT_THAT(mac, IsOk());
    auto log = audit::AuditLog::Open(**backend, clock, std::nullopt, {{}, {}, std::move(*mac)});
    ASSERT_THAT(log, IsOk());
    audit::Event fake;
    fake.action = "case.approve";
    ASSERT_THAT((*log)->Append(kTenant, fake), IsOk());
  }
  CliRun next = Run({"device", "list", "--tenant", kTenant});
  EXPECT_THAT(next.err, HasSubstr("[KSK-AUDIT-059]"));
}

// 4. A refusal recorded without the key (a wrong passphrase) is marked unsealed, sealed by
// the next keyed command, and from then on its deletion is found.
TEST_F(TamperTest, ARefusalWithoutTheKeyIsSealedByTheNextKeyedCommand) {
  auto env = EnvFor(dir_.path());
  env["KOSEKI_PASSPHRASE"] = "wrong passphrase entirely";
  ASSERT_NE(RunKoseki({"device", "list", "--tenant", kTenant}, env).exit_code, 0);
  // The refusal is the one entry of the system log without a MAC.
  CliRun shown = Run({"audit", "show", "--tenant", "system", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::vector<std::uint64_t> unsealed;
  for (const auto& entry : nlohmann::json::parse(shown.out)) {
    if (!entry["sealed"].get<bool>()) {
      EXPECT_EQ(entry["outcome"], "refused");
      EXPECT_EQ(entry["writes"], 0);
      unsealed.push_back(entry["index"].get<std::uint64_t>());
    }
  }
  ASSERT_EQ(unsealed.size(), 1u);
  CliRun before = Run({"audit", "verify"});
  EXPECT_THAT(before.out, HasSubstr("log=system status=ok"));
  EXPECT_THAT(before.out, HasSubstr("unsealed=1"));
  // The next keyed command checkpoints it…
  ASSERT_EQ(Run({"device", "list", "--tenant", kTenant}).exit_code, 0);
  CliRun sealed = Run({"audit", "verify"});
  EXPECT_EQ(sealed.exit_code, 0) << sealed.out;
  // …so that deleting it now is found.
  Tamper("DELETE FROM audit_entries WHERE log_id = 'system' AND entry_index = " +
         std::to_string(unsealed.front()));
  CliRun after = Run({"audit", "verify"});
  EXPECT_NE(after.exit_code, 0);
  EXPECT_THAT(after.out, ::testing::ContainsRegex("log=system status=(deleted|truncated)"));
}

// An entry's row key moved far ahead, its bytes untouched: the tree still matches, but the
// store can no longer find the entry by its index and refuses the next append. Verify names
// it — and, reading the last index to size its buffers, must not fail to allocate.
TEST_F(TamperTest, AnEntryKeptUnderAnIndexFarAheadIsNamed) {
  const std::string log = "'" + std::string(kTenant) + "'";
  Tamper("UPDATE audit_entries SET entry_index = 1099511627776 WHERE log_id = " + log +
         " AND entry_index = (SELECT max(entry_index) FROM audit_entries WHERE log_id = " + log +
         ")");
  CliRun verify = Run({"audit", "verify"});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("log=" + std::string(kTenant) + " status=modified"));
  EXPECT_THAT(verify.out, HasSubstr("entry stored under index 1099511627776 at position"));
  EXPECT_NE(Run({"device", "list", "--tenant", kTenant}).exit_code, 0);  // it would append
}

// The randomized loop: K rounds, each on a fresh copy; a random committed or audit table, a
// random row, and one change — a flipped byte in a text or blob column, an integer moved by
// one, or the row deleted. Every change must fail `audit verify` (state or log). The seed is
// printed so that a failure can be replayed.
TEST_F(TamperTest, EveryRandomChangeToACommittedOrAuditRowIsFound) {
  struct Table {
    const char* name;
    std::vector<const char*> columns;
  };
  const std::vector<Table> tables = {
      {"tenants", {"name", "created_at"}},
      {"tenant_keys", {"key_version", "wrapped", "created_at"}},
      {"registers", {"register_id", "head_version", "created_at"}},
      {"register_versions", {"register_id", "version", "ciphertext", "created_at"}},
      {"certificate_issues", {"issue_number", "register_id", "version", "issued_at"}},
      {"cases", {"case_id", "uketsuke_bango", "receipt_year", "notification_type", "received_at"}},
      {"case_actions", {"case_id", "seq", "kind", "actor_id", "actor_role", "at", "payload"}},
      {"tenant_settings", {"name", "version", "value", "set_at"}},
      {"object_versions", {"kind", "object_id", "version", "ciphertext", "created_at"}},
      {"audit_entries", {"entry", "leaf_hash"}},
      {"audit_checkpoints", {"note", "tree_size"}},
  };
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  constexpr int kRounds = 60;
  int found = 0;
  const TempDir pristine;
  CopyTree(dir_.path(), pristine.path());
  for (int round = 0; round < kRounds; ++round) {
    std::filesystem::remove_all(dir_.path() / "data");
    CopyTree(pristine.path() / "data", dir_.path() / "data");
    const Table& table = tables[random() % tables.size()];
    const std::string name = table.name;
    const std::string column = table.columns[random() % table.columns.size()];
    // The row: the n-th in storage order (WITHOUT ROWID tables have no rowid to pick it by);
    // every row with the same value in the chosen column is changed with it.
    const std::string count = "(SELECT count(*) FROM " + name + ")";
    const std::string chosen = "(SELECT " + column + " FROM " + name + " LIMIT 1 OFFSET (" +
                               std::to_string(random() % 1000) + " % " + count + "))";
    const std::string where = " WHERE " + column + " IS " + chosen;
    std::string sql;
    if (random() % 3 == 0) {
      sql = "DELETE FROM " + name + where;
    } else {
      // Text: the first character changed (to a lower-case letter, which every column's CHECK
      // allows); blobs: the first byte changed; integers: moved far enough not to collide.
      sql = "UPDATE " + name + " SET " + column + " = CASE typeof(" + column +
            ") WHEN 'integer' THEN " + column +
            " + 1000003 WHEN 'blob' THEN CAST(CASE WHEN substr(" + column +
            ", 1, 1) = x'ff' THEN x'fe' ELSE x'ff' END || substr(" + column +
            ", 2) AS BLOB) ELSE CASE WHEN substr(" + column +
            ", 1, 1) = 'x' THEN 'y' ELSE 'x' END || "
            "substr(" +
            column + ", 2) END" + where;
    }
    const auto tampered = RawExec(db_file(), kDropTriggers + sql);
    ASSERT_EQ(tampered.rc, 0) << tampered.message << "\n" << sql;
    auto verified = app::VerifyAudit(location(), "", std::nullopt);
    ASSERT_THAT(verified, IsOk());
    if (!verified->verification.ok()) {
      ++found;
    } else {
      ADD_FAILURE() << "seed " << seed << " round " << round << ": not found: " << sql;
    }
  }
  std::cout << "tamper loop: seed " << seed << ", " << found << " of " << kRounds
            << " changes found\n";
  EXPECT_EQ(found, kRounds);
}

}  // namespace
}  // namespace koseki::testing
