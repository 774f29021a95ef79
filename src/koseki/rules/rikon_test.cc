// Tests of the 離婚届 rule: golden certificates before/after for a 協議離婚 with a new register
// for the wife and a 調停離婚 with 復籍 to her parents' register, the 10-day deadline of a court
// divorce over a weekend and a holiday, and one failing and one passing case per validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/family_fixtures.h"

namespace koseki::rules {
namespace {

using domain::HaigushaKubun;
using testing::Attach;
using testing::Codes;
using ::testing::ElementsAre;
using testing::EvaluateWith;
using ::testing::IsEmpty;
using testing::MakeContext;
using testing::ScenarioGoldenDiff;
using testing::ValidateAll;
using testing::Values;
using testing::With;
using testing::Without;
using testing::family::AdultWitnesses;
using testing::family::AokiRegister;
using testing::family::ExternalHusband;
using testing::family::KawakamiRegister;
using testing::family::MatsuiRegister;

// 青木誠 (R1:1) and さくら (R1:2); 陽斗 (R1:3, 10) and 美月 (R1:4, 6) are minors.
constexpr std::string_view kFiledOn = "2026-06-15";

Evaluation Rikon(const Values& values, const RuleContext& context, const Values& acks = {}) {
  return EvaluateWith(NotificationType::kRikon, values, context, acks);
}

Values Kyogi() {
  return With({{"husband_ref", "R1:1"},
               {"wife_ref", "R1:2"},
               {"kind", "協議"},
               {"destination", "新戸籍"},
               {"new_honseki", "青葉県みなと市桜町一丁目９番地"},
               {"former_uji", "松井"},
               {"custody_father", "R1:3"},
               {"custody_mother", "R1:4"}},
              AdultWitnesses());
}

// 調停 成立 on Thursday 2026-10-01: the 10th day is Saturday 10-10; Sunday 10-11 and the
// holiday スポーツの日 (Monday 10-12) extend the period to Tuesday 10-13.
Values Chotei() {
  return {{"husband_ref", "R1:1"},   {"wife_ref", "R1:2"},
          {"kind", "調停"},          {"court_date", "2026-10-01"},
          {"filer", "妻"},           {"destination", "復籍"},
          {"return_register", "R2"}, {"custody_mother", "R1:3,R1:4"}};
}

// ---- Scenarios with goldens ----------------------------------------------------------------

TEST(RikonRuleTest, KyogiDivorceMakesANewRegisterForTheWifeAndRecordsEachChildsCustodian) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  const Evaluation result = Rikon(Kyogi(), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_EQ(cs.updates[0].ref, "R1");
  EXPECT_EQ(cs.updates[0].base_version, 11u);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "離婚による新戸籍");
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Register& marital = cs.updates[0].after;
  EXPECT_EQ(marital.persons[0].haigusha_kubun, HaigushaKubun::kNone);
  EXPECT_TRUE(marital.persons[1].removed);
  EXPECT_FALSE(marital.persons[2].removed);  // children stay
  EXPECT_FALSE(marital.persons[3].removed);

  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "rikon_kyogi"), "");
}

TEST(RikonRuleTest, ChoteiDivorceReturnsTheWifeToHerParentsRegister) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-10-13");
  const Evaluation result = Rikon(Chotei(), context);

  ASSERT_THAT(Codes(result), IsEmpty());  // the last day moved over the weekend and holiday
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_EQ(cs.updates[1].ref, "R2");
  EXPECT_EQ(cs.updates[1].base_version, 12u);
  EXPECT_THAT(cs.creations, IsEmpty());
  EXPECT_THAT(cs.notices, IsEmpty());

  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "rikon_chotei"), "");
}

// ---- Deadline ------------------------------------------------------------------------------

TEST(RikonRuleTest, CourtDivorceFiledAfterTheExtendedLastDayIsALateFilingWarning) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-10-14");
  const Evaluation late = Rikon(Chotei(), context);
  EXPECT_THAT(Codes(late), ElementsAre("RULE-DEADLINE-001"));
  EXPECT_EQ(late.findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(late.Blocked());
  EXPECT_TRUE(late.change_set.has_value());  // a warning, never a rejection

  const Evaluation acknowledged =
      Rikon(Chotei(), context, {{"RULE-DEADLINE-001", "申立人の入院のため"}});
  EXPECT_FALSE(acknowledged.Blocked());
  EXPECT_EQ(ValidateAll(*acknowledged.change_set), "");
}

TEST(RikonRuleTest, CourtDateAfterTheFilingIsRefused) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-09-30");
  EXPECT_THAT(Codes(Rikon(Chotei(), context)), ElementsAre("RULE-DATE-001"));
}

