// The 職権 recording of notified readings over the real encrypted store: each register its own
// audited version, a line that cannot be recorded refused and audited without stopping the
// batch, a second run recording only what is left, and the batch's own refusals writing
// nothing.
#include "koseki/workflow/furigana_shokken.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "koseki/base/testing/matchers.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using testing::kApprover;
using testing::kClerk;
using testing::kTenant;

constexpr std::chrono::year_month_day kFirstDay{std::chrono::year{2026}, std::chrono::month{5},
                                                std::chrono::day{26}};

rules::NotifiedReadings Yamakawa() {
  return rules::NotifiedReadings{.honseki = "青葉県みなと市桜町二丁目１５番地",
                                 .hittosha = "山川健一",
                                 .uji = "ヤマカワ",
                                 .mei = {{"健一", "ケンイチ"}, {"美咲", "ミサキ"}}};
}

class FuriganaShokkenTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    clock_.Advance(std::chrono::hours(24 * 560));  // 2026-06-09
    TenantStoreTest::SetUp();
    service_ = std::make_unique<FuriganaShokkenService>(*registers_, *audit_, clock_, kTenant);
  }

  std::vector<std::string> ShokkenAuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      if (!e.event().action.starts_with("furigana.")) continue;
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id + (e.event().object_id.empty() ? "" : " obj"));
    }
    return lines;
  }

  std::uint64_t HeadVersion() {
    auto head = registers_->Load(kTenant, register_id_);
    EXPECT_THAT(head, IsOk());
    return head ? head->version : 0;
  }

  std::unique_ptr<FuriganaShokkenService> service_;
};

TEST_F(FuriganaShokkenTest, EachRegisterIsItsOwnAuditedVersionAndABadLineStopsOnlyItself) {
  rules::NotifiedReadings unknown = Yamakawa();
  unknown.hittosha = "山川健二";
  rules::NotifiedReadings malformed = Yamakawa();
  malformed.mei[0].second = "けんいち";
  const std::vector<rules::NotifiedReadings> list = {unknown, Yamakawa(), malformed};

  auto report = service_->Record(kApprover, list, kFirstDay);

  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->registers_written, 1);
  EXPECT_EQ(report->readings_recorded, 3);
  EXPECT_EQ(report->refused, 2);
  ASSERT_EQ(report->lines.size(), 3u);
  EXPECT_EQ(report->lines[0].refusal->id, "KSK-FURIGANA-008");
  EXPECT_EQ(report->lines[1].register_id, register_id_);
  EXPECT_EQ(report->lines[2].refusal->id, "KSK-FURIGANA-002");
  EXPECT_EQ(report->lines[2].line, 3u);

  auto head = registers_->Load(kTenant, register_id_);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->version, 2u);
  EXPECT_EQ(head->value.uji_furigana, "ヤマカワ");
  EXPECT_EQ(head->value.persons[0].mei_furigana, "ケンイチ");
  EXPECT_EQ(head->value.persons[0].mibun_jiko.back().source.kind, domain::SourceKind::kShokken);
  EXPECT_THAT(
      ShokkenAuditLines(),
      ElementsAre("furigana.shokken_run ok ", "furigana.shokken refused KSK-FURIGANA-008",
                  "furigana.shokken ok  obj", "furigana.shokken refused KSK-FURIGANA-002 obj"));
}

TEST_F(FuriganaShokkenTest, RunningTheListAgainRecordsOnlyWhatIsLeft) {
  const std::vector<rules::NotifiedReadings> first = {Yamakawa()};
  ASSERT_THAT(service_->Record(kApprover, first, kFirstDay), IsOk());
  rules::NotifiedReadings more = Yamakawa();
  more.mei.emplace_back("拓也", "タクヤ");
  const std::vector<rules::NotifiedReadings> again = {more};

  auto report = service_->Record(kApprover, again, kFirstDay);

  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->readings_recorded, 1);
  EXPECT_EQ(report->readings_kept, 3);
  EXPECT_EQ(HeadVersion(), 3u);
  auto unchanged = service_->Record(kApprover, again, kFirstDay);
  ASSERT_THAT(unchanged, IsOk());
  EXPECT_EQ(unchanged->registers_written, 0);
  EXPECT_EQ(HeadVersion(), 3u);  // nothing to record, no new version
}

TEST_F(FuriganaShokkenTest, TheBatchsOwnRefusalsWriteNothing) {
  const std::vector<rules::NotifiedReadings> list = {Yamakawa()};
  EXPECT_THAT(service_->Record(kClerk, list, kFirstDay), ErrorIdIs("KSK-FURIGANA-007"));
  EXPECT_THAT(service_->Record(kApprover, list, std::chrono::year{2026} / std::chrono::May / 25),
              ErrorIdIs("KSK-FURIGANA-001"));
  EXPECT_THAT(service_->Record(kApprover, list, std::chrono::year{2026} / std::chrono::June / 10),
              ErrorIdIs("KSK-FURIGANA-006"));
  EXPECT_EQ(HeadVersion(), 1u);
  EXPECT_THAT(ShokkenAuditLines(), ElementsAre("furigana.shokken_run refused KSK-FURIGANA-007",
                                               "furigana.shokken_run refused KSK-FURIGANA-001",
                                               "furigana.shokken_run refused KSK-FURIGANA-006"));
}

TEST(ReadNotifiedListTest, ReadsOneRegisterALineAndNamesTheFirstBadLine) {
  std::istringstream good(
      "{\"honseki\": \"青葉県みなと市桜町二丁目１５番地\", \"hittosha\": \"山川健一\", "
      "\"uji\": \"ヤマカワ\", \"mei\": {\"健一\": \"ケンイチ\"}}\n"
      "\n"
      "{\"honseki\": \"青葉県みなと市若葉町三丁目７番地\", \"hittosha\": \"小川浩\"}\n");
  auto list = ReadNotifiedList(good);
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].uji, "ヤマカワ");
  EXPECT_EQ((*list)[0].mei.size(), 1u);
  EXPECT_EQ((*list)[1].uji, std::nullopt);

  for (const char* bad : {"{\"honseki\": \"a\"}", "[1]", "{\"honseki\": \"a\", \"hittosha\": 1}",
                          "{\"honseki\": \"a\", \"hittosha\": \"b\", \"mei\": {\"c\": 1}}",
                          "{\"honseki\": \"a\", \"hittosha\": \"b\", \"yomi\": \"c\"}", "{"}) {
    std::istringstream in(std::string("{\"honseki\": \"a\", \"hittosha\": \"b\"}\n") + bad + "\n");
    auto refused = ReadNotifiedList(in);
    EXPECT_THAT(refused, ErrorIdIs("KSK-FURIGANA-005")) << bad;
    if (!refused) {
      EXPECT_NE(refused.error().public_message.find("2 行目"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace koseki::workflow
