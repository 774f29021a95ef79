// 出生届: golden certificates before/after, and each validation failing and passing.
#include <gtest/gtest.h>

#include "koseki/domain/register.h"
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
using testing::core::MoritaParentsRegister;
using testing::core::UminoRegister;

constexpr auto kShussei = NotificationType::kShussei;

// A second son of 海野大輔 and 彩, born 令和８年４月１日 and filed by the father on 4月10日.
Values UminoSecondSon() {
  return {{"child_mei", "律"},
          {"child_mei_furigana", "リツ"},
          {"child_sex", "男"},
          {"chakushutsu", "嫡出子"},
          {"birth_date", "2026-04-01"},
          {"birth_time", "9:05"},
          {"birth_place", "青葉県みなと市港町二丁目１番１号"},
          {"father", "R1:1"},
          {"mother", "R1:2"},
          {"todokedenin_shikaku", "父"}};
}

// さくら (長女, single, in her parents' register) files the birth of her son.
Values MoritaGrandson() {
  return {{"child_mei", "晴"},          {"child_mei_furigana", "ハル"},
          {"child_sex", "男"},          {"chakushutsu", "嫡出でない子"},
          {"birth_date", "2026-11-02"}, {"birth_place", "青葉県みなと市"},
          {"mother", "R1:3"},           {"todokedenin_shikaku", "母"}};
}

Evaluation RunUmino(const Values& values, std::string_view received = "2026-04-10",
                    const Values& acks = {}) {
  return EvaluateWith(kShussei, values, MakeContext({Attach(1, UminoRegister())}, received), acks);
}

// さくら's parents' register (R1), received a week after the birth in MoritaGrandson().
RuleContext MoritaContext() {
  return MakeContext({Attach(1, MoritaParentsRegister())}, "2026-11-09");
}

Evaluation RunMorita(const Values& values) {
  return EvaluateWith(kShussei, values, MoritaContext());
}

TEST(ShusseiTest, AChildOfMarriedParentsEntersTheirRegisterAsSecondSon) {
  EXPECT_EQ(GoldenDiff(Certificate(UminoRegister()), "shussei_chakushutsu_before_1.txt"), "");

  Evaluation ev = RunUmino(UminoSecondSon());
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  ASSERT_TRUE(ev.change_set);
  const ChangeSet& cs = *ev.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_TRUE(cs.creations.empty());
  EXPECT_TRUE(cs.notices.empty());
  EXPECT_EQ(cs.updates[0].ref, "R1");
  EXPECT_EQ(cs.updates[0].register_id, "reg-1");
  EXPECT_EQ(cs.updates[0].base_version, 11u);
  const domain::Person& child = cs.updates[0].after.persons.back();
  EXPECT_EQ(child.seq, 4);
  EXPECT_EQ(child.zokugara, "二男");
  EXPECT_EQ(child.father, "海野大輔");
  EXPECT_EQ(child.mother, "海野彩");
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "shussei_chakushutsu_after_1.txt"), "");
}

TEST(ShusseiTest, AFirstDaughterIsTheEldestDaughterWhateverHerBrothers) {
  Evaluation ev = RunUmino(With(With(UminoSecondSon(), "child_sex", "女"), "child_mei", "結衣"));
  ASSERT_TRUE(ev.change_set);
  EXPECT_EQ(ev.change_set->updates[0].after.persons.back().zokugara, "長女");
}

