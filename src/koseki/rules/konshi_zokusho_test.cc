// 離婚の際に称していた氏を称する届: さくら, divorced from 青木誠 (rikon_test.cc's scenarios),
// takes 青木 again — alone in her new register (its 氏 changes) or back in her parents'
// register (a new register of her own); the three months; who may not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/rules/testing/family_fixtures.h"

namespace koseki::rules {
namespace {

using testing::Attach;
using testing::Certificate;
using testing::CodesWithFields;
using ::testing::ElementsAre;
using testing::EvaluateWith;
using testing::GoldenDiff;
using ::testing::IsEmpty;
using testing::MakeContext;
using testing::ValidateAll;
using testing::Values;
using testing::With;
using testing::family::AdultWitnesses;
using testing::family::AokiRegister;
using testing::family::MatsuiRegister;

constexpr auto kKonshiZokusho = NotificationType::kKonshiZokusho;

// The 協議離婚 of 青木誠 and さくら on 2026-06-15: the marital register (updates[0]) and
// さくら's new register under 松井 (creations[0]).
ChangeSet KyogiDivorce() {
  const Values kyogi = With({{"husband_ref", "R1:1"},
                             {"wife_ref", "R1:2"},
                             {"kind", "協議"},
                             {"destination", "新戸籍"},
                             {"new_honseki", "青葉県みなと市桜町一丁目９番地"},
                             {"former_uji", "松井"},
                             {"former_uji_furigana", "マツイ"},
                             {"custody_father", "R1:3"},
                             {"custody_mother", "R1:4"}},
                            AdultWitnesses());
  const Evaluation divorce = EvaluateWith(NotificationType::kRikon, kyogi,
                                          MakeContext({Attach(1, AokiRegister())}, "2026-06-15"));
  EXPECT_TRUE(divorce.change_set.has_value());
  return divorce.change_set.value_or(ChangeSet{});
}

// さくら's new register after that divorce (she went back to 松井).
domain::Register AfterKyogiDivorce() { return KyogiDivorce().creations.at(0).value; }

Evaluation File(const domain::Register& reg, const Values& values, std::string_view on) {
  return EvaluateWith(kKonshiZokusho, values, MakeContext({Attach(1, reg)}, on));
}

const Values kAoki = {{"person", "R1:1"}, {"uji", "青木"}, {"uji_furigana", "アオキ"}};

TEST(KonshiZokushoTest, AloneInHerNewRegisterItsSurnameChanges) {
  const Evaluation result = File(AfterKyogiDivorce(), kAoki, "2026-07-01");
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_THAT(cs.creations, IsEmpty());
  // Checked against 戸籍法77条の2 and DOMAIN.md's 氏の変更 (UNVERIFIED): the header reads 青木
  // さくら (アオキ); 戸籍事項 氏の変更【氏変更日】令和８年７月１日【氏変更の事由】戸籍法７７条の２
  // の届出【従前の記録】【氏】松井; さくら's own entries unchanged.
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "konshi_zokusho_after_1.txt"), "");
}

TEST(KonshiZokushoTest, BackInHerParentsRegisterSheGetsANewRegisterUnderTheMarriedSurname) {
  const Values chotei = {{"husband_ref", "R1:1"},   {"wife_ref", "R1:2"},
                         {"kind", "調停"},          {"court_date", "2026-10-01"},
                         {"filer", "妻"},           {"destination", "復籍"},
                         {"return_register", "R2"}, {"custody_mother", "R1:3,R1:4"}};
  const Evaluation divorce = EvaluateWith(
      NotificationType::kRikon, chotei,
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-10-13"));
  ASSERT_TRUE(divorce.change_set.has_value());
  const domain::Register parents = divorce.change_set->updates.at(1).after;
  const std::string sakura = "R1:" + std::to_string(parents.persons.back().seq);

  // Within three months of the 調停 (2026-10-01 → the last day 2026-12-31).
  const Values values =
      With(With(kAoki, "person", sakura), "new_honseki", "青葉県みなと市桜町一丁目９番地");
  const Evaluation result = File(parents, values, "2026-12-28");
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "婚氏続称による新戸籍");
  EXPECT_TRUE(cs.updates[0].after.persons.back().removed);
  // Checked as the 氏の変更 of a person who leaves (UNVERIFIED): in her parents' register
  // 氏の変更【氏変更日】【氏変更の事由】【新本籍】 and ［除　籍］; the new register 青木 (アオキ)
  // with さくら as 筆頭者, her 出生 transcribed and 氏の変更…【従前戸籍】.
  EXPECT_EQ(GoldenDiff(Certificate(cs.creations[0].value), "konshi_zokusho_after_2.txt"), "");
  // Here she has others in the register: without a 新本籍 the entry is incomplete.
  EXPECT_THAT(CodesWithFields(File(parents, With(kAoki, "person", sakura), "2026-12-28").findings),
              ElementsAre("RULE-KONSHI-007@new_honseki"));
}

