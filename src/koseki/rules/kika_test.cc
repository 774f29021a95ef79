// 帰化届: a register of one's own, or the Japanese spouse's register after a marriage recorded
// with the person as a foreign national; the month from the 告示; what the form must agree on.
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
using testing::Without;
using testing::family::AdultWitnesses;
using testing::family::ForeignWife;
using testing::family::MoritaRegister;

constexpr auto kKika = NotificationType::kKika;

// ワン、メイ, naturalized by the 告示 of 2026-10-01, takes the name 林美玲 in a register of her
// own (fictional).
Values MeiOwnRegister() {
  return {{"uji", "林"},
          {"mei", "美玲"},
          {"uji_furigana", "ハヤシ"},
          {"mei_furigana", "メイリン"},
          {"sex", "女"},
          {"birth_date", "1993-11-30"},
          {"birth_place", "中国遼寧省大連市"},
          {"father_name", "ワン、ウェイ"},
          {"mother_name", "チャン、リー"},
          {"zokugara", "長女"},
          {"kika_date", "2026-10-01"},
          {"former_nationality", "中国"},
          {"former_name", "ワン、メイ"},
          {"destination", "新戸籍"},
          {"new_honseki", "青葉県みなと市緑町二丁目５番地"}};
}

Evaluation File(const Values& values, std::vector<rules::AttachedRegister> regs,
                std::string_view on = "2026-10-20", const Values& acks = {}) {
  return EvaluateWith(kKika, values, MakeContext(std::move(regs), on), acks);
}

// 森田和也's register after he married ワン、メイ of 中国 (the 婚姻届 of a foreign spouse).
domain::Register MoritaMarriedToAForeignNational() {
  const Values konin = With(With(AdultWitnesses(), ForeignWife()), "husband_ref", "R1:1");
  const Evaluation married = EvaluateWith(NotificationType::kKonin, konin,
                                          MakeContext({Attach(1, MoritaRegister())}, "2025-06-16"),
                                          {{"RULE-KONIN-018", "婚姻要件具備証明書で確認"}});
  EXPECT_TRUE(married.change_set.has_value());
  return married.change_set->updates.at(0).after;
}

TEST(KikaTest, ANaturalizedPersonHeadsARegisterOfHerOwn) {
  const Evaluation result = File(MeiOwnRegister(), {});
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  EXPECT_THAT(cs.updates, IsEmpty());
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "帰化による新戸籍");
  const domain::Register& created = cs.creations[0].value;
  EXPECT_EQ(created.HittoshaFullName(), "林美玲");
  EXPECT_EQ(created.uji_furigana, std::optional<std::string>("ハヤシ"));
  // Checked against DOMAIN.md §1.4 (帰化【帰化日】【届出日】【帰化の際の国籍】【従前の氏名】,
  // from memory) and §1.6 (readings required from 2025-05-26): 戸籍編製 on the 届出日; 美玲
  // with her reading, 父 and 母 as named in the application, 長女; 出生 with 【出生日】【出生地】
  // only (never filed in Japan; UNVERIFIED); 帰化 with the 告示 day as 【帰化日】.
  EXPECT_EQ(GoldenDiff(Certificate(created), "kika_new_register_after_1.txt"), "");
}

TEST(KikaTest, AForeignWifeNaturalizedEntersHerHusbandsRegister) {
  const domain::Register morita = MoritaMarriedToAForeignNational();
  const Values values =
      With(Without(MeiOwnRegister(), "new_honseki"), {{"uji", "森田"},
                                                      {"mei", "芽衣"},
                                                      {"uji_furigana", "モリタ"},
                                                      {"mei_furigana", "メイ"},
                                                      {"destination", "配偶者の戸籍"},
                                                      {"spouse", "R1:1"}});
  const Evaluation result = File(values, {Attach(1, morita)});
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.updates.size(), 1u);
  const domain::Register& after = cs.updates[0].after;
  ASSERT_EQ(after.persons.size(), 2u);
  EXPECT_EQ(after.persons[1].haigusha_kubun, domain::HaigushaKubun::kTsuma);
  // Checked as above, and: 芽衣 follows 和也 with 【配偶者区分】妻 and, between her 出生 and
  // 帰化, 婚姻【婚姻日】令和７年６月１６日【配偶者氏名】森田和也 as his entry records the marriage
  // (UNVERIFIED); his entries are unchanged.
  EXPECT_EQ(GoldenDiff(Certificate(after), "kika_spouse_after_1.txt"), "");

  // The 氏 is the spouse's; only a 筆頭者 married to a foreign national takes the person in.
  EXPECT_THAT(CodesWithFields(File(With(values, "uji", "林"), {Attach(1, morita)}).findings),
              ElementsAre("RULE-KIKA-006@uji"));
  EXPECT_THAT(CodesWithFields(File(values, {Attach(1, MoritaRegister())}).findings),
              ElementsAre("RULE-KIKA-005@spouse"));
}

TEST(KikaTest, TheMonthRunsFromTheKokujiAndTheReadingsAreRequired) {
  // One month from 2026-10-01: the 1st of November is a Sunday, so the 2nd is still on time.
  EXPECT_THAT(File(MeiOwnRegister(), {}, "2026-11-02").findings, IsEmpty());
  EXPECT_THAT(CodesWithFields(File(MeiOwnRegister(), {}, "2026-11-04").findings),
              ElementsAre("RULE-DEADLINE-001@kika_date"));
  EXPECT_THAT(CodesWithFields(File(MeiOwnRegister(), {}, "2026-09-30").findings),
              ElementsAre("RULE-DATE-001@kika_date"));
  EXPECT_THAT(CodesWithFields(File(Without(MeiOwnRegister(), "mei_furigana"), {}).findings),
              ElementsAre("RULE-KIKA-002@mei_furigana"));
  // A 告示 before the birth is a mistyped date.
  EXPECT_THAT(
      CodesWithFields(File(With(MeiOwnRegister(), "birth_date", "2026-10-02"), {}).findings),
      ElementsAre("RULE-KIKA-003@kika_date"));
}

TEST(KikaTest, TheDestinationIsEitherANewRegisterOrTheSpouses) {
  EXPECT_THAT(CodesWithFields(File(Without(MeiOwnRegister(), "new_honseki"), {}).findings),
              ElementsAre("RULE-KIKA-004@new_honseki"));
  EXPECT_THAT(
      CodesWithFields(
          File(With(MeiOwnRegister(), "spouse", "R1:1"), {Attach(1, MoritaRegister())}).findings),
      ElementsAre("RULE-KIKA-004@new_honseki"));
}

}  // namespace
}  // namespace koseki::rules
