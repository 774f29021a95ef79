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

constexpr char kHostedTenant[] = "999998";
constexpr char kHostedMunicipality[] = "東海県南浜市";

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
    // 東海県南浜市 is hosted here as tenant 999998.
    ASSERT_THAT(installation_->CreateTenant(kHostedTenant, kHostedMunicipality), IsOk());
    TenantInfo tenant{kTenant, kMunicipality, {}, {}};
    tenant.hosted_tenant = [](std::string_view municipality) -> std::optional<std::string> {
      if (municipality == kHostedMunicipality) return std::string(kHostedTenant);
      return std::nullopt;
    };
    service_ =
        std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_, tenant);
    hosted_ = std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_,
                                            TenantInfo{kHostedTenant, kHostedMunicipality, {}, {}});
    sofu_ = std::make_unique<SofuService>(
        *outbox_, *audit_, clock_, kTenant,
        [this](const SofuNotice& notice, const Actor& clerk) -> Result<std::string> {
          EXPECT_EQ(notice.tenant_code, std::optional<std::string>(kHostedTenant));
          return ReceiveDelivered(*hosted_, notice, clerk, kTenant, kMunicipality);
        });
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
  std::unique_ptr<CaseService> hosted_;  // 東海県南浜市's cases
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
  EXPECT_EQ(notice.tenant_code, std::optional<std::string>(kHostedTenant));
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

TEST_F(SofuServiceTest, ANoticeToAHostedMunicipalityBecomesItsIncomingCase) {
  const std::string id = ApprovedMarriage() + ".1";
  auto delivered = sofu_->Deliver(kClerk, id);
  ASSERT_THAT(delivered, IsOk());
  EXPECT_TRUE(delivered->sent());
  EXPECT_EQ(delivered->means, kDeliveredHere);
  EXPECT_EQ(delivered->sent_on, Day(2024, 11, 22));
  ASSERT_TRUE(delivered->delivered_case.has_value());
  EXPECT_EQ(outbox_->Get(kTenant, id)->delivered_case, delivered->delivered_case);

  // 南浜市 has a 送付 case: accepted by みなと市's mayor on the 届出日, arrived today.
  auto received = cases_->Load(kHostedTenant, *delivered->delivered_case);
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->type, rules::NotificationType::kKonin);
  EXPECT_EQ(received->State(), CaseState::kReceived);
  const Receipt receipt = received->CurrentReceipt();
  ASSERT_TRUE(receipt.forwarded.has_value());
  EXPECT_EQ(receipt.forwarded->accepted_by, "青葉県みなと市長");
  EXPECT_EQ(receipt.forwarded->accepted_on, Day(2024, 11, 22));
  EXPECT_EQ(received->actions.front().actor.user_id, "999997:clerk-1");
  // Recorded on both sides.
  EXPECT_THAT(SofuAuditLines(), ElementsAre("sofu.deliver ok "));
  auto there = audit::FindEntries(installation_->backend(), kHostedTenant, {});
  ASSERT_THAT(there, IsOk());
  ASSERT_EQ(there->size(), 1u);
  EXPECT_EQ(there->front().event().action, "case.receive");
  EXPECT_EQ(there->front().event().actor.user_id, "999997:clerk-1");

  EXPECT_THAT(sofu_->Deliver(kClerk, id), ErrorIdIs("KSK-SOFU-005"));
  EXPECT_EQ(cases_->List(kHostedTenant, {}, 10)->cases.size(), 1u);
}

TEST_F(SofuServiceTest, ANoticeElsewhereCannotBeDeliveredAndAFailedDeliveryLeavesItPending) {
  const std::string id = ApprovedMarriage() + ".1";
  SofuService without(*outbox_, *audit_, clock_, kTenant);
  EXPECT_THAT(without.Deliver(kClerk, id), ErrorIdIs("KSK-SOFU-007"));
  SofuService failing(*outbox_, *audit_, clock_, kTenant,
                      [](const SofuNotice&, const Actor&) -> Result<std::string> {
                        return MakeError(ErrorCode::kUnavailable, "KSK-STORE-013", "x", "down");
                      });
  EXPECT_THAT(failing.Deliver(kClerk, id), ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(sofu_->Deliver(kOperator, id), ErrorIdIs("KSK-SOFU-001"));
  auto stored = outbox_->Get(kTenant, id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_FALSE(stored->sent());
  EXPECT_THAT(SofuAuditLines(),
              ElementsAre("sofu.deliver refused KSK-SOFU-007", "sofu.deliver error KSK-STORE-013",
                          "sofu.deliver refused KSK-SOFU-001"));
}

}  // namespace
}  // namespace koseki::workflow
