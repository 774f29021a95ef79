// The audit trail end to end through the real `koseki` binary: every CLI action
// appears in the log; `koseki audit verify` passes on an honest installation and names the
// right index and reason for each kind of tampering done directly on the SQLite file, the
// witness file, or by restoring an older copy of the database; inclusion proofs check offline.
//
// One installation is built once per suite (init, tenant add, import of one register, gen of
// 20, the clerk enrolled, two certificates) and copied for each test, so that each test tampers
// with its own copy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/checkpoint.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/store/testing/store_test_util.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::koseki::store::testing::RawExec;
using ::testing::HasSubstr;
using ::testing::Not;

// A fictional 交付請求, distinctive enough that a plaintext copy would be found.
constexpr char kSealedPurpose[] = "相続手続のため（架空の請求）";
constexpr char kSealedRequester[] = "代理人　川辺架空太郎";

const std::vector<std::string> kCertArgs = {"cert",
                                            "--tenant",
                                            kTenant,
                                            "--user",
                                            "clerk-1",
                                            "--purpose",
                                            kSealedPurpose,
                                            "--requester",
                                            kSealedRequester,
                                            "--honseki",
                                            "青葉県みなと市桜町二丁目１５番地",
                                            "--head",
                                            "山川健一"};

// The tenant log of the prepared installation: its device CA (admin.device_ca, at tenant add)
// = 0, import (register.create, cli.import) = 1–2, gen (20 × register.create, cli.gen) = 3–23,
// the clerk's enrolment (admin.user_add) = 24, two certificates = 25–26.
constexpr int kTenantEntries = 27;
constexpr int kFirstCertificate = 25;

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

class AuditCliTest : public ::testing::Test {
 protected:
  // Built once: a whole installation with some history.
  static void SetUpTestSuite() {
    prepared_ = new TempDir();
    std::filesystem::create_directories(prepared_->path() / "keys");
    const auto env = EnvFor(prepared_->path());
    auto run = [&](const std::vector<std::string>& args) {
      CliRun r = RunKoseki(args, env);
      ASSERT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    };
    run({"init"});
    run({"tenant", "add", "--code", kTenant, "--name", kTenantName});
    const auto file = prepared_->path() / "one.jsonl";
    WriteFile(file, domain::ToJson(domain::testing::ExampleRegister()).dump() + "\n");
    run({"import", "--tenant", kTenant, file.string()});
    run({"gen", "--tenant", kTenant, "--registers", "20", "--seed", "7"});
    run(UserAddArgs("clerk-1", "clerk", CurrentTrainingUntil()));
    run(kCertArgs);
    run(kCertArgs);
  }
  static void TearDownTestSuite() {
    delete prepared_;
    prepared_ = nullptr;
  }

  void SetUp() override { CopyTree(prepared_->path(), dir_.path()); }

  static std::map<std::string, std::string> EnvFor(const std::filesystem::path& root) {
    return {{"KOSEKI_DATA", (root / "data").string()},
            {"KOSEKI_KEY_FILE", (root / "keys" / "master.key").string()},
            {"KOSEKI_PASSPHRASE", kPassphrase}};
  }
  std::map<std::string, std::string> Env() const { return EnvFor(dir_.path()); }
  CliRun Run(const std::vector<std::string>& args, const std::string& input = {}) const {
    return RunKoseki(args, Env(), input);
  }

  std::filesystem::path db_file() const { return dir_.path() / "data" / "koseki.db"; }
  std::filesystem::path witness() const { return dir_.path() / "keys" / "koseki-witness.log"; }
  std::filesystem::path keys_file() const { return dir_.path() / "keys" / "koseki-witness.pub"; }

  // Runs SQL on the database as an attacker with shell access: triggers dropped first.
  void Tamper(const std::string& sql) const {
    const std::string drop =
        "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS "
        "audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_sequential; DROP TRIGGER "
        "IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS "
        "audit_checkpoints_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_sequential; "
        "DROP TRIGGER IF EXISTS installation_no_update; ";
    const auto result = RawExec(db_file(), drop + sql);
    ASSERT_EQ(result.rc, 0) << result.message;
  }

