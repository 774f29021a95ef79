#include "koseki/rules/internal/helpers.h"

#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/domain/validation.h"

namespace koseki::rules::internal {
namespace {

using domain::testing::Day;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr year_month_day D(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

RuleContext ExampleContext() {
  RuleContext context;
  context.received_on = D(2026, 4, 10);
  context.municipality = "青葉県みなと市";
  context.tenant_code = "999997";
  context.registers.push_back(AttachedRegister{.ref = "R1",
                                               .register_id = "reg-1",
                                               .version = 3,
                                               .value = domain::testing::ExampleRegister()});
  context.hosted_tenant = [](std::string_view m) -> std::optional<std::string> {
    if (m == "東海県南浜市") return "999996";
    return std::nullopt;
  };
  return context;
}

TEST(ParseDateValueTest, AcceptsIsoAndWareki) {
  EXPECT_EQ(ParseDateValue("2024-11-20")->ToIso(), "2024-11-20");
  EXPECT_EQ(ParseDateValue("２０２４－１１－２０")->ToIso(), "2024-11-20");
  EXPECT_EQ(ParseDateValue("令和６年１１月２０日")->ToIso(), "2024-11-20");
  EXPECT_EQ(ParseDateValue("令和元年5月1日")->ToIso(), "2019-05-01");
}

TEST(ParseDateValueTest, RefusesImpossibleDays) {
  EXPECT_FALSE(ParseDateValue("2025-02-29"));
  EXPECT_FALSE(ParseDateValue("平成３２年１月１日"));
  EXPECT_FALSE(ParseDateValue("20241120"));
  EXPECT_FALSE(ParseDateValue(""));
}

TEST(DateValueTest, IsEmptyForAMissingOrMalformedValue) {
  const Entry entry{.type = NotificationType::kShibou,
                    .values = {{"death_date", "令和６年１１月２０日"}, {"known_on", "2024-13-01"}}};
  ASSERT_TRUE(DateValue(entry, "death_date").has_value());
  EXPECT_EQ(DateValue(entry, "death_date")->ToIso(), "2024-11-20");
  EXPECT_FALSE(DateValue(entry, "known_on").has_value());
  EXPECT_FALSE(DateValue(entry, "birth_date").has_value());
}

TEST(ParseTimeValueTest, AcceptsHoursAndMinutes) {
  Result<TimeValue> t = ParseTimeValue("15:45");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hour, 15);
  EXPECT_EQ(t->minute, 45);
  EXPECT_EQ(ParseTimeValue("0:05")->hour, 0);
  EXPECT_EQ(ParseTimeValue("１５：４５")->minute, 45);
  EXPECT_FALSE(ParseTimeValue("24:00"));
  EXPECT_FALSE(ParseTimeValue("12:60"));
  EXPECT_FALSE(ParseTimeValue("1545"));
  EXPECT_FALSE(ParseTimeValue("12:5"));
}

TEST(ParsePersonRefTest, ParsesRegisterAndSeq) {
  Result<PersonRef> r = ParsePersonRef("R12:3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ref, "R12");
  EXPECT_EQ(r->seq, 3);
  EXPECT_FALSE(ParsePersonRef("R1"));
  EXPECT_FALSE(ParsePersonRef("R0:1"));
  EXPECT_FALSE(ParsePersonRef("R1:0"));
  EXPECT_FALSE(ParsePersonRef("X1:1"));
  EXPECT_FALSE(ParsePersonRef("R1:1a"));
}

TEST(ResolveTest, FindsAnAttachedPersonOrReportsRef001) {
  const RuleContext context = ExampleContext();
  std::vector<Finding> findings;
  std::optional<ResolvedPerson> p = Resolve(context, {"R1", 2}, "wife", findings);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->person->mei, "美咲");
  EXPECT_EQ(FullName(*p->attached, *p->person), "山川美咲");
  EXPECT_TRUE(findings.empty());

  EXPECT_FALSE(Resolve(context, {"R2", 1}, "wife", findings));
  EXPECT_FALSE(Resolve(context, {"R1", 9}, "wife", findings));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "RULE-REF-001");
  EXPECT_EQ(findings[1].field, "wife");
}

TEST(ApplyAcknowledgementsTest, NeedsANonBlankReason) {
  std::vector<Finding> findings = {MakeWarningFinding("RULE-DEADLINE-001", "失期"),
                                   MakeWarningFinding("RULE-X-002", "other"),
                                   MakeErrorFinding("RULE-X-003", "error")};
  Entry entry;
  entry.acknowledgements = {{"RULE-DEADLINE-001", "入院のため"},
                            {"RULE-X-002", "\u3000 "},
                            {"RULE-X-003", "errors cannot be acknowledged"}};
  ApplyAcknowledgements(entry, findings);
  EXPECT_TRUE(findings[0].acknowledged);
  EXPECT_FALSE(findings[1].acknowledged);
  EXPECT_FALSE(findings[2].acknowledged);
  EXPECT_TRUE(Blocks(findings));
  findings.pop_back();
  findings.pop_back();
  EXPECT_FALSE(Blocks(findings));
}

TEST(HasErrorTest, CountsErrorsButNotWarnings) {
  EXPECT_FALSE(HasError({}));
  EXPECT_FALSE(HasError({MakeWarningFinding("RULE-X-001", "警告")}));
  EXPECT_TRUE(
      HasError({MakeWarningFinding("RULE-X-001", "警告"), MakeErrorFinding("RULE-X-002", "誤り")}));
}

TEST(RepresentativeErrorTest, WantsARepresentativeExactlyUnderFifteen) {
  const Finding missing = MakeErrorFinding("RULE-X-001", "代理人が必要です。");
  const Finding needless = MakeErrorFinding("RULE-X-002", "代理人は記入しません。");
  EXPECT_EQ(RepresentativeError(14, false, missing, needless), missing);
  EXPECT_EQ(RepresentativeError(14, true, missing, needless), std::nullopt);
  EXPECT_EQ(RepresentativeError(15, true, missing, needless), needless);
  EXPECT_EQ(RepresentativeError(15, false, missing, needless), std::nullopt);
  EXPECT_EQ(RepresentativeError(std::nullopt, false, missing, needless), std::nullopt);
  EXPECT_EQ(RepresentativeError(std::nullopt, true, missing, needless), std::nullopt);
}

TEST(LateFilingWarningTest, WarnsOnlyAfterTheExtendedLastDay) {
  const JapaneseOfficeCalendar calendar;
  // Birth 2026-04-05: the 14th day is Saturday 4/18, so Monday 4/20 is still on time.
  EXPECT_FALSE(LateFilingWarning(D(2026, 4, 5), D(2026, 4, 20), {.days = 14}, calendar, "f"));
  std::optional<Finding> late =
      LateFilingWarning(D(2026, 4, 5), D(2026, 4, 21), {.days = 14}, calendar, "f");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->code, "RULE-DEADLINE-001");
  EXPECT_EQ(late->severity, Severity::kWarning);
  EXPECT_EQ(late->field, "f");
  EXPECT_NE(late->message.find("1日"), std::string::npos);
}

