// 分籍届: golden certificates before/after for a new 本籍 here, in a hosted municipality and
// in one that is not hosted; each validation failing and passing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/event.h"
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
using testing::ValidateAll;
using testing::misc::OgawaRegister;

constexpr auto kBunseki = NotificationType::kBunseki;

Evaluation Bunseki(const RuleContext& context, std::string person, std::string shin_honseki) {
  return EvaluateWith(kBunseki,
                      {{"person", std::move(person)}, {"shin_honseki", std::move(shin_honseki)}},
                      context);
}

TEST(BunsekiTest, AdultChildGetsNewRegisterInThisMunicipality) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  EXPECT_EQ(GoldenDiff(Certificate(context.registers[0].value), "bunseki_kannai_before_1.txt"), "");

  const Evaluation result = Bunseki(context, "R1:3", "青葉県みなと市緑町一丁目８番地");

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_EQ(cs.updates[0].ref, "R1");
  EXPECT_EQ(cs.updates[0].register_id, "reg-1");
  EXPECT_EQ(cs.updates[0].base_version, 11u);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "分籍による新戸籍");
  EXPECT_THAT(cs.notices, IsEmpty());
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "bunseki_kannai_after_1.txt"), "");
  EXPECT_EQ(GoldenDiff(Certificate(cs.creations[0].value), "bunseki_kannai_after_2.txt"), "");
}

TEST(BunsekiTest, NewHonsekiInHostedMunicipalityIsCreatedForThatTenantAndNotified) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});

  const Evaluation result = Bunseki(context, "R1:3", "東海県南浜市浜町８番地");

  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "分籍による新戸籍（東海県南浜市・テナント999998で編製）");
  EXPECT_EQ(cs.creations[0].tenant_code, std::optional<std::string>("999998"));
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.notices[0].reason, "分籍届（新本籍地）");
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "bunseki_kangai_after_1.txt"), "");
  EXPECT_EQ(GoldenDiff(Certificate(cs.creations[0].value), "bunseki_kangai_after_2.txt"), "");
}

TEST(BunsekiTest, NewHonsekiInMunicipalityNotHostedIsOnlyNotified) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});

  const Evaluation result = Bunseki(context, "R1:3", "青葉県北原市本町一丁目１番地");

  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(cs.updates.size(), 1u);
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "青葉県北原市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::nullopt);
}

TEST(BunsekiTest, HittoshaCannotLeave) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R1:1", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-002"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(BunsekiTest, SpouseCannotLeave) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R1:2", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-003"));
  EXPECT_FALSE(result.change_set.has_value());
  // So can the widow, who has no 配偶者区分 since her husband's death but keeps his register.
  const Evaluation widow = Bunseki(MakeContext({Attach(1, domain::testing::ExampleRegister())}),
                                   "R1:2", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(widow), ElementsAre("RULE-BUNSEKI-003"));
}

TEST(BunsekiTest, MinorCannotLeave) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R1:5", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-001"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(BunsekiTest, EighteenthBirthdayOnTheFilingDayIsOldEnough) {
  domain::Register reg = OgawaRegister();
  reg.persons[2].birth_date = Day("2008-11-16");
  const Evaluation result =
      Bunseki(MakeContext({Attach(1, reg)}), "R1:3", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), IsEmpty());
  EXPECT_TRUE(result.change_set.has_value());
}

TEST(BunsekiTest, EighteenthBirthdayTheDayAfterFilingIsTooYoung) {
  domain::Register reg = OgawaRegister();
  reg.persons[2].birth_date = Day("2008-11-17");
  const Evaluation result =
      Bunseki(MakeContext({Attach(1, reg)}), "R1:3", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-001"));
}

TEST(BunsekiTest, RemovedPersonCannotLeaveAgain) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R1:4", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-004"));
}

TEST(BunsekiTest, SameHonsekiIsRefused) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R1:3", "青葉県みなと市若葉町三丁目７番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-BUNSEKI-006"));
}

TEST(BunsekiTest, UnknownBirthDateNeedsAcknowledgement) {
  domain::Register reg = OgawaRegister();
  reg.persons[2].birth_date = text::JapaneseDate::Inexact("年月日不詳");
  const RuleContext context = MakeContext({Attach(1, reg)});

  Entry entry{.type = kBunseki,
              .values = {{"person", "R1:3"}, {"shin_honseki", "青葉県みなと市緑町一丁目８番地"}}};
  const Evaluation unacknowledged = RuleFor(kBunseki).Evaluate(entry, context);
  EXPECT_THAT(Codes(unacknowledged), ElementsAre("RULE-BUNSEKI-005"));
  EXPECT_TRUE(unacknowledged.Blocked());

  entry.acknowledgements["RULE-BUNSEKI-005"] = "旧戸籍の記載により成年であることを確認";
  const Evaluation acknowledged = RuleFor(kBunseki).Evaluate(entry, context);
  EXPECT_FALSE(acknowledged.Blocked());
  EXPECT_TRUE(acknowledged.change_set.has_value());
}

TEST(BunsekiTest, LastMemberLeavingClosesTheRegister) {
  domain::Register reg = OgawaRegister();
  // Everyone but 翔太 has left: the parents died, 彩 (now adult) left by 分籍.
  auto death = [](const char* day) {
    return domain::MakeEvent(
        "死亡",
        {domain::DateField("死亡日", Day(day)), domain::TextField("死亡地", "青葉県みなと市"),
         domain::DateField("届出日", Day(day)), domain::TextField("届出人", "親族　小川翔太")});
  };
  for (int i : {0, 1}) {
    reg.persons[i].mibun_jiko.push_back(death("2026-01-05"));
    reg.persons[i].removed = true;
    reg.persons[i].removal_kind = "死亡";
  }
  reg.persons[4].birth_date = Day("2006-03-03");
  reg.persons[4].mibun_jiko.push_back(
      domain::MakeEvent("分籍", {domain::DateField("分籍日", Day("2026-04-01")),
                                 domain::TextField("新本籍", "青葉県みなと市旭町一丁目１番地")}));
  reg.persons[4].removed = true;
  reg.persons[4].removal_kind = "分籍";

  const Evaluation result =
      Bunseki(MakeContext({Attach(1, reg)}), "R1:3", "青葉県みなと市緑町一丁目８番地");

  ASSERT_TRUE(result.change_set.has_value());
  const domain::Register& after = result.change_set->updates[0].after;
  EXPECT_EQ(after.status, domain::RegisterStatus::kJoseki);
  EXPECT_EQ(after.koseki_jiko.back().kind, "戸籍消除");
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

TEST(BunsekiTest, MissingFieldsStopAtTheForm) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = EvaluateWith(kBunseki, {{"person", "R1:3"}}, context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-FORM-002"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(BunsekiTest, PersonOfUnattachedRegisterIsRefused) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Bunseki(context, "R2:1", "青葉県みなと市緑町一丁目８番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-REF-001"));
}

}  // namespace
}  // namespace koseki::rules