TEST(RikonRuleTest, CourtDivorceNeedsItsDateAndItsFiler) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-10-13");
  EXPECT_THAT(Codes(Rikon(Without(Chotei(), "court_date"), context)),
              ElementsAre("RULE-RIKON-003"));
  EXPECT_THAT(Codes(Rikon(Without(Chotei(), "filer"), context)), ElementsAre("RULE-RIKON-011"));
}

TEST(RikonRuleTest, KyogiDivorceTakesNoCourtDate) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "court_date", "2026-06-01"), context)),
              ElementsAre("RULE-RIKON-003"));
}

TEST(RikonRuleTest, EveryCourtKindWritesItsOwnDateTag) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-10-13");
  for (const auto& [kind, tag] :
       {std::pair{"調停", "離婚の調停成立日"}, std::pair{"審判", "離婚の審判確定日"},
        std::pair{"和解", "離婚の和解成立日"}, std::pair{"認諾", "離婚の請求の認諾日"},
        std::pair{"判決", "離婚の裁判確定日"}}) {
    const Evaluation result = Rikon(With(Chotei(), "kind", kind), context);
    ASSERT_THAT(Codes(result), IsEmpty()) << kind;
    const domain::Event& entry = result.change_set->updates[0].after.persons[0].mibun_jiko.back();
    EXPECT_EQ(entry.kind, "離婚");
    EXPECT_TRUE(entry.DateOf(tag).has_value()) << kind;
    EXPECT_EQ(entry.TextOf("届出人"), std::optional<std::string>("妻"));
  }
}

// ---- Validations ---------------------------------------------------------------------------

TEST(RikonRuleTest, SpousesMustBeInTheSameRegister) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "wife_ref", "R2:2"), context)),
              ElementsAre("RULE-RIKON-001"));
}

TEST(RikonRuleTest, ACoupleNotMarriedToEachOtherCannotDivorce) {
  const RuleContext aoki = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  // 誠 and his daughter.
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "wife_ref", "R1:4"), aoki)), ElementsAre("RULE-RIKON-002"));
  // The §1.5 widow: her husband died, the marriage ended.
  const RuleContext widow = MakeContext({Attach(1, domain::testing::ExampleRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(Without(Without(Kyogi(), "custody_father"), "custody_mother"), widow)),
              ElementsAre("RULE-RIKON-002"));
}

TEST(RikonRuleTest, KyogiDivorceNeedsTwoAdultWitnesses) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(Without(Kyogi(), "witness2_name"), context)),
              ElementsAre("RULE-RIKON-004"));
  // 17 on the filing day, 18 on the next.
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "witness2_birth_date", "2008-06-16"), context)),
              ElementsAre("RULE-RIKON-004"));
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "witness2_birth_date", "2008-06-15"), context)), IsEmpty());
}

TEST(RikonRuleTest, MinorChildWithoutCustodianIsRefused) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  const Evaluation result = Rikon(Without(Kyogi(), "custody_mother"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-RIKON-005"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(RikonRuleTest, CustodyListsOnlyTheCouplesMinorChildrenEachOnce) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "custody_mother", "R1:4,R1:1"), context)),
              ElementsAre("RULE-RIKON-006"));
  EXPECT_THAT(Codes(Rikon(With(Kyogi(), "custody_mother", "R1:4、R1:3"), context)),
              ElementsAre("RULE-RIKON-006"));
}

TEST(RikonRuleTest, JointCustodyIsAcceptedFromApril2026) {
  const Values joint = With(Without(Without(Kyogi(), "custody_father"), "custody_mother"),
                            {{"custody_joint", "R1:3,R1:4"}});
  const Evaluation before = Rikon(joint, MakeContext({Attach(1, AokiRegister())}, "2026-03-31"));
  EXPECT_THAT(Codes(before), ElementsAre("RULE-RIKON-007", "RULE-RIKON-005", "RULE-RIKON-005"));

  const Evaluation from = Rikon(joint, MakeContext({Attach(1, AokiRegister())}, "2026-04-01"));
  ASSERT_THAT(Codes(from), IsEmpty());
  const domain::Event& custody = from.change_set->updates[0].after.persons[3].mibun_jiko.back();
  EXPECT_EQ(custody.kind, "親権");
  EXPECT_EQ(custody.TextOf("親権者"), std::optional<std::string>("父母"));
}

TEST(RikonRuleTest, DestinationMustBeComplete) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Rikon(Without(Kyogi(), "former_uji"), context)), ElementsAre("RULE-RIKON-008"));
  const Values back =
      With(Without(Without(Kyogi(), "new_honseki"), "former_uji"), {{"destination", "復籍"}});
  EXPECT_THAT(Codes(Rikon(back, context)), ElementsAre("RULE-RIKON-008"));
  EXPECT_THAT(Codes(Rikon(With(back, "return_register", "R1"), context)),
              ElementsAre("RULE-RIKON-008"));
}

