// Tests of the 婚姻届 rule: golden certificates before/after for a marriage creating a new
// register, a bride joining a 筆頭者's register and a cross-municipality marriage, and one
// failing and one passing case per validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/marriage_end.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/testing/family_fixtures.h"

namespace koseki::rules {
namespace {

using domain::HaigushaKubun;
using domain::testing::ExampleRegister;
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
using testing::family::AdultWitnesses;
using testing::family::AokiRegister;
using testing::family::ExternalHusband;
using testing::family::ForeignWife;
using testing::family::KawakamiParentsRegister;
using testing::family::KawakamiRegister;
using testing::family::MatsuiRegister;
using testing::family::MoritaRegister;

// A weekday in June 2026 (a 創設的 filing has no deadline, the day only fixes ages).
constexpr std::string_view kFiledOn = "2026-06-15";
// The 新本籍 of the couples for whom a new register is made.
constexpr std::string_view kNewHonseki = "青葉県みなと市緑町二丁目５番地";

Evaluation Konin(const Values& values, const RuleContext& context, const Values& acks = {}) {
  return EvaluateWith(NotificationType::kKonin, values, context, acks);
}

// The second witness's birth date in 和暦, as an operator may type it.
Values Witnesses() { return With(AdultWitnesses(), "witness2_birth_date", "昭和５０年３月３日"); }

Values Couple(std::string husband, std::string wife, std::string uji) {
  return With(Witnesses(), {{"husband_ref", std::move(husband)},
                            {"wife_ref", std::move(wife)},
                            {"uji", std::move(uji)}});
}

// Couple() with a new register at kNewHonseki.
Values NewCouple(std::string husband, std::string wife, std::string uji) {
  return With(Couple(std::move(husband), std::move(wife), std::move(uji)), "new_honseki",
              kNewHonseki);
}

// 花子 (R1:3 of the 川上 register) marries `husband`, described as 外部, taking `uji`, with a
// new register at kNewHonseki.
Values HanakoMarries(const Values& husband, std::string uji) {
  return With(
      With(Witnesses(), husband),
      {{"wife_ref", "R1:3"}, {"uji", std::move(uji)}, {"new_honseki", std::string(kNewHonseki)}});
}

// ---- Scenarios with goldens ----------------------------------------------------------------

TEST(KoninRuleTest, MarriageOfTwoChildMembersCreatesANewRegisterForTheHusband) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R1:4", "R2:3", "夫の氏"), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_EQ(cs.updates[0].ref, "R1");
  EXPECT_EQ(cs.updates[0].register_id, "reg-1");
  EXPECT_EQ(cs.updates[0].base_version, 11u);
  EXPECT_EQ(cs.updates[1].ref, "R2");
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "婚姻による新戸籍");
  EXPECT_THAT(cs.notices, IsEmpty());

  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "konin_new_register"), "");
}

TEST(KoninRuleTest, BrideJoinsTheRegisterOfAHusbandWhoIsAlreadyHittosha) {
  const RuleContext context =
      MakeContext({Attach(1, MoritaRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(Couple("R1:1", "R2:3", "夫の氏"), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 2u);
  EXPECT_THAT(cs.creations, IsEmpty());
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Register& marital = cs.updates[0].after;
  ASSERT_EQ(marital.persons.size(), 2u);
  EXPECT_EQ(marital.persons[0].haigusha_kubun, HaigushaKubun::kOtto);
  EXPECT_EQ(marital.persons[1].haigusha_kubun, HaigushaKubun::kTsuma);

  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "konin_join"), "");
}

TEST(KoninRuleTest, MarriageWithAPartyFromAHostedMunicipalitySendsANoticeWithItsTenantCode) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(HanakoMarries(ExternalHusband(), "夫の氏"), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  ASSERT_EQ(cs.creations.size(), 1u);
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  EXPECT_EQ(cs.notices[0].reason, "婚姻届（夫の従前本籍地）");

  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "konin_cross"), "");
}