  // Expects verify to fail naming `reason` at `index` in the tenant log.
  void ExpectVerifyFails(const std::string& reason, int index) const {
    CliRun verify = Run({"audit", "verify"});
    EXPECT_EQ(verify.exit_code, 7) << verify.out << verify.err;
    EXPECT_THAT(verify.out, HasSubstr("log=" + std::string(kTenant) + " status=" + reason +
                                      " first_bad_index=" + std::to_string(index)))
        << verify.out;
    EXPECT_THAT(verify.err, HasSubstr("[KSK-AUDIT-030]"));
    EXPECT_THAT(verify.out, HasSubstr("log=system status=ok"));
  }

  nlohmann::json Show(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"audit", "show", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliRun show = Run(args);
    EXPECT_EQ(show.exit_code, 0) << show.err;
    return nlohmann::json::parse(show.out, nullptr, false);
  }

  static std::vector<std::string> Actions(const nlohmann::json& entries) {
    std::vector<std::string> actions;
    for (const auto& entry : entries) actions.push_back(entry["action"].get<std::string>());
    return actions;
  }

  static TempDir* prepared_;
  TempDir dir_;
};

TempDir* AuditCliTest::prepared_ = nullptr;

TEST_F(AuditCliTest, VerifyPassesOnAnHonestInstallation) {
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("log=999997 status=ok entries=27 checkpoints="));
  EXPECT_THAT(verify.out, HasSubstr("covered=27"));
  EXPECT_THAT(verify.out, HasSubstr("log=system status=ok entries=2"));
  EXPECT_THAT(verify.out, Not(HasSubstr("警告")));
  CliRun one = Run({"audit", "verify", "--tenant", kTenant});
  EXPECT_EQ(one.exit_code, 0) << one.out;
  EXPECT_THAT(one.out, Not(HasSubstr("log=system")));
}

// The README's promise: an auditor verifies a copy of the data directory that they may not
// write — as another user than its owner when the test runs as root (who may write anything),
// every file and directory read-only. Nothing is created or changed in the copy.
TEST_F(AuditCliTest, VerifyWorksOnACopyTheAuditorCannotWrite) {
  namespace fs = std::filesystem;
  const TempDir copy;
  CopyTree(dir_.path(), copy.path());
  fs::permissions(copy.path(), fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
  constexpr fs::perms kReadOnlyDir = fs::perms::owner_read | fs::perms::owner_exec |
                                     fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec;
  constexpr fs::perms kReadOnlyFile =
      fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
  std::vector<fs::path> dirs;
  for (const auto& item : fs::recursive_directory_iterator(copy.path())) {
    if (item.is_directory()) {
      dirs.push_back(item.path());
    } else {
      fs::permissions(item.path(), kReadOnlyFile);
    }
  }
  for (const fs::path& dir : dirs) fs::permissions(dir, kReadOnlyDir);
  const auto before = ReadAllFiles(copy.path());

  const std::map<std::string, std::string> env = {
      {"KOSEKI_DATA", (copy.path() / "data").string()},
      {"KOSEKI_KEY_FILE", (copy.path() / "keys" / "master.key").string()}};
  CliRun verify;
  if (::geteuid() == 0) {
    // nobody (65534): neither owner nor in the owner's group.
    verify = RunProgram("/usr/bin/setpriv",
                        {"--reuid=65534", "--regid=65534", "--clear-groups",
                         KosekiBinary().string(), "audit", "verify"},
                        env);
  } else {
    verify = RunKoseki({"audit", "verify"}, env);
  }
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("state=ok"));
  EXPECT_EQ(ReadAllFiles(copy.path()), before);

  for (const fs::path& dir : dirs) fs::permissions(dir, fs::perms::owner_all);  // for clean-up
}