TEST(RikonRuleTest, ReturnToAClosedRegisterIsRefused) {
  domain::Register closed = MatsuiRegister();
  closed.status = domain::RegisterStatus::kJoseki;
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, closed)}, "2026-10-13");
  EXPECT_THAT(Codes(Rikon(Chotei(), context)), ElementsAre("RULE-RIKON-008"));
}

TEST(RikonRuleTest, ReturnToARegisterWithoutThePreMarriageRecordNeedsConfirmation) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, KawakamiRegister())}, "2026-10-13");
  const Evaluation result = Rikon(Chotei(), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-RIKON-009"));
  EXPECT_TRUE(result.Blocked());
  EXPECT_TRUE(result.change_set.has_value());
}

TEST(RikonRuleTest, ReturnToAnExternalRegisterIsANoticeWithItsTenantCode) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  const Values values = With(Without(Without(Kyogi(), "new_honseki"), "former_uji"),
                             {{"destination", "復籍"},
                              {"return_ext_honseki", "東海県南浜市汐見町２番地"},
                              {"return_ext_hittosha", "松井武"}});
  const Evaluation result = Rikon(values, context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.notices[0].reason, "離婚届（復籍する戸籍の本籍地）");
  EXPECT_EQ(cs.updates[0].after.persons[1].mibun_jiko.back().TextOf("入籍戸籍"),
            std::optional<std::string>("東海県南浜市汐見町２番地　松井武"));
}

TEST(RikonRuleTest, NewRegisterElsewhereIsANoticeWithoutTenantCodeWhenNotHosted) {
  const RuleContext context = MakeContext({Attach(1, AokiRegister())}, kFiledOn);
  const Evaluation result =
      Rikon(With(Kyogi(), "new_honseki", "青葉県北原市緑町三丁目１番地"), context);
  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_EQ(result.change_set->notices.size(), 1u);
  EXPECT_EQ(result.change_set->notices[0].municipality, "青葉県北原市");
  EXPECT_EQ(result.change_set->notices[0].tenant_code, std::nullopt);
  EXPECT_THAT(result.change_set->creations, IsEmpty());
}

TEST(RikonRuleTest, HusbandLeavesWhenTheWifeIsHittosha) {
  // A marriage under the wife's 氏 (she becomes 筆頭者), then its divorce.
  const RuleContext wedding = MakeContext({Attach(1, KawakamiRegister())}, "2026-06-15");
  const Evaluation marriage =
      EvaluateWith(NotificationType::kKonin,
                   With(With(ExternalHusband(), AdultWitnesses()),
                        {{"wife_ref", "R1:3"},
                         {"uji", "妻の氏"},
                         {"new_honseki", "青葉県みなと市緑町二丁目５番地"}}),
                   wedding);
  ASSERT_THAT(Codes(marriage), IsEmpty());

  const RuleContext context =
      MakeContext({Attach(1, marriage.change_set->creations.at(0).value)}, "2026-11-16");
  const Values values = With({{"husband_ref", "R1:2"},
                              {"wife_ref", "R1:1"},
                              {"kind", "協議"},
                              {"destination", "復籍"},
                              {"return_ext_honseki", "東海県南浜市浜町１２番地"},
                              {"return_ext_hittosha", "大野浩"}},
                             AdultWitnesses());
  const Evaluation result = Rikon(values, context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const domain::Register& after = result.change_set->updates.at(0).after;
  EXPECT_FALSE(after.persons[0].removed);
  EXPECT_EQ(after.persons[0].haigusha_kubun, HaigushaKubun::kNone);
  EXPECT_EQ(after.persons[0].mibun_jiko.back().TextOf("配偶者氏名"),
            std::optional<std::string>("川上翔"));
  EXPECT_TRUE(after.persons[1].removed);
  EXPECT_EQ(after.persons[1].mibun_jiko.back().TextOf("配偶者氏名"),
            std::optional<std::string>("川上花子"));
  EXPECT_EQ(result.change_set->notices.at(0).municipality, "東海県南浜市");
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

TEST(RikonRuleTest, FormOffersEveryKindAndJointCustody) {
  const FormSpec& form = RuleFor(NotificationType::kRikon).Form();
  EXPECT_EQ(form.title, "離婚届");
  EXPECT_THAT(form.Find("kind")->choices,
              ElementsAre("協議", "調停", "審判", "和解", "認諾", "判決"));
  EXPECT_NE(form.Find("custody_joint"), nullptr);
  EXPECT_THAT(form.Find("destination")->choices, ElementsAre("復籍", "新戸籍"));
}

}  // namespace
}  // namespace koseki::rules