TEST(EventAfterFilingErrorTest, RefusesOnlyLaterDays) {
  EXPECT_FALSE(EventAfterFilingError(D(2026, 4, 10), D(2026, 4, 10), "d"));
  std::optional<Finding> e = EventAfterFilingError(D(2026, 4, 11), D(2026, 4, 10), "d");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "RULE-DATE-001");
  EXPECT_EQ(e->severity, Severity::kError);
}

TEST(ReportingPeriodTest, IsThreeMonthsForAnEventAbroad) {
  EXPECT_EQ(ReportingPeriod(14, false).days, 14);
  EXPECT_EQ(ReportingPeriod(14, false).months, 0);
  EXPECT_EQ(ReportingPeriod(7, true).days, 0);
  EXPECT_EQ(ReportingPeriod(7, true).months, 3);
}

TEST(GivenNameCharactersErrorTest, AllowsOfficialFormsOnly) {
  EXPECT_FALSE(GivenNameCharactersError("陽翔", "mei"));
  EXPECT_FALSE(GivenNameCharactersError("さくら", "mei"));
  EXPECT_FALSE(GivenNameCharactersError("\U00020B9F", "mei"));  // 𠮟, the official 常用 form
  std::optional<Finding> shikaru = GivenNameCharactersError("\u53F1", "mei");  // 叱
  ASSERT_TRUE(shikaru);
  EXPECT_EQ(shikaru->code, "RULE-NAME-001");
  std::optional<Finding> latin = GivenNameCharactersError("健K", "mei");
  ASSERT_TRUE(latin);
  EXPECT_NE(latin->message.find("2文字目"), std::string::npos);
}

