// The 送付 outbox over the real encrypted store: an approved marriage whose husband's 本籍 is in
// another municipality leaves a notice, stored with the approval; the clerk lists it and
// records when and how it was sent; every refusal changes nothing and is audited. When that
// municipality is hosted here the approval itself delivers the notice, or fails whole.
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
    tenant_ = tenant;
    // Without a deliverer every notice waits for the clerk (the hosted tenant's included).
    service_ =
        std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_, tenant);
    hosted_ = std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_,
                                            TenantInfo{kHostedTenant, kHostedMunicipality, {}, {}});
    sofu_ = std::make_unique<SofuService>(*outbox_, *audit_, clock_, kTenant);
  }

  // A CaseService whose approvals deliver through `deliver`.
  void DeliverWith(SofuDeliverer deliver) {
    service_ = std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_,
                                             tenant_, std::move(deliver));
  }
  // The deliverer of the composition root: into 南浜市's cases.
  SofuDeliverer IntoHosted() {
    return [this](const SofuNotice& notice, const Actor& by) -> Result<std::string> {
      EXPECT_EQ(notice.tenant_code, std::optional<std::string>(kHostedTenant));
      return ReceiveDelivered(*hosted_, notice, by, kTenant, kMunicipality);
    };
  }

  // 花子 marries 大野翔, 筆頭者 in 東海県南浜市, and joins his register: the case, examined and
  // ready for approval here; the marriage must be sent to 南浜市. Returns the case id.
  std::string ExaminedMarriage() {
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
    return c->case_id;
  }
  // ExaminedMarriage(), approved.
  std::string ApprovedMarriage() {
    const std::string id = ExaminedMarriage();
    EXPECT_THAT(service_->Approve(kApprover, id), IsOk());
    return id;
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
  TenantInfo tenant_;
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

TEST_F(SofuServiceTest, TheApprovalDeliversANoticeToAHostedMunicipalityAsItsIncomingCase) {
  DeliverWith(IntoHosted());
  const std::string id = ApprovedMarriage() + ".1";
  auto delivered = outbox_->Get(kTenant, id);
  ASSERT_THAT(delivered, IsOk());
  EXPECT_TRUE(delivered->sent());
  EXPECT_EQ(delivered->version, 2u);
  EXPECT_EQ(delivered->means, kDeliveredHere);
  EXPECT_EQ(delivered->sent_on, Day(2024, 11, 22));
  EXPECT_EQ(delivered->sent_by, kApprover.user_id);
  ASSERT_TRUE(delivered->delivered_case.has_value());

  // 南浜市 has a 送付 case: accepted by みなと市's mayor on the 届出日, arrived today.
  auto received = cases_->Load(kHostedTenant, *delivered->delivered_case);
  ASSERT_THAT(received, IsOk());
  EXPECT_EQ(received->type, rules::NotificationType::kKonin);
  EXPECT_EQ(received->State(), CaseState::kReceived);
  const Receipt receipt = received->CurrentReceipt();
  ASSERT_TRUE(receipt.forwarded.has_value());
  EXPECT_EQ(receipt.forwarded->accepted_by, "青葉県みなと市長");
  EXPECT_EQ(receipt.forwarded->accepted_on, Day(2024, 11, 22));
  EXPECT_EQ(received->actions.front().actor.user_id, "999997:app-1");
  // Recorded on both sides.
  EXPECT_THAT(SofuAuditLines(), ElementsAre("sofu.deliver ok "));
  auto there = audit::FindEntries(installation_->backend(), kHostedTenant, {});
  ASSERT_THAT(there, IsOk());
  ASSERT_EQ(there->size(), 1u);
  EXPECT_EQ(there->front().event().action, "case.receive");
  EXPECT_EQ(there->front().event().actor.user_id, "999997:app-1");
  // Nothing is left for the clerk.
  EXPECT_THAT(*sofu_->List(kClerk, /*sent=*/false), IsEmpty());
  EXPECT_THAT(sofu_->MarkSent(kClerk, id, Day(2024, 11, 22), "郵送"), ErrorIdIs("KSK-SOFU-005"));
}

TEST_F(SofuServiceTest, AFailedDeliveryFailsTheWholeApprovalAndLeavesNothingBehind) {
  // The receiving case is made, then the delivery fails: it must vanish with the approval.
  DeliverWith([this](const SofuNotice& notice, const Actor& by) -> Result<std::string> {
    EXPECT_THAT(ReceiveDelivered(*hosted_, notice, by, kTenant, kMunicipality), IsOk());
    return MakeError(ErrorCode::kUnavailable, "KSK-STORE-013", "x", "injected failure");
  });
  const std::string id = ExaminedMarriage();
  const auto kawakami =
      registers_->FindByHonsekiAndHittosha(kTenant, "青葉県みなと市港町三丁目７番地", "川上正一");
  ASSERT_THAT(kawakami, IsOk());
  ASSERT_EQ(kawakami->size(), 1u);
  EXPECT_THAT(service_->Approve(kApprover, id), ErrorIdIs("KSK-STORE-013"));

  EXPECT_EQ(cases_->Load(kTenant, id)->State(), CaseState::kExamined);
  EXPECT_THAT(*outbox_->List(kTenant), IsEmpty());
  EXPECT_THAT(cases_->List(kHostedTenant, {}, 10)->cases, IsEmpty());
  auto there = audit::FindEntries(installation_->backend(), kHostedTenant, {});
  ASSERT_THAT(there, IsOk());
  EXPECT_THAT(*there, IsEmpty());
  // No register version written: 花子 is still in her parents' register.
  EXPECT_EQ(registers_->ListVersions(kTenant, kawakami->front())->size(), 1u);
  // The approval is recorded as failed; a working delivery then approves it whole.
  EXPECT_THAT(SofuAuditLines(), IsEmpty());
  DeliverWith(IntoHosted());
  ASSERT_THAT(service_->Approve(kApprover, id), IsOk());
  EXPECT_EQ(cases_->List(kHostedTenant, {}, 10)->cases.size(), 1u);
}

}  // namespace
}  // namespace koseki::workflow