TEST_F(AuditCliTest, TheCliActionsAppearInTheLog) {
  const nlohmann::json system = Show({"--tenant", "system"});
  ASSERT_EQ(system.size(), 2u);
  EXPECT_EQ(system[0]["action"], "cli.init");
  EXPECT_EQ(system[1]["action"], "cli.tenant_add");
  EXPECT_EQ(system[1]["object"], kTenant);
  EXPECT_EQ(system[1]["outcome"], "ok");
  EXPECT_THAT(system[0]["actor"]["user"].get<std::string>(), HasSubstr("uid:"));

  const nlohmann::json tenant = Show({"--tenant", kTenant});
  ASSERT_EQ(tenant.size(), static_cast<std::size_t>(kTenantEntries)) << tenant.dump();
  EXPECT_EQ(tenant[0]["action"], "admin.device_ca");
  EXPECT_EQ(tenant[1]["action"], "register.create");
  EXPECT_EQ(tenant[2]["action"], "cli.import");
  EXPECT_EQ(tenant[2]["context"], "registers:1");
  EXPECT_EQ(tenant[23]["action"], "cli.gen");
  EXPECT_EQ(tenant[23]["context"], "seed:7");
  EXPECT_EQ(tenant[24]["action"], "admin.user_add");
  EXPECT_EQ(tenant[24]["object"], "clerk-1");
  const nlohmann::json& cert = tenant[kFirstCertificate];
  EXPECT_EQ(cert["action"], "cert.issue");
  // The certificate names the register and version it was made from, and its 発行番号; the
  // clerk who issued it from the CLI as the operating-system user; the 交付請求, sealed.
  EXPECT_EQ(cert["object"], tenant[1]["object"].get<std::string>() + ":1");
  EXPECT_EQ(cert["context"], "issue:1");
  EXPECT_EQ(cert["actor"]["user"], "clerk-1");
  EXPECT_EQ(cert["actor"]["device"], system[0]["actor"]["user"]);
  EXPECT_GT(cert["encrypted_detail_bytes"].get<std::size_t>(), 0U);
  EXPECT_EQ(tenant[kFirstCertificate + 1]["context"], "issue:2");
}

TEST_F(AuditCliTest, TheLogHoldsNoPersonalData) {
  CliRun show = Run({"audit", "show", "--tenant", kTenant});
  ASSERT_EQ(show.exit_code, 0);
  for (const char* personal : {"山川", "健一", "桜町", "相続", "川辺"}) {
    EXPECT_THAT(show.out, Not(HasSubstr(personal)));
    EXPECT_THAT(ReadFile(witness()), Not(HasSubstr(personal)));
  }
  // The 交付請求 is in no file of the installation in the clear.
  for (const auto& [path, bytes] : ReadAllFiles(dir_.path())) {
    EXPECT_EQ(bytes.find(kSealedPurpose), std::string::npos) << path.filename();
    EXPECT_EQ(bytes.find(kSealedRequester), std::string::npos) << path.filename();
  }
}