// ---- Other effects -------------------------------------------------------------------------

TEST(KoninRuleTest, NoticeToAMunicipalityNotHostedHereHasNoTenantCode) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Evaluation result =
      Konin(HanakoMarries(ExternalHusband("青葉県北原市緑町一丁目８番地"), "夫の氏"), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  ASSERT_EQ(result.change_set->notices.size(), 1u);
  EXPECT_EQ(result.change_set->notices[0].municipality, "青葉県北原市");
  EXPECT_EQ(result.change_set->notices[0].tenant_code, std::nullopt);
}

TEST(KoninRuleTest, BrideLeavesWithEnteredRegisterWhenTheExternalHusbandIsHittosha) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Evaluation result =
      Konin(Without(HanakoMarries(ExternalHusband("東海県南浜市浜町１２番地", "大野翔"), "夫の氏"),
                    "new_honseki"),
            context);

  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].tenant_code, std::optional<std::string>("999998"));
  const domain::Person& bride = cs.updates[0].after.persons[2];
  EXPECT_TRUE(bride.removed);
  EXPECT_EQ(bride.mibun_jiko.back().TextOf("入籍戸籍"),
            std::optional<std::string>("東海県南浜市浜町１２番地　大野翔"));
  EXPECT_EQ(bride.mibun_jiko.back().TextOf("称する氏"), std::nullopt);
}

TEST(KoninRuleTest, WifesSurnameMakesHerHittoshaOfTheNewRegister) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(HanakoMarries(ExternalHusband(), "妻の氏"), context);

  ASSERT_THAT(Codes(result), IsEmpty());
  const domain::Register& created = result.change_set->creations.at(0).value;
  EXPECT_EQ(created.HittoshaFullName(), "川上花子");
  ASSERT_EQ(created.persons.size(), 2u);
  EXPECT_EQ(created.persons[0].mei, "花子");
  EXPECT_EQ(created.persons[1].mei, "翔");
  EXPECT_EQ(created.FullNameOf(created.persons[1]), "川上翔");
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

// ---- A spouse of foreign nationality ---------------------------------------------------------

// A fictional foreign husband, as his passport names him.
Values ForeignHusband() {
  return {{"husband_foreign_name", "ミラー、ジョン"},
          {"husband_foreign_nationality", "アメリカ合衆国"},
          {"husband_foreign_birth_date", "1992-03-04"}};
}

// The clerk's acknowledgement of the foreign party's capacity under his own law.
const Values kCapacityConfirmed = {{"RULE-KONIN-018", "婚姻要件具備証明書（在日米国領事）で確認"}};

TEST(KoninRuleTest, ADaughterMarryingAForeignNationalGetsARegisterOfHerOwn) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Values values = With(With(Witnesses(), ForeignHusband()),
                             {{"wife_ref", "R1:3"}, {"new_honseki", std::string(kNewHonseki)}});
  // His capacity to marry is his own law's (通則法24条): the clerk confirms it.
  const Evaluation unconfirmed = Konin(values, context);
  EXPECT_THAT(testing::CodesWithFields(unconfirmed.findings),
              ElementsAre("RULE-KONIN-018@husband_foreign_nationality"));
  EXPECT_TRUE(unconfirmed.Blocked());

  const Evaluation result = Konin(values, context, kCapacityConfirmed);
  ASSERT_FALSE(result.Blocked());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_THAT(cs.notices, IsEmpty());  // he has no register anywhere
  const domain::Register& created = cs.creations[0].value;
  // She keeps her 氏 and heads the new register alone (戸籍法16条3項).
  EXPECT_EQ(created.HittoshaFullName(), "川上花子");
  ASSERT_EQ(created.persons.size(), 1u);
  EXPECT_EQ(created.persons[0].haigusha_kubun, HaigushaKubun::kTsuma);
  // Checked against the 戸籍法16条3項 effect and the computerized 婚姻 entry with a foreign
  // spouse as remembered (UNVERIFIED): in the parents' register 花子 leaves with
  // 婚姻【婚姻日】令和８年６月１５日【配偶者氏名】ミラー、ジョン【配偶者の国籍】アメリカ合衆国
  // 【配偶者の生年月日】西暦１９９２年３月４日【新本籍】… and no 【称する氏】 (no 氏 was chosen);
  // in the new register 戸籍編製 and the same 婚姻 with 【従前戸籍】 instead of 【新本籍】, her
  // 【配偶者区分】妻, and no entry for him.
  EXPECT_EQ(ScenarioGoldenDiff(context, cs, "konin_foreign_spouse"), "");
}