TEST(ShusseiTest, AnUnmarriedDaughterInHerParentsRegisterGetsANewRegister) {
  const RuleContext context = MoritaContext();
  EXPECT_EQ(GoldenDiff(Certificate(MoritaParentsRegister()), "shussei_article17_before_1.txt"), "");

  Evaluation ev = EvaluateWith(kShussei, MoritaGrandson(), context);
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  ASSERT_TRUE(ev.change_set);
  const ChangeSet& cs = *ev.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_TRUE(cs.notices.empty());
  EXPECT_EQ(cs.creations[0].label, "戸籍法17条による新戸籍（母）");

  const domain::Register& parents = cs.updates[0].after;
  EXPECT_TRUE(parents.persons[2].removed);
  EXPECT_EQ(parents.status, domain::RegisterStatus::kGenzai);

  const domain::Register& created = cs.creations[0].value;
  EXPECT_EQ(created.honseki, "青葉県みなと市東町四丁目２番地");
  EXPECT_EQ(created.hittosha_mei, "さくら");
  ASSERT_EQ(created.persons.size(), 2u);
  EXPECT_EQ(created.persons[1].zokugara, "長男");
  EXPECT_EQ(created.persons[1].father, "");
  EXPECT_EQ(created.persons[1].mother, "森田さくら");

  // Goldens reviewed by hand: in her parents' register さくら's entry names the register made
  // for her under 17条 by 【新本籍】 and its address alone (as 婚姻 and 分籍 name a new
  // register), not by 【入籍戸籍】, which names a register that already exists.
  EXPECT_EQ(GoldenDiff(Certificate(parents), "shussei_article17_after_1.txt"), "");
  EXPECT_EQ(GoldenDiff(Certificate(created), "shussei_article17_after_2.txt"), "");
}