TEST_F(AuditCliTest, ShowFiltersByObjectActorAndTime) {
  const nlohmann::json all = Show({"--tenant", kTenant});
  const std::string register_id = all[1]["object"].get<std::string>();
  const nlohmann::json by_object = Show({"--tenant", kTenant, "--object", register_id});
  ASSERT_EQ(by_object.size(), 1u);
  EXPECT_EQ(by_object[0]["action"], "register.create");
  EXPECT_EQ(Show({"--tenant", kTenant, "--actor", "uid:4242424"}).size(), 0u);
  EXPECT_EQ(Show({"--tenant", kTenant, "--actor", all[0]["actor"]["user"]}).size(), all.size());
  EXPECT_EQ(Show({"--tenant", kTenant, "--to", "2000-01-01"}).size(), 0u);
  EXPECT_EQ(Show({"--tenant", kTenant, "--from", "2000-01-01T00:00:00Z"}).size(), all.size());
  CliRun bad = Run({"audit", "show", "--tenant", kTenant, "--from", "yesterday"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("[KSK-AUDIT-051]"));
}

TEST_F(AuditCliTest, ARefusedCommandIsRecorded) {
  CliRun cert = Run(
      CertArgs("clerk-1", {"--honseki", "青葉県みなと市港町一丁目３番地", "--head", "山川昭夫"}));
  ASSERT_NE(cert.exit_code, 0);
  const nlohmann::json tenant = Show({"--tenant", kTenant});
  ASSERT_EQ(tenant.size(), static_cast<std::size_t>(kTenantEntries + 1));
  EXPECT_EQ(tenant.back()["action"], "cert.issue");
  EXPECT_EQ(tenant.back()["outcome"], "refused");
  EXPECT_EQ(tenant.back()["error_id"], "KSK-APP-010");
  EXPECT_EQ(tenant.back()["object"], "");
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(AuditCliTest, AWrongPassphraseIsRecordedInTheSystemLogWithoutTheKey) {
  auto env = Env();
  env["KOSEKI_PASSPHRASE"] = "wrong passphrase!";
  CliRun refused = RunKoseki(kCertArgs, env);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  const nlohmann::json system = Show({"--tenant", "system"});
  ASSERT_EQ(system.size(), 3u);
  EXPECT_EQ(system[2]["action"], "cert.issue");
  EXPECT_EQ(system[2]["outcome"], "refused");
  EXPECT_EQ(system[2]["error_id"], "KSK-CRYPTO-011");
  EXPECT_EQ(system[2]["object"], kTenant);
  // Not yet covered by a checkpoint (no key), but the log is intact; the next command with the
  // key covers it.
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("log=system status=ok entries=3 checkpoints=2 witness=2 "
                                    "covered=2"));
  ASSERT_EQ(Run({"tenant", "add", "--code", "131016", "--name", "試験区"}).exit_code, 0);
  EXPECT_THAT(Run({"audit", "verify"}).out, HasSubstr("log=system status=ok entries=4"));
  EXPECT_THAT(Run({"audit", "verify"}).out, HasSubstr("covered=4"));
}

// --- tampering, each detected with the right reason and index ---

TEST_F(AuditCliTest, AModifiedEntryIsNamed) {
  Tamper(
      "UPDATE audit_entries SET entry = substr(entry, 1, 40) || x'7a' || substr(entry, 42) "
      "WHERE log_id = '999997' AND entry_index = 7");
  ExpectVerifyFails("modified", 7);
}

TEST_F(AuditCliTest, ADeletedEntryIsNamed) {
  Tamper("DELETE FROM audit_entries WHERE log_id = '999997' AND entry_index = 7");
  ExpectVerifyFails("deleted", 7);
}

TEST_F(AuditCliTest, SwappedEntriesAreNamed) {
  Tamper(
      "CREATE TEMP TABLE t AS SELECT * FROM audit_entries WHERE log_id = '999997' AND "
      "entry_index IN (7, 8); "
      "UPDATE audit_entries SET entry = (SELECT entry FROM t WHERE t.entry_index = 15 - "
      "audit_entries.entry_index), leaf_hash = (SELECT leaf_hash FROM t WHERE t.entry_index = "
      "15 - audit_entries.entry_index) WHERE log_id = '999997' AND entry_index IN (7, 8);");
  ExpectVerifyFails("swapped", 7);
}

TEST_F(AuditCliTest, ATruncatedLogIsNamed) {
  Tamper("DELETE FROM audit_entries WHERE log_id = '999997' AND entry_index >= 20");
  ExpectVerifyFails("truncated", 20);
}

TEST_F(AuditCliTest, ATruncatedLogWithItsCheckpointsAndNodesGoneIsARollback) {
  Tamper(
      "DROP TRIGGER audit_nodes_no_delete; "
      "DELETE FROM audit_entries WHERE log_id = '999997' AND entry_index >= 20; "
      "DELETE FROM audit_nodes WHERE log_id = '999997' AND ((node_index + 1) << level) > 20; "
      "DELETE FROM audit_checkpoints WHERE log_id = '999997' AND tree_size > 20;");
  ExpectVerifyFails("rollback", 20);
}

TEST_F(AuditCliTest, ADatabaseRestoredFromAnOlderCopyIsARollback) {
  // The copy is taken after init and tenant add; the newer history lives only in the witness.
  TempDir older;
  std::filesystem::create_directories(older.path() / "keys");
  const auto env = EnvFor(older.path());
  ASSERT_EQ(RunKoseki({"init"}, env).exit_code, 0);
  ASSERT_EQ(RunKoseki({"tenant", "add", "--code", kTenant, "--name", kTenantName}, env).exit_code,
            0);
  const auto snapshot = older.path() / "snapshot";
  CopyTree(older.path() / "data", snapshot);
  const auto file = older.path() / "one.jsonl";
  WriteFile(file, domain::ToJson(domain::testing::ExampleRegister()).dump() + "\n");
  ASSERT_EQ(RunKoseki({"import", "--tenant", kTenant, file.string()}, env).exit_code, 0);
  ASSERT_EQ(RunKoseki(UserAddArgs("clerk-1", "clerk", CurrentTrainingUntil()), env).exit_code, 0);
  ASSERT_EQ(RunKoseki(kCertArgs, env).exit_code, 0);
  ASSERT_EQ(RunKoseki({"audit", "verify"}, env).exit_code, 0);

  std::filesystem::remove_all(older.path() / "data");
  CopyTree(snapshot, older.path() / "data");
  CliRun verify = RunKoseki({"audit", "verify"}, env);
  EXPECT_EQ(verify.exit_code, 7) << verify.out;
  // The tenant log is back to its device CA's entry in the database, but the witness saw more.
  EXPECT_THAT(verify.out, HasSubstr("log=999997 status=rollback first_bad_index=1"));
  EXPECT_THAT(verify.out, HasSubstr("log=system status=ok"));
}

TEST_F(AuditCliTest, ADatabaseRestoredFromAnOlderCopyOfTheSameLogIsARollback) {
  const auto snapshot = dir_.path() / "snapshot";
  CopyTree(dir_.path() / "data", snapshot);
  ASSERT_EQ(Run(kCertArgs).exit_code, 0);
  ASSERT_EQ(Run(kCertArgs).exit_code, 0);
  std::filesystem::remove_all(dir_.path() / "data");
  CopyTree(snapshot, dir_.path() / "data");
  ExpectVerifyFails("rollback", kTenantEntries);
}

// Tried as an attacker with the data directory: an older copy of the database restored over the
// current one was used by every ordinary command (a certificate issued again from the older
// state, forking the log). Now every keyed open compares the database with the witness first.
TEST_F(AuditCliTest, AnOrdinaryCommandOnARestoredOlderCopyIsRefusedAndChangesNothing) {
  const auto snapshot = dir_.path() / "snapshot";
  CopyTree(dir_.path() / "data", snapshot);
  ASSERT_EQ(Run(kCertArgs).exit_code, 0);
  std::filesystem::remove_all(dir_.path() / "data");
  CopyTree(snapshot, dir_.path() / "data");
  const std::string witnessed = ReadFile(witness());
  CliRun refused = Run(kCertArgs);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-AUDIT-054]"));
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(ReadFile(witness()), witnessed);
  CliRun server_side = Run({"device", "list", "--tenant", kTenant});
  EXPECT_THAT(server_side.err, HasSubstr("[KSK-AUDIT-054]"));
}