TEST(KoninRuleTest, AHittoshaMarryingAForeignNationalStaysInHisRegister) {
  const RuleContext context = MakeContext({Attach(1, MoritaRegister())}, kFiledOn);
  Values values = With(With(Witnesses(), ForeignWife()), "husband_ref", "R1:1");
  const Evaluation result =
      Konin(values, context, {{"RULE-KONIN-018", "婚姻要件具備証明書で確認"}});
  ASSERT_FALSE(result.Blocked()) << testing::CodesWithFields(result.findings)[0];
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.updates.size(), 1u);
  const domain::Register& after = cs.updates[0].after;
  ASSERT_EQ(after.persons.size(), 1u);
  EXPECT_EQ(after.persons[0].haigusha_kubun, HaigushaKubun::kOtto);
  const domain::Event& marriage = after.persons[0].mibun_jiko.back();
  EXPECT_EQ(marriage.kind, "婚姻");
  EXPECT_EQ(marriage.TextOf("配偶者の国籍"), std::optional<std::string>("中国"));
  EXPECT_EQ(marriage.TextOf("従前戸籍"), std::nullopt);
  const std::string printed = testing::Certificate(after);
  EXPECT_THAT(printed, ::testing::HasSubstr("【配偶者の生年月日】西暦１９９３年１１月３０日"));
  // Married now: a second marriage is refused.
  const RuleContext later = MakeContext({Attach(1, after)}, "2026-07-01");
  EXPECT_THAT(Codes(Konin(values, later, {{"RULE-KONIN-018", "確認"}})),
              Contains("RULE-KONIN-006"));
}

TEST(KoninRuleTest, AMarriageWithAForeignNationalChoosesNoSurname) {
  const RuleContext context = MakeContext({Attach(1, MoritaRegister())}, kFiledOn);
  const Values values = With(With(Witnesses(), ForeignWife()), "husband_ref", "R1:1");
  EXPECT_THAT(Codes(Konin(With(values, "uji", "夫の氏"), context, kCapacityConfirmed)),
              ElementsAre("RULE-KONIN-018", "RULE-KONIN-020"));
  // Between Japanese spouses the 氏 must be chosen.
  const RuleContext two =
      MakeContext({Attach(1, MoritaRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Konin(Without(Couple("R1:1", "R2:3", "夫の氏"), "uji"), two)),
              ElementsAre("RULE-KONIN-020"));
}

TEST(KoninRuleTest, AForeignPartyIsDescribedCompletelyAndOnlyOnce) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Values base = With(With(Witnesses(), ForeignHusband()),
                           {{"wife_ref", "R1:3"}, {"new_honseki", std::string(kNewHonseki)}});
  EXPECT_THAT(testing::CodesWithFields(
                  Konin(Without(base, "husband_foreign_nationality"), context).findings),
              ElementsAre("RULE-KONIN-017@husband_foreign_nationality"));
  EXPECT_THAT(Codes(Konin(With(base, "husband_ext_uji", "大野"), context)),
              ElementsAre("RULE-KONIN-001"));
  // Two foreign nationals marry under no register of this office.
  const Values both = With(Without(base, "wife_ref"), ForeignWife());
  EXPECT_THAT(Codes(Konin(both, context)), ElementsAre("RULE-KONIN-019"));
}

