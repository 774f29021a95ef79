// Tests of notifications filed at another office and forwarded (送付) to this 本籍地: the
// entries they write carry 【送付を受けた日】【受理者】, placed as in DOMAIN.md §1.5 (真理's 婚姻:
// after 【配偶者氏名】, before 【新本籍】【称する氏】); transcribed entries keep their own; the
// accepting office, not this one, sends the 送付 to the other 本籍地; and deadlines run from
// the 受理日 there.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/rules/testing/family_fixtures.h"

namespace koseki::rules {
namespace {

using domain::testing::ExampleRegister;
using testing::Attach;
using testing::Certificate;
using testing::Codes;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::Values;
using testing::With;
using testing::family::AdultWitnesses;
using testing::family::ExternalHusband;
using testing::family::KawakamiRegister;

// Filed in 青葉県北原市 on a Monday, forwarded, arrived here on the Friday.
constexpr std::string_view kAcceptedOn = "2026-06-15";
constexpr std::string_view kArrivedOn = "2026-06-19";
constexpr std::string_view kAcceptor = "青葉県北原市長";

RuleContext ForwardedContext(std::vector<AttachedRegister> registers) {
  RuleContext context = testing::MakeContext(std::move(registers), kAcceptedOn);
  context.forwarded = Forwarded{.arrived_on = *domain::testing::Day(kArrivedOn).day(),
                                .accepted_by = std::string(kAcceptor)};
  return context;
}

// 花子 (R1:3 of the 川上 register) marries 大野翔 of 東海県南浜市, taking his 氏, with a new
// register in 青葉県北原市, where they filed.
Values HanakoMarriesIntoKitahara() {
  return With(
      With(With(AdultWitnesses(), "witness2_birth_date", "昭和５０年３月３日"),
           ExternalHusband("東海県南浜市浜町１２番地", "大野浩")),
      {{"wife_ref", "R1:3"}, {"uji", "夫の氏"}, {"new_honseki", "青葉県北原市緑町一丁目８番地"}});
}

TEST(ForwardingTest, AForwardedMarriagePrintsWhenItArrivedAndWhoAcceptedIt) {
  const RuleContext context = ForwardedContext({Attach(1, KawakamiRegister())});
  const Evaluation result =
      testing::EvaluateWith(NotificationType::kKonin, HanakoMarriesIntoKitahara(), context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  // The order of DOMAIN.md §1.5 (真理's 婚姻 in her parents' register, filed in 北原市).
  EXPECT_THAT(Certificate(cs.updates.at(0).after),
              HasSubstr("　婚　　姻　　　【婚姻日】令和８年６月１５日\n"
                        "　　　　　　　　【配偶者氏名】大野翔\n"
                        "　　　　　　　　【送付を受けた日】令和８年６月１９日\n"
                        "　　　　　　　　【受理者】青葉県北原市長\n"
                        "　　　　　　　　【新本籍】青葉県北原市緑町一丁目８番地\n"
                        "　　　　　　　　【称する氏】夫の氏\n"));
  // 北原市 accepted it and sends the 送付 to every 本籍地; this office sends none.
  EXPECT_THAT(cs.notices, IsEmpty());
  EXPECT_THAT(cs.creations, IsEmpty());
}

TEST(ForwardingTest, TheSameMarriageFiledHereHasNoForwardingFieldsAndSendsTheNotice) {
  const RuleContext context = testing::MakeContext({Attach(1, KawakamiRegister())}, kAcceptedOn);
  const Evaluation result =
      testing::EvaluateWith(NotificationType::kKonin, HanakoMarriesIntoKitahara(), context);
  ASSERT_THAT(Codes(result), IsEmpty());
  EXPECT_THAT(Certificate(result.change_set->updates.at(0).after), Not(HasSubstr("【受理者】")));
  // This office sends the 送付: to the new 本籍地 and to the husband's 本籍地.
  std::vector<std::string> sent_to;
  for (const OutgoingNotice& n : result.change_set->notices) sent_to.push_back(n.municipality);
  EXPECT_THAT(sent_to, ::testing::UnorderedElementsAre("青葉県北原市", "東海県南浜市"));
}

TEST(ForwardingTest, TranscribedEntriesKeepTheirOwnFieldsAndOnlyNewEntriesAreMarked) {
  // Two members of registers here marry with a new register here; filed in 北原市.
  const RuleContext context =
      ForwardedContext({Attach(1, ExampleRegister()), Attach(2, KawakamiRegister())});
  const Values values = With(With(AdultWitnesses(), "witness2_birth_date", "昭和５０年３月３日"),
                             {{"husband_ref", "R1:4"},
                              {"wife_ref", "R2:3"},
                              {"uji", "夫の氏"},
                              {"new_honseki", "青葉県みなと市緑町二丁目５番地"}});
  const Evaluation result = testing::EvaluateWith(NotificationType::kKonin, values, context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const ChangeSet& cs = *result.change_set;
  ASSERT_EQ(cs.creations.size(), 1u);
  const domain::Register& created = cs.creations[0].value;
  int marked = 0;
  for (const domain::Person& p : created.persons) {
    for (const domain::Event& e : p.mibun_jiko) {
      const bool has = e.Find("送付を受けた日") != nullptr;
      if (e.kind == "婚姻") {
        EXPECT_TRUE(has);
        EXPECT_EQ(e.TextOf("受理者"), std::optional<std::string>(kAcceptor));
        ++marked;
      } else {
        // The 出生 entries were transcribed (移記) from the registers attached.
        EXPECT_FALSE(has) << e.kind;
      }
    }
  }
  EXPECT_EQ(marked, 2);
  // 戸籍編製 records no filing: its template has no 送付 fields.
  for (const domain::Event& e : created.koseki_jiko) EXPECT_EQ(e.Find("受理者"), nullptr);
  EXPECT_EQ(testing::ValidateAll(cs), "");
}

TEST(ForwardingTest, ADeadlineRunsFromTheDayTheOtherOfficeAccepted) {
  // 健一 died on 令和６年１１月２０日 (DOMAIN.md §1.5); the death was accepted in 南浜市 on the
  // 22nd, in time, and arrived here on 12月2日, after the 7 days of 戸籍法86条.
  RuleContext context =
      testing::MakeContext({Attach(1, testing::core::ExampleRegisterBeforeDeath())}, "2024-11-22");
  context.forwarded = Forwarded{.arrived_on = *domain::testing::Day("2024-12-02").day(),
                                .accepted_by = "東海県南浜市長"};
  const Values death = {{"deceased", "R1:1"},
                        {"death_date", "令和６年１１月２０日"},
                        {"death_time", "15:45"},
                        {"death_place", "青葉県みなと市"},
                        {"todokedenin_shikaku", "同居の親族"},
                        {"todokedenin_name", "山川美咲"}};
  const Evaluation result = testing::EvaluateWith(NotificationType::kShibou, death, context);
  ASSERT_THAT(Codes(result), IsEmpty());
  const std::string printed = Certificate(result.change_set->updates.at(0).after);
  EXPECT_THAT(printed, HasSubstr("　　　　　　　　【届出日】令和６年１１月２２日\n"
                                 "　　　　　　　　【届出人】親族　山川美咲\n"
                                 "　　　　　　　　【送付を受けた日】令和６年１２月２日\n"
                                 "　　　　　　　　【受理者】東海県南浜市長\n"));
  // The spouse's 配偶者の死亡 records no filing of its own.
  EXPECT_THAT(printed, HasSubstr("　配偶者の死亡　【配偶者の死亡日】令和６年１１月２０日\n─"));

  // Had it been accepted on the day it arrived, it would have been late.
  context.received_on = *domain::testing::Day("2024-12-02").day();
  EXPECT_THAT(Codes(testing::EvaluateWith(NotificationType::kShibou, death, context)),
              Contains("RULE-DEADLINE-001"));
}

}  // namespace
}  // namespace koseki::rules
