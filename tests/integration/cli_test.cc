// The `koseki` CLI end to end: installation, tenants, import, certificates, and every error
// the issue names — each a one-line Japanese message with a stable code, a non-zero exit, and
// nothing written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "koseki/base/clock.h"
#include "koseki/domain/certificate.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The error line format: exactly one line, "エラー: [KSK-…] …".
void ExpectOneLineError(const CliRun& run, const std::string& id) {
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("[" + id + "]"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

std::filesystem::path WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

std::string ExampleJsonLine() { return domain::ToJson(domain::testing::ExampleRegister()).dump(); }

constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";

class CliTest : public CliFixture {
 protected:
  // init, tenant add, the example register imported and the clerk who issues certificates.
  void InitWithRegisterAndClerk() {
    InitWithTenant();
    const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
    CliRun import = Run({"import", "--tenant", kTenant, file.string()});
    ASSERT_EQ(import.exit_code, 0) << import.err;
    AddUser("clerk-1", "clerk");
  }

  // The tenant's audit log as JSON.
  nlohmann::json TenantLog() const {
    CliRun show = Run({"audit", "show", "--tenant", kTenant, "--json"});
    EXPECT_EQ(show.exit_code, 0) << show.err;
    return nlohmann::json::parse(show.out, nullptr, false);
  }
};

TEST_F(CliTest, InitCreatesASealedKeyFileOutsideTheDataDirectory) {
  InitWithTenant();
  struct stat info {};
  ASSERT_EQ(::stat(key_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  EXPECT_TRUE(std::filesystem::exists(data_dir() / "koseki.db"));
}

TEST_F(CliTest, InitRefusesAShortPassphrase) {
  std::filesystem::create_directories(key_file().parent_path());
  ExpectOneLineError(RunKoseki({"init"}, Env("short")), "KSK-CRYPTO-010");
  EXPECT_FALSE(std::filesystem::exists(key_file()));
  EXPECT_FALSE(std::filesystem::exists(data_dir() / "koseki.db"));
}

TEST_F(CliTest, InitRefusesAnEmptyPassphrase) {
  std::filesystem::create_directories(key_file().parent_path());
  ExpectOneLineError(RunKoseki({"init"}, Env("")), "KSK-CRYPTO-010");
  EXPECT_FALSE(std::filesystem::exists(key_file()));
}

TEST_F(CliTest, InitRefusesAnExistingInstallation) {
  InitWithTenant();
  auto env = Env();
  env["KOSEKI_KEY_FILE"] = (work() / "keys" / "other.key").string();
  ExpectOneLineError(RunKoseki({"init"}, env), "KSK-APP-002");
  EXPECT_FALSE(std::filesystem::exists(work() / "keys" / "other.key"));
}

TEST_F(CliTest, InitRefusesAKeyFileInsideTheDataDirectory) {
  auto env = Env();
  env["KOSEKI_KEY_FILE"] = (data_dir() / "sub" / ".." / "master.key").string();
  ExpectOneLineError(RunKoseki({"init"}, env), "KSK-CLI-002");
  EXPECT_FALSE(std::filesystem::exists(data_dir()));
}

// Tried as an attacker with the data directory: a key file moved into it after init (where a
// copy of the directory would carry the key along, and the default witness would follow it).
TEST_F(CliTest, AKeyFileMovedIntoTheDataDirectoryAfterInitIsRefusedAtEveryOpen) {
  InitWithTenant();
  const std::filesystem::path moved = data_dir() / "master.key";
  std::filesystem::rename(key_file(), moved);
  auto env = Env();
  env["KOSEKI_KEY_FILE"] = moved.string();
  env["KOSEKI_WITNESS"] = (key_file().parent_path() / "koseki-witness.log").string();
  ExpectOneLineError(RunKoseki({"tenant", "add", "--code", "999989", "--name", "架空村"}, env),
                     "KSK-CLI-002");
  ExpectOneLineError(RunKoseki({"device", "list", "--tenant", kTenant}, env), "KSK-CLI-002");
}

TEST_F(CliTest, FlagsOverrideTheEnvironment) {
  std::filesystem::create_directories(work() / "k2");
  CliRun init = RunKoseki({"init", "--data", (work() / "d2").string(), "--key-file",
                           (work() / "k2" / "m.key").string()},
                          {{"KOSEKI_PASSPHRASE", kPassphrase}});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_TRUE(std::filesystem::exists(work() / "d2" / "koseki.db"));
}

TEST_F(CliTest, MissingLocationIsRefused) {
  ExpectOneLineError(RunKoseki({"init"}, {{"KOSEKI_PASSPHRASE", kPassphrase}}), "KSK-CLI-001");
}

TEST_F(CliTest, TenantAddRefusesAWrongCheckDigit) {
  InitWithTenant();
  ExpectOneLineError(Run({"tenant", "add", "--code", "131017", "--name", "試験区"}),
                     "KSK-TENANT-002");
}

TEST_F(CliTest, TenantAddRefusesADuplicateCode) {
  InitWithTenant();
  ExpectOneLineError(Run({"tenant", "add", "--code", kTenant, "--name", kTenantName}),
                     "KSK-STORE-014");
}

TEST_F(CliTest, AWrongPassphraseIsRefusedAndOnlyTheRefusalIsRecorded) {
  InitWithTenant();
  ExpectOneLineError(RunKoseki({"tenant", "add", "--code", "131016", "--name", "試験区"},
                               Env("wrong passphrase!")),
                     "KSK-CRYPTO-011");
  // The refusal is in the system log (appending needs no key, so even a wrong passphrase is
  // recorded)…
  CliRun show = Run({"audit", "show", "--tenant", "system"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("refused cli.tenant_add"));
  EXPECT_THAT(show.out, HasSubstr("object=131016 error=KSK-CRYPTO-011"));
  // …and nothing else was written: the tenant does not exist.
  EXPECT_EQ(Run({"tenant", "add", "--code", "131016", "--name", "試験区"}).exit_code, 0);
}

TEST_F(CliTest, AMissingKeyFileIsRefused) {
  InitWithTenant();
  std::filesystem::remove(key_file());
  ExpectOneLineError(Run({"tenant", "add", "--code", "131016", "--name", "試験区"}),
                     "KSK-CRYPTO-012");
}

TEST_F(CliTest, AnotherInstallationsKeyFileIsRefused) {
  InitWithTenant();
  auto other = Env();
  other["KOSEKI_DATA"] = (work() / "other-data").string();
  other["KOSEKI_KEY_FILE"] = (work() / "keys" / "other.key").string();
  ASSERT_EQ(RunKoseki({"init"}, other).exit_code, 0);
  auto mixed = Env();
  mixed["KOSEKI_KEY_FILE"] = other["KOSEKI_KEY_FILE"];
  ExpectOneLineError(RunKoseki({"tenant", "add", "--code", "131016", "--name", "試験区"}, mixed),
                     "KSK-STORE-015");
}

TEST_F(CliTest, AnUnknownTenantIsRefused) {
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  ExpectOneLineError(Run({"import", "--tenant", "131016", file.string()}), "KSK-STORE-013");
}

TEST_F(CliTest, ImportThenCertificatePrintsTheRegister) {
  InitWithRegisterAndClerk();

  CliRun named = Run({"tenant", "set", "--code", kTenant, "--mayor-name", "北村　誠"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  CliRun cert = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川　健一"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;

  domain::CertificateOptions options = domain::testing::ExampleCertificateOptions();
  SystemClock clock;
  options.issue_date = *text::JapaneseDate::FromGregorian(JapanDayOf(clock.Now()));
  options.issue_number = 1;
  options.mayor_line = "青葉県みなと市長　　北村　誠";
  auto expected = domain::RenderCertificateText(domain::testing::ExampleRegister(), options);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(cert.out, *expected);
}

// The demo municipality's fictional 職印 (docs/examples/seal.png, a red square seal).
std::string ExampleSeal() {
  std::ifstream in(KOSEKI_EXAMPLE_SEAL, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(CliTest, ACertificatePdfWithTheTenantsSealIsWrittenForItsOwnerOnly) {
  InitWithRegisterAndClerk();
  const auto seal = WriteFile(work() / "seal.png", ExampleSeal());
  CliRun set = Run({"tenant", "set", "--code", kTenant, "--seal", seal.string()});
  ASSERT_EQ(set.exit_code, 0) << set.err;

  const std::string pdf = (work() / "cert.pdf").string();
  CliRun cert =
      Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一", "--pdf", pdf}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("発行番号０００００１"));
  struct stat st {};
  ASSERT_EQ(::stat(pdf.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::stringstream bytes;
  bytes << std::ifstream(pdf, std::ios::binary).rdbuf();
  EXPECT_THAT(bytes.str(), ::testing::StartsWith("%PDF-"));
  EXPECT_THAT(bytes.str(), HasSubstr("/Subtype /Image"));  // the seal
}

TEST_F(CliTest, ASealThatIsNotAPictureIsRefusedAndChangesNothing) {
  InitWithRegisterAndClerk();
  const auto seal = WriteFile(work() / "seal.png", "not a png");
  ExpectOneLineError(Run({"tenant", "set", "--code", kTenant, "--seal", seal.string(),
                          "--mayor-name", "北村　誠"}),
                     "KSK-RENDER-011");
  CliRun cert = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, ::testing::Not(HasSubstr("北村")));
}

TEST_F(CliTest, EachCertificateGetsTheNextIssueNumber) {
  InitWithRegisterAndClerk();
  const std::vector<std::string> args =
      CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"});
  EXPECT_THAT(Run(args).out, HasSubstr("発行番号０００００１"));
  EXPECT_THAT(Run(args).out, HasSubstr("発行番号０００００２"));
}

TEST_F(CliTest, PersonCertificateShowsOnlyThatPerson) {
  InitWithRegisterAndClerk();
  CliRun cert =
      Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一", "--person", "拓也"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("個人事項証明"));
  EXPECT_THAT(cert.out, HasSubstr("【名】拓也"));
  EXPECT_THAT(cert.out, ::testing::Not(HasSubstr("【名】真理")));
}

TEST_F(CliTest, CertificateOfAnUnknownRegisterIsRefused) {
  InitWithTenant();
  AddUser("clerk-1", "clerk");
  ExpectOneLineError(Run(CertArgs("clerk-1", {"--honseki", "青葉県みなと市港町一丁目３番地",
                                              "--head", "山川昭夫"})),
                     "KSK-APP-010");
}

TEST_F(CliTest, CertificateWithoutPurposeOrRequesterIsRefusedAndRecorded) {
  InitWithRegisterAndClerk();
  const std::vector<std::string> where = {"--honseki", kHonseki, "--head", "山川健一"};
  std::vector<std::string> no_purpose = {"cert",    "--tenant",    kTenant,   "--user",
                                         "clerk-1", "--requester", kRequester};
  no_purpose.insert(no_purpose.end(), where.begin(), where.end());
  CliRun refused = Run(no_purpose);
  ExpectOneLineError(refused, "KSK-CERT-002");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");

  std::vector<std::string> no_requester = {"cert",    "--tenant",  kTenant, "--user",
                                           "clerk-1", "--purpose", kPurpose};
  no_requester.insert(no_requester.end(), where.begin(), where.end());
  ExpectOneLineError(Run(no_requester), "KSK-CERT-003");

  const nlohmann::json log = TenantLog();
  ASSERT_GE(log.size(), 2U);
  EXPECT_EQ(log[log.size() - 2]["action"], "cert.issue");
  EXPECT_EQ(log[log.size() - 2]["outcome"], "refused");
  EXPECT_EQ(log[log.size() - 2]["error_id"], "KSK-CERT-002");
  EXPECT_EQ(log.back()["error_id"], "KSK-CERT-003");
  // A refusal draws no 発行番号.
  EXPECT_THAT(Run(CertArgs("clerk-1", where)).out, HasSubstr("発行番号０００００１"));
}

TEST_F(CliTest, CertificateIsIssuedOnlyByAnEnrolledClerk) {
  InitWithRegisterAndClerk();
  AddUser("exa-1", "examiner");
  const std::vector<std::string> where = {"--honseki", kHonseki, "--head", "山川健一"};
  CliRun examiner = Run(CertArgs("exa-1", where));
  ExpectOneLineError(examiner, "KSK-CERT-001");
  EXPECT_EQ(examiner.exit_code, 5);
  CliRun unknown = Run(CertArgs("clerk-9", where));
  ExpectOneLineError(unknown, "KSK-AUTH-021");
  EXPECT_EQ(unknown.exit_code, 3);
  ASSERT_EQ(Run({"user", "disable", "--tenant", kTenant, "--login", "clerk-1"}).exit_code, 0);
  CliRun disabled = Run(CertArgs("clerk-1", where));
  ExpectOneLineError(disabled, "KSK-AUTH-003");
  EXPECT_EQ(disabled.exit_code, 5);
  EXPECT_EQ(TenantLog().back()["action"], "cli.user_refused");
  // --user is required: no certificate as a role typed on the command line.
  std::vector<std::string> nobody = {"cert",   "--tenant",    kTenant,   "--purpose",
                                     kPurpose, "--requester", kRequester};
  nobody.insert(nobody.end(), where.begin(), where.end());
  CliRun anonymous = Run(nobody);
  EXPECT_EQ(anonymous.exit_code, 2);
  EXPECT_THAT(anonymous.err, HasSubstr("--user"));
}

// The 交付請求 is personal data: it is sealed under the tenant key in the cert.issue entry, and
// appears in no database file, witness file, output or error in the clear.
TEST_F(CliTest, TheRequestIsSealedInTheIssueEntryAndNowhereInTheClear) {
  InitWithRegisterAndClerk();
  const std::string purpose = "相続手続のため（架空の請求）";
  const std::string requester = "代理人　川辺架空太郎";
  CliRun cert = Run({"cert", "--tenant", kTenant, "--user", "clerk-1", "--purpose", purpose,
                     "--requester", requester, "--honseki", kHonseki, "--head", "山川健一"});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;

  const nlohmann::json log = TenantLog();
  ASSERT_FALSE(log.empty());
  const nlohmann::json& issue = log.back();
  EXPECT_EQ(issue["action"], "cert.issue");
  EXPECT_EQ(issue["outcome"], "ok");
  EXPECT_EQ(issue["actor"]["user"], "clerk-1");
  EXPECT_GT(issue["encrypted_detail_bytes"].get<std::size_t>(), 0U);

  for (const std::string& secret : {purpose, requester}) {
    for (const auto& [path, bytes] : ReadAllFiles(work())) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << path.filename();
    }
    EXPECT_THAT(cert.out + cert.err, ::testing::Not(HasSubstr(secret)));
  }
  // Too long: refused without echoing it.
  std::string too_long;
  for (int i = 0; i < 67; ++i) too_long += "架空の";
  CliRun refused = Run({"cert", "--tenant", kTenant, "--user", "clerk-1", "--purpose", too_long,
                        "--requester", requester, "--honseki", kHonseki, "--head", "山川健一"});
  ExpectOneLineError(refused, "KSK-CERT-002");
  EXPECT_THAT(refused.err, ::testing::Not(HasSubstr("架空")));
}

// Tried as an attacker: a byte order mark before the first register was skipped silently by
// the JSON parser although the format has none.
TEST_F(CliTest, ImportRefusesAByteOrderMarkAndStoresNothing) {
  InitWithTenant();
  const auto file = WriteFile(work() / "bom.jsonl", "\xEF\xBB\xBF" + ExampleJsonLine() + "\n");
  CliRun import = Run({"import", "--tenant", kTenant, file.string()});
  EXPECT_NE(import.exit_code, 0);
  EXPECT_THAT(import.err, HasSubstr("1行目: [KSK-IMPORT-007]"));
}

// An impossible register: an entry whose date cannot be, given the others.
std::string ImpossibleJsonLine(std::string_view kind, std::string_view tag, std::string_view iso) {
  domain::Register reg = domain::testing::ExampleRegister();
  for (domain::Event& e : reg.persons[0].mibun_jiko) {
    if (e.kind != kind) continue;
    for (domain::Field& f : e.fields) {
      if (f.tag == tag) f.value = domain::testing::Day(iso);
    }
  }
  return domain::ToJson(reg).dump();
}

TEST_F(CliTest, ImportReportsEveryBadLineAndStoresNothing) {
  InitWithTenant();
  const std::string good = ExampleJsonLine();
  const auto file = WriteFile(work() / "bad.jsonl",
                              good + "\n{not json\n" + R"({"format":1})" + "\n" + good + "\n" +
                                  ImpossibleJsonLine("死亡", "死亡日", "1940-01-01") + "\n" +
                                  ImpossibleJsonLine("出生", "届出日", "1940-01-01") + "\n");
  CliRun import = Run({"import", "--tenant", kTenant, file.string()});
  EXPECT_NE(import.exit_code, 0);
  EXPECT_THAT(import.err, HasSubstr("2行目: [KSK-DOMAIN-037]"));
  EXPECT_THAT(import.err, HasSubstr("3行目: [KSK-DOMAIN-"));
  EXPECT_THAT(import.err, HasSubstr("4行目: [KSK-IMPORT-002]"));
  // A death before the birth, a birth reported before it happened: the line and the reason.
  EXPECT_THAT(import.err, HasSubstr("5行目: [KSK-DOMAIN-042]"));
  EXPECT_THAT(import.err, HasSubstr("6行目: [KSK-DOMAIN-043]"));
  // Nothing was stored: the good first line is not there either.
  AddUser("clerk-1", "clerk");
  ExpectOneLineError(Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"})),
                     "KSK-APP-010");
}

TEST_F(CliTest, ImportRefusesARegisterThatIsAlreadyStored) {
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  ASSERT_EQ(Run({"import", "--tenant", kTenant, file.string()}).exit_code, 0);
  CliRun again = Run({"import", "--tenant", kTenant, file.string()});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("1行目: [KSK-IMPORT-003]"));
}

// Import and gen write through a bulk load (a rollback journal instead of the WAL). SQLite can
// leave WAL only while no other connection has the file: beside one, the load says that it
// stays in WAL — which only a bulk load says.
TEST_F(CliTest, ImportAndGenLoadInBulkAndSaySoWhenTheFileIsOpenElsewhere) {
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  {
    auto beside = store::SqliteBackend::Open(data_dir() / "koseki.db");
    ASSERT_TRUE(beside.has_value());
    CliRun import = Run({"import", "--tenant", kTenant, file.string()});
    ASSERT_EQ(import.exit_code, 0) << import.err;
    EXPECT_THAT(import.err, HasSubstr("store.bulk_load_in_wal"));
    CliRun gen = Run({"gen", "--tenant", kTenant, "--registers", "3", "--seed", "7"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    EXPECT_THAT(gen.err, HasSubstr("store.bulk_load_in_wal"));
  }
  CliRun alone = Run({"gen", "--tenant", kTenant, "--registers", "3", "--seed", "8"});
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_THAT(alone.err, ::testing::Not(HasSubstr("store.bulk_load_in_wal")));
}

TEST_F(CliTest, ErrorsNeverEchoPersonalData) {
  InitWithTenant();
  AddUser("clerk-1", "clerk");
  CliRun cert = Run(
      CertArgs("clerk-1", {"--honseki", "青葉県みなと市港町一丁目３番地", "--head", "山川昭夫"}));
  EXPECT_THAT(cert.err, ::testing::Not(HasSubstr("港町")));
  EXPECT_THAT(cert.err, ::testing::Not(HasSubstr("昭夫")));
}

// (本籍, 筆頭者) identifies a register: the same seed again would duplicate every register, so
// the store refuses the whole run (it has no pre-check of its own).
TEST_F(CliTest, GenRefusesRegistersWhoseHonsekiAndHittoshaAreTaken) {
  InitWithTenant();
  ASSERT_EQ(Run({"gen", "--tenant", kTenant, "--registers", "5", "--seed", "7"}).exit_code, 0);

  CliRun again = Run({"gen", "--tenant", kTenant, "--registers", "5", "--seed", "7"});

  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("[KSK-STORE-029]"));
}

TEST_F(CliTest, GenIsDeterministicPerSeed) {
  InitWithTenant();
  const auto m1 = work() / "m1.jsonl";
  const auto m2 = work() / "m2.jsonl";
  ASSERT_EQ(Run({"gen", "--tenant", kTenant, "--registers", "20", "--seed", "7", "--manifest",
                 m1.string()})
                .exit_code,
            0);
  auto other = Env();
  other["KOSEKI_DATA"] = (work() / "data2").string();
  other["KOSEKI_KEY_FILE"] = (work() / "keys" / "k2.key").string();
  ASSERT_EQ(RunKoseki({"init"}, other).exit_code, 0);
  ASSERT_EQ(RunKoseki({"tenant", "add", "--code", kTenant, "--name", kTenantName}, other).exit_code,
            0);
  ASSERT_EQ(RunKoseki({"gen", "--tenant", kTenant, "--registers", "20", "--seed", "7", "--manifest",
                       m2.string()},
                      other)
                .exit_code,
            0);
  std::ifstream a(m1), b(m2);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_FALSE(sa.str().empty());
  EXPECT_EQ(sa.str(), sb.str());
}

}  // namespace
}  // namespace koseki::testing
