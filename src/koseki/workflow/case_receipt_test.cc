// The 受付日時 is the legal date of a filing: a death notification left at the night desk on
// Friday and registered on Monday is filed on Friday; a 送付 is filed on the day the other
// office accepted it. Over the real encrypted store, with the 死亡届 of DOMAIN.md §1.5.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/audit/actions.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/stored_case_records.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::HasSubstr;
using testing::KenichiDeath;
using testing::kMunicipality;
using testing::kTenant;

using testing::kApprover;
using testing::kClerk;
using testing::kExaminer;
using testing::kOperator;
using testing::kSupervisor;

std::int64_t At(std::string_view japan_time) { return *ParseReceiptTime(japan_time); }

class CaseReceiptTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    // Monday 2024-11-25, 10:00 in Japan: the first working day after the night-desk Friday.
    clock_.Set(FromUnixMicros(At("2024-11-25 10:00")));
    TenantStoreTest::SetUp();
    cases_ = std::make_unique<StoredCaseRecords>(installation_->backend(), *installation_);
    TenantInfo tenant{kTenant, kMunicipality, {}, {}};
    tenant.first_receipt_day = std::chrono::year_month_day(
        std::chrono::year(2024), std::chrono::month(4), std::chrono::day(1));
    service_ =
        std::make_unique<CaseService>(*registers_, *cases_, *outbox_, *audit_, clock_, tenant);
  }

  Result<Case> Receive(ReceiptInput receipt) {
    return service_->Receive(kClerk, rules::NotificationType::kShibou, "", std::move(receipt));
  }

  // Attaches the §1.5 register, assigns, submits 健一's death, examines and approves; returns
  // the new register version's certificate text.
  std::string Approved(const Case& c) {
    EXPECT_THAT(service_->Attach(kClerk, c.case_id, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
                IsOk());
    EXPECT_THAT(service_->Assign(kSupervisor, c.case_id, kOperator.user_id), IsOk());
    auto submitted = service_->Submit(kOperator, c.case_id, KenichiDeath());
    EXPECT_THAT(submitted, IsOk());
    EXPECT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
    EXPECT_THAT(service_->Approve(kApprover, c.case_id), IsOk());
    auto stored = registers_->Load(kTenant, register_id_);
    EXPECT_THAT(stored, IsOk());
    return stored ? rules::testing::core::Certificate(stored->value) : "";
  }

  std::vector<std::string> AuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id);
    }
    return lines;
  }

  std::unique_ptr<StoredCaseRecords> cases_;
  std::unique_ptr<CaseService> service_;
};

TEST_F(CaseReceiptTest, ANightDeskReceiptIsTheFilingDayNotTheDayOfEntry) {
  auto c = Receive({.at = At("2024-11-22 18:05")});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->CurrentReceipt().at, At("2024-11-22 18:05"));
  EXPECT_EQ(c->actions.front().at, UnixMicros(clock_.Now()));  // recorded on Monday
  // 【届出日】令和６年１１月２２日: exactly the register DOMAIN.md §1.5 prints.
  EXPECT_EQ(Approved(*c), rules::testing::core::Certificate(domain::testing::ExampleRegister()));
  auto reloaded = cases_->Load(kTenant, c->case_id);
  ASSERT_THAT(reloaded, IsOk());
  EXPECT_EQ(reloaded->CurrentReceipt(), c->CurrentReceipt());
}

TEST_F(CaseReceiptTest, WithoutATimeTheReceiptIsNow) {
  auto c = Receive({});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->CurrentReceipt().at, UnixMicros(clock_.Now()));
  EXPECT_THAT(Approved(*c), HasSubstr("【届出日】令和６年１１月２５日"));
}

TEST_F(CaseReceiptTest, AReceiptInTheFutureOrBeforeTheFirstDayIsRefusedAuditedAndNotStored) {
  EXPECT_THAT(Receive({.at = At("2024-11-25 10:01")}), ErrorIdIs("KSK-CASE-049"));
  EXPECT_THAT(Receive({.at = At("2024-03-31 23:59")}), ErrorIdIs("KSK-CASE-050"));
  auto page = service_->List(kClerk);
  ASSERT_THAT(page, IsOk());
  EXPECT_TRUE(page->cases.empty());
  EXPECT_THAT(AuditLines(),
              ::testing::ElementsAre("case.receive refused KSK-CASE-049",
                                     "case.receive refused KSK-CASE-050", "case.list ok "));
  // The refusals used no 受付番号: the next receipt is number 1.
  auto c = Receive({});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->uketsuke_bango, "2024-000001");
}