// …and with the witness file deleted as well, the next command started a new one, after which
// `audit verify` passed. Now it is refused and no witness is made.
TEST_F(AuditCliTest, AnOrdinaryCommandWithoutTheWitnessIsRefusedAndStartsNone) {
  std::filesystem::remove(witness());
  CliRun refused = Run(kCertArgs);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-AUDIT-055]"));
  EXPECT_FALSE(std::filesystem::exists(witness()));
  CliRun verify = Run({"audit", "verify"});
  EXPECT_NE(verify.exit_code, 0);
}

// The custodian's way out, after `audit verify` has shown the rollback: a new witness that
// starts from the database's checkpoints, the old file kept aside, the reset recorded.
TEST_F(AuditCliTest, TheCustodianStartsANewWitnessAfterARollbackAndItIsRecorded) {
  const auto snapshot = dir_.path() / "snapshot";
  CopyTree(dir_.path() / "data", snapshot);
  ASSERT_EQ(Run(kCertArgs).exit_code, 0);
  std::filesystem::remove_all(dir_.path() / "data");
  CopyTree(snapshot, dir_.path() / "data");
  const std::string old_witness = ReadFile(witness());
  ASSERT_THAT(Run(kCertArgs).err, HasSubstr("[KSK-AUDIT-054]"));

  CliRun reset = Run({"audit", "reset-witness"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  std::vector<std::filesystem::path> kept;
  for (const auto& file : std::filesystem::directory_iterator(witness().parent_path())) {
    if (file.path().filename().string().starts_with("koseki-witness.log.replaced-")) {
      kept.push_back(file.path());
    }
  }
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(ReadFile(kept.front()), old_witness);
  EXPECT_THAT(reset.out, HasSubstr(kept.front().string()));

  EXPECT_EQ(Run(kCertArgs).exit_code, 0);
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  CliRun shown = Run({"audit", "show", "--tenant", "system"});
  EXPECT_THAT(shown.out, HasSubstr("admin.witness_reset"));
}

TEST_F(AuditCliTest, AnAlteredCheckpointInTheDatabaseIsNamed) {
  Tamper(
      "UPDATE audit_checkpoints SET note = replace(note, 'time 2', 'time 1') WHERE log_id = "
      "'999997' AND seq = 2");
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 7);
  // Bad from the end of the last good checkpoint (seq 1, at tenant add: the device CA's entry).
  EXPECT_THAT(verify.out, HasSubstr("log=999997 status=bad-signature first_bad_index=1"));
}

TEST_F(AuditCliTest, ACheckpointForgedWithAnotherKeyIsNamed) {
  // The attacker adds an entry and signs a checkpoint over it with a key of the same name.
  CliRun verify_before = Run({"audit", "verify"});
  ASSERT_EQ(verify_before.exit_code, 0);
  const std::string key_line = ReadFile(keys_file());
  const std::string name = key_line.substr(0, key_line.find('+'));
  auto forger = audit::SigningKey::Generate(name);
  ASSERT_TRUE(forger.has_value());
  const std::string note =
      *audit::SignCheckpoint({name + "/999997", 27, audit::Hash{},
                              std::chrono::sys_seconds(std::chrono::seconds(1795687200))},
                             *forger);
  Tamper(
      "INSERT INTO audit_checkpoints (log_id, seq, tree_size, note, created_at) SELECT "
      "'999997', max(seq) + 1, 27, '" +
      note + "', 0 FROM audit_checkpoints WHERE log_id = '999997'");
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 7);
  EXPECT_THAT(verify.out, HasSubstr("log=999997 status=bad-signature first_bad_index=27"));
}

