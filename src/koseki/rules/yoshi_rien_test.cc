// 養子離縁届 (協議離縁): golden certificates before/after for an adoptee returning to the
// pre-adoption register (復籍), one taking a new register, and a married adoptee who stays; each
// validation failing and passing. The adopted state is produced by the 養子縁組 rule itself, so
// the two rules are also checked against each other.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

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
using testing::ScenarioGoldenDiff;
using testing::ValidateAll;
using testing::Values;
using testing::With;
using testing::misc::NakamuraRegister;
using testing::misc::OgawaRegister;
using testing::misc::SuzukiRegister;

constexpr auto kRien = NotificationType::kYoshiRien;

Evaluation Rien(const Values& values, const RuleContext& context) {
  return EvaluateWith(kRien, values, context);
}

// Both adoptive parents (R1:1, R1:2) release the adoptee (R1:6), with `more` values.
Values BothRelease(const Values& more = {}) {
  return With({{"yofu", "R1:1"}, {"yobo", "R1:2"}, {"adoptee", "R1:6"}}, more);
}

// Runs a 養子縁組 (filed on 令和６年４月１日) and returns the attached registers after it.
std::vector<domain::Register> Adopted(std::vector<domain::Register> registers, Values entry) {
  std::vector<AttachedRegister> attached;
  for (std::size_t i = 0; i < registers.size(); ++i) {
    attached.push_back(Attach(static_cast<int>(i) + 1, std::move(registers[i])));
  }
  const RuleContext context = MakeContext(std::move(attached), "2024-04-01");
  const Evaluation adopted =
      EvaluateWith(NotificationType::kYoshiEngumi, std::move(entry), context);
  if (!adopted.change_set || !adopted.change_set->creations.empty()) std::abort();
  std::vector<domain::Register> out;
  for (const AttachedRegister& a : context.registers) out.push_back(a.value);
  for (const RegisterUpdate& u : adopted.change_set->updates) {
    out[static_cast<std::size_t>(u.ref[1] - '1')] = u.after;
  }
  return out;
}

// 健太 (R1:6) adopted by 小川浩・由美 (R1); his pre-adoption register is R2 (中村).
RuleContext AdultContext() {
  std::vector<domain::Register> regs =
      Adopted({OgawaRegister(), NakamuraRegister()},
              {{"yofu", "R1:1"}, {"yobo", "R1:2"}, {"adoptee", "R2:3"}});
  return MakeContext({Attach(1, regs[0]), Attach(2, regs[1])});
}

// 蓮 (R1:6, 10 years old in 令和８年) adopted by 小川浩・由美; pre-adoption register R2 (鈴木).
RuleContext MinorContext() {
  std::vector<domain::Register> regs =
      Adopted({OgawaRegister(), SuzukiRegister()}, {{"yofu", "R1:1"},
                                                    {"yobo", "R1:2"},
                                                    {"adoptee", "R2:3"},
                                                    {"daidakusha", "親権者父母"},
                                                    {"permission_date", "2024-03-01"}});
  return MakeContext({Attach(1, regs[0]), Attach(2, regs[1])});
}

TEST(YoshiRienTest, AdopteeReturnsToThePreAdoptionRegister) {
  const RuleContext context = AdultContext();

  const Evaluation result =
      Rien(BothRelease({{"destination", "復籍"}, {"fukuseki_register", "R2"}}), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_THAT(cs.creations, IsEmpty());
  const domain::Person& left = cs.updates[0].after.persons.back();
  EXPECT_TRUE(left.removed);
  EXPECT_EQ(left.yofu, "");
  EXPECT_EQ(left.yo_zokugara, "");
  const domain::Register& back = cs.updates[1].after;
  ASSERT_EQ(back.persons.size(), 4u);  // the old entry stays 除籍; he is recorded anew
  EXPECT_FALSE(back.persons[3].removed);
  EXPECT_EQ(back.persons[3].mei, "健太");
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_rien_fukuseki"), "");
}

TEST(YoshiRienTest, AdopteeTakesANewRegister) {
  const RuleContext full = AdultContext();
  const RuleContext context = MakeContext({full.registers[0]});

  const Evaluation result = Rien(BothRelease({{"destination", "新戸籍"},
                                              {"shin_honseki", "青葉県みなと市旭町二丁目７番地"},
                                              {"uji_after", "中村"}}),
                                 context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "養子離縁による新戸籍");
  EXPECT_EQ(cs.creations[0].value.HittoshaDisplayName(), "中村　健太");
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_rien_shinkoseki"), "");
}

TEST(YoshiRienTest, MarriedAdopteeStaysInHerRegister) {
  std::vector<domain::Register> regs =
      Adopted({OgawaRegister(), NakamuraRegister()},
              {{"yofu", "R2:1"}, {"yobo", "R2:2"}, {"adoptee", "R1:2"}});
  const RuleContext context = MakeContext({Attach(1, regs[0]), Attach(2, regs[1])});

  const Evaluation result =
      Rien({{"yofu", "R2:1"}, {"yobo", "R2:2"}, {"adoptee", "R1:2"}}, context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  const domain::Person& adoptee = cs.updates[0].after.persons[1];
  EXPECT_FALSE(adoptee.removed);
  EXPECT_EQ(adoptee.yofu, "");
  EXPECT_EQ(adoptee.yobo, "");
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "yoshi_rien_married"), "");
}

