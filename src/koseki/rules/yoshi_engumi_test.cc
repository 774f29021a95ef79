// 養子縁組届 (普通養子): golden certificates before/after for an adult adopted by a couple, a
// child under 15 (代諾, court permission), an adopter who is a child member (戸籍法17条: new
// register first), and a married adoptee who keeps her register (民法810条但書); each
// validation failing and passing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/misc_fixtures.h"

namespace koseki::rules {
namespace {

using domain::testing::Day;
using testing::Attach;
using testing::Codes;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::EvaluateWith;
using ::testing::IsEmpty;
using testing::MakeContext;
using ::testing::Not;
using testing::ScenarioGoldenDiff;
using testing::ValidateAll;
using testing::Values;
using testing::With;
using testing::Without;
using testing::misc::NakamuraRegister;
using testing::misc::OgawaRegister;
using testing::misc::SuzukiRegister;

constexpr auto kEngumi = NotificationType::kYoshiEngumi;

// The 小川 register (R1) and the adoptee's (R2): 中村 (健太, R2:3, adult) or 鈴木 (蓮, R2:3,
// 10 years old).
RuleContext OgawaAnd(domain::Register adoptees_register) {
  return MakeContext({Attach(1, OgawaRegister()), Attach(2, std::move(adoptees_register))});
}

Evaluation Engumi(const Values& values, const RuleContext& context) {
  return EvaluateWith(kEngumi, values, context);
}

// 小川浩・由美 (R1:1, R1:2) adopt 蓮 (R2:3): 代諾 by his parents, the court's permission.
Values CoupleAdoptsRen() {
  return {{"yofu", "R1:1"},
          {"yobo", "R1:2"},
          {"adoptee", "R2:3"},
          {"daidakusha", "親権者父母"},
          {"permission_date", "2026-10-20"}};
}

// 翔太 (R1:3, a child member) adopts 蓮 alone: his own register first (戸籍法17条).
Values ShotaAdoptsRen() {
  return With(Without(CoupleAdoptsRen(), "yobo"),
              {{"yofu", "R1:3"}, {"shin_honseki", "青葉県みなと市若葉町三丁目８番地"}});
}

TEST(YoshiEngumiTest, CoupleAdoptsAnAdultWhoEntersTheirRegister) {
  const RuleContext context = OgawaAnd(NakamuraRegister());

  const Evaluation result =
      Engumi({{"yofu", "R1:1"}, {"yobo", "R1:2"}, {"adoptee", "R2:3"}}, context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_THAT(cs.creations, IsEmpty());
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Person& adoptee = cs.updates[0].after.persons.back();
  EXPECT_EQ(adoptee.seq, 6);
  EXPECT_EQ(adoptee.yofu, "小川浩");
  EXPECT_EQ(adoptee.yobo, "小川由美");
  EXPECT_EQ(adoptee.yo_zokugara, "養子");
  EXPECT_EQ(adoptee.zokugara, "長男");  // the 続柄 to the birth parents stays
  EXPECT_TRUE(cs.updates[1].after.persons[2].removed);
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_engumi_adult"), "");
}

TEST(YoshiEngumiTest, ChildUnderFifteenIsAdoptedWithPermissionAndDaidaku) {
  const RuleContext context = OgawaAnd(SuzukiRegister());

  const Evaluation result = Engumi(CoupleAdoptsRen(), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  EXPECT_EQ(ValidateAll(*result.change_set), "");
  EXPECT_EQ(ScenarioGoldenDiff(context, *result.change_set, "yoshi_engumi_minor"), "");
}

TEST(YoshiEngumiTest, AdopterWhoIsAChildMemberGetsANewRegisterFirst) {
  const RuleContext context = OgawaAnd(SuzukiRegister());

  const Evaluation result = Engumi(ShotaAdoptsRen(), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "戸籍法17条による新戸籍（養子縁組）");
  const domain::Register& created = cs.creations[0].value;
  EXPECT_EQ(created.HittoshaDisplayName(), "小川　翔太");
  ASSERT_EQ(created.persons.size(), 2u);
  EXPECT_EQ(created.persons[1].yofu, "小川翔太");
  EXPECT_EQ(created.persons[1].yobo, "");
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_engumi_sandai"), "");
}

TEST(YoshiEngumiTest, MarriedAdopteeKeepsHerRegister) {
  const RuleContext context = OgawaAnd(NakamuraRegister());

  const Evaluation result =
      Engumi({{"yofu", "R2:1"}, {"yobo", "R2:2"}, {"adoptee", "R1:2"}}, context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  const domain::Person& adoptee = cs.updates[0].after.persons[1];
  EXPECT_FALSE(adoptee.removed);
  EXPECT_EQ(adoptee.yo_zokugara, "養女");
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_engumi_married"), "");
}

TEST(YoshiEngumiTest, AdopterUnderTwentyIsRefused) {
  domain::Register ogawa = OgawaRegister();
  ogawa.persons[2].birth_date = Day("2006-11-17");  // 19 on the filing day
  EXPECT_THAT(
      Codes(Engumi(ShotaAdoptsRen(), MakeContext({Attach(1, ogawa), Attach(2, SuzukiRegister())}))),
      ElementsAre("RULE-YOSHIENGUMI-006"));

  ogawa.persons[2].birth_date = Day("2006-11-16");  // 20 on the filing day
  EXPECT_THAT(
      Codes(Engumi(ShotaAdoptsRen(), MakeContext({Attach(1, ogawa), Attach(2, SuzukiRegister())}))),
      IsEmpty());
}

TEST(YoshiEngumiTest, OlderAdopteeIsRefused) {
  const Evaluation result = Engumi(
      {{"yofu", "R1:3"}, {"adoptee", "R2:3"}, {"shin_honseki", "青葉県みなと市若葉町三丁目８番地"}},
      OgawaAnd(NakamuraRegister()));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-007"));
}

TEST(YoshiEngumiTest, AdoptersParentIsRefusedAsSonzoku) {
  // 翔太 (unmarried) and his mother 由美, who is also older.
  const Evaluation result =
      Engumi({{"yofu", "R1:3"}, {"adoptee", "R1:2"}}, MakeContext({Attach(1, OgawaRegister())}));
  EXPECT_THAT(Codes(result), Contains("RULE-YOSHIENGUMI-008"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(YoshiEngumiTest, MinorWithoutCourtPermissionIsRefused) {
  const Evaluation result =
      Engumi(Without(CoupleAdoptsRen(), "permission_date"), OgawaAnd(SuzukiRegister()));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-009"));
}

TEST(YoshiEngumiTest, PermissionAfterTheFilingDayIsRefused) {
  const Evaluation result =
      Engumi(With(CoupleAdoptsRen(), "permission_date", "2026-11-17"), OgawaAnd(SuzukiRegister()));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-DATE-001"));
}

TEST(YoshiEngumiTest, StepChildNeedsNeitherPermissionNorJointAdoption) {
  domain::Register suzuki = SuzukiRegister();
  suzuki.persons[2].mother = "小川由美";  // 由美's child from her earlier marriage
  const RuleContext context = OgawaAnd(suzuki);
  Entry entry{.type = kEngumi,
              .values = {{"yofu", "R1:1"}, {"adoptee", "R2:3"}, {"daidakusha", "親権者母"}}};

  const Evaluation unacknowledged = RuleFor(kEngumi).Evaluate(entry, context);
  EXPECT_THAT(Codes(unacknowledged), ElementsAre("RULE-YOSHIENGUMI-013"));  // 796条 consent
  EXPECT_TRUE(unacknowledged.Blocked());

  entry.acknowledgements["RULE-YOSHIENGUMI-013"] = "配偶者の同意書を確認";
  const Evaluation acknowledged = RuleFor(kEngumi).Evaluate(entry, context);
  EXPECT_FALSE(acknowledged.Blocked());
  ASSERT_TRUE(acknowledged.change_set.has_value());
  EXPECT_EQ(ValidateAll(*acknowledged.change_set), "");
  EXPECT_EQ(acknowledged.change_set->updates[0].after.persons.back().yofu, "小川浩");
}

TEST(YoshiEngumiTest, MarriedAdopterOfAMinorMustAdoptJointly) {
  const Evaluation result = Engumi(Without(CoupleAdoptsRen(), "yobo"), OgawaAnd(SuzukiRegister()));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-012", "RULE-YOSHIENGUMI-013"));
}

TEST(YoshiEngumiTest, DaidakushaOnlyUnderFifteen) {
  const Values without_daidaku = Without(CoupleAdoptsRen(), "daidakusha");
  EXPECT_THAT(Codes(Engumi(without_daidaku, OgawaAnd(SuzukiRegister()))),
              ElementsAre("RULE-YOSHIENGUMI-010"));

  domain::Register suzuki = SuzukiRegister();
  suzuki.persons[2].birth_date = Day("2011-11-16");  // 15 on the filing day
  EXPECT_THAT(Codes(Engumi(without_daidaku, OgawaAnd(suzuki))), IsEmpty());
  EXPECT_THAT(Codes(Engumi(CoupleAdoptsRen(), OgawaAnd(suzuki))),
              ElementsAre("RULE-YOSHIENGUMI-011"));
}

TEST(YoshiEngumiTest, AdopterWhoIsAChildMemberNeedsANewHonseki) {
  const Evaluation result =
      Engumi(Without(ShotaAdoptsRen(), "shin_honseki"), OgawaAnd(SuzukiRegister()));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-014"));
}

TEST(YoshiEngumiTest, JointAdoptersMustBeSpouses) {
  const Evaluation result = Engumi({{"yofu", "R2:1"}, {"yobo", "R1:2"}, {"adoptee", "R1:3"}},
                                   OgawaAnd(NakamuraRegister()));
  EXPECT_THAT(Codes(result), Contains("RULE-YOSHIENGUMI-003"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(YoshiEngumiTest, AdopterRolesFollowSex) {
  const Evaluation result =
      Engumi({{"yobo", "R2:1"}, {"adoptee", "R1:2"}}, OgawaAnd(NakamuraRegister()));
  EXPECT_THAT(Codes(result), Contains("RULE-YOSHIENGUMI-002"));
}

TEST(YoshiEngumiTest, MarriedHittoshaAsAdopteeIsNotHandled) {
  const RuleContext context =
      MakeContext({Attach(1, NakamuraRegister()), Attach(2, SuzukiRegister())});
  const Evaluation result =
      Engumi({{"yofu", "R1:1"}, {"yobo", "R1:2"}, {"adoptee", "R2:1"}}, context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-018"));
}

TEST(YoshiEngumiTest, NoAdopterIsRefused) {
  const Evaluation result =
      Engumi({{"adoptee", "R1:3"}}, MakeContext({Attach(1, OgawaRegister())}));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-001"));
}

TEST(YoshiEngumiTest, AlreadyAdoptedPersonIsNotHandled) {
  domain::Register nakamura = NakamuraRegister();
  nakamura.persons[2].yofu = "山田太郎";
  nakamura.persons[2].yo_zokugara = "養子";
  const Evaluation result =
      Engumi({{"yofu", "R1:1"}, {"yobo", "R1:2"}, {"adoptee", "R2:3"}}, OgawaAnd(nakamura));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIENGUMI-019"));
  EXPECT_THAT(Codes(result), Not(Contains("RULE-YOSHIENGUMI-009")));
}

}  // namespace
}  // namespace koseki::rules
