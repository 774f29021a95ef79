#include "koseki/domain/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::domain {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using testing::Day;
using testing::ExampleRegister;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ValidateEventTest, AcceptsAWellFormedEvent) {
  EXPECT_THAT(ValidateEvent(ExampleRegister().persons[0].mibun_jiko[2]), IsOk());
}

TEST(ValidateEventTest, RefusesUnknownKind) {
  EXPECT_THAT(ValidateEvent(MakeEvent("出産", {TextField("出生地", "青葉県みなと市")})),
              ErrorIdIs("KSK-DOMAIN-001"));
}

TEST(ValidateEventTest, RefusesTagMissingFromTemplate) {
  const Event e = MakeEvent(
      "出生", {DateField("出生日", Day("2020-01-01")), TextField("出生場所", "青葉県みなと市")});
  Result<void> r = ValidateEvent(e);
  EXPECT_THAT(r, ErrorIdIs("KSK-DOMAIN-002"));
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().public_message, HasSubstr("event.fields[1].tag"));
  EXPECT_THAT(r.error().public_message, Not(HasSubstr("出生場所")));
}

TEST(ValidateEventTest, RefusesDuplicateTag) {
  const Event e = MakeEvent(
      "出生", {DateField("出生日", Day("2020-01-01")), DateField("出生日", Day("2020-01-02"))});
  EXPECT_THAT(ValidateEvent(e), ErrorIdIs("KSK-DOMAIN-003"));
}

TEST(ValidateEventTest, RefusesTextInADateTag) {
  const Event e = MakeEvent("出生", {TextField("出生日", "令和２年１月１日")});
  EXPECT_THAT(ValidateEvent(e), ErrorIdIs("KSK-DOMAIN-004"));
}

TEST(ValidateEventTest, RefusesADateInATextTag) {
  const Event e = MakeEvent("出生", {DateField("出生地", Day("2020-01-01"))});
  EXPECT_THAT(ValidateEvent(e), ErrorIdIs("KSK-DOMAIN-004"));
}

TEST(ValidateEventTest, AcceptsTextForAnInexactTime) {
  const Event e = MakeEvent(
      "死亡", {DateField("死亡日", Day("2020-01-01")), TextField("死亡時分", "推定午前３時")});
  EXPECT_THAT(ValidateEvent(e), IsOk());
}

TEST(ValidateEventTest, RefusesTimeOutOfRange) {
  EXPECT_THAT(ValidateEvent(MakeEvent("死亡", {TimeField("死亡時分", 24, 0)})),
              ErrorIdIs("KSK-DOMAIN-008"));
  EXPECT_THAT(ValidateEvent(MakeEvent("死亡", {TimeField("死亡時分", 23, 60)})),
              ErrorIdIs("KSK-DOMAIN-008"));
}

TEST(ValidateEventTest, RefusesEventWithoutFieldsAndEmptyText) {
  EXPECT_THAT(ValidateEvent(MakeEvent("出生", {})), ErrorIdIs("KSK-DOMAIN-005"));
  EXPECT_THAT(ValidateEvent(MakeEvent("出生", {TextField("出生地", "")})),
              ErrorIdIs("KSK-DOMAIN-005"));
}

TEST(ValidateEventTest, RefusesIndentedTagWithoutHeadingAndHeadingAlone) {
  EXPECT_THAT(ValidateEvent(MakeEvent("名の変更", {DateField("名の変更日", Day("2020-01-01")),
                                                   TextField("名", "拓哉")})),
              ErrorIdIs("KSK-DOMAIN-005"));
  EXPECT_THAT(ValidateEvent(MakeEvent("名の変更", {DateField("名の変更日", Day("2020-01-01")),
                                                   TextField("従前の記録", "")})),
              ErrorIdIs("KSK-DOMAIN-005"));
  EXPECT_THAT(
      ValidateEvent(MakeEvent("名の変更", {TextField("従前の記録", "x"), TextField("名", "拓哉")})),
      ErrorIdIs("KSK-DOMAIN-004"));
}

TEST(ValidateEventTest, RefusesLineBreaksAndInvalidUtf8InText) {
  EXPECT_THAT(ValidateEvent(MakeEvent("出生", {TextField("出生地", "青葉県\nみなと市")})),
              ErrorIdIs("KSK-DOMAIN-007"));
  EXPECT_THAT(ValidateEvent(MakeEvent("出生", {TextField("出生地", "\xE9\x9D")})),
              ErrorIdIs("KSK-DOMAIN-007"));
}

TEST(ValidateEventTest, RefusesReceiptNumberOnExOfficioEntry) {
  Event e = MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", Day("2020-01-01"))},
                      EventSource{.kind = SourceKind::kShokken, .uketsuke_bango = "第１号"});
  EXPECT_THAT(ValidateEvent(e), ErrorIdIs("KSK-DOMAIN-009"));
  e.source = EventSource{.kind = SourceKind::kTodokede, .iki_moto = "旧戸籍"};
  EXPECT_THAT(ValidateEvent(e), ErrorIdIs("KSK-DOMAIN-009"));
}

TEST(ValidateRegisterTest, AcceptsTheExampleRegister) {
  EXPECT_THAT(ValidateRegister(ExampleRegister()), IsOk());
}

TEST(ValidateRegisterTest, RefusesPersonLevelEventInKosekiJiko) {
  Register r = ExampleRegister();
  r.koseki_jiko.push_back(r.persons[3].mibun_jiko[0]);
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-006"));
}

TEST(ValidateRegisterTest, RefusesRegisterLevelEventInMibunJiko) {
  Register r = ExampleRegister();
  r.persons[3].mibun_jiko.push_back(r.koseki_jiko[0]);
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-006"));
}

