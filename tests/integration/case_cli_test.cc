// `koseki case …` end to end through the real binary: a 死亡届 of the DOMAIN.md §1.5 family
// from receipt to approval, the certificate after it, and the audit trail that verifies. Every
// command acts as an enrolled user (`koseki user add`) whose record gives the role: a disabled,
// unknown or untrained user is refused, and the refusal is audited.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "koseki/domain/register_json.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/rules/testing/family_fixtures.h"
#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";

class CaseCliTest : public CliFixture {
 protected:
  void SetUp() override {
    InitWithTenant();
    std::ofstream(work() / "family.jsonl")
        << domain::ToJson(rules::testing::core::ExampleRegisterBeforeDeath()).dump() << "\n";
    ASSERT_EQ(Run({"import", "--tenant", kTenant, (work() / "family.jsonl").string()}).exit_code,
              0);
    // Filed long after the death: the 失期 warning is acknowledged with a reason.
    std::ofstream(work() / "death.json") << R"({"type": "shibou", "values": {
        "deceased": "R1:1", "death_date": "令和６年１１月２０日", "death_time": "15:45",
        "death_place": "青葉県みなと市", "todokedenin_shikaku": "同居の親族",
        "todokedenin_name": "山川美咲"},
      "acknowledgements": {"RULE-DEADLINE-001": "届出人の入院のため"}})";
    // Who takes every case as far as submission; each test enrols the others it needs.
    AddUser("clerk-1", "clerk");
    AddUser("sup-1", "supervisor");
    AddUser("op-1", "operator");
  }

  CliRun Case(const std::string& sub, const std::string& user,
              std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"case", sub, "--tenant", kTenant, "--user", user};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  // Changes the role of an enrolled user (`koseki user set`).
  void SetRole(const std::string& login, const std::string& role) {
    CliRun set = Run({"user", "set", "--tenant", kTenant, "--login", login, "--role", role});
    ASSERT_EQ(set.exit_code, 0) << set.err;
  }

  // The tenant's audit log as JSON.
  nlohmann::json AuditLog() {
    CliRun log = Run({"audit", "show", "--tenant", kTenant, "--json"});
    EXPECT_EQ(log.exit_code, 0) << log.err;
    return nlohmann::json::parse(log.out, nullptr, false);
  }

  // Receives a case (`receive` with `receive_args`), attaches the register of `honseki` and
  // `head` (山川健一's by default) and assigns it to op-1; returns the case id.
  std::string AssignedCase(const std::vector<std::string>& receive_args,
                           const std::string& honseki = kHonseki,
                           const std::string& head = "山川健一") {
    CliRun received = Case("receive", "clerk-1", receive_args);
    EXPECT_EQ(received.exit_code, 0) << received.err;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(received.out, m, std::regex("事件 ([0-9a-f]{32})")));
    const std::string id = m[1];
    EXPECT_EQ(
        Case("attach", "clerk-1", {"--case", id, "--honseki", honseki, "--head", head}).exit_code,
        0);
    EXPECT_EQ(Case("assign", "sup-1", {"--case", id, "--operator", "op-1"}).exit_code, 0);
    return id;
  }

  // Receives, attaches, assigns and submits; returns the case id.
  std::string SubmittedCase() {
    const std::string id = AssignedCase({"--type", "shibou", "--todokedenin", "親族　山川美咲"});
    CliRun submitted = Case("submit", "op-1", {"--case", id, (work() / "death.json").string()});
    EXPECT_EQ(submitted.exit_code, 0) << submitted.err;
    EXPECT_THAT(submitted.out, HasSubstr("状態 入力済"));
    return id;
  }

  // 花子 (of the 川上 register, imported here) marries 大野翔, 筆頭者 in 東海県南浜市, and joins
  // his register; the marriage is approved, so 南浜市 must be told. Returns the case id.
  std::string ApprovedMarriageToMinamihama() {
    AddUser("exa-1", "examiner");
    AddUser("app-1", "approver");
    std::ofstream(work() / "kawakami.jsonl")
        << domain::ToJson(rules::testing::family::KawakamiRegister()).dump() << "\n";
    EXPECT_EQ(Run({"import", "--tenant", kTenant, (work() / "kawakami.jsonl").string()}).exit_code,
              0);
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [key, value] : rules::testing::With(
             rules::testing::With(
                 rules::testing::family::AdultWitnesses(),
                 rules::testing::family::ExternalHusband("東海県南浜市浜町１２番地", "大野翔")),
             {{"wife_ref", "R1:3"}, {"uji", "夫の氏"}})) {
      values[key] = value;
    }
    std::ofstream(work() / "konin.json") << nlohmann::json{{"type", "konin"}, {"values", values}};
    const std::string id =
        AssignedCase({"--type", "konin"}, "青葉県みなと市港町三丁目７番地", "川上正一");
    CliRun submitted = Case("submit", "op-1", {"--case", id, (work() / "konin.json").string()});
    EXPECT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    ExamineAndApprove(id);
    return id;
  }

  // exa-1 examines and app-1 approves case `id`; each step must succeed.
  void ExamineAndApprove(const std::string& id) {
    EXPECT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
    CliRun approved = Case("approve", "app-1", {"--case", id});
    EXPECT_EQ(approved.exit_code, 0) << approved.err;
  }
};