TEST(YoshiRienTest, NoAdoptionBetweenThemIsRefused) {
  const Evaluation result = Rien({{"yofu", "R1:1"}, {"adoptee", "R1:3"}}, AdultContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-002"));
}

TEST(YoshiRienTest, MinorAdoptedByACoupleIsReleasedByBoth) {
  const Evaluation result =
      Rien({{"yofu", "R1:1"}, {"adoptee", "R1:6"}, {"todokedenin", "親権者父母"}}, MinorContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-004"));
}

TEST(YoshiRienTest, AdopteeUnderFifteenNeedsTheFutureRepresentative) {
  const Values entry = BothRelease({{"destination", "復籍"}, {"fukuseki_register", "R2"}});
  EXPECT_THAT(Codes(Rien(entry, MinorContext())), ElementsAre("RULE-YOSHIRIEN-005"));
  const Evaluation result = Rien(With(entry, "todokedenin", "親権者父母"), MinorContext());
  EXPECT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

TEST(YoshiRienTest, AdultAdopteeFilesHimself) {
  const Evaluation result = Rien(
      BothRelease(
          {{"destination", "復籍"}, {"fukuseki_register", "R2"}, {"todokedenin", "親権者父母"}}),
      AdultContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-006"));
}

TEST(YoshiRienTest, LeavingAdopteeNeedsADestination) {
  const Evaluation result = Rien(BothRelease(), AdultContext());
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-007"));
}

TEST(YoshiRienTest, OneOfTwoAdoptersReleasingAnAdultKeepsTheRegister) {
  const Evaluation result = Rien({{"yobo", "R1:2"}, {"adoptee", "R1:6"}}, AdultContext());
  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const domain::Person& adoptee = result.change_set->updates[0].after.persons.back();
  EXPECT_FALSE(adoptee.removed);
  EXPECT_EQ(adoptee.yofu, "小川浩");
  EXPECT_EQ(adoptee.yobo, "");
  EXPECT_EQ(adoptee.yo_zokugara, "養子");
  EXPECT_EQ(ValidateAll(*result.change_set), "");

  const Evaluation with_destination =
      Rien({{"yobo", "R1:2"}, {"adoptee", "R1:6"}, {"destination", "復籍"}}, AdultContext());
  EXPECT_THAT(Codes(with_destination), ElementsAre("RULE-YOSHIRIEN-008"));
}

TEST(YoshiRienTest, FukusekiIntoAnotherRegisterIsRefused) {
  RuleContext context = AdultContext();
  context.registers.push_back(Attach(3, SuzukiRegister()));
  const Evaluation result =
      Rien(BothRelease({{"destination", "復籍"}, {"fukuseki_register", "R3"}}), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-010"));
}

TEST(YoshiRienTest, FukusekiHereNeedsTheRegisterAttached) {
  const RuleContext full = AdultContext();
  const Evaluation result =
      Rien(BothRelease({{"destination", "復籍"}}), MakeContext({full.registers[0]}));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-012"));
}

TEST(YoshiRienTest, FukusekiIntoAClosedRegisterIsRefused) {
  RuleContext context = AdultContext();
  context.registers[1].value.status = domain::RegisterStatus::kJoseki;
  const Evaluation result =
      Rien(BothRelease({{"destination", "復籍"}, {"fukuseki_register", "R2"}}), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-011"));
}

TEST(YoshiRienTest, NewRegisterNeedsHonsekiAndSurname) {
  const RuleContext full = AdultContext();
  const Evaluation result =
      Rien(BothRelease({{"destination", "新戸籍"}}), MakeContext({full.registers[0]}));
  EXPECT_THAT(Codes(result), ElementsAre("RULE-YOSHIRIEN-014", "RULE-YOSHIRIEN-015"));
}

TEST(YoshiRienTest, NewRegisterTakesTheSurnameOfTheAttachedPreAdoptionRegister) {
  const Evaluation result = Rien(BothRelease({{"destination", "新戸籍"},
                                              {"fukuseki_register", "R2"},
                                              {"shin_honseki", "東海県南浜市浜町３番地"}}),
                                 AdultContext());
  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].value.uji, "中村");
  EXPECT_THAT(cs.notices,
              Contains(::testing::Field(&OutgoingNotice::municipality, "東海県南浜市")));
  EXPECT_EQ(ValidateAll(cs), "");
}

}  // namespace
}  // namespace koseki::rules