TEST_F(AuditCliTest, AnAlteredCheckpointInTheWitnessFileIsNamed) {
  std::string content = ReadFile(witness());
  // The last record is the tenant log's checkpoint of size 27; change its root hash.
  const std::size_t at = content.rfind("\n27\n") + 4;
  content[at] = content[at] == 'A' ? 'B' : 'A';
  WriteFile(witness(), content);
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 7);
  EXPECT_THAT(verify.out, HasSubstr("log=999997 status=bad-signature first_bad_index=26"));
}

TEST_F(AuditCliTest, AReplacedVerifierKeyInTheDatabaseIsRefused) {
  const std::string key_line = ReadFile(keys_file());
  const std::string name = key_line.substr(0, key_line.find('+'));
  auto forger = audit::SigningKey::Generate(name);
  ASSERT_TRUE(forger.has_value());
  Tamper("UPDATE installation SET value = '" + forger->verifier().ToString() +
         "' WHERE name = 'audit_verifier_key'");
  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 7);
  EXPECT_THAT(verify.err, HasSubstr("[KSK-AUDIT-049]"));
}

TEST_F(AuditCliTest, AMissingWitnessFileFailsVerification) {
  std::filesystem::remove(witness());
  CliRun verify = Run({"audit", "verify"});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("witness=missing"));
  EXPECT_THAT(verify.err, HasSubstr("[KSK-AUDIT-041]"));
}

// --- inclusion proofs ---

TEST_F(AuditCliTest, AProofChecksOfflineAndAnAlteredOneDoesNot) {
  CliRun proof = Run({"audit", "proof", "--tenant", kTenant, "--index", "25"});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  const auto file = dir_.path() / "proof.txt";
  WriteFile(file, proof.out);

  // Offline: no database, no passphrase; the key from the keys file beside the witness.
  CliRun check =
      RunKoseki({"audit", "check-proof", file.string(), "--witness", witness().string()}, {});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("log=999997 index=25"));
  EXPECT_THAT(check.out, HasSubstr("action=cert.issue"));

  // Or with the key given by hand, the proof on stdin.
  std::string key_line = ReadFile(keys_file());
  key_line.erase(key_line.find('\n'));
  CliRun by_key = RunKoseki({"audit", "check-proof", "--key", key_line}, {}, proof.out);
  EXPECT_EQ(by_key.exit_code, 0) << by_key.err;

  std::string altered = proof.out;
  const std::size_t path = altered.find("path ") + 5;
  altered[path] = altered[path] == 'A' ? 'B' : 'A';
  CliRun bad = RunKoseki({"audit", "check-proof", "--key", key_line}, {}, altered);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("[KSK-AUDIT-045]"));

  std::string other_entry = proof.out;
  other_entry.replace(other_entry.find("index 25"), 8, "index 24");
  CliRun moved = RunKoseki({"audit", "check-proof", "--key", key_line}, {}, other_entry);
  EXPECT_NE(moved.exit_code, 0);
}

TEST_F(AuditCliTest, AProofOfAnEntryOutsideTheLogIsRefused) {
  CliRun proof = Run({"audit", "proof", "--tenant", kTenant, "--index", "99"});
  EXPECT_NE(proof.exit_code, 0);
  EXPECT_THAT(proof.err, HasSubstr("[KSK-AUDIT-043]"));
}

}  // namespace
}  // namespace koseki::testing