TEST(KoninRuleTest, ExternalPartyEnteringARegisterHereNeedsTheBirthEntry) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  Values husband = ExternalHusband();
  husband.pop_back();  // no 出生の届出人
  const Evaluation result = Konin(HanakoMarries(husband, "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-015"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(KoninRuleTest, LastMemberLeavingClosesTheRegister) {
  const RuleContext context =
      MakeContext({Attach(1, MoritaRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  // 和也 takes his wife's 氏: she is not 筆頭者, so a new register; his own register empties.
  const Evaluation result = Konin(NewCouple("R1:1", "R2:3", "妻の氏"), context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const domain::Register& old = result.change_set->updates.at(0).after;
  EXPECT_EQ(old.status, domain::RegisterStatus::kJoseki);
  EXPECT_EQ(old.koseki_jiko.back().kind, "戸籍消除");
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

// No remarriage waiting period since 2024-04-01 (令和4年法律第102号): a woman divorced one day
// marries on the next.
TEST(KoninRuleTest, WomanMayRemarryTheDayAfterHerDivorce) {
  const RuleContext divorce_day =
      MakeContext({Attach(1, AokiRegister()), Attach(2, MatsuiRegister())}, "2026-06-15");
  const Evaluation divorce = EvaluateWith(NotificationType::kRikon,
                                          With(Witnesses(), {{"husband_ref", "R1:1"},
                                                             {"wife_ref", "R1:2"},
                                                             {"kind", "協議"},
                                                             {"destination", "復籍"},
                                                             {"return_register", "R2"},
                                                             {"custody_father", "R1:3,R1:4"}}),
                                          divorce_day);
  ASSERT_THAT(Codes(divorce), IsEmpty());
  const domain::Register matsui_after = divorce.change_set->updates.at(1).after;
  const int sakura = matsui_after.persons.back().seq;

  const RuleContext next_day =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, matsui_after)}, "2026-06-16");
  const Evaluation marriage =
      Konin(NewCouple("R1:4", "R2:" + std::to_string(sakura), "夫の氏"), next_day);
  EXPECT_THAT(Codes(marriage), IsEmpty());
  ASSERT_TRUE(marriage.change_set.has_value());
  EXPECT_EQ(ValidateAll(*marriage.change_set), "");
  // The dissolved marriage is not transcribed into the new register.
  const domain::Person& bride = marriage.change_set->creations.at(0).value.persons.at(1);
  ASSERT_EQ(bride.mibun_jiko.size(), 2u);
  EXPECT_EQ(bride.mibun_jiko[0].kind, "出生");
  EXPECT_EQ(bride.mibun_jiko[1].kind, "婚姻");
}

TEST(KoninRuleTest, WidowMayRemarry) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiParentsRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R2:3", "R1:2", "夫の氏"), context);
  EXPECT_THAT(Codes(result), IsEmpty());
  ASSERT_TRUE(result.change_set.has_value());
  // The widow's 配偶者区分 from her first marriage does not travel with her.
  const domain::Person& bride = result.change_set->creations.at(0).value.persons.at(1);
  EXPECT_EQ(bride.haigusha_kubun, HaigushaKubun::kTsuma);
  ASSERT_EQ(bride.mibun_jiko.size(), 2u);
  EXPECT_EQ(bride.mibun_jiko[1].TextOf("配偶者氏名"), std::optional<std::string>("川上修"));
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

// ---- Validations ---------------------------------------------------------------------------

// 花子 (R1:3) and an external bridegroom; `birth` replaces her husband's birth date.
Evaluation MarryExternal(std::string_view filed_on, std::string_view husband_birth) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, filed_on);
  return Konin(
      With(HanakoMarries(ExternalHusband(), "夫の氏"), "husband_ext_birth_date", husband_birth),
      context);
}

TEST(KoninRuleTest, PartyUnder18OnTheFilingDayIsRefused) {
  // Born 2008-06-17: 17 on 2026-06-16, the day before the 18th birthday.
  EXPECT_THAT(Codes(MarryExternal("2026-06-16", "2008-06-17")), ElementsAre("RULE-KONIN-005"));
  EXPECT_FALSE(MarryExternal("2026-06-16", "2008-06-17").change_set.has_value());
}

TEST(KoninRuleTest, PartyTurning18OnTheFilingDayMayMarry) {
  EXPECT_THAT(Codes(MarryExternal("2026-06-17", "2008-06-17")), IsEmpty());
}

TEST(KoninRuleTest, ExistingMarriageIsRefused) {
  const RuleContext context =
      MakeContext({Attach(1, AokiRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(Couple("R1:1", "R2:3", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-006"));
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(KoninRuleTest, SiblingsMayNotMarry) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R1:4", "R1:3", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-008"));
}

TEST(KoninRuleTest, UncleAndNieceAcrossRegistersMayNotMarry) {
  // 修 is in his parents' register; his brother 正一 left it before the 改製 and is known there
  // only through 花子's 【父】 and his own 【父】【母】.
  const RuleContext context =
      MakeContext({Attach(1, KawakamiRegister()), Attach(2, KawakamiParentsRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R2:3", "R1:3", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-008"));
}

TEST(KoninRuleTest, GrandfatherAndGranddaughterMayNotMarry) {
  const RuleContext context =
      MakeContext({Attach(1, KawakamiRegister()), Attach(2, KawakamiParentsRegister())}, kFiledOn);
  const Evaluation result = Konin(Couple("R2:1", "R1:3", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-007"));
}

domain::Register KawakamiAfterHusbandsDeath() {
  domain::Register r = KawakamiRegister();
  domain::Person& husband = r.persons[0];
  husband.mibun_jiko.push_back(
      domain::MakeEvent("死亡", {domain::DateField("死亡日", domain::testing::Day("2025-02-01")),
                                 domain::TextField("死亡地", "青葉県みなと市"),
                                 domain::DateField("届出日", domain::testing::Day("2025-02-02")),
                                 domain::TextField("届出人", "親族　川上由美")}));
  husband.removed = true;
  husband.removal_kind = "死亡";
  domain::RecordSpouseDeath(r.persons[1], domain::testing::Day("2025-02-01"));
  return r;
}

TEST(KoninRuleTest, FatherInLawAndWidowedDaughterInLawMayNotMarry) {
  const RuleContext context = MakeContext(
      {Attach(1, KawakamiAfterHusbandsDeath()), Attach(2, KawakamiParentsRegister())}, kFiledOn);
  const Evaluation result = Konin(Couple("R2:1", "R1:2", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-009"));
}

TEST(KoninRuleTest, BrotherInLawAndWidowMayMarry) {
  const RuleContext context = MakeContext(
      {Attach(1, KawakamiAfterHusbandsDeath()), Attach(2, KawakamiParentsRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R2:3", "R1:2", "夫の氏"), context);
  EXPECT_THAT(Codes(result), IsEmpty());
  EXPECT_EQ(ValidateAll(*result.change_set), "");
}

TEST(KoninRuleTest, ParentNameMatchingTheOtherPartyIsAWarningToConfirm) {
  const RuleContext context = MakeContext({Attach(1, KawakamiParentsRegister())}, kFiledOn);
  const Values values = With(Witnesses(), {{"husband_ref", "R1:3"},
                                           {"wife_ext_honseki", "青葉県北原市緑町一丁目８番地"},
                                           {"wife_ext_hittosha", "村田恵子"},
                                           {"wife_ext_uji", "村田"},
                                           {"wife_ext_mei", "香織"},
                                           {"wife_ext_birth_date", "1998-02-14"},
                                           {"wife_ext_father", "川上修"},
                                           {"wife_ext_mother", "村田恵子"},
                                           {"wife_ext_zokugara", "長女"},
                                           {"uji", "夫の氏"},
                                           {"new_honseki", std::string(kNewHonseki)},
                                           {"wife_ext_birth_place", "青葉県北原市"},
                                           {"wife_ext_birth_filed_on", "1998-02-20"},
                                           {"wife_ext_birth_filer", "母"}});
  const Evaluation unconfirmed = Konin(values, context);
  EXPECT_THAT(Codes(unconfirmed), ElementsAre("RULE-KONIN-010"));
  EXPECT_TRUE(unconfirmed.Blocked());
  EXPECT_TRUE(unconfirmed.change_set.has_value());

  const Evaluation confirmed =
      Konin(values, context, {{"RULE-KONIN-010", "戸籍謄本で別人であることを確認"}});
  EXPECT_FALSE(confirmed.Blocked());
  EXPECT_EQ(ValidateAll(*confirmed.change_set), "");
}

TEST(KoninRuleTest, WitnessUnder18IsRefused) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Values base = NewCouple("R1:4", "R2:3", "夫の氏");
  EXPECT_THAT(Codes(Konin(With(base, "witness2_birth_date", "2008-06-16"), context)),
              ElementsAre("RULE-KONIN-011"));
  EXPECT_THAT(Codes(Konin(With(base, "witness2_birth_date", "2008-06-15"), context)), IsEmpty());
}

TEST(KoninRuleTest, MissingWitnessIsAFormError) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  Values values = NewCouple("R1:4", "R2:3", "夫の氏");
  values.erase(values.begin() + 2, values.begin() + 4);  // witness 2
  const Evaluation result = Konin(values, context);
  EXPECT_TRUE(result.Blocked());
  EXPECT_FALSE(result.change_set.has_value());
}

TEST(KoninRuleTest, RemovedPersonCannotMarry) {
  const RuleContext context =
      MakeContext({Attach(1, KawakamiRegister()), Attach(2, ExampleRegister())}, kFiledOn);
  // 真理 (R2:3) left her parents' register by marriage in 平成25.
  const Evaluation result = Konin(NewCouple("R1:4", "R2:3", "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-003"));
}

TEST(KoninRuleTest, HusbandMustBeRecordedAsMale) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Evaluation result = Konin(NewCouple("R2:3", "R1:4", "夫の氏"), context);
  EXPECT_THAT(Codes(result), Contains("RULE-KONIN-004"));
}

TEST(KoninRuleTest, SamePersonCannotBeBothParties) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  EXPECT_THAT(Codes(Konin(Couple("R1:3", "R1:3", "夫の氏"), context)),
              ElementsAre("RULE-KONIN-012"));
}

TEST(KoninRuleTest, PartyNeedsEitherAReferenceOrAnExternalDescriptionButNotBoth) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  const Values neither = With(Witnesses(), {{"wife_ref", "R1:3"}, {"uji", "夫の氏"}});
  EXPECT_THAT(Codes(Konin(neither, context)), ElementsAre("RULE-KONIN-001"));
  const Values both = With(With(neither, ExternalHusband()), {{"husband_ref", "R1:4"}});
  EXPECT_THAT(Codes(Konin(both, context)), ElementsAre("RULE-KONIN-001"));
}

TEST(KoninRuleTest, IncompleteExternalDescriptionIsRefused) {
  const RuleContext context = MakeContext({Attach(1, KawakamiRegister())}, kFiledOn);
  Values husband = ExternalHusband();
  husband.erase(husband.begin() + 1);  // 筆頭者氏名
  const Evaluation result = Konin(HanakoMarries(husband, "夫の氏"), context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-002"));
}

TEST(KoninRuleTest, NewHonsekiIsRequiredExactlyWhenANewRegisterIsMade) {
  const RuleContext context =
      MakeContext({Attach(1, MoritaRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  // 和也 is 筆頭者: no new register, so no 新本籍.
  EXPECT_THAT(Codes(Konin(NewCouple("R1:1", "R2:3", "夫の氏"), context)),
              ElementsAre("RULE-KONIN-013"));
  // 花子 is not 筆頭者: a new register needs a 新本籍.
  EXPECT_THAT(Codes(Konin(Couple("R1:1", "R2:3", "妻の氏"), context)),
              ElementsAre("RULE-KONIN-013"));
}

TEST(KoninRuleTest, PartyAlreadyInTheHittoshasRegisterCannotJoinItAgain) {
  // An artificial member the registers do not relate to 和也 (so no relative finding hides
  // the structural one).
  domain::Register morita = MoritaRegister();
  morita.persons.push_back(domain::Person{.seq = 2,
                                          .mei = "里奈",
                                          .sex = domain::Sex::kFemale,
                                          .birth_date = domain::testing::Day("1995-01-01"),
                                          .father = "木村一",
                                          .mother = "木村二三",
                                          .zokugara = "長女"});
  const RuleContext context = MakeContext({Attach(1, morita)}, kFiledOn);
  EXPECT_THAT(Codes(Konin(Couple("R1:1", "R1:2", "夫の氏"), context)),
              ElementsAre("RULE-KONIN-014"));
}

TEST(KoninRuleTest, NewRegisterElsewhereIsANoticeNotACreation) {
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())}, kFiledOn);
  const Evaluation result =
      Konin(With(Couple("R1:4", "R2:3", "夫の氏"), {{"new_honseki", "東海県南浜市浜町２０番地"}}),
            context);
  ASSERT_THAT(Codes(result), IsEmpty());
  EXPECT_THAT(result.change_set->creations, IsEmpty());
  ASSERT_EQ(result.change_set->notices.size(), 1u);
  EXPECT_EQ(result.change_set->notices[0].reason, "婚姻届（新本籍地）");
  EXPECT_EQ(result.change_set->updates.size(), 2u);
}

TEST(KoninRuleTest, UnknownBirthDateIsAWarning) {
  domain::Register kawakami = KawakamiRegister();
  kawakami.persons[2].birth_date = text::JapaneseDate::Inexact("推定平成８年");
  const RuleContext context =
      MakeContext({Attach(1, ExampleRegister()), Attach(2, kawakami)}, kFiledOn);
  const Values values = NewCouple("R1:4", "R2:3", "夫の氏");
  const Evaluation result = Konin(values, context);
  EXPECT_THAT(Codes(result), ElementsAre("RULE-KONIN-016"));
  EXPECT_TRUE(result.Blocked());
  EXPECT_FALSE(Konin(values, context, {{"RULE-KONIN-016", "確認済み"}}).Blocked());
}

TEST(KoninRuleTest, FormListsBothPartiesTheSurnameAndTwoWitnesses) {
  const FormSpec& form = RuleFor(NotificationType::kKonin).Form();
  EXPECT_EQ(form.title, "婚姻届");
  ASSERT_NE(form.Find("uji"), nullptr);
  EXPECT_THAT(form.Find("uji")->choices, ElementsAre("夫の氏", "妻の氏"));
  EXPECT_TRUE(form.Find("witness2_birth_date")->required);
  EXPECT_EQ(form.Find("husband_ref")->type, FieldType::kPersonRef);
  EXPECT_EQ(form.Find("wife_ext_honseki")->type, FieldType::kHonseki);
  EXPECT_EQ(form.Find("husband_foreign_birth_date")->type, FieldType::kDate);
  EXPECT_FALSE(form.Find("uji")->required);  // not chosen with a foreign spouse
  EXPECT_THAT(form.Find("new_honseki"), Not(nullptr));
}

}  // namespace
}  // namespace koseki::rules