TEST(ValidateRegisterTest, RefusesMissingHonsekiOrHittosha) {
  Register r = ExampleRegister();
  r.honseki.clear();
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-010"));
  r = ExampleRegister();
  r.hittosha_mei = "\u3000";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-010"));
}

// Tried as an attacker: a 本籍 differing from another register's only by a zero-width space or
// a bidi override, a 100 MB 本籍, and a register of a million persons were all accepted.
TEST(ValidateRegisterTest, RefusesInvisibleCharactersAndOversizedRegisters) {
  Register r = ExampleRegister();
  r.honseki.insert(3, "\u200B");
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-007"));
  r = ExampleRegister();
  r.honseki += "\u202E";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-007"));
  r = ExampleRegister();
  r.hittosha_uji += "\uFEFF";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-010"));

  r = ExampleRegister();
  r.honseki.clear();
  for (std::size_t i = 0; i < kMaxTextCharacters; ++i) r.honseki += "町";
  EXPECT_THAT(ValidateRegister(r), IsOk());
  r.honseki += "町";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-007"));

  r = ExampleRegister();
  const Person last = r.persons.back();
  while (r.persons.size() <= kMaxPersons) {
    Person more = last;
    more.seq = r.persons.back().seq + 1;
    r.persons.push_back(std::move(more));
  }
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-041"));
}

TEST(ValidateEventTest, RefusesInvisibleCharactersInText) {
  EXPECT_THAT(ValidateEvent(MakeEvent("出生", {TextField("出生地", "青葉県\u2060みなと市")})),
              ErrorIdIs("KSK-DOMAIN-007"));
}

TEST(ValidateRegisterTest, RefusesSeqOutOfOrder) {
  Register r = ExampleRegister();
  r.persons[2].seq = 2;
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-011"));
  r = ExampleRegister();
  r.persons[0].seq = 0;
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-011"));
}

TEST(ValidateRegisterTest, RefusesEmptyGivenName) {
  Register r = ExampleRegister();
  r.persons[3].mei.clear();
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-012"));
}

TEST(ValidateRegisterTest, RefusesTsugiAndZokugaraOfTheOtherSex) {
  Register r = ExampleRegister();
  r.persons[3].zokugara = "次男";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-013"));
  r.persons[3].zokugara = "長女";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-013"));
}

TEST(ValidateRegisterTest, AcceptsPre2004ZokugaraOfAChildBornOutOfWedlock) {
  Register r = ExampleRegister();
  r.persons[3].zokugara = "男";
  EXPECT_THAT(ValidateRegister(r), IsOk());
}

TEST(ValidateRegisterTest, RefusesInconsistentAdoption) {
  Register r = ExampleRegister();
  r.persons[3].yofu = "谷口一郎";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-014"));
  r.persons[3].yo_zokugara = "養女";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-014"));
  r.persons[3].yo_zokugara = "養子";
  EXPECT_THAT(ValidateRegister(r), IsOk());
  r.persons[3].yofu.clear();
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-014"));
}

TEST(ValidateRegisterTest, RefusesRemovalWithoutItsEvent) {
  Register r = ExampleRegister();
  r.persons[2].removal_kind = "死亡";  // 真理 left by 婚姻; she has no 死亡 entry
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-015"));
  r = ExampleRegister();
  r.persons[3].removal_kind = "婚姻";  // not removed
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-015"));
  r = ExampleRegister();
  r.persons[2].removal_kind.clear();
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-015"));
}

TEST(ValidateRegisterTest, RefusesSpouseKubunNotMatchingSexOrTwoCurrentWives) {
  Register r = ExampleRegister();
  r.persons[3].haigusha_kubun = HaigushaKubun::kTsuma;
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-016"));
  r = ExampleRegister();
  r.persons[2].removed = false;
  r.persons[2].removal_kind.clear();
  r.persons[2].haigusha_kubun = HaigushaKubun::kTsuma;
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-016"));
}

TEST(ValidateRegisterTest, DeceasedHusbandMayKeepKubunBesideTheWidow) {
  // 健一 is 除籍 and keeps 夫; 美咲 keeps 妻 (DOMAIN.md §1.4a).
  Register r = ExampleRegister();
  EXPECT_EQ(r.persons[0].haigusha_kubun, HaigushaKubun::kOtto);
  EXPECT_THAT(ValidateRegister(r), IsOk());
}

TEST(ValidateRegisterTest, RefusesFuriganaThatIsNotKatakana) {
  Register r = ExampleRegister();
  r.uji_furigana = "やまかわ";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-017"));
  r.uji_furigana = "ヤマカワ";
  r.persons[3].mei_furigana = "Takuya";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-017"));
}

TEST(ValidateRegisterTest, AcceptsSupplementaryPlaneAndVariationSelectorNames) {
  Register r = ExampleRegister();
  r.persons[3].mei = "\U00020B9F";  // 𠮟
  r.hittosha_uji = "葛\U000E0100";
  r.uji = "葛\U000E0100";
  EXPECT_THAT(ValidateRegister(r), IsOk());
}

TEST(ValidateRegisterTest, ErrorNamesThePathAndNotTheValue) {
  Register r = ExampleRegister();
  r.persons[1].mibun_jiko[0].fields[1].tag = "出生場所";
  Result<void> result = ValidateRegister(r);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().public_message, HasSubstr("persons[1].mibun_jiko[0].fields[1].tag"));
  EXPECT_THAT(result.error().internal_detail, HasSubstr("persons[1].mibun_jiko[0].fields[1].tag"));
  EXPECT_THAT(result.error().public_message, Not(HasSubstr("出生場所")));
  EXPECT_THAT(result.error().internal_detail, Not(HasSubstr("出生場所")));
}

}  // namespace
}  // namespace koseki::domain