TEST(ShusseiTest, ANewRegisterInAnotherMunicipalityIsNotified) {
  Evaluation ev = RunMorita(With(MoritaGrandson(), "new_honseki", "東海県南浜市浜町１０番地"));
  ASSERT_TRUE(ev.change_set);
  EXPECT_EQ(ev.change_set->creations[0].value.honseki, "東海県南浜市浜町１０番地");
  ASSERT_EQ(ev.change_set->notices.size(), 1u);
  EXPECT_EQ(ev.change_set->notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(ev.change_set->notices[0].tenant_code, "999998");
}

TEST(ShusseiTest, RefusesAChildOutOfWedlockOfAMarriedMother) {
  // 京子 is married to the 筆頭者: her child is presumed his (民法772条).
  Evaluation ev = RunMorita(With(MoritaGrandson(), "mother", "R1:2"));
  EXPECT_EQ(CodesWithFields(ev.findings),
            (std::vector<std::string>{"RULE-SHUSSEI-006@chakushutsu"}));
  EXPECT_FALSE(ev.change_set);
}

TEST(ShusseiTest, RefusesNameCharactersOutsideTheLists) {
  Evaluation latin = RunUmino(With(UminoSecondSon(), "child_mei", "律A"));
  EXPECT_EQ(CodesWithFields(latin.findings), (std::vector<std::string>{"RULE-NAME-001@child_mei"}));
  EXPECT_FALSE(latin.change_set);

  // 叱 (U+53F1) is the popular form; only the official 𠮟 (U+20B9F) is a 常用漢字.
  Evaluation popular = RunUmino(With(UminoSecondSon(), "child_mei", "\u53F1"));
  EXPECT_EQ(CodesWithFields(popular.findings),
            (std::vector<std::string>{"RULE-NAME-001@child_mei"}));
  Evaluation official = RunUmino(With(UminoSecondSon(), "child_mei", "\U00020B9F"));
  EXPECT_TRUE(official.findings.empty());
  EXPECT_TRUE(official.change_set);
}

TEST(ShusseiTest, RefusesAReadingThatIsNotKatakana) {
  Evaluation ev = RunUmino(With(UminoSecondSon(), "child_mei_furigana", "りつ"));
  EXPECT_EQ(CodesWithFields(ev.findings),
            (std::vector<std::string>{"RULE-KANA-001@child_mei_furigana"}));
  EXPECT_FALSE(ev.change_set);
}

TEST(ShusseiTest, RequiresTheReadingFrom2025May26) {
  Evaluation late = RunUmino(Without(UminoSecondSon(), "child_mei_furigana"));
  EXPECT_EQ(CodesWithFields(late.findings),
            (std::vector<std::string>{"RULE-SHUSSEI-001@child_mei_furigana"}));
  // Filed on 2025-05-23 (before the amendment): no reading needed.
  Evaluation early =
      RunUmino(With(Without(UminoSecondSon(), "child_mei_furigana"), "birth_date", "2025-05-20"),
               "2025-05-23");
  EXPECT_TRUE(early.findings.empty());
  ASSERT_TRUE(early.change_set);
  EXPECT_FALSE(early.change_set->updates[0].after.persons.back().mei_furigana);
}

TEST(ShusseiTest, RefusesABirthAfterTheFiling) {
  Evaluation ev = RunUmino(With(UminoSecondSon(), "birth_date", "2026-04-11"));
  EXPECT_EQ(CodesWithFields(ev.findings), (std::vector<std::string>{"RULE-DATE-001@birth_date"}));
  EXPECT_FALSE(ev.change_set);
  EXPECT_TRUE(RunUmino(With(UminoSecondSon(), "birth_date", "2026-04-10")).change_set);
}

TEST(ShusseiTest, ExtendsTheDeadlineOverAWeekend) {
  // Born Sunday 2026-04-05: the 14th day is Saturday 4/18, so Monday 4/20 is on time.
  const Values values = With(UminoSecondSon(), "birth_date", "2026-04-05");
  Evaluation on_time = RunUmino(values, "2026-04-20");
  EXPECT_TRUE(on_time.findings.empty());
  EXPECT_TRUE(on_time.change_set);

  Evaluation late = RunUmino(values, "2026-04-21");
  EXPECT_EQ(CodesWithFields(late.findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@birth_date"}));
  EXPECT_EQ(late.findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(late.Blocked());
  EXPECT_TRUE(late.change_set);  // a warning is not a refusal

  Evaluation acknowledged =
      RunUmino(values, "2026-04-21", {{"RULE-DEADLINE-001", "母子の入院のため"}});
  ASSERT_EQ(acknowledged.findings.size(), 1u);
  EXPECT_TRUE(acknowledged.findings[0].acknowledged);
  EXPECT_FALSE(acknowledged.Blocked());
}

TEST(ShusseiTest, ExtendsTheDeadlineOverASubstituteHoliday) {
  // Born 2025-02-11: the 14th day is Monday 2/24, the 振替休日 of 天皇誕生日 → Tuesday 2/25.
  const Values values = With(UminoSecondSon(), "birth_date", "2025-02-11");
  EXPECT_TRUE(RunUmino(values, "2025-02-25").findings.empty());
  EXPECT_EQ(CodesWithFields(RunUmino(values, "2025-02-26").findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@birth_date"}));
}

TEST(ShusseiTest, GivesThreeMonthsForABirthAbroadAndRecordsNationalityReservation) {
  Values values = With(With(UminoSecondSon(), "birth_date", "2026-01-15"), "born_abroad", "はい");
  values = With(With(values, "birth_place", "アメリカ合衆国ハワイ州ホノルル市"), "kokuseki_ryuho",
                "する");
  Evaluation ev = RunUmino(values, "2026-04-14");
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  const domain::Event& birth = ev.change_set->updates[0].after.persons.back().mibun_jiko[0];
  EXPECT_EQ(birth.TextOf("出生地"), "アメリカ合衆国ハワイ州ホノルル市");
  EXPECT_TRUE(birth.DateOf("国籍留保の届出日"));
  EXPECT_EQ(CodesWithFields(RunUmino(values, "2026-04-15").findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@birth_date"}));
  EXPECT_EQ(CodesWithFields(RunUmino(With(values, "born_abroad", "いいえ"), "2026-04-14").findings),
            (std::vector<std::string>{"RULE-DEADLINE-001@birth_date",
                                      "RULE-SHUSSEI-002@kokuseki_ryuho"}));
}

TEST(ShusseiTest, ABirthAbroadFiledByTheMotherReservesTheChildsNationality) {
  const Values values = With(UminoSecondSon(), {{"birth_date", "2026-01-15"},
                                                {"birth_time", "23:40"},
                                                {"born_abroad", "はい"},
                                                {"birth_place", "アメリカ合衆国ハワイ州ホノルル市"},
                                                {"kokuseki_ryuho", "する"},
                                                {"todokedenin_shikaku", "母"}});
  Evaluation ev = RunUmino(values, "2026-03-30");
  ASSERT_TRUE(ev.findings.empty()) << CodesWithFields(ev.findings)[0];
  EXPECT_EQ(ValidateAll(*ev.change_set), "");
  // Checked against DOMAIN.md §1.4a (出生【出生日】【出生地】【届出日】【届出人】) and the
  // 国籍法12条 reservation filed with the birth: 【国籍留保の届出日】 = the 届出日 (from memory);
  // the 出生地 abroad is written from the country down as on the 出生証明書.
  EXPECT_EQ(GoldenDiff(Certificate(ev.change_set->updates[0].after), "shussei_abroad_after_1.txt"),
            "");
}

TEST(ShusseiTest, RefusesParentsWhoAreNotACoupleInTheRegister) {
  // 湊 (R1:3) is not 彩's husband.
  Evaluation ev = RunUmino(With(UminoSecondSon(), "father", "R1:3"));
  EXPECT_EQ(CodesWithFields(ev.findings).front(), "RULE-SHUSSEI-005@mother");
  EXPECT_FALSE(ev.change_set);
  // A child of unmarried parents has no father on the birth notification.
  Evaluation with_father = RunMorita(With(MoritaGrandson(), "father_name", "高橋悠斗"));
  EXPECT_EQ(CodesWithFields(with_father.findings),
            (std::vector<std::string>{"RULE-SHUSSEI-006@father"}));
}

TEST(ShusseiTest, RefusesAReferenceOutsideTheAttachedRegisters) {
  Evaluation ev = RunUmino(With(UminoSecondSon(), "mother", "R2:2"));
  EXPECT_EQ(CodesWithFields(ev.findings).front(), "RULE-REF-001@mother");
  EXPECT_FALSE(ev.change_set);
}

TEST(ShusseiTest, ChecksTheFiler) {
  Evaluation no_name = RunUmino(With(UminoSecondSon(), "todokedenin_shikaku", "同居者"));
  EXPECT_EQ(CodesWithFields(no_name.findings),
            (std::vector<std::string>{"RULE-SHUSSEI-010@todokedenin_name"}));
  Evaluation named = RunUmino(
      With(With(UminoSecondSon(), "todokedenin_shikaku", "同居者"), "todokedenin_name", "海野隆"));
  ASSERT_TRUE(named.change_set);
  EXPECT_EQ(named.change_set->updates[0].after.persons.back().mibun_jiko[0].TextOf("届出人"),
            "同居者\u3000海野隆");
  Evaluation father_of_unmarried = RunMorita(With(MoritaGrandson(), "todokedenin_shikaku", "父"));
  EXPECT_EQ(CodesWithFields(father_of_unmarried.findings),
            (std::vector<std::string>{"RULE-SHUSSEI-009@todokedenin_shikaku"}));
}

TEST(ShusseiTest, RefusesTheNameOfALivingMemberOfTheRegister) {
  Evaluation ev = RunUmino(With(UminoSecondSon(), "child_mei", "湊"));
  EXPECT_EQ(CodesWithFields(ev.findings), (std::vector<std::string>{"RULE-SHUSSEI-012@child_mei"}));
  EXPECT_FALSE(ev.change_set);
}

TEST(ShusseiTest, StopsAtTheFormWhenRequiredFieldsAreMissing) {
  Evaluation ev = RunUmino(Without(UminoSecondSon(), "child_sex"));
  EXPECT_EQ(CodesWithFields(ev.findings), (std::vector<std::string>{"RULE-FORM-002@child_sex"}));
  EXPECT_FALSE(ev.change_set);
}

// The register after one twin of a multiple birth on 2026-04-01 was entered (`order` of
// `count`), the first son 湊 being there already.
domain::Register WithTwinEntered(std::string_view mei, std::string_view count,
                                 std::string_view order) {
  Evaluation ev = RunUmino(With(
      With(With(UminoSecondSon(), "child_mei", mei), "tatai_count", count), "tatai_order", order));
  EXPECT_TRUE(ev.change_set.has_value()) << CodesWithFields(ev.findings)[0];
  return ev.change_set ? ev.change_set->updates[0].after : UminoRegister();
}

Evaluation RunTwin(const domain::Register& reg, std::string_view count, std::string_view order,
                   const Values& acks = {}) {
  const Values twin =
      With(With(With(With(UminoSecondSon(), "child_mei", "蓮"), "child_mei_furigana", "レン"),
                "tatai_count", count),
           "tatai_order", order);
  return EvaluateWith(kShussei, twin, MakeContext({Attach(1, reg)}, "2026-04-10"), acks);
}

TEST(ShusseiTest, TwinsTakeTheirZokugaraInTheOrderOfBirth) {
  const domain::Register first = WithTwinEntered("律", "2", "1");
  EXPECT_EQ(first.persons.back().zokugara, "二男");
  const Evaluation second = RunTwin(first, "2", "2");
  ASSERT_TRUE(second.findings.empty()) << CodesWithFields(second.findings)[0];
  EXPECT_EQ(second.change_set->updates[0].after.persons.back().zokugara, "三男");
}

TEST(ShusseiTest, ATwinBornFirstButFiledSecondIsNotGivenTheYoungersZokugara) {
  // 蓮's birth (the second-born) was entered first and took 二男: 律, born first, cannot be
  // 三男, and 蓮's 続柄 must be corrected before 律 is entered.
  const domain::Register later_born_first = WithTwinEntered("律", "2", "2");
  EXPECT_EQ(CodesWithFields(RunTwin(later_born_first, "2", "1").findings),
            std::vector<std::string>{"RULE-SHUSSEI-015@tatai_order"});
}

TEST(ShusseiTest, ASameDaySiblingAlreadyRecordedAsksForTheMultipleBirth) {
  const domain::Register first = WithTwinEntered("律", "2", "1");
  const Values untold = With(UminoSecondSon(), "child_mei", "蓮");
  EXPECT_EQ(
      CodesWithFields(
          EvaluateWith(kShussei, untold, MakeContext({Attach(1, first)}, "2026-04-10")).findings),
      std::vector<std::string>{"RULE-SHUSSEI-014@tatai_order"});
  EXPECT_EQ(CodesWithFields(RunUmino(With(UminoSecondSon(), "tatai_count", "2")).findings),
            std::vector<std::string>{"RULE-SHUSSEI-013@tatai_order"});
  EXPECT_EQ(
      CodesWithFields(
          RunUmino(With(With(UminoSecondSon(), "tatai_count", "2"), "tatai_order", "3")).findings),
      std::vector<std::string>{"RULE-SHUSSEI-013@tatai_order"});
  // A daughter born the same day is not his twin in the count of sons.
  const Values sister = With(With(UminoSecondSon(), "child_sex", "女"), "child_mei", "凛");
  EXPECT_TRUE(EvaluateWith(kShussei, sister, MakeContext({Attach(1, first)}, "2026-04-10"))
                  .findings.empty());
}

TEST(ShusseiTest, OfTripletsTheClerkConfirmsWhichWasBornFirst) {
  const domain::Register first = WithTwinEntered("律", "3", "1");
  const Evaluation unconfirmed = RunTwin(first, "3", "2");
  EXPECT_EQ(CodesWithFields(unconfirmed.findings),
            std::vector<std::string>{"RULE-SHUSSEI-016@tatai_order"});
  EXPECT_TRUE(unconfirmed.Blocked());
  const Evaluation confirmed =
      RunTwin(first, "3", "2", {{"RULE-SHUSSEI-016", "出生証明書の出生時分で確認"}});
  EXPECT_FALSE(confirmed.Blocked());
  EXPECT_EQ(confirmed.change_set->updates[0].after.persons.back().zokugara, "三男");
}

}  // namespace
}  // namespace koseki::rules