TEST(KonshiZokushoTest, AfterThreeMonthsOnlyTheCourtCanChangeTheSurname) {
  const domain::Register reg = AfterKyogiDivorce();
  // Divorced on 2026-06-15, the day counted: the last day is Monday 2026-09-14.
  EXPECT_THAT(CodesWithFields(File(reg, kAoki, "2026-09-14").findings), IsEmpty());
  const Evaluation late = File(reg, kAoki, "2026-09-15");
  EXPECT_THAT(CodesWithFields(late.findings), ElementsAre("RULE-KONSHI-004@person"));
}

TEST(KonshiZokushoTest, OnlyWhoWentBackToTheFormerSurnameAndOnlyOnce) {
  const domain::Register reg = AfterKyogiDivorce();
  const domain::Register taken = File(reg, kAoki, "2026-07-01").change_set->updates[0].after;
  EXPECT_THAT(CodesWithFields(File(taken, With(kAoki, "uji", "青山"), "2026-07-02").findings),
              ElementsAre("RULE-KONSHI-003@person"));
  EXPECT_THAT(CodesWithFields(File(reg, With(kAoki, "uji", "松井"), "2026-07-01").findings),
              ElementsAre("RULE-KONSHI-005@uji"));
  EXPECT_THAT(
      CodesWithFields(File(reg, testing::Without(kAoki, "uji_furigana"), "2026-07-01").findings),
      ElementsAre("RULE-KONSHI-006@uji_furigana"));
  // The husband, who kept his 氏, has nothing to take back.
  const domain::Register marital = KyogiDivorce().updates.at(0).after;
  EXPECT_THAT(CodesWithFields(File(marital, With(kAoki, "uji", "松井"), "2026-07-01").findings),
              ElementsAre("RULE-KONSHI-002@person"));
}

TEST(KonshiZokushoTest, AChildTakingTheMothersSurnameAfterItStillNeedsTheCourt) {
  // 美月 (R1:4, 6) stayed in her father's register under 青木; her mother took 青木 again by
  // 77条の2. The 氏 read the same but are different 氏 in law: 母の氏を称する入籍 needs the
  // family court's permission (民法791条1項) all the same.
  const ChangeSet divorce = KyogiDivorce();
  const domain::Register marital = divorce.updates.at(0).after;
  const domain::Register mothers =
      File(divorce.creations.at(0).value, kAoki, "2026-07-01").change_set->updates.at(0).after;
  ASSERT_EQ(mothers.uji, marital.uji);
  const RuleContext context = MakeContext({Attach(1, marital), Attach(2, mothers)}, "2026-08-03");
  const Values nyuseki = {{"child", "R1:4"},
                          {"parent", "R2:1"},
                          {"nyuseki_jiyu", "母の氏を称する入籍"},
                          {"todokedenin", "親権者母"}};
  EXPECT_THAT(CodesWithFields(EvaluateWith(NotificationType::kNyuseki, nyuseki, context).findings),
              ElementsAre("RULE-NYUSEKI-005@permission_date"));
  EXPECT_THAT(CodesWithFields(EvaluateWith(NotificationType::kNyuseki,
                                           With(nyuseki, "permission_date", "2026-07-30"), context)
                                  .findings),
              IsEmpty());
}

}  // namespace
}  // namespace koseki::rules