TEST_F(CaseReceiptTest, TheNumberIsOfTheYearOfReceipt) {
  clock_.Set(FromUnixMicros(At("2025-01-06 09:00")));
  auto c = Receive({.at = At("2024-12-31 17:40")});
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->uketsuke_bango, "2024-000001");
}

TEST_F(CaseReceiptTest, OnlyTheClerkCorrectsTheReceiptAndOnlyBeforeEntry) {
  auto c = Receive({});
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(service_->CorrectReceipt(kSupervisor, c->case_id, {.at = At("2024-11-22 18:05")}),
              ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(service_->CorrectReceipt(kClerk, c->case_id, {.at = At("2024-11-26 08:00")}),
              ErrorIdIs("KSK-CASE-049"));
  ASSERT_THAT(service_->Assign(kSupervisor, c->case_id, kOperator.user_id), IsOk());
  auto corrected = service_->CorrectReceipt(kClerk, c->case_id, {.at = At("2024-11-22 18:05")});
  ASSERT_THAT(corrected, IsOk());
  EXPECT_EQ(corrected->CurrentReceipt().at, At("2024-11-22 18:05"));
  EXPECT_EQ(corrected->uketsuke_bango, c->uketsuke_bango);
  ASSERT_THAT(service_->SaveDraft(kOperator, c->case_id, KenichiDeath()), IsOk());
  // Entered: the entry was evaluated against this 届出日, which may no longer change.
  EXPECT_THAT(service_->CorrectReceipt(kClerk, c->case_id, {.at = At("2024-11-21 18:05")}),
              ErrorIdIs("KSK-CASE-002"));
  auto loaded = cases_->Load(kTenant, c->case_id);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->CurrentReceipt().at, At("2024-11-22 18:05"));
  EXPECT_THAT(AuditLines(),
              ::testing::ElementsAre("case.receive ok ", "case.receipt refused KSK-CASE-001",
                                     "case.receipt refused KSK-CASE-049", "case.assign ok ",
                                     "case.receipt ok ", "case.entry ok ",
                                     "case.receipt refused KSK-CASE-002"));
}

TEST_F(CaseReceiptTest, AForwardedDeathIsFiledOnTheDayTheOtherOfficeAcceptedIt) {
  auto c = Receive({.forwarded = Forwarding{
                        "東海県南浜市長",
                        std::chrono::year_month_day(std::chrono::year(2024), std::chrono::month(11),
                                                    std::chrono::day(21))}});
  ASSERT_THAT(c, IsOk());
  const std::string printed = Approved(*c);
  EXPECT_THAT(printed, HasSubstr("　　　　　　　　【届出日】令和６年１１月２１日\n"
                                 "　　　　　　　　【届出人】親族　山川美咲\n"
                                 "　　　　　　　　【送付を受けた日】令和６年１１月２５日\n"
                                 "　　　　　　　　【受理者】東海県南浜市長\n"));
  // The vendor sees when the case was received, not where the notification was filed.
  auto shown = service_->Show(kSupervisor, c->case_id);
  ASSERT_THAT(shown, IsOk());
  EXPECT_EQ(shown->c.CurrentReceipt().at, c->CurrentReceipt().at);
  EXPECT_FALSE(shown->c.CurrentReceipt().forwarded.has_value());
}

TEST_F(CaseReceiptTest, AForwardingFromThisOfficeOrAcceptedAfterItArrivedIsRefused) {
  const auto on = [](unsigned d) {
    return std::chrono::year_month_day(std::chrono::year(2024), std::chrono::month(11),
                                       std::chrono::day(d));
  };
  EXPECT_THAT(Receive({.forwarded = Forwarding{"青葉県みなと市長", on(21)}}),
              ErrorIdIs("KSK-CASE-053"));
  EXPECT_THAT(
      Receive({.at = At("2024-11-22 09:00"), .forwarded = Forwarding{"東海県南浜市長", on(23)}}),
      ErrorIdIs("KSK-CASE-052"));
}

}  // namespace
}  // namespace koseki::workflow
