// The `koseki` CLI end to end: installation, tenants, import, certificates, and every error
// the issue names — each a one-line Japanese message with a stable code, a non-zero exit, and
// nothing written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "koseki/base/clock.h"
#include "koseki/domain/certificate.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/testing/example_register.h"
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

class CliTest : public CliFixture {};

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
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  CliRun import = Run({"import", "--tenant", kTenant, file.string()});
  ASSERT_EQ(import.exit_code, 0) << import.err;

  CliRun cert = Run({"cert", "--tenant", kTenant, "--honseki", "青葉県みなと市桜町二丁目１５番地",
                     "--head", "山川　健一", "--mayor", "北村　誠"});
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

TEST_F(CliTest, EachCertificateGetsTheNextIssueNumber) {
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  ASSERT_EQ(Run({"import", "--tenant", kTenant, file.string()}).exit_code, 0);
  const std::vector<std::string> args{
      "cert",   "--tenant", kTenant, "--honseki", "青葉県みなと市桜町二丁目１５番地",
      "--head", "山川健一"};
  EXPECT_THAT(Run(args).out, HasSubstr("発行番号０００００１"));
  EXPECT_THAT(Run(args).out, HasSubstr("発行番号０００００２"));
}

TEST_F(CliTest, PersonCertificateShowsOnlyThatPerson) {
  InitWithTenant();
  const auto file = WriteFile(work() / "one.jsonl", ExampleJsonLine() + "\n");
  ASSERT_EQ(Run({"import", "--tenant", kTenant, file.string()}).exit_code, 0);
  CliRun cert = Run({"cert", "--tenant", kTenant, "--honseki", "青葉県みなと市桜町二丁目１５番地",
                     "--head", "山川健一", "--person", "拓也"});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("個人事項証明"));
  EXPECT_THAT(cert.out, HasSubstr("【名】拓也"));
  EXPECT_THAT(cert.out, ::testing::Not(HasSubstr("【名】真理")));
}

TEST_F(CliTest, CertificateOfAnUnknownRegisterIsRefused) {
  InitWithTenant();
  ExpectOneLineError(Run({"cert", "--tenant", kTenant, "--honseki",
                          "青葉県みなと市港町一丁目３番地", "--head", "山川昭夫"}),
                     "KSK-APP-010");
}

TEST_F(CliTest, ImportReportsEveryBadLineAndStoresNothing) {
  InitWithTenant();
  const std::string good = ExampleJsonLine();
  const auto file = WriteFile(work() / "bad.jsonl",
                              good + "\n{not json\n" + R"({"format":1})" + "\n" + good + "\n");
  CliRun import = Run({"import", "--tenant", kTenant, file.string()});
  EXPECT_NE(import.exit_code, 0);
  EXPECT_THAT(import.err, HasSubstr("2行目: [KSK-IMPORT-001]"));
  EXPECT_THAT(import.err, HasSubstr("3行目: [KSK-DOMAIN-"));
  EXPECT_THAT(import.err, HasSubstr("4行目: [KSK-IMPORT-002]"));
  // Nothing was stored: the good first line is not there either.
  ExpectOneLineError(Run({"cert", "--tenant", kTenant, "--honseki",
                          "青葉県みなと市桜町二丁目１５番地", "--head", "山川健一"}),
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

TEST_F(CliTest, ErrorsNeverEchoPersonalData) {
  InitWithTenant();
  CliRun cert = Run({"cert", "--tenant", kTenant, "--honseki", "青葉県みなと市港町一丁目３番地",
                     "--head", "山川昭夫"});
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
