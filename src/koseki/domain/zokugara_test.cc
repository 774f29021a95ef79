#include "koseki/domain/zokugara.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::domain {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOkAndHolds;
using testing::Day;

TEST(ZokugaraTest, OrdinalsUseNiNotTsugi) {
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 1), "長男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 2), "二男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 3), "三男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, 1), "長女");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, 2), "二女");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, 9), "九女");
}

TEST(ZokugaraTest, OrdinalsFromTenUseKanjiNumerals) {
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 10), "十男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 11), "十一男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, 12), "十二女");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 20), "二十男");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, 21), "二十一女");
}

TEST(ZokugaraTest, OrdinalBelowOneGivesEmptyString) {
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kMale, 0), "");
  EXPECT_EQ(ZokugaraForOrdinal(Sex::kFemale, -3), "");
}

TEST(ZokugaraTest, ParsesWellFormedZokugaraForTheRightSexOnly) {
  EXPECT_EQ(ZokugaraOrdinal(Sex::kMale, "長男"), 1);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kFemale, "二女"), 2);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kMale, "十一男"), 11);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kMale, "次男"), 0);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kFemale, "長男"), 0);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kMale, "養子"), 0);
  EXPECT_EQ(ZokugaraOrdinal(Sex::kMale, ""), 0);
}

ChildOfParents Child(Sex sex, const char* iso, const char* father = "山川健一",
                     const char* mother = "山川美咲", bool chakushutsu = true) {
  return ChildOfParents{sex, Day(iso), father, mother, chakushutsu};
}

TEST(ZokugaraTest, CountsPerSexInBirthOrder) {
  const std::vector<ChildOfParents> siblings = {
      Child(Sex::kFemale, "1985-08-03"),
      Child(Sex::kMale, "1987-12-01"),
      Child(Sex::kMale, "1992-04-10"),
  };
  // A son born between the two others is 二男 even though he is listed last.
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1990-01-05"), siblings), IsOkAndHolds("二男"));
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1995-01-05"), siblings), IsOkAndHolds("三男"));
  EXPECT_THAT(ComputeZokugara(Child(Sex::kFemale, "1995-01-05"), siblings), IsOkAndHolds("二女"));
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1980-01-05"), siblings), IsOkAndHolds("長男"));
}

TEST(ZokugaraTest, ChildrenOfOtherParentsAreNotCounted) {
  const std::vector<ChildOfParents> siblings = {
      Child(Sex::kMale, "1980-01-01", "川村正和", "山川美咲"),  // mother's earlier marriage
      Child(Sex::kMale, "1981-01-01", "山川健一", "大野洋子"),  // father's earlier marriage
  };
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1990-01-05"), siblings), IsOkAndHolds("長男"));
}

TEST(ZokugaraTest, ChildOfUnmarriedParentsIsCountedAmongMothersChildrenOutOfWedlock) {
  const std::vector<ChildOfParents> siblings = {
      Child(Sex::kFemale, "2001-03-03", "", "山川真理", false),
      Child(Sex::kFemale, "2003-03-03", "大野翔", "山川真理", false),  // acknowledged (認知)
      Child(Sex::kFemale, "2002-03-03", "大野翔", "山川真理", true),   // born in wedlock
  };
  EXPECT_THAT(ComputeZokugara(Child(Sex::kFemale, "2005-05-05", "", "山川真理", false), siblings),
              IsOkAndHolds("三女"));
}

TEST(ZokugaraTest, ChildWithoutFatherIsNeverCountedAsBornInWedlock) {
  const std::vector<ChildOfParents> siblings = {
      Child(Sex::kMale, "2001-03-03", "", "山川真理", true),
  };
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "2005-05-05", "", "山川真理", true), siblings),
              IsOkAndHolds("二男"));
  EXPECT_THAT(
      ComputeZokugara(Child(Sex::kMale, "2005-05-05", "大野翔", "山川真理", true), siblings),
      IsOkAndHolds("長男"));
}

TEST(ZokugaraTest, TwinListedAsSiblingCountsAsElder) {
  const std::vector<ChildOfParents> siblings = {Child(Sex::kFemale, "1990-02-28")};
  EXPECT_THAT(ComputeZokugara(Child(Sex::kFemale, "1990-02-28"), siblings), IsOkAndHolds("二女"));
}

TEST(ZokugaraTest, SameDaySiblingsAreThoseOfOneBirthOfTheSameSexAndParents) {
  const std::vector<ChildOfParents> siblings = {
      Child(Sex::kFemale, "1990-02-28"), Child(Sex::kFemale, "1990-02-28"),
      Child(Sex::kMale, "1990-02-28"), Child(Sex::kFemale, "1988-02-28"),
      Child(Sex::kFemale, "1990-02-28", "川村正和", "山川美咲")};
  EXPECT_EQ(CountSameDaySiblings(Child(Sex::kFemale, "1990-02-28"), siblings), 2);
  EXPECT_EQ(CountSameDaySiblings(Child(Sex::kMale, "1990-02-28"), siblings), 1);
  EXPECT_EQ(CountSameDaySiblings(Child(Sex::kFemale, "1990-03-01"), siblings), 0);
}

TEST(ZokugaraTest, EstimatedBirthDayIsUsedForOrdering) {
  ChildOfParents elder = Child(Sex::kMale, "1950-01-01");
  elder.birth_date = text::JapaneseDate::Inexact("推定昭和２５年",
                                                 std::chrono::year{1950} / std::chrono::June / 1);
  const std::vector<ChildOfParents> siblings = {elder};
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1952-01-01"), siblings), IsOkAndHolds("二男"));
}

TEST(ZokugaraTest, UnknownBirthDayOfARelevantSiblingFails) {
  ChildOfParents unknown = Child(Sex::kMale, "1950-01-01");
  unknown.birth_date = text::JapaneseDate::Inexact("年月日不詳");
  const std::vector<ChildOfParents> siblings = {unknown};
  EXPECT_THAT(ComputeZokugara(Child(Sex::kMale, "1952-01-01"), siblings),
              ErrorIdIs("KSK-DOMAIN-040"));
  // A daughter is not compared with him, so his unknown birthday does not matter.
  EXPECT_THAT(ComputeZokugara(Child(Sex::kFemale, "1952-01-01"), siblings), IsOkAndHolds("長女"));
}

TEST(ZokugaraTest, UnknownBirthDayOfTheChildFails) {
  ChildOfParents child = Child(Sex::kMale, "1950-01-01");
  child.birth_date = text::JapaneseDate::Inexact("年月日不詳");
  EXPECT_THAT(ComputeZokugara(child, {}), ErrorIdIs("KSK-DOMAIN-040"));
}

TEST(ZokugaraTest, AdoptiveZokugaraFollowsSex) {
  EXPECT_EQ(YoZokugaraFor(Sex::kMale), "養子");
  EXPECT_EQ(YoZokugaraFor(Sex::kFemale), "養女");
}

}  // namespace
}  // namespace koseki::domain
