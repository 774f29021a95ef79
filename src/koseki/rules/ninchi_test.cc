// 認知届 (任意認知): golden certificates before/after with the father's register attached, and
// with a father whose 本籍 is in another (hosted) municipality; each validation failing and
// passing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/misc_fixtures.h"

namespace koseki::rules {
namespace {

using domain::testing::Day;
using testing::Attach;
using testing::Certificate;
using testing::Codes;
using ::testing::ElementsAre;
using testing::EvaluateWith;
using testing::GoldenDiff;
using ::testing::IsEmpty;
using testing::MakeContext;
using testing::ScenarioGoldenDiff;
using testing::ValidateAll;
using testing::Values;
using testing::misc::MoriRegister;
using testing::misc::TakahashiParentsRegister;

constexpr auto kNinchi = NotificationType::kNinchi;

RuleContext AttachedFatherContext(domain::Register mori = MoriRegister(false)) {
  return MakeContext({Attach(1, std::move(mori)), Attach(2, TakahashiParentsRegister(false))});
}

Values ExternalFather(std::string birth = "1988-11-30") {
  return {{"child", "R1:2"},
          {"father_name", "高橋悠斗"},
          {"father_birth_date", std::move(birth)},
          {"father_honseki", "東海県南浜市港町１番地"},
          {"father_hittosha", "高橋悠斗"}};
}

TEST(NinchiTest, FatherWithAttachedRegisterAcknowledgesTheChild) {
  const RuleContext context = AttachedFatherContext();

  const Evaluation result = EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}}, context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_THAT(cs.creations, IsEmpty());
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Person& child = cs.updates[0].after.persons[1];
  EXPECT_EQ(child.father, "高橋悠斗");
  EXPECT_EQ(child.zokugara, "長女");  // not recomputed
  EXPECT_FALSE(child.removed);
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "ninchi_attached"), "");
}

TEST(NinchiTest, FatherRegisteredElsewhereGetsANotice) {
  const RuleContext context = MakeContext({Attach(1, MoriRegister(false))});

  const Evaluation result = EvaluateWith(kNinchi, ExternalFather(), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.notices[0].reason, "認知届（父の本籍地）");
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "ninchi_elsewhere_after_1.txt"), "");
}

TEST(NinchiTest, FatherRegisteredHereMustBeAttached) {
  Values entry = ExternalFather();
  entry[3].second = "青葉県みなと市緑町五丁目３番地";
  const Evaluation result =
      EvaluateWith(kNinchi, entry, MakeContext({Attach(1, MoriRegister(false))}));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-NINCHI-012"));
}

TEST(NinchiTest, FatherMustBeAttachedOrFullyWritten) {
  const RuleContext context = MakeContext({Attach(1, MoriRegister(false))});
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, {{"child", "R1:2"}}, context)),
              ElementsAre("RULE-NINCHI-001"));
  EXPECT_THAT(
      Codes(EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father_name", "高橋悠斗"}}, context)),
      ElementsAre("RULE-NINCHI-001"));
}

TEST(NinchiTest, AttachedFatherAndWrittenFatherTogetherAreRefused) {
  const Evaluation result =
      EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}, {"father_name", "高橋悠斗"}},
                   AttachedFatherContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-NINCHI-009"));
}

TEST(NinchiTest, ChildWithAFatherCannotBeAcknowledged) {
  const Evaluation result = EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}},
                                         AttachedFatherContext(MoriRegister(true)));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-NINCHI-003"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(NinchiTest, AdultChildMustConsent) {
  domain::Register mori = MoriRegister(false);
  mori.persons[1].birth_date = Day("2008-11-16");  // 18 on the filing day
  const RuleContext context = AttachedFatherContext(mori);
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}}, context)),
              ElementsAre("RULE-NINCHI-004"));
  EXPECT_THAT(Codes(EvaluateWith(
                  kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}, {"child_consent", "承諾あり"}},
                  context)),
              IsEmpty());
}

TEST(NinchiTest, MinorChildNeedsNoConsent) {
  domain::Register mori = MoriRegister(false);
  mori.persons[1].birth_date = Day("2008-11-17");  // 17 on the filing day
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}},
                                 AttachedFatherContext(mori))),
              IsEmpty());
}

TEST(NinchiTest, FatherYoungerThanTheChildIsRefused) {
  const RuleContext context = MakeContext({Attach(1, MoriRegister(false))});
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, ExternalFather("2016-05-06"), context)),
              ElementsAre("RULE-NINCHI-005"));
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, ExternalFather("2016-05-05"), context)), IsEmpty());
}

TEST(NinchiTest, WomanCannotAcknowledgeAsFather) {
  const Evaluation result =
      EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:2"}}, AttachedFatherContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-NINCHI-006"));
}

TEST(NinchiTest, DeceasedFatherCannotFile) {
  domain::Register takahashi = TakahashiParentsRegister(false);
  takahashi.persons[2].mibun_jiko.push_back(
      domain::MakeEvent("死亡", {domain::DateField("死亡日", Day("2026-10-01")),
                                 domain::TextField("死亡地", "青葉県みなと市"),
                                 domain::DateField("届出日", Day("2026-10-02")),
                                 domain::TextField("届出人", "親族　高橋隆")}));
  takahashi.persons[2].removed = true;
  takahashi.persons[2].removal_kind = "死亡";
  const RuleContext context =
      MakeContext({Attach(1, MoriRegister(false)), Attach(2, std::move(takahashi))});
  EXPECT_THAT(Codes(EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}}, context)),
              ElementsAre("RULE-NINCHI-007"));
}

TEST(NinchiTest, RemovedChildNeedsItsCurrentRegister) {
  domain::Register mori = MoriRegister(false);
  mori.persons[1].birth_date = Day("2000-01-01");
  mori.persons[1].mibun_jiko.push_back(
      domain::MakeEvent("分籍", {domain::DateField("分籍日", Day("2026-01-01")),
                                 domain::TextField("新本籍", "青葉県みなと市旭町一丁目１番地")}));
  mori.persons[1].removed = true;
  mori.persons[1].removal_kind = "分籍";
  const Evaluation result =
      EvaluateWith(kNinchi, {{"child", "R1:2"}, {"father", "R2:3"}, {"child_consent", "承諾あり"}},
                   AttachedFatherContext(mori));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-NINCHI-002"));
}

}  // namespace
}  // namespace koseki::rules
