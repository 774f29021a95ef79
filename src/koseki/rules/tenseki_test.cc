// 転籍届: golden certificates before/after for 管内転籍 (in place) and 管外転籍 (old register
// closed, new register for a hosted municipality; only a notice when it is not hosted), the
// survivor filing alone, and each validation failing and passing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/misc_fixtures.h"

namespace koseki::rules {
namespace {

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

constexpr auto kTenseki = NotificationType::kTenseki;

Evaluation Tenseki(const RuleContext& context, std::string shin_honseki,
                   std::vector<std::pair<std::string, std::string>> filers = {
                       {"filer_hittosha", "R1:1"}, {"filer_spouse", "R1:2"}}) {
  filers.emplace_back("register", "R1");
  filers.emplace_back("shin_honseki", std::move(shin_honseki));
  return EvaluateWith(kTenseki, std::move(filers), context);
}

TEST(TensekiTest, KannaiTensekiUpdatesTheHonsekiInPlace) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  EXPECT_EQ(GoldenDiff(Certificate(context.registers[0].value), "tenseki_kannai_before_1.txt"), "");

  const Evaluation result = Tenseki(context, "青葉県みなと市旭町五丁目２番地");

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_EQ(cs.updates[0].base_version, 11u);
  EXPECT_THAT(cs.creations, IsEmpty());
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Register& after = cs.updates[0].after;
  EXPECT_EQ(after.status, domain::RegisterStatus::kGenzai);
  EXPECT_EQ(after.persons.size(), 5u);  // the 除籍 二男 stays visible
  EXPECT_EQ(GoldenDiff(Certificate(after), "tenseki_kannai_after_1.txt"), "");
}

TEST(TensekiTest, KangaiTensekiClosesTheRegisterAndCreatesOneForTheHostedMunicipality) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  EXPECT_EQ(GoldenDiff(Certificate(context.registers[0].value), "tenseki_kangai_before_1.txt"), "");

  const Evaluation result = Tenseki(context, "東海県南浜市浜町１０番地");

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_EQ(cs.updates[0].after.status, domain::RegisterStatus::kJoseki);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "転籍による新戸籍（東海県南浜市・テナント999998で編製）");
  EXPECT_EQ(cs.creations[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.creations[0].value.persons.size(), 4u);  // 大輔 (除籍) is not carried over
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.notices[0].reason, "転籍届（新本籍地）");
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "tenseki_kangai_after_1.txt"), "");
  EXPECT_EQ(GoldenDiff(Certificate(cs.creations[0].value), "tenseki_kangai_after_2.txt"), "");
}

TEST(TensekiTest, KangaiTensekiToMunicipalityNotHostedIsOnlyNotified) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});

  const Evaluation result = Tenseki(context, "青葉県北原市本町一丁目１番地");

  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_EQ(cs.updates[0].after.status, domain::RegisterStatus::kJoseki);
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "青葉県北原市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::nullopt);
}

TEST(TensekiTest, SurvivingSpouseFilesAloneAndTheNewRegisterKeepsTheHittoshaName) {
  // DOMAIN.md §1.5: the 筆頭者 健一 died; 美咲 (widow), 真理 (除籍 by 婚姻) and 拓也.
  const RuleContext context = MakeContext({Attach(1, domain::testing::ExampleRegister())});
  EXPECT_EQ(GoldenDiff(Certificate(context.registers[0].value), "tenseki_survivor_before_1.txt"),
            "");

  const Evaluation result =
      Tenseki(context, "東海県南浜市浜町１０番地", {{"filer_spouse", "R1:2"}});

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.creations.size(), 1u);
  const domain::Register& created = cs.creations[0].value;
  EXPECT_EQ(created.HittoshaDisplayName(), "山川　健一");
  ASSERT_EQ(created.persons.size(), 2u);
  EXPECT_EQ(created.persons[0].haigusha_kubun, domain::HaigushaKubun::kNone);
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "tenseki_survivor_after_1.txt"), "");
  EXPECT_EQ(GoldenDiff(Certificate(created), "tenseki_survivor_after_2.txt"), "");
}

TEST(TensekiTest, DeceasedHittoshaCannotBeAFiler) {
  const RuleContext context = MakeContext({Attach(1, domain::testing::ExampleRegister())});
  const Evaluation result = Tenseki(context, "青葉県みなと市旭町五丁目２番地",
                                    {{"filer_hittosha", "R1:1"}, {"filer_spouse", "R1:2"}});
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-003"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(TensekiTest, SpouseInTheRegisterMustFileToo) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result =
      Tenseki(context, "青葉県みなと市旭町五丁目２番地", {{"filer_hittosha", "R1:1"}});
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-007"));
}

TEST(TensekiTest, HittoshaInTheRegisterMustFile) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result =
      Tenseki(context, "青葉県みなと市旭町五丁目２番地", {{"filer_spouse", "R1:2"}});
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-006"));
}

TEST(TensekiTest, ChildCannotFileAsSpouse) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Tenseki(context, "青葉県みなと市旭町五丁目２番地",
                                    {{"filer_hittosha", "R1:1"}, {"filer_spouse", "R1:3"}});
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-004"));
}

TEST(TensekiTest, SameHonsekiIsRefused) {
  const RuleContext context = MakeContext({Attach(1, OgawaRegister())});
  const Evaluation result = Tenseki(context, "青葉県みなと市若葉町三丁目７番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-002"));
}

TEST(TensekiTest, ClosedRegisterCannotMove) {
  domain::Register reg = OgawaRegister();
  reg.status = domain::RegisterStatus::kJoseki;
  const Evaluation result =
      Tenseki(MakeContext({Attach(1, reg)}), "青葉県みなと市旭町五丁目２番地");
  EXPECT_THAT(Codes(result), ElementsAre("RULE-TENSEKI-001"));
}

TEST(TensekiTest, UnattachedRegisterIsRefused) {
  const RuleContext context = MakeContext({});
  const Evaluation result = Tenseki(context, "青葉県みなと市旭町五丁目２番地", {});
  EXPECT_THAT(Codes(result), ElementsAre("RULE-REF-001"));
}

}  // namespace
}  // namespace koseki::rules