TEST(KatakanaErrorTest, WantsKatakana) {
  EXPECT_FALSE(KatakanaError("ハルト", "yomi"));
  EXPECT_TRUE(KatakanaError("はると", "yomi"));
  EXPECT_TRUE(KatakanaError("HARUTO", "yomi"));
  EXPECT_EQ(KatakanaError("陽翔", "yomi")->code, "RULE-KANA-001");
}

TEST(RegisterHelpersTest, KnowTheExampleRegister) {
  const domain::Register reg = domain::testing::ExampleRegister();
  EXPECT_TRUE(IsHittosha(reg, reg.persons[0]));
  EXPECT_FALSE(IsHittosha(reg, reg.persons[1]));
  EXPECT_TRUE(IsHittoshaOrSpouse(reg, reg.persons[1]));
  EXPECT_FALSE(IsHittoshaOrSpouse(reg, reg.persons[3]));
  // 美咲 is a widow: 配偶者区分 stays, but she is no longer married.
  EXPECT_FALSE(IsMarried(reg.persons[1]));
  EXPECT_EQ(CurrentSpouse(reg, reg.persons[1]), nullptr);
  EXPECT_EQ(NextSeq(reg), 5);
  EXPECT_EQ(RegisterReference(reg), "青葉県みなと市桜町二丁目１５番地\u3000山川健一");
}

TEST(RegisterHelpersTest, FindsTheCurrentSpouseOfAMarriedCouple) {
  domain::Register reg = domain::testing::ExampleRegister();
  // Undo the death: both are married again.
  reg.persons[0].removed = false;
  reg.persons[0].removal_kind.clear();
  reg.persons[0].mibun_jiko.pop_back();
  reg.persons[1].mibun_jiko.pop_back();
  reg.persons[1].haigusha_kubun = domain::HaigushaKubun::kTsuma;
  EXPECT_TRUE(IsMarried(reg.persons[0]));
  ASSERT_NE(CurrentSpouse(reg, reg.persons[0]), nullptr);
  EXPECT_EQ(CurrentSpouse(reg, reg.persons[0])->mei, "美咲");
  EXPECT_EQ(CurrentSpouse(reg, reg.persons[1])->mei, "健一");
}

TEST(RegisterHelpersTest, TheWidowHoldsTheWifesPlaceWithoutTheKubun) {
  const domain::Register reg = domain::testing::ExampleRegister();
  const domain::Person& widow = reg.persons[1];
  EXPECT_EQ(widow.haigusha_kubun, domain::HaigushaKubun::kNone);
  EXPECT_FALSE(IsMarried(widow));
  EXPECT_EQ(SpouseSide(widow), domain::HaigushaKubun::kTsuma);
  EXPECT_TRUE(IsHittoshaOrSpouse(reg, widow));
  // A child of the register holds no spouse's place.
  EXPECT_EQ(SpouseSide(reg.persons[3]), std::nullopt);
  EXPECT_FALSE(IsHittoshaOrSpouse(reg, reg.persons[3]));
  // A divorce ends it (the divorced 筆頭者 stays 筆頭者).
  domain::Person divorced = widow;
  divorced.mibun_jiko.back() =
      domain::MakeEvent("離婚", {domain::DateField("離婚日", Day("2024-12-01"))});
  EXPECT_EQ(SpouseSide(divorced), std::nullopt);
}

