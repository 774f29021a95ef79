// 復氏届: 美咲, widowed on 令和６年１１月２０日 (DOMAIN.md §1.5), goes back to her former 氏 川村 —
// into a new register here (goldens) or back to her father's register in 東海県南浜市 (a 送付);
// and who may not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/marriage_end.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/fixtures.h"

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

constexpr auto kFukuuji = NotificationType::kFukuuji;

Evaluation File(const domain::Register& reg, const Values& values) {
  return EvaluateWith(kFukuuji, values, MakeContext({Attach(1, reg)}, "2025-03-03"));
}

const Values kNewRegisterHere = {{"survivor", "R1:2"},
                                 {"destination", "新戸籍"},
                                 {"new_honseki", "青葉県みなと市緑町一丁目８番地"},
                                 {"former_uji", "川村"},
                                 {"former_uji_furigana", "カワムラ"}};

TEST(FukuujiTest, TheWidowGoesBackToHerFormerSurnameInANewRegister) {
  const Evaluation result = File(domain::testing::ExampleRegister(), kNewRegisterHere);
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  ASSERT_EQ(cs.creations.size(), 1u);
  EXPECT_EQ(cs.creations[0].label, "復氏による新戸籍");
  EXPECT_THAT(cs.notices, IsEmpty());
  // Checked against 戸籍法95条 and the 離婚 entries the 復氏 mirrors (UNVERIFIED): 美咲 gets
  // 復氏【復氏日】令和７年３月３日【新本籍】… and ［除　籍］; 拓也 stays, his 続柄 and parents as
  // they were.
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "fukuuji_shinkoseki_after_1.txt"), "");
  // The new register: 氏 川村 (カワムラ), 戸籍編製, 美咲 as 筆頭者 with her 出生 transcribed and
  // 復氏【復氏日】【従前戸籍】; neither the marriage nor 配偶者の死亡 is carried over.
  EXPECT_EQ(GoldenDiff(Certificate(cs.creations[0].value), "fukuuji_shinkoseki_after_2.txt"), "");
}

TEST(FukuujiTest, BackToHerFathersRegisterElsewhereIsASofu) {
  const Evaluation result =
      File(domain::testing::ExampleRegister(), {{"survivor", "R1:2"},
                                                {"destination", "復籍"},
                                                {"return_ext_honseki", "東海県南浜市浜町５番地"},
                                                {"return_ext_hittosha", "川村正和"}});
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_THAT(cs.creations, IsEmpty());
  ASSERT_EQ(cs.notices.size(), 1u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, "999998");
  const domain::Event& left = cs.updates[0].after.persons[1].mibun_jiko.back();
  EXPECT_EQ(left.kind, "復氏");
  EXPECT_EQ(left.TextOf("入籍戸籍"), "東海県南浜市浜町５番地　川村正和");
}

TEST(FukuujiTest, OnlyAWidowedSpouseWhoTookTheOthersSurnameMay) {
  const domain::Register reg = domain::testing::ExampleRegister();
  EXPECT_THAT(
      CodesWithFields(File(reg, testing::With(kNewRegisterHere, "survivor", "R1:1")).findings),
      ElementsAre("RULE-FUKUUJI-001@survivor"));
  EXPECT_THAT(
      CodesWithFields(File(reg, testing::With(kNewRegisterHere, "survivor", "R1:4")).findings),
      ElementsAre("RULE-FUKUUJI-002@survivor"));
  // A widower who is 筆頭者 already bears his own 氏.
  domain::Register widower = reg;
  widower.persons[0].removed = false;
  widower.persons[0].removal_kind.clear();
  std::erase_if(widower.persons[0].mibun_jiko,
                [](const domain::Event& e) { return e.kind == "死亡"; });
  domain::RecordSpouseDeath(widower.persons[0], domain::testing::Day("2024-11-20"));
  EXPECT_THAT(
      CodesWithFields(File(widower, testing::With(kNewRegisterHere, "survivor", "R1:1")).findings),
      ElementsAre("RULE-FUKUUJI-003@survivor"));
  // The destination is checked as a divorce's is.
  EXPECT_THAT(CodesWithFields(File(reg, testing::Without(kNewRegisterHere, "former_uji")).findings),
              ElementsAre("RULE-FUKUUJI-004@former_uji"));
}

}  // namespace
}  // namespace koseki::rules
