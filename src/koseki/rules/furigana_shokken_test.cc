// The 職権 recording of notified readings: what is recorded (golden), what a filing in the
// window keeps, and the refusals that leave the register as it was.
#include "koseki/rules/furigana_shokken.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/domain/validation.h"
#include "koseki/rules/testing/misc_fixtures.h"

namespace koseki::rules {
namespace {

using domain::testing::Day;
using testing::Certificate;
using testing::GoldenDiff;
using testing::misc::OgawaRegister;

constexpr std::chrono::year_month_day kFirstDay{std::chrono::year{2026}, std::chrono::month{5},
                                                std::chrono::day{26}};

NotifiedReadings Notice() {
  return NotifiedReadings{
      .honseki = "青葉県みなと市若葉町三丁目７番地",
      .hittosha = "小川浩",
      .uji = "オガワ",
      .mei = {{"浩", "ヒロシ"}, {"由美", "ユミ"}, {"翔太", "ショウタ"}, {"彩", "アヤ"}}};
}

TEST(FuriganaShokkenTest, EveryNotifiedReadingIsRecordedExOfficio) {
  auto recorded = RecordNotifiedReadings(OgawaRegister(), Notice(), kFirstDay);
  ASSERT_THAT(recorded, koseki::testing::IsOk());
  EXPECT_EQ(recorded->recorded, 5);
  EXPECT_EQ(recorded->kept, 0);
  EXPECT_THAT(domain::ValidateRegister(recorded->after), koseki::testing::IsOk());
  EXPECT_EQ(recorded->after.koseki_jiko.back().source.kind, domain::SourceKind::kShokken);
  // Checked against DOMAIN.md §1.6 (layout UNVERIFIED there): the header's 氏の振り仮名, the
  // 戸籍事項 氏の振り仮名【氏の振り仮名】【記録日】令和８年５月２６日 without 届出人, each present
  // member's 【名の振り仮名】 and 身分事項 名の振り仮名【名の振り仮名】【記録日】; 大輔 (除籍)
  // none.
  EXPECT_EQ(GoldenDiff(Certificate(recorded->after), "furigana_shokken_after_1.txt"), "");
}

TEST(FuriganaShokkenTest, AReadingFiledInTheWindowIsKept) {
  domain::Register reg = OgawaRegister();
  reg.persons[2].mei_furigana = "ショウ";
  auto recorded = RecordNotifiedReadings(reg, Notice(), kFirstDay);
  ASSERT_THAT(recorded, koseki::testing::IsOk());
  EXPECT_EQ(recorded->recorded, 4);
  EXPECT_EQ(recorded->kept, 1);
  EXPECT_EQ(recorded->after.persons[2].mei_furigana, "ショウ");
  EXPECT_EQ(recorded->after.persons[2].mibun_jiko.size(), reg.persons[2].mibun_jiko.size());
  // Run again, the recording records nothing: the batch may be resumed.
  auto again = RecordNotifiedReadings(recorded->after, Notice(), kFirstDay);
  ASSERT_THAT(again, koseki::testing::IsOk());
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->after, recorded->after);
}

TEST(FuriganaShokkenTest, RefusalsNameTheItemNeverTheName) {
  EXPECT_THAT(RecordNotifiedReadings(OgawaRegister(), Notice(),
                                     std::chrono::year{2026} / std::chrono::May / 25),
              koseki::testing::ErrorIdIs("KSK-FURIGANA-001"));
  NotifiedReadings bad = Notice();
  bad.mei[1].second = "ゆみ";
  EXPECT_THAT(RecordNotifiedReadings(OgawaRegister(), bad, kFirstDay),
              koseki::testing::ErrorIdIs("KSK-FURIGANA-002"));
  NotifiedReadings absent = Notice();
  absent.mei.emplace_back("大輔", "ダイスケ");  // left by marriage
  auto refused = RecordNotifiedReadings(OgawaRegister(), absent, kFirstDay);
  EXPECT_THAT(refused, koseki::testing::ErrorIdIs("KSK-FURIGANA-003"));
  EXPECT_EQ(refused.error().public_message.find("大輔"), std::string::npos);
  EXPECT_NE(refused.error().public_message.find("5人目"), std::string::npos);
  domain::Register closed = OgawaRegister();
  closed.status = domain::RegisterStatus::kJoseki;
  EXPECT_THAT(RecordNotifiedReadings(closed, Notice(), kFirstDay),
              koseki::testing::ErrorIdIs("KSK-FURIGANA-004"));
}

}  // namespace
}  // namespace koseki::rules