TEST(RegisterHelpersTest, CloseIfEmptyClosesOnlyWhenNobodyIsLeft) {
  domain::Register reg = domain::testing::ExampleRegister();
  CloseIfEmpty(reg, Day("2026-04-10"));
  EXPECT_EQ(reg.status, domain::RegisterStatus::kGenzai);
  for (domain::Person& p : reg.persons) {
    if (!p.removed) {
      p.mibun_jiko.push_back(
          domain::MakeEvent("死亡", {domain::DateField("死亡日", Day("2026-04-01"))}));
      MarkRemoved(p, "死亡");
    }
  }
  CloseIfEmpty(reg, Day("2026-04-10"));
  EXPECT_EQ(reg.status, domain::RegisterStatus::kJoseki);
  ASSERT_EQ(reg.koseki_jiko.size(), 2u);
  EXPECT_EQ(reg.koseki_jiko[1].kind, "戸籍消除");
  EXPECT_EQ(reg.koseki_jiko[1].DateOf("消除日"), Day("2026-04-10"));
  EXPECT_TRUE(domain::ValidateRegister(reg));
}

TEST(RegisterHelpersTest, TranscribeKeepsOnlyCurrentEntries) {
  const domain::Register reg = domain::testing::ExampleRegister();
  // 美咲: 出生 and 婚姻 are transcribable, but the marriage ended by death.
  domain::Person widow = Transcribe(reg.persons[1], 1);
  EXPECT_EQ(widow.seq, 1);
  ASSERT_EQ(widow.mibun_jiko.size(), 1u);
  EXPECT_EQ(widow.mibun_jiko[0].kind, "出生");
  EXPECT_EQ(widow.mibun_jiko[0].source.kind, domain::SourceKind::kIki);
  // 真理 was removed by marriage: the copy is a current member again, with her 出生 only
  // (the 婚姻 recorded here is not a current marriage of hers in this register).
  domain::Person mari = Transcribe(reg.persons[2], 2);
  EXPECT_FALSE(mari.removed);
  EXPECT_TRUE(mari.removal_kind.empty());
  ASSERT_EQ(mari.mibun_jiko.size(), 1u);
  EXPECT_EQ(mari.mibun_jiko[0].kind, "出生");
}

TEST(RegisterHelpersTest, NewRegisterHasItsCreationEntry) {
  domain::Register reg =
      NewRegister("青葉県みなと市港町一丁目３番地", "山川", "ヤマカワ", "拓也", Day("2026-04-10"));
  EXPECT_EQ(reg.hittosha_uji, "山川");
  EXPECT_EQ(reg.hittosha_mei, "拓也");
  EXPECT_EQ(reg.uji_furigana, "ヤマカワ");
  ASSERT_EQ(reg.koseki_jiko.size(), 1u);
  EXPECT_EQ(reg.koseki_jiko[0].kind, "戸籍編製");
  EXPECT_EQ(reg.koseki_jiko[0].DateOf("編製日"), Day("2026-04-10"));
  reg.persons.push_back(Transcribe(domain::testing::ExampleRegister().persons[3], 1));
  EXPECT_TRUE(domain::ValidateRegister(reg));
}

TEST(RegisterHelpersTest, RecordedPlaceKeepsOnlyTheMunicipalityInJapan) {
  EXPECT_EQ(RecordedPlace("青葉県みなと市桜町二丁目１５番地", false), "青葉県みなと市");
  EXPECT_EQ(RecordedPlace("アメリカ合衆国ハワイ州ホノルル市", true),
            "アメリカ合衆国ハワイ州ホノルル市");
  EXPECT_EQ(FilerText("親族", "山川美咲"), "親族　山川美咲");
}

