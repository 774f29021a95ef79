// 死亡届: the death of 山川健一 of DOMAIN.md §1.5, the death of a register's last member, and
// each validation failing and passing.
#include <gtest/gtest.h>

#include "koseki/domain/register.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/notification_rule.h"
#include "koseki/rules/testing/core_fixtures.h"

namespace koseki::rules {
namespace {

using testing::Attach;
using testing::Certificate;
using testing::CodesWithFields;
using testing::EvaluateWith;
using testing::GoldenDiff;
using testing::MakeContext;
using testing::ValidateAll;
using testing::Values;
using testing::With;
using testing::Without;
using testing::core::ExampleRegisterBeforeDeath;
using testing::core::SoleMemberRegister;

constexpr auto kShibou = NotificationType::kShibou;

// 健一 died on 令和６年１１月２０日 at 15:45; his wife 美咲 filed on 11月22日 (DOMAIN.md §1.5).
Values KenichiDeath() {
  return {{"deceased", "R1:1"},
          {"death_date", "令和６年１１月２０日"},
          {"death_time", "15:45"},
          {"death_place", "青葉県みなと市"},
          {"todokedenin_shikaku", "同居の親族"},
          {"todokedenin_name", "山川美咲"}};
}

// 文子, the only member of her register, died on 令和８年１１月１０日.
Values FumikoDeath() {
  return {{"deceased", "R1:1"},
          {"death_date", "2026-11-10"},
          {"death_time", "6:10"},
          {"death_place", "青葉県みなと市中央町一丁目１番１号"},
          {"todokedenin_shikaku", "同居していない親族"},
          {"todokedenin_name", "石田修一"}};
}

Evaluation RunKenichi(const Values& values, std::string_view received = "2024-11-22",
                      const Values& acks = {}) {
  return EvaluateWith(kShibou, values,
                      MakeContext({Attach(1, ExampleRegisterBeforeDeath())}, received), acks);
}

TEST(ShibouTest, ReproducesTheDeathOfTheHittoshaInTheDomainExample) {
  EXPECT_EQ(GoldenDiff(Certificate(ExampleRegisterBeforeDeath()), "shibou_spouse_before_1.txt"),
            "");
  Evaluation ev = RunKenichi(KenichiDeath());
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  ASSERT_TRUE(ev.change_set);
  const ChangeSet& cs = *ev.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_TRUE(cs.creations.empty());
  EXPECT_TRUE(cs.notices.empty());
  EXPECT_EQ(cs.updates[0].base_version, 11u);

  const domain::Register& after = cs.updates[0].after;
  EXPECT_TRUE(after.persons[0].removed);
  EXPECT_EQ(after.persons[0].removal_kind, "死亡");
  // The deceased keeps 配偶者区分, the widow loses it (domain/marriage_end.h); the register
  // stays current (美咲 and 拓也 remain).
  EXPECT_EQ(after.persons[0].haigusha_kubun, domain::HaigushaKubun::kOtto);
  EXPECT_EQ(after.persons[1].haigusha_kubun, domain::HaigushaKubun::kNone);
  EXPECT_EQ(after.status, domain::RegisterStatus::kGenzai);
  // Exactly the register DOMAIN.md §1.5 prints (the domain module's fixture of it).
  EXPECT_EQ(Certificate(after), Certificate(domain::testing::ExampleRegister()));
  EXPECT_EQ(GoldenDiff(Certificate(after), "shibou_spouse_after_1.txt"), "");
}

TEST(ShibouTest, TheDeathOfTheLastMemberClosesTheRegister) {
  const RuleContext context = MakeContext({Attach(1, SoleMemberRegister())}, "2026-11-12");
  EXPECT_EQ(GoldenDiff(Certificate(SoleMemberRegister()), "shibou_last_member_before_1.txt"), "");
  Evaluation ev = EvaluateWith(kShibou, FumikoDeath(), context);
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  ASSERT_TRUE(ev.change_set);
  EXPECT_EQ(ValidateAll(*ev.change_set), "");
  const domain::Register& after = ev.change_set->updates[0].after;
  EXPECT_EQ(after.status, domain::RegisterStatus::kJoseki);
  ASSERT_EQ(after.koseki_jiko.size(), 2u);
  EXPECT_EQ(after.koseki_jiko[1].kind, "戸籍消除");
  // 死亡地 is recorded to the municipality; no spouse, so no 配偶者の死亡.
  EXPECT_EQ(after.persons[0].mibun_jiko.back().TextOf("死亡地"), "青葉県みなと市");
  EXPECT_EQ(GoldenDiff(Certificate(after), "shibou_last_member_after_1.txt"), "");
}

TEST(ShibouTest, ADeathFiledForARegisterElsewhereIsNotified) {
  domain::Register reg = SoleMemberRegister();
  reg.honseki = "東海県南浜市浜町３番地";
  Evaluation ev = EvaluateWith(kShibou, FumikoDeath(), MakeContext({Attach(1, reg)}, "2026-11-12"));
  ASSERT_TRUE(ev.change_set);
  ASSERT_EQ(ev.change_set->notices.size(), 1u);
  EXPECT_EQ(ev.change_set->notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(ev.change_set->notices[0].tenant_code, "999998");
  EXPECT_EQ(ev.change_set->notices[0].reason, "死亡届（死亡者の本籍地）");
}

TEST(ShibouTest, RefusesADeathBeforeBirth) {
  Evaluation ev = RunKenichi(With(KenichiDeath(), "death_date", "1955-05-09"));
  EXPECT_EQ(
      CodesWithFields(ev.findings),
      (std::vector<std::string>{"RULE-SHIBOU-002@death_date", "RULE-DEADLINE-001@death_date"}));
  EXPECT_FALSE(ev.change_set);
  // On the day of birth is possible.
  EXPECT_TRUE(CodesWithFields(RunKenichi(With(KenichiDeath(), "death_date", "1955-05-10")).findings)
                  .size() == 1u);
}

TEST(ShibouTest, RefusesADeathAfterTheFiling) {
  Evaluation ev = RunKenichi(With(KenichiDeath(), "death_date", "2024-11-23"));
  EXPECT_EQ(CodesWithFields(ev.findings), (std::vector<std::string>{"RULE-DATE-001@death_date"}));
  EXPECT_FALSE(ev.change_set);
  EXPECT_TRUE(RunKenichi(With(KenichiDeath(), "death_date", "2024-11-22")).change_set);
}

TEST(ShibouTest, RefusesAPersonAlreadyRemoved) {
  // 真理 (R1:3) left by marriage: her death belongs in her present register.
  Evaluation ev = RunKenichi(With(KenichiDeath(), "deceased", "R1:3"));
  EXPECT_EQ(CodesWithFields(ev.findings), (std::vector<std::string>{"RULE-SHIBOU-001@deceased"}));
  EXPECT_FALSE(ev.change_set);
  // 健一 after his death was recorded.
  Evaluation twice =
      EvaluateWith(kShibou, KenichiDeath(),
                   MakeContext({Attach(1, domain::testing::ExampleRegister())}, "2024-11-22"));
  EXPECT_EQ(CodesWithFields(twice.findings),
            (std::vector<std::string>{"RULE-SHIBOU-001@deceased"}));
}

TEST(ShibouTest, WarnsAfterSevenDaysExtendedOverTheYearEnd) {
  // Died Tuesday 2025-12-23: the 7th day is Monday 12/29 (closed until 1/3, 1/4 is a Sunday),
  // so Monday 2026-01-05 is still on time.
  const Values values = With(KenichiDeath(), "death_date", "2025-12-23");
  EXPECT_TRUE(RunKenichi(values, "2026-01-05").findings.empty());
  Evaluation late = RunKenichi(values, "2026-01-06");
  EXPECT_EQ(CodesWithFields(late.findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@death_date"}));
  EXPECT_TRUE(late.Blocked());
  EXPECT_TRUE(late.change_set);
  Evaluation acknowledged = RunKenichi(values, "2026-01-06", {{"RULE-DEADLINE-001", "遠方のため"}});
  EXPECT_FALSE(acknowledged.Blocked());
}

TEST(ShibouTest, CountsTheDeadlineFromTheDayTheFilerLearnedOfTheDeath) {
  const Values values = With(KenichiDeath(), "death_date", "2024-11-01");
  EXPECT_EQ(CodesWithFields(RunKenichi(values).findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@death_date"}));
  EXPECT_TRUE(RunKenichi(With(values, "known_on", "2024-11-18")).findings.empty());
  EXPECT_EQ(CodesWithFields(RunKenichi(With(values, "known_on", "2024-10-31")).findings),
            (std::vector<std::string>{"RULE-SHIBOU-004@known_on"}));
  EXPECT_EQ(CodesWithFields(RunKenichi(With(values, "known_on", "2024-11-23")).findings),
            (std::vector<std::string>{"RULE-DATE-001@known_on"}));
}

TEST(ShibouTest, GivesThreeMonthsForADeathAbroad) {
  Values values = With(With(KenichiDeath(), "death_date", "2024-08-23"), "died_abroad", "はい");
  values = With(values, "death_place", "アメリカ合衆国ハワイ州ホノルル市");
  Evaluation ev = RunKenichi(values);
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  EXPECT_EQ(ev.change_set->updates[0].after.persons[0].mibun_jiko.back().TextOf("死亡地"),
            "アメリカ合衆国ハワイ州ホノルル市");
  EXPECT_EQ(CodesWithFields(RunKenichi(With(values, "death_date", "2024-08-22")).findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@death_date"}));
}

TEST(ShibouTest, RecordsAnEstimatedTimeAsWritten) {
  Evaluation ev =
      RunKenichi(With(Without(KenichiDeath(), "death_time"), "death_time_text", "推定午後３時"));
  ASSERT_TRUE(ev.change_set);
  EXPECT_EQ(ValidateAll(*ev.change_set), "");
  EXPECT_EQ(ev.change_set->updates[0].after.persons[0].mibun_jiko.back().TextOf("死亡時分"),
            "推定午後３時");
  EXPECT_EQ(
      CodesWithFields(RunKenichi(With(KenichiDeath(), "death_time_text", "推定午後３時")).findings),
      (std::vector<std::string>{"RULE-SHIBOU-003@death_time_text"}));
  // Without any time, the entry has no 【死亡時分】.
  Evaluation no_time = RunKenichi(Without(KenichiDeath(), "death_time"));
  EXPECT_FALSE(no_time.change_set->updates[0].after.persons[0].mibun_jiko.back().Find("死亡時分"));
}

TEST(ShibouTest, ALandlordFilesADeathFoundLaterWithAnEstimatedTime) {
  // 文子 lived alone; her landlord found her on 11月13日 and filed on 11月19日, inside the seven
  // days counted from the day he learned of it; the doctor could only estimate the time.
  const Values values =
      With(With(With(Without(FumikoDeath(), "death_time"), "death_time_text", "推定午前２時"),
                {{"todokedenin_shikaku", "家主"}, {"todokedenin_name", "大家正男"}}),
           "known_on", "2026-11-13");
  Evaluation ev = EvaluateWith(kShibou, values,
                               MakeContext({Attach(1, SoleMemberRegister())}, "2026-11-19"), {});
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  EXPECT_EQ(ValidateAll(*ev.change_set), "");
  // Checked against DOMAIN.md §1.4a (死亡【死亡日】【死亡時分】【死亡地】【届出日】【届出人】) with
  // the 届出人 written by capacity and name (家主　大家正男) and the estimated time as the doctor
  // wrote it; the register's last member is gone, so it is closed (戸籍消除).
  EXPECT_EQ(GoldenDiff(Certificate(ev.change_set->updates[0].after), "shibou_landlord_after_1.txt"),
            "");
}

TEST(ShibouTest, StopsAtTheFormForAMissingFilerName) {
  Evaluation ev = RunKenichi(Without(KenichiDeath(), "todokedenin_name"));
  EXPECT_EQ(CodesWithFields(ev.findings),
            (std::vector<std::string>{"RULE-FORM-002@todokedenin_name"}));
  EXPECT_FALSE(ev.change_set);
}

}  // namespace
}  // namespace koseki::rules
