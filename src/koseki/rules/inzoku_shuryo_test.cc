// 姻族関係終了届: 美咲, widowed on 令和６年１１月２０日 (DOMAIN.md §1.5), ends her relationship
// with 健一's relatives (golden); who may file, and when the register cannot show the death.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

constexpr auto kInzokuShuryo = NotificationType::kInzokuShuryo;

Evaluation File(const domain::Register& reg, const Values& values, const Values& acks = {}) {
  return EvaluateWith(kInzokuShuryo, values, MakeContext({Attach(1, reg)}, "2025-03-03"), acks);
}

TEST(InzokuShuryoTest, TheWidowEndsHerRelationshipWithHerLateHusbandsFamily) {
  const Evaluation result = File(domain::testing::ExampleRegister(), {{"survivor", "R1:2"}});
  ASSERT_THAT(CodesWithFields(result.findings), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  EXPECT_EQ(ValidateAll(cs), "");
  ASSERT_EQ(cs.updates.size(), 1u);
  EXPECT_THAT(cs.notices, IsEmpty());
  const domain::Person& survivor = cs.updates[0].after.persons[1];
  EXPECT_FALSE(survivor.removed);
  EXPECT_EQ(survivor.haigusha_kubun, domain::HaigushaKubun::kNone);
  // Checked against 戸籍法96条 and the computerized entry as remembered (UNVERIFIED): after
  // 美咲's 配偶者の死亡, 姻族関係終了【姻族関係終了日】令和７年３月３日【死亡配偶者氏名】山川健一;
  // nothing else in the register changes.
  EXPECT_EQ(GoldenDiff(Certificate(cs.updates[0].after), "inzoku_shuryo_after_1.txt"), "");
}

TEST(InzokuShuryoTest, OnlyASurvivorOfADeathMayFileAndOnlyOnce) {
  const domain::Register reg = domain::testing::ExampleRegister();
  // 拓也 never married; 健一 is the one who died.
  EXPECT_THAT(CodesWithFields(File(reg, {{"survivor", "R1:4"}}).findings),
              ElementsAre("RULE-INZOKU-003@survivor"));
  EXPECT_THAT(CodesWithFields(File(reg, {{"survivor", "R1:1"}}).findings),
              ElementsAre("RULE-INZOKU-001@survivor"));
  const domain::Register filed = File(reg, {{"survivor", "R1:2"}}).change_set->updates[0].after;
  EXPECT_THAT(CodesWithFields(File(filed, {{"survivor", "R1:2"}}).findings),
              ElementsAre("RULE-INZOKU-004@survivor"));
  EXPECT_THAT(CodesWithFields(
                  File(reg, {{"survivor", "R1:2"}, {"deceased_spouse_name", "山川健二"}}).findings),
              ElementsAre("RULE-INZOKU-002@deceased_spouse_name"));
}

TEST(InzokuShuryoTest, ADeathTheRegisterDoesNotShowIsConfirmedByTheClerk) {
  // 拓也, say, was widowed in a register that is not this one: the clerk names the spouse and
  // confirms the death from the 除籍謄本.
  const domain::Register reg = domain::testing::ExampleRegister();
  const Values named = {{"survivor", "R1:4"}, {"deceased_spouse_name", "森花子"}};
  const Evaluation unconfirmed = File(reg, named);
  EXPECT_THAT(CodesWithFields(unconfirmed.findings),
              ElementsAre("RULE-INZOKU-006@deceased_spouse_name"));
  EXPECT_TRUE(unconfirmed.Blocked());
  const Evaluation confirmed = File(reg, named, {{"RULE-INZOKU-006", "除籍謄本で死亡を確認"}});
  ASSERT_FALSE(confirmed.Blocked());
  EXPECT_EQ(
      confirmed.change_set->updates[0].after.persons[3].mibun_jiko.back().TextOf("死亡配偶者氏名"),
      "森花子");
}

}  // namespace
}  // namespace koseki::rules