TEST(AgeOnTest, CountsCompletedYears) {
  const domain::Register reg = domain::testing::ExampleRegister();
  EXPECT_EQ(AgeOn(reg.persons[3], D(2005, 11, 30)), 17);
  EXPECT_EQ(AgeOn(reg.persons[3], D(2005, 12, 1)), 18);
  domain::Person unknown = reg.persons[3];
  unknown.birth_date = text::JapaneseDate::Inexact("年月日不詳");
  EXPECT_FALSE(AgeOn(unknown, D(2005, 12, 1)));
}

TEST(AddNoticeIfElsewhereTest, AddsOneNoticePerOtherMunicipality) {
  const RuleContext context = ExampleContext();
  ChangeSet cs;
  AddNoticeIfElsewhere(context, "青葉県みなと市港町一丁目３番地", "here", cs);
  EXPECT_TRUE(cs.notices.empty());
  AddNoticeIfElsewhere(context, "東海県南浜市浜町５番地", "婚姻届（妻の従前本籍地）", cs);
  AddNoticeIfElsewhere(context, "東海県南浜市浜町６番地", "again", cs);
  AddNoticeIfElsewhere(context, "青葉県北原市緑町一丁目８番地", "婚姻届（新本籍地）", cs);
  ASSERT_EQ(cs.notices.size(), 2u);
  EXPECT_EQ(cs.notices[0].municipality, "東海県南浜市");
  EXPECT_EQ(cs.notices[0].tenant_code, "999996");
  EXPECT_EQ(cs.notices[0].reason, "婚姻届（妻の従前本籍地）");
  EXPECT_EQ(cs.notices[1].municipality, "青葉県北原市");
  EXPECT_FALSE(cs.notices[1].tenant_code);
}

TEST(UpdateOfTest, IsBasedOnTheAttachedVersion) {
  const RuleContext context = ExampleContext();
  domain::Register after = context.registers[0].value;
  after.honseki = "青葉県みなと市緑町一丁目８番地";
  const RegisterUpdate update = UpdateOf(context.registers[0], after);
  EXPECT_EQ(update.ref, "R1");
  EXPECT_EQ(update.register_id, "reg-1");
  EXPECT_EQ(update.base_version, 3u);
  EXPECT_EQ(update.after, after);
}

TEST(RegisterEditsTest, EmitsEachChangedRegisterOnceInAttachmentOrder) {
  RuleContext context = ExampleContext();
  context.registers.push_back(AttachedRegister{.ref = "R2",
                                               .register_id = "reg-2",
                                               .version = 7,
                                               .value = domain::testing::ExampleRegister()});
  context.registers.push_back(AttachedRegister{.ref = "R3",
                                               .register_id = "reg-3",
                                               .version = 9,
                                               .value = domain::testing::ExampleRegister()});
  RegisterEdits edits(context);
  edits.Of(context.registers[2]).honseki = "青葉県みなと市緑町一丁目８番地";
  edits.Of(context.registers[0]).uji = "海野";
  edits.Of(context.registers[2]).uji = "森田";  // the same copy again

  ChangeSet change_set;
  edits.EmitInto(change_set);
  ASSERT_EQ(change_set.updates.size(), 2u);
  EXPECT_EQ(change_set.updates[0].ref, "R1");
  EXPECT_EQ(change_set.updates[0].after.uji, "海野");
  EXPECT_EQ(change_set.updates[1].ref, "R3");
  EXPECT_EQ(change_set.updates[1].base_version, 9u);
  EXPECT_EQ(change_set.updates[1].after.honseki, "青葉県みなと市緑町一丁目８番地");
  EXPECT_EQ(change_set.updates[1].after.uji, "森田");
  EXPECT_EQ(context.registers[2].value, domain::testing::ExampleRegister());  // untouched
}

}  // namespace
}  // namespace koseki::rules::internal
