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
  r.persons[1].mibun_jiko.pop_back();  // 美咲's 配偶者の死亡: married again
  r.persons[1].haigusha_kubun = HaigushaKubun::kTsuma;
  EXPECT_THAT(ValidateRegister(r), IsOk());
  r.persons[2].removed = false;  // 真理, married out, back as a second wife
  r.persons[2].removal_kind.clear();
  r.persons[2].haigusha_kubun = HaigushaKubun::kTsuma;
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-016"));
}

TEST(ValidateRegisterTest, TheDeceasedKeepsTheKubunAndTheWidowMayHaveLostIt) {
  // 健一 is 除籍 and keeps 夫 (DOMAIN.md §1.4a); 美咲 has none since his death
  // (domain/marriage_end.h).
  Register r = ExampleRegister();
  EXPECT_EQ(r.persons[0].haigusha_kubun, HaigushaKubun::kOtto);
  EXPECT_EQ(r.persons[1].haigusha_kubun, HaigushaKubun::kNone);
  EXPECT_THAT(ValidateRegister(r), IsOk());
  // A register stored or imported with the widow's 妻 still in place (DOMAIN.md §1.5 prints it
  // so; earlier versions recorded it) stays readable and printable: the mark is a question of
  // 記載例, not of integrity, and the rules read both shapes (rules/internal/helpers.h SpouseSide).
  r.persons[1].haigusha_kubun = HaigushaKubun::kTsuma;
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

// Returns the first entry of `kind` of a person.
Event& EntryOf(Person& p, std::string_view kind) {
  for (Event& e : p.mibun_jiko) {
    if (e.kind == kind) return e;
  }
  ADD_FAILURE() << "no entry";
  return p.mibun_jiko.front();
}

void SetDate(Event& e, std::string_view tag, std::string_view iso) {
  for (Field& f : e.fields) {
    if (f.tag == tag) f.value = Day(iso);
  }
}

TEST(ValidateRegisterTest, RefusesADeathBeforeTheBirth) {
  Register r = ExampleRegister();
  SetDate(EntryOf(r.persons[0], "死亡"), "死亡日", "1940-01-01");
  Result<void> result = ValidateRegister(r);
  EXPECT_THAT(result, ErrorIdIs("KSK-DOMAIN-042"));
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().public_message, HasSubstr("persons[0].mibun_jiko["));
}

TEST(ValidateRegisterTest, RefusesAFilingBeforeTheEventItReports) {
  Register birth = ExampleRegister();
  Event& born = EntryOf(birth.persons[3], "出生");
  SetDate(born, "届出日", "1900-01-01");
  EXPECT_THAT(ValidateRegister(birth), ErrorIdIs("KSK-DOMAIN-043"));

  Register death = ExampleRegister();
  SetDate(EntryOf(death.persons[0], "死亡"), "届出日", "2024-11-19");  // died on 2024-11-20
  EXPECT_THAT(ValidateRegister(death), ErrorIdIs("KSK-DOMAIN-043"));

  // A 送付 arrives after its 届出日 at the office that accepted it.
  Register forwarded = ExampleRegister();
  Event& filed = EntryOf(forwarded.persons[0], "死亡");
  filed.fields.push_back(DateField("送付を受けた日", Day("2024-11-20")));
  filed.fields.push_back(TextField("受理者", "東海県南浜市長"));
  EXPECT_THAT(ValidateRegister(forwarded), ErrorIdIs("KSK-DOMAIN-043"));
  SetDate(filed, "送付を受けた日", "2024-11-25");
  EXPECT_THAT(ValidateRegister(forwarded), IsOk());
}

TEST(ValidateRegisterTest, AChildMayBeAcknowledgedBeforeBirthAndASpouseBeOlder) {
  Register r = ExampleRegister();
  Person& child = r.persons[3];
  const std::chrono::year_month_day born = *child.birth_date.day();
  const text::JapaneseDate before =
      *text::JapaneseDate::FromGregorian(std::chrono::sys_days{born} - std::chrono::days{90});
  child.mibun_jiko.push_back(
      MakeEvent("認知", {DateField("胎児認知日", before), TextField("認知者氏名", "大野翔"),
                         TextField("認知者の戸籍", "東海県南浜市浜町１２番地　大野翔")}));
  EXPECT_THAT(ValidateRegister(r), IsOk());
  // An ordinary 認知 dated before the birth is not.
  child.mibun_jiko.back().fields[0].tag = "認知日";
  EXPECT_THAT(ValidateRegister(r), ErrorIdIs("KSK-DOMAIN-042"));
  child.mibun_jiko.pop_back();
  child.mibun_jiko.push_back(MakeEvent(
      "婚姻", {DateField("婚姻日", Day("2015-06-01")), TextField("配偶者氏名", "ミラー，アンナ"),
               TextField("配偶者の国籍", "アメリカ合衆国"),
               DateField("配偶者の生年月日", Day("1980-02-02"))}));
  EXPECT_THAT(ValidateRegister(r), IsOk());
}

}  // namespace
}  // namespace koseki::domain
