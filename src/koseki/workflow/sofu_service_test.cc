// The 送付 outbox over the real encrypted store: an approved marriage whose husband's 本籍 is in
// another municipality leaves a notice, stored with the approval; the clerk lists it and
// records when and how it was sent; every refusal changes nothing and is audited.
#include "koseki/workflow/sofu_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"
#include "koseki/rules/testing/family_fixtures.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/stored_case_records.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kMunicipality;
using testing::kTenant;

using testing::kApprover;
using testing::kClerk;
using testing::kExaminer;
using testing::kOperator;
using testing::kSupervisor;

std::chrono::year_month_day Day(int y, unsigned m, unsigned d) {
  return std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m),
                                     std::chrono::day(d));
}

class SofuServiceTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    // 2024-11-22, afternoon in Japan.
    clock_.Advance(-std::chrono::hours(4 * 24));
    TenantStoreTest::SetUp();
    ASSERT_THAT(registers_->Create(kTenant, rules::testing::family::KawakamiRegister()), IsOk());
    cases_ = std::make_unique<StoredCaseRecords>(installation_->backend(), *installation_);
    service_ = std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_,
                                             TenantInfo{kTenant, kMunicipality, {}, {}});
    sofu_ = std::make_unique<SofuService>(*outbox_, *audit_, clock_, kTenant);
  }

  // 花子 marries 大野翔, 筆頭者 in 東海県南浜市, and joins his register: approved here, the
  // marriage must be sent to 南浜市. Returns the case id.
  std::string ApprovedMarriage() {
    auto c = service_->Receive(kClerk, rules::NotificationType::kKonin);
    EXPECT_THAT(c, IsOk());
    EXPECT_THAT(service_->Attach(kClerk, c->case_id, "青葉県みなと市港町三丁目７番地", "川上正一"),
                IsOk());
    EXPECT_THAT(service_->Assign(kSupervisor, c->case_id, kOperator.user_id), IsOk());
    rules::Entry entry;
    entry.type = rules::NotificationType::kKonin;
    for (const auto& [key, value] : rules::testing::With(
             rules::testing::With(
                 rules::testing::family::AdultWitnesses(),
                 rules::testing::family::ExternalHusband("東海県南浜市浜町１２番地", "大野翔")),
             {{"wife_ref", "R1:3"}, {"uji", "夫の氏"}})) {
      entry.values[key] = value;
    }
    auto submitted = service_->Submit(kOperator, c->case_id, entry);
    EXPECT_THAT(submitted, IsOk());
    EXPECT_THAT(service_->Examine(kExaminer, c->case_id), IsOk());
    // Nothing is waiting to be sent before the approval.
    EXPECT_THAT(*outbox_->List(kTenant), IsEmpty());
    auto approved = service_->Approve(kApprover, c->case_id);
    EXPECT_THAT(approved, IsOk());
    return c->case_id;
  }

  std::vector<std::string> SofuAuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      if (!e.event().action.starts_with("sofu.")) continue;
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id);
    }
    return lines;
  }

  std::unique_ptr<StoredCaseRecords> cases_;
  std::unique_ptr<CaseService> service_;
  std::unique_ptr<SofuService> sofu_;
};

TEST_F(SofuServiceTest, AnApprovalLeavesItsNoticeAndTheClerkRecordsItSent) {
  const std::string case_id = ApprovedMarriage();
  auto pending = sofu_->List(kClerk, /*sent=*/false);
  ASSERT_THAT(pending, IsOk());
  ASSERT_EQ(pending->size(), 1u);
  const SofuNotice& notice = pending->front();
  EXPECT_EQ(notice.notice_id, case_id + ".1");
  EXPECT_EQ(notice.municipality, "東海県南浜市");
  EXPECT_EQ(notice.type, rules::NotificationType::kKonin);
  EXPECT_EQ(notice.filed_on, Day(2024, 11, 22));
  EXPECT_FALSE(notice.sent());
  EXPECT_THAT(*sofu_->List(kClerk, /*sent=*/true), IsEmpty());

  auto sent = sofu_->MarkSent(kClerk, notice.notice_id, Day(2024, 11, 22), "郵送");
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->version, 2u);
  EXPECT_THAT(*sofu_->List(kClerk, /*sent=*/false), IsEmpty());
  auto listed = sofu_->List(kExaminer, /*sent=*/true);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().sent_on, Day(2024, 11, 22));
  EXPECT_EQ(listed->front().means, "郵送");
  EXPECT_EQ(listed->front().sent_by, kClerk.user_id);
  // Sent once only.
  EXPECT_THAT(sofu_->MarkSent(kClerk, notice.notice_id, Day(2024, 11, 22), "使送"),
              ErrorIdIs("KSK-SOFU-005"));
  EXPECT_THAT(SofuAuditLines(),
              ElementsAre("sofu.list ok ", "sofu.list ok ", "sofu.sent ok ", "sofu.list ok ",
                          "sofu.list ok ", "sofu.sent refused KSK-SOFU-005"));
}

TEST_F(SofuServiceTest, RefusalsChangeNothingAndAreAudited) {
  const std::string id = ApprovedMarriage() + ".1";
  EXPECT_THAT(sofu_->List(kOperator), ErrorIdIs("KSK-SOFU-001"));
  EXPECT_THAT(sofu_->List(kSupervisor), ErrorIdIs("KSK-SOFU-001"));
  EXPECT_THAT(sofu_->MarkSent(kApprover, id, Day(2024, 11, 22), "郵送"), ErrorIdIs("KSK-SOFU-001"));
  EXPECT_THAT(sofu_->MarkSent(kClerk, id, Day(2024, 11, 22), "FAX"), ErrorIdIs("KSK-SOFU-004"));
  EXPECT_THAT(sofu_->MarkSent(kClerk, id, Day(2024, 11, 23), "郵送"), ErrorIdIs("KSK-SOFU-006"));
  EXPECT_THAT(sofu_->MarkSent(kClerk, id, Day(2024, 11, 21), "郵送"), ErrorIdIs("KSK-SOFU-006"));
  EXPECT_THAT(sofu_->MarkSent(kClerk, id + "9", Day(2024, 11, 22), "郵送"),
              ErrorIdIs("KSK-SOFU-002"));
  auto stored = outbox_->Get(kTenant, id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_FALSE(stored->sent());
  EXPECT_EQ(stored->version, 1u);
  EXPECT_EQ(SofuAuditLines().size(), 7u);
  for (const std::string& line : SofuAuditLines())
    EXPECT_THAT(line, ::testing::HasSubstr("refused"));
}

}  // namespace
}  // namespace koseki::workflow