TEST_F(CaseCliTest, ADeathNotificationGoesFromReceiptToApproval) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  const std::string id = SubmittedCase();
  CliRun review = Case("review", "exa-1", {"--case", id});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("+ 　死　　亡　　　【死亡日】令和６年１１月２０日"));
  EXPECT_THAT(review.out, HasSubstr("警告 [RULE-DEADLINE-001]"));
  ASSERT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
  CliRun approved = Case("approve", "app-1", {"--case", id});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_THAT(approved.out, HasSubstr("状態 決裁"));
  EXPECT_THAT(approved.out, HasSubstr("版2 を記録しました"));

  CliRun cert = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("【死亡時分】午後３時４５分"));
  EXPECT_THAT(cert.out, HasSubstr("［除　籍］"));

  // Nothing was overwritten: version 1 still prints without the death.
  CliRun first =
      Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一", "--version", "1"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, ::testing::Not(HasSubstr("【死亡時分】")));
  EXPECT_THAT(first.out, HasSubstr("【名】健一"));
  EXPECT_THAT(
      Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一", "--version", "3"})).err,
      HasSubstr("[KSK-STORE-012]"));

  CliRun verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(CaseCliTest, AReceiptCarriesItsOwnTimeAndAForwardingItsOffice) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  const std::vector<std::string> night_desk = {"--type", "shibou", "--received-at",
                                               "2024-11-22 18:05"};
  // The tenant was added today: nothing can have been received here before.
  CliRun early = Case("receive", "clerk-1", night_desk);
  EXPECT_NE(early.exit_code, 0);
  EXPECT_THAT(early.err, HasSubstr("[KSK-CASE-050]"));
  ASSERT_EQ(
      Run({"tenant", "set", "--code", kTenant, "--first-receipt-day", "2024-04-01"}).exit_code, 0);
  CliRun received = Case("receive", "clerk-1", night_desk);
  ASSERT_EQ(received.exit_code, 0) << received.err;
  EXPECT_THAT(received.out, HasSubstr("受付番号 2024-000001"));
  EXPECT_THAT(received.out, HasSubstr("受付日時 2024-11-22 18:05"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(received.out, m, std::regex("事件 ([0-9a-f]{32})")));
  const std::string id = m[1];

  // The clerk finds it was a 送付: accepted in 南浜市 the day before.
  CliRun bad = Case("receipt", "clerk-1", {"--case", id, "--received-at", "2024/11/22 18:05"});
  EXPECT_THAT(bad.err, HasSubstr("[KSK-CASE-048]"));
  EXPECT_EQ(AuditLog().back()["error_id"], "KSK-CASE-048");
  CliRun corrected = Case("receipt", "clerk-1",
                          {"--case", id, "--received-at", "2024-11-22 18:05", "--sofu-from",
                           "東海県南浜市", "--accepted-on", "2024-11-21"});
  ASSERT_EQ(corrected.exit_code, 0) << corrected.err;
  CliRun shown = Case("show", "clerk-1", {"--case", id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const nlohmann::json receipt = nlohmann::json::parse(shown.out)["receipt"];
  EXPECT_EQ(receipt["forwarded"]["accepted_by"], "東海県南浜市長");
  EXPECT_EQ(receipt["forwarded"]["accepted_on"], "2024-11-21");

  ASSERT_EQ(Case("attach", "clerk-1", {"--case", id, "--honseki", kHonseki, "--head", "山川健一"})
                .exit_code,
            0);
  ASSERT_EQ(Case("assign", "sup-1", {"--case", id, "--operator", "op-1"}).exit_code, 0);
  ASSERT_EQ(Case("submit", "op-1", {"--case", id, (work() / "death.json").string()}).exit_code, 0);
  // Entered: the 届出日 may no longer change.
  EXPECT_THAT(Case("receipt", "clerk-1", {"--case", id, "--received-at", "2024-11-22 18:00"}).err,
              HasSubstr("[KSK-CASE-002]"));
  ASSERT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
  ASSERT_EQ(Case("approve", "app-1", {"--case", id}).exit_code, 0);
  CliRun cert = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("【届出日】令和６年１１月２１日"));
  EXPECT_THAT(cert.out, HasSubstr("【送付を受けた日】令和６年１１月２２日"));
  EXPECT_THAT(cert.out, HasSubstr("【受理者】東海県南浜市長"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, TheApprovalOfAMarriageDeliversItsNoticeToAHostedMunicipality) {
  // 南浜市 is hosted on this server too, receiving from today.
  ASSERT_EQ(Run({"tenant", "add", "--code", "131016", "--name", "東海県南浜市"}).exit_code, 0);
  const std::string id = ApprovedMarriageToMinamihama();

  const auto Sofu = [&](const std::string& sub, const std::string& user,
                        std::vector<std::string> extra) {
    std::vector<std::string> args{"sofu", sub, "--tenant", kTenant, "--user", user};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  };
  // The approval delivered it: nothing is pending, and it cannot be sent a second time.
  EXPECT_EQ(Sofu("list", "clerk-1", {"--state", "pending"}).out, "");
  CliRun sent = Sofu("list", "clerk-1", {"--state", "sent"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr(id + ".1 "));
  EXPECT_THAT(sent.out, HasSubstr("東海県南浜市（テナント 131016）"));
  EXPECT_THAT(sent.out, HasSubstr("本サーバ内送付 事件 "));
  EXPECT_THAT(Sofu("list", "op-1", {}).err, HasSubstr("[KSK-SOFU-001]"));
  EXPECT_THAT(
      Sofu("sent", "clerk-1", {"--notice", id + ".1", "--on", "2026-01-05", "--means", "郵送"}).err,
      HasSubstr("[KSK-SOFU-005]"));
  EXPECT_THAT(Sofu("deliver", "clerk-1", {"--notice", id + ".1"}).exit_code, ::testing::Ne(0));
  CliRun there = Run({"audit", "show", "--tenant", "131016", "--json"});
  ASSERT_EQ(there.exit_code, 0) << there.err;
  int receipts = 0;
  for (const nlohmann::json& entry : nlohmann::json::parse(there.out)) {
    if (entry["action"] != "case.receive") continue;
    ++receipts;
    EXPECT_EQ(entry["actor"]["user"], "999997:app-1");
    EXPECT_EQ(entry["outcome"], "ok");
  }
  EXPECT_EQ(receipts, 1);
  std::vector<std::string> here;
  for (const nlohmann::json& entry : AuditLog()) {
    const std::string action = entry["action"];
    if (action.starts_with("sofu.") || action == "case.approve")
      here.push_back(action + " " + entry["outcome"].get<std::string>());
  }
  EXPECT_THAT(here,
              ::testing::ElementsAre("sofu.deliver ok", "case.approve ok", "sofu.list ok",
                                     "sofu.list ok", "sofu.list refused", "sofu.sent refused"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, AMunicipalityNotYetReceivingHereGetsItsNoticeByPost) {
  // 南浜市 is set up on this server but receives only from next year: the approval goes
  // through, and its notice waits to be posted like any other.
  ASSERT_EQ(Run({"tenant", "add", "--code", "131016", "--name", "東海県南浜市"}).exit_code, 0);
  ASSERT_EQ(
      Run({"tenant", "set", "--code", "131016", "--first-receipt-day", "2099-04-01"}).exit_code, 0);
  const std::string id = ApprovedMarriageToMinamihama();
  CliRun pending =
      Run({"sofu", "list", "--tenant", kTenant, "--user", "clerk-1", "--state", "pending"});
  ASSERT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_THAT(pending.out, HasSubstr(id + ".1 "));
  EXPECT_THAT(pending.out, HasSubstr("東海県南浜市"));
  EXPECT_THAT(pending.out, ::testing::Not(HasSubstr("テナント 131016")));
  CliRun there = Run({"audit", "show", "--tenant", "131016", "--json"});
  ASSERT_EQ(there.exit_code, 0) << there.err;
  for (const nlohmann::json& entry : nlohmann::json::parse(there.out)) {
    EXPECT_NE(entry["action"], "case.receive") << entry.dump();
  }
}

TEST_F(CaseCliTest, AHouseholdFilesItsReadingsAndTheRestAreRecordedExOfficio) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  // Filed in the one-year window, in July 2025: the 筆頭者 gives the 氏 and his own 名.
  ASSERT_EQ(
      Run({"tenant", "set", "--code", kTenant, "--first-receipt-day", "2025-05-26"}).exit_code, 0);
  const std::string id = AssignedCase({"--type", "furigana", "--received-at", "2025-07-01 10:00"});
  std::ofstream(work() / "furigana.json") << R"({"type": "furigana", "values": {
      "register": "R1", "uji_furigana": "ヤマカワ", "uji_filer": "R1:1",
      "mei_furigana.1": "ケンイチ", "mei_filer.1": "本人"}})";
  CliRun submitted = Case("submit", "op-1", {"--case", id, (work() / "furigana.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ASSERT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
  ASSERT_EQ(Case("approve", "app-1", {"--case", id}).exit_code, 0);

  // From 2026-05-26 the approver records the notified readings of everyone who did not file.
  std::ofstream(work() / "notified.jsonl")
      << R"({"honseki": "青葉県みなと市桜町二丁目１５番地", "hittosha": "山川健一", "uji": "ヤマカワ", "mei": {"健一": "ケンイチ", "美咲": "ミサキ"}})"
      << "\n"
      << R"({"honseki": "青葉県みなと市桜町二丁目１５番地", "hittosha": "山川健二"})"
      << "\n";
  const std::vector<std::string> shokken = {"furigana", "shokken", "--tenant",
                                            kTenant,    "--on",    "2026-05-26"};
  const auto Shokken = [&](const std::string& user) {
    std::vector<std::string> args = shokken;
    args.insert(args.end(), {"--user", user, (work() / "notified.jsonl").string()});
    return Run(args);
  };
  EXPECT_THAT(Shokken("clerk-1").err, HasSubstr("[KSK-FURIGANA-007]"));
  CliRun recorded = Shokken("app-1");
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("2 行目: [KSK-FURIGANA-008]"));
  EXPECT_THAT(recorded.out,
              HasSubstr("記載した戸籍 1、記載した振り仮名 1、"
                        "記載済みのため記載しなかった振り仮名 2、記載できなかった行 1"));

  CliRun cert = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  EXPECT_THAT(cert.out, HasSubstr("氏の振り仮名　ヤマカワ"));
  EXPECT_THAT(cert.out, HasSubstr("【届出日】令和７年７月１日"));
  EXPECT_THAT(cert.out, HasSubstr("【名の振り仮名】ミサキ"));
  EXPECT_THAT(cert.out, HasSubstr("【記録日】令和８年５月２６日"));
  std::vector<std::string> actions;
  for (const nlohmann::json& entry : AuditLog()) {
    const std::string action = entry["action"];
    if (action.starts_with("furigana."))
      actions.push_back(action + " " + entry["outcome"].get<std::string>());
  }
  EXPECT_THAT(actions,
              ::testing::ElementsAre("furigana.shokken_run refused", "furigana.shokken_run ok",
                                     "furigana.shokken ok", "furigana.shokken refused"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, AfterTheDeathTheWidowEndsTheInLawRelationshipAndReturnsToHerFormerSurname) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  ExamineAndApprove(SubmittedCase());  // 健一's death

  const std::string inzoku = AssignedCase({"--type", "inzoku_shuryo"});
  std::ofstream(work() / "inzoku.json")
      << R"({"type": "inzoku_shuryo", "values": {"survivor": "R1:2"}})";
  CliRun submitted = Case("submit", "op-1", {"--case", inzoku, (work() / "inzoku.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(inzoku);

  const std::string fukuuji = AssignedCase({"--type", "fukuuji"});
  std::ofstream(work() / "fukuuji.json") << R"({"type": "fukuuji", "values": {
      "survivor": "R1:2", "destination": "新戸籍", "new_honseki": "青葉県みなと市緑町一丁目８番地",
      "former_uji": "川村"}})";
  submitted = Case("submit", "op-1", {"--case", fukuuji, (work() / "fukuuji.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(fukuuji);

  CliRun marital = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(marital.exit_code, 0) << marital.err;
  EXPECT_THAT(marital.out, HasSubstr("【死亡配偶者氏名】山川健一"));
  EXPECT_THAT(marital.out, HasSubstr("【新本籍】青葉県みなと市緑町一丁目８番地"));
  CliRun created = Run(
      CertArgs("clerk-1", {"--honseki", "青葉県みなと市緑町一丁目８番地", "--head", "川村美咲"}));
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("【従前戸籍】" + std::string(kHonseki) + "　山川健一"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, ASonMarryingAForeignNationalGetsARegisterOfHisOwn) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  const std::string id = AssignedCase({"--type", "konin"});
  // No 氏 is chosen; her capacity under her own law is confirmed from the 婚姻要件具備証明書.
  std::ofstream(work() / "konin.json") << R"({"type": "konin", "values": {
      "husband_ref": "R1:4", "wife_foreign_name": "ガルシア、マリア",
      "wife_foreign_nationality": "スペイン", "wife_foreign_birth_date": "1990-07-08",
      "new_honseki": "青葉県みなと市緑町一丁目８番地",
      "witness1_name": "山川美咲", "witness1_birth_date": "1958-01-25",
      "witness2_name": "海野大輔", "witness2_birth_date": "1980-02-02"},
    "acknowledgements": {"RULE-KONIN-018": "婚姻要件具備証明書（スペイン）で確認"}})";
  CliRun submitted = Case("submit", "op-1", {"--case", id, (work() / "konin.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(id);
  ASSERT_FALSE(HasFailure());

  CliRun created = Run(
      CertArgs("clerk-1", {"--honseki", "青葉県みなと市緑町一丁目８番地", "--head", "山川拓也"}));
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("【配偶者氏名】ガルシア、マリア"));
  EXPECT_THAT(created.out, HasSubstr("【配偶者の国籍】スペイン"));
  EXPECT_THAT(created.out, HasSubstr("【配偶者の生年月日】西暦１９９０年７月８日"));
  EXPECT_THAT(created.out, HasSubstr("【配偶者区分】夫"));
  EXPECT_THAT(created.out, ::testing::Not(HasSubstr("【称する氏】")));
  CliRun parents = Run(CertArgs("clerk-1", {"--honseki", kHonseki, "--head", "山川健一"}));
  ASSERT_EQ(parents.exit_code, 0) << parents.err;
  EXPECT_THAT(parents.out, HasSubstr("【新本籍】青葉県みなと市緑町一丁目８番地"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, AfterTheDivorceTheWifeKeepsTheMarriedSurname) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  // 健一 and 美咲 divorce by agreement; she goes back to 川村 in a register of her own.
  const std::string rikon = AssignedCase({"--type", "rikon"});
  std::ofstream(work() / "rikon.json") << R"({"type": "rikon", "values": {
      "husband_ref": "R1:1", "wife_ref": "R1:2", "kind": "協議", "destination": "新戸籍",
      "new_honseki": "青葉県みなと市桜町一丁目９番地", "former_uji": "川村",
      "former_uji_furigana": "カワムラ",
      "witness1_name": "佐藤一郎", "witness1_birth_date": "1970-01-15",
      "witness2_name": "高田幸子", "witness2_birth_date": "1975-03-03"}})";
  CliRun submitted = Case("submit", "op-1", {"--case", rikon, (work() / "rikon.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(rikon);

  // The same day she files to keep 山川 (戸籍法77条の2), against her new register.
  const std::string zokusho =
      AssignedCase({"--type", "konshi_zokusho"}, "青葉県みなと市桜町一丁目９番地", "川村美咲");
  std::ofstream(work() / "zokusho.json") << R"({"type": "konshi_zokusho", "values": {
      "person": "R1:1", "uji": "山川", "uji_furigana": "ヤマカワ"}})";
  submitted = Case("submit", "op-1", {"--case", zokusho, (work() / "zokusho.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(zokusho);

  // Her register now bears 山川 with the change in its 戸籍事項 (the 筆頭者's name follows).
  CliRun hers = Run(
      CertArgs("clerk-1", {"--honseki", "青葉県みなと市桜町一丁目９番地", "--head", "山川美咲"}));
  ASSERT_EQ(hers.exit_code, 0) << hers.err;
  EXPECT_THAT(hers.out, HasSubstr("氏　　名　　山川　美咲"));
  EXPECT_THAT(hers.out, HasSubstr("【従前の記録】"));
  EXPECT_THAT(hers.out, HasSubstr("【氏】川村"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, ANaturalizedPersonGetsARegisterWithNoRegisterAttached) {
  AddUser("exa-1", "examiner");
  AddUser("app-1", "approver");
  // Received on 2026-11-10 for a 告示 of 2026-11-02: nothing to attach, the form is everything.
  ASSERT_EQ(
      Run({"tenant", "set", "--code", kTenant, "--first-receipt-day", "2026-11-01"}).exit_code, 0);
  CliRun received =
      Case("receive", "clerk-1", {"--type", "kika", "--received-at", "2026-11-10 10:00"});
  ASSERT_EQ(received.exit_code, 0) << received.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(received.out, m, std::regex("事件 ([0-9a-f]{32})")));
  const std::string id = m[1];
  ASSERT_EQ(Case("assign", "sup-1", {"--case", id, "--operator", "op-1"}).exit_code, 0);
  std::ofstream(work() / "kika.json") << R"({"type": "kika", "values": {
      "uji": "林", "mei": "美玲", "uji_furigana": "ハヤシ", "mei_furigana": "メイリン",
      "sex": "女", "birth_date": "1993-11-30", "birth_place": "中国遼寧省大連市",
      "father_name": "ワン、ウェイ", "mother_name": "チャン、リー", "zokugara": "長女",
      "kika_date": "2026-11-02", "former_nationality": "中国", "former_name": "ワン、メイ",
      "destination": "新戸籍", "new_honseki": "青葉県みなと市緑町二丁目５番地"}})";
  CliRun submitted = Case("submit", "op-1", {"--case", id, (work() / "kika.json").string()});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  ExamineAndApprove(id);
  ASSERT_FALSE(HasFailure());

  CliRun created =
      Run(CertArgs("clerk-1", {"--honseki", "青葉県みなと市緑町二丁目５番地", "--head", "林美玲"}));
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("氏の振り仮名　ハヤシ"));
  EXPECT_THAT(created.out, HasSubstr("【帰化日】令和８年１１月２日"));
  EXPECT_THAT(created.out, HasSubstr("【届出日】令和８年１１月１０日"));
  EXPECT_THAT(created.out, HasSubstr("【従前の氏名】ワン、メイ"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(CaseCliTest, EachActionIsRecordedAsItsUserFromTheOperatingSystemUser) {
  const std::string id = SubmittedCase();
  const nlohmann::json log = AuditLog();
  bool found = false;
  for (const auto& entry : log) {
    if (entry["action"] != "case.submit") continue;
    found = true;
    EXPECT_EQ(entry["actor"]["user"], "op-1");
    EXPECT_EQ(entry["actor"]["device"], "uid:" + std::to_string(::getuid()));
    EXPECT_EQ(entry["object"], id);
  }
  EXPECT_TRUE(found) << log.dump();
}

TEST_F(CaseCliTest, TheRoleFlagIsGone) {
  CliRun flagged = Run({"case", "receive", "--tenant", kTenant, "--user", "clerk-1", "--role",
                        "clerk", "--type", "shibou"});
  EXPECT_EQ(flagged.exit_code, 2);
  EXPECT_THAT(flagged.err, HasSubstr("--role"));
}

TEST_F(CaseCliTest, TheRoleComesFromTheUsersRecord) {
  EXPECT_THAT(Case("receive", "op-1", {"--type", "shibou"}).err, HasSubstr("[KSK-CASE-001]"));
  // Auditors and administrators have commands of their own and no part in cases.
  AddUser("aud-1", "auditor");
  AddUser("adm-1", "admin");
  for (const char* login : {"aud-1", "adm-1"}) {
    CliRun receive = Case("receive", login, {"--type", "shibou"});
    EXPECT_EQ(receive.exit_code, 5);
    EXPECT_THAT(receive.err, HasSubstr("[KSK-CASE-001]")) << login;
    EXPECT_THAT(Case("list", login).err, HasSubstr("[KSK-CASE-045]")) << login;
  }
}

TEST_F(CaseCliTest, AnUnknownOrMalformedLoginIsRefusedAndAudited) {
  CliRun unknown = Case("receive", "clerk-9", {"--type", "shibou"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_THAT(unknown.err, HasSubstr("[KSK-AUTH-021]"));
  const nlohmann::json log = AuditLog();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back()["action"], "cli.user_refused");
  EXPECT_EQ(log.back()["error_id"], "KSK-AUTH-021");
  EXPECT_EQ(log.back()["object"], "clerk-9");

  CliRun malformed = Case("receive", "clerk 1", {"--type", "shibou"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.err, HasSubstr("[KSK-AUTH-001]"));
  EXPECT_EQ(AuditLog().back()["error_id"], "KSK-AUTH-001");
}

TEST_F(CaseCliTest, ADisabledUserIsRefusedAndTheRefusalIsAudited) {
  ASSERT_EQ(Run({"user", "disable", "--tenant", kTenant, "--login", "clerk-1"}).exit_code, 0);
  CliRun refused = Case("receive", "clerk-1", {"--type", "shibou"});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-AUTH-003]"));
  EXPECT_EQ(refused.out, "");

  CliRun show = Run({"audit", "show", "--tenant", kTenant});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("refused cli.user_refused user=clerk-1"));
  EXPECT_THAT(show.out, HasSubstr("object=clerk-1 error=KSK-AUTH-003"));
  // Nothing was received.
  EXPECT_THAT(show.out, ::testing::Not(HasSubstr("case.receive")));

  ASSERT_EQ(Run({"user", "enable", "--tenant", kTenant, "--login", "clerk-1"}).exit_code, 0);
  EXPECT_EQ(Case("receive", "clerk-1", {"--type", "shibou"}).exit_code, 0);
}

TEST_F(CaseCliTest, AUserWhoseTrainingHasLapsedIsRefused) {
  AddUser("clerk-2", "clerk", kLapsedTraining);
  CliRun refused = Case("receive", "clerk-2", {"--type", "shibou"});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-AUTH-006]"));
  const nlohmann::json log = AuditLog();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back()["action"], "cli.user_refused");
  EXPECT_EQ(log.back()["error_id"], "KSK-AUTH-006");
}

// Separation of duties follows the person, not the role they hold today: the operator who
// entered the case, later made an examiner, may not examine it.
TEST_F(CaseCliTest, TheOperatorCannotExamineTheirOwnEntryAndTheRefusalIsAudited) {
  const std::string id = SubmittedCase();
  SetRole("op-1", "examiner");
  CliRun refused = Case("examine", "op-1", {"--case", id});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("[KSK-CASE-005]"));
  CliRun log = Run({"audit", "show", "--tenant", kTenant, "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_THAT(log.out, HasSubstr("KSK-CASE-005"));
}

TEST_F(CaseCliTest, AVendorRoleSeesNoEntryContents) {
  AddUser("exa-1", "examiner");
  const std::string id = SubmittedCase();
  CliRun vendor = Case("show", "sup-1", {"--case", id, "--json"});
  ASSERT_EQ(vendor.exit_code, 0) << vendor.err;
  EXPECT_THAT(vendor.out, ::testing::Not(HasSubstr("山川美咲")));
  CliRun city = Case("show", "exa-1", {"--case", id, "--json"});
  EXPECT_THAT(city.out, HasSubstr("山川美咲"));
  EXPECT_THAT(city.out, HasSubstr(R"("notifier": "親族　山川美咲")"));
}

TEST_F(CaseCliTest, EveryReadIsAuditedAndAnUnassignedOperatorSeesNothing) {
  AddUser("op-2", "operator");
  const std::string id = SubmittedCase();
  CliRun other = Case("show", "op-2", {"--case", id});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_THAT(other.err, HasSubstr("[KSK-CASE-045]"));
  EXPECT_EQ(other.out, "");
  CliRun list = Case("list", "op-2");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr(id)));
  CliRun mine = Case("list", "op-1");
  EXPECT_THAT(mine.out, HasSubstr(id));
  CliRun log = Run({"audit", "show", "--tenant", kTenant, "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_THAT(log.out, HasSubstr("KSK-CASE-045"));
  EXPECT_THAT(log.out, HasSubstr("case.list"));
}

TEST_F(CaseCliTest, DoubleEntryNeedsASecondMatchingEntryBeforeExamination) {
  AddUser("op-2", "operator");
  AddUser("exa-1", "examiner");
  ASSERT_EQ(Run({"tenant", "set", "--code", kTenant, "--double-entry", "on"}).exit_code, 0);
  const std::string id = SubmittedCase();
  EXPECT_THAT(Case("examine", "exa-1", {"--case", id}).err, HasSubstr("[KSK-CASE-010]"));
  ASSERT_EQ(Case("assign", "sup-1", {"--case", id, "--operator", "op-2"}).exit_code, 0);
  EXPECT_THAT(Case("assign", "sup-1", {"--case", id, "--operator", "op-3"}).err,
              HasSubstr("[KSK-CASE-007]"));
  ASSERT_EQ(Case("submit", "op-2", {"--case", id, (work() / "death.json").string()}).exit_code, 0);
  EXPECT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
}

// A user holds one role at a time: the examiner who also approves in a small town is made
// approver after examining.
TEST_F(CaseCliTest, ASmallTownMayLetTheExaminerApprove) {
  AddUser("exa-1", "examiner");
  const std::string id = SubmittedCase();
  ASSERT_EQ(Case("examine", "exa-1", {"--case", id}).exit_code, 0);
  SetRole("exa-1", "approver");
  EXPECT_THAT(Case("approve", "exa-1", {"--case", id}).err, HasSubstr("[KSK-CASE-006]"));
  ASSERT_EQ(Run({"tenant", "set", "--code", kTenant, "--examiner-may-approve", "on"}).exit_code, 0);
  EXPECT_EQ(Case("approve", "exa-1", {"--case", id}).exit_code, 0);
}

TEST_F(CaseCliTest, AReturnedCaseShowsInTheListAndGoesBackToItsOperator) {
  AddUser("exa-1", "examiner");
  AddUser("op-9", "operator");
  const std::string id = SubmittedCase();
  CliRun returned = Case("return", "exa-1", {"--case", id, "--reason", "死亡地の確認"});
  ASSERT_EQ(returned.exit_code, 0) << returned.err;
  CliRun list = Case("list", "clerk-1");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(id));
  EXPECT_THAT(list.out, HasSubstr("死亡届 差戻し"));
  // Only the operator it was assigned to may enter it again.
  EXPECT_THAT(Case("submit", "op-9", {"--case", id, (work() / "death.json").string()}).err,
              HasSubstr("[KSK-CASE-004]"));
  EXPECT_EQ(Case("submit", "op-1", {"--case", id, (work() / "death.json").string()}).exit_code, 0);
  EXPECT_EQ(Case("withdraw", "clerk-1", {"--case", id, "--reason", "届出人の申出"}).exit_code, 0);
  EXPECT_THAT(Case("examine", "exa-1", {"--case", id}).err, HasSubstr("[KSK-CASE-003]"));
}

TEST_F(CaseCliTest, AListPrintsWhereItsNextPageStartsAndThatPageShowsTheRest) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    CliRun received = Case("receive", "clerk-1", {"--type", "shibou"});
    ASSERT_EQ(received.exit_code, 0) << received.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(received.out, m, std::regex("事件 ([0-9a-f]{32})")));
    ids.push_back(m[1]);
  }
  CliRun first = Case("list", "clerk-1", {"--limit", "1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr(ids[1]));  // newest first
  EXPECT_THAT(first.out, ::testing::Not(HasSubstr(ids[0])));
  std::smatch next;
  ASSERT_TRUE(std::regex_search(first.out, next, std::regex("続き: --after (\\S+)")));
  CliRun second = Case("list", "clerk-1", {"--limit", "1", "--after", next[1]});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr(ids[0]));
  EXPECT_THAT(Case("list", "clerk-1", {"--after", "not-a-cursor"}).err,
              HasSubstr("[KSK-CASE-046]"));
  EXPECT_THAT(Case("list", "clerk-1", {"--limit", "501"}).err, HasSubstr("[KSK-CASE-047]"));
}

}  // namespace
// The clerk adds the scanned notification — a three-page CCITT G4 TIFF and a PNG, in that
// order, as one scan — and the assigned operator lists it; an operator not on the case cannot,
// and a file that is no picture adds nothing.
TEST_F(CaseCliTest, TheClerkAddsAScanOfSeveralFilesAndOnlyTheCasesReadersListIt) {
  const std::string id = AssignedCase({"--type", "shibou"});
  const std::string corpus = KOSEKI_SCAN_CORPUS;
  auto scan = [&](const std::string& sub, const std::string& user, std::vector<std::string> extra) {
    std::vector<std::string> args{"case",   "scan", sub,      "--tenant", kTenant,
                                  "--user", user,   "--case", id};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  };
  EXPECT_THAT(scan("add", "clerk-1", {corpus + "/not_an_image.pdf"}).err,
              HasSubstr("[KSK-SCAN-003]"));
  CliRun added = scan("add", "clerk-1", {corpus + "/g4_3pages.tif", corpus + "/gray.png"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("スキャン 1 4ページ clerk-1"));
  EXPECT_THAT(added.out, HasSubstr("  tiff sha256:"));
  EXPECT_THAT(added.out, HasSubstr("  png sha256:"));

  CliRun listed = scan("list", "op-1", {});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, added.out);
  AddUser("op-2", "operator");
  EXPECT_THAT(scan("list", "op-2", {}).err, HasSubstr("[KSK-CASE-043]"));
  EXPECT_THAT(scan("add", "op-1", {corpus + "/gray.png"}).err, HasSubstr("[KSK-CASE-001]"));

  std::vector<std::string> outcomes;
  for (const nlohmann::json& entry : AuditLog()) {
    const std::string action = entry["action"];
    if (action.starts_with("case.scan")) {
      outcomes.push_back(action + " " + entry["outcome"].get<std::string>());
    }
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"case.scan_add refused", "case.scan_add ok",
                                                "case.scan_list ok", "case.scan_list refused",
                                                "case.scan_add refused"}));
}

}  // namespace koseki::testing
