// The scanned notification of a case over the real encrypted SQLite store: the clerk adds it,
// the assigned operator and the city's staff see its pages as pictures (the operator's always
// watermarked), nobody else sees them, a bad file stores nothing, and every step is recorded.
#include "koseki/workflow/case_pictures.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/render/scan_image.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/stored_case_records.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Contains;
using ::testing::IsEmpty;
using testing::kClerk;
using testing::kMunicipality;
using testing::kOperator;
using testing::kSupervisor;
using testing::kTenant;
using ::testing::SizeIs;

// A white A5-ish page with a black bar, as the clerk's scanner might write it (PNG).
std::string PageFile() {
  render::GrayPage page{600, 800, std::vector<std::uint8_t>(600 * 800, 255)};
  for (int y = 100; y < 140; ++y) {
    for (int x = 50; x < 550; ++x) page.pixels[y * 600 + x] = 0;
  }
  auto png = render::EncodeGrayPng(page);
  EXPECT_THAT(png, IsOk());
  return png ? *png : std::string();
}

// A scan of one page, in one file.
std::vector<std::string> ScanFile() { return {PageFile()}; }

class CasePictureServiceTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    TenantStoreTest::SetUp();
    records_ = std::make_unique<StoredCaseRecords>(installation_->backend(), *installation_);
    cases_ = std::make_unique<CaseService>(*registers_, *records_, *outbox_, *audit_, clock_,
                                           TenantInfo{kTenant, kMunicipality, {}, {}});
    pictures_ = std::make_unique<CasePictureService>(
        *registers_, *records_, installation_->backend(), *objects_, *audit_, clock_, kTenant);
    auto received = cases_->Receive(kClerk, rules::NotificationType::kShibou);
    ASSERT_THAT(received, IsOk());
    case_id_ = received->case_id;
    ASSERT_THAT(cases_->Assign(kSupervisor, case_id_, kOperator.user_id), IsOk());
  }

  std::vector<std::string> ScanAuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      if (e.event().action.rfind("case.scan", 0) != 0) continue;
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id + " " + e.event().context_id);
    }
    return lines;
  }

  std::unique_ptr<StoredCaseRecords> records_;
  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<CasePictureService> pictures_;
  std::string case_id_;
};

TEST_F(CasePictureServiceTest, TheClerkAddsAScanAndTheAssignedOperatorSeesItsPage) {
  auto added = pictures_->Add(kClerk, case_id_, ScanFile());
  ASSERT_THAT(added, IsOk());
  EXPECT_EQ(added->number, 1);
  EXPECT_EQ(added->pages, 1);
  EXPECT_EQ(added->formats, std::vector<std::string>{"png"});
  ASSERT_THAT(added->sha256, SizeIs(1));
  EXPECT_EQ(added->sha256[0].size(), 64u);
  EXPECT_EQ(added->added_by, kClerk.user_id);

  auto listed = pictures_->List(kOperator, case_id_);
  ASSERT_THAT(listed, IsOk());
  ASSERT_THAT(*listed, SizeIs(1));
  EXPECT_EQ((*listed)[0].sha256, added->sha256);

  auto picture = pictures_->PagePng(kOperator, case_id_, 1, 1, 400);
  ASSERT_THAT(picture, IsOk());
  auto shown = render::DecodeScan(
      std::span(reinterpret_cast<const std::uint8_t*>(picture->data()), picture->size()));
  ASSERT_THAT(shown, IsOk());
  EXPECT_EQ(shown->pages[0].width, 400);
  EXPECT_EQ(shown->pages[0].height, 533);
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_add ok  scan:1"));
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_list ok  "));
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_view ok  scan:1.page:1"));
}

TEST_F(CasePictureServiceTest, TheOperatorsPictureIsWatermarkedAndTheClerksOnlyIfTheTenantSaysSo) {
  ASSERT_THAT(pictures_->Add(kClerk, case_id_, ScanFile()), IsOk());
  auto clerk_plain = pictures_->PagePng(kClerk, case_id_, 1, 1, 400);
  auto operator_view = pictures_->PagePng(kOperator, case_id_, 1, 1, 400);
  ASSERT_THAT(clerk_plain, IsOk());
  ASSERT_THAT(operator_view, IsOk());
  EXPECT_NE(*clerk_plain, *operator_view);

  // Drawn again, the clerk's picture is the same bytes: nothing but the watermark differs.
  auto clerk_again = pictures_->PagePng(kClerk, case_id_, 1, 1, 400);
  ASSERT_THAT(clerk_again, IsOk());
  EXPECT_EQ(*clerk_again, *clerk_plain);
  ASSERT_THAT(installation_->backend().SetTenantSetting(kTenant, kCityWatermarkSetting, "on", 1),
              IsOk());
  auto clerk_marked = pictures_->PagePng(kClerk, case_id_, 1, 1, 400);
  ASSERT_THAT(clerk_marked, IsOk());
  EXPECT_NE(*clerk_marked, *clerk_plain);
}

TEST_F(CasePictureServiceTest, OnlyTheCasesReadersSeeItsScansAndEveryRefusalIsRecorded) {
  ASSERT_THAT(pictures_->Add(kClerk, case_id_, ScanFile()), IsOk());
  const Actor stranger{"op-2", Role::kOperator};
  EXPECT_THAT(pictures_->PagePng(stranger, case_id_, 1, 1, 400), ErrorIdIs("KSK-CASE-043"));
  EXPECT_THAT(pictures_->List(stranger, case_id_), ErrorIdIs("KSK-CASE-043"));
  EXPECT_THAT(pictures_->PagePng(kSupervisor, case_id_, 1, 1, 400), ErrorIdIs("KSK-CASE-043"));
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_view refused KSK-CASE-043 "));
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_list refused KSK-CASE-043 "));
}

TEST_F(CasePictureServiceTest, OnlyTheClerkAddsScansAndABadFileStoresNothing) {
  EXPECT_THAT(pictures_->Add(kOperator, case_id_, ScanFile()), ErrorIdIs("KSK-CASE-001"));
  // A good first page does not carry a bad second one: nothing is stored.
  const std::vector<std::string> with_gif = {PageFile(), "GIF89a: not a scan"};
  EXPECT_THAT(pictures_->Add(kClerk, case_id_, with_gif), ErrorIdIs("KSK-SCAN-003"));
  std::string truncated = PageFile();
  truncated.resize(truncated.size() / 2);
  EXPECT_THAT(pictures_->Add(kClerk, case_id_, std::vector<std::string>{truncated}),
              ErrorIdIs("KSK-SCAN-004"));
  EXPECT_THAT(pictures_->Add(kClerk, case_id_, std::vector<std::string>{}),
              ErrorIdIs("KSK-SCAN-022"));
  auto listed = pictures_->List(kClerk, case_id_);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(*listed, IsEmpty());
  auto page = objects_->Get(kTenant, kScanPageKind, case_id_ + ".1.1");
  ASSERT_THAT(page, IsOk());
  EXPECT_FALSE(page->has_value());
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_add refused KSK-SCAN-003 "));
  EXPECT_THAT(ScanAuditLines(), Contains("case.scan_add refused KSK-CASE-001 "));
}

TEST_F(CasePictureServiceTest, AClosedCaseTakesNoScanAndAMissingPageIsNotFound) {
  ASSERT_THAT(pictures_->Add(kClerk, case_id_, ScanFile()), IsOk());
  EXPECT_THAT(pictures_->PagePng(kClerk, case_id_, 1, 2, 400), ErrorIdIs("KSK-SCAN-020"));
  EXPECT_THAT(pictures_->PagePng(kClerk, case_id_, 2, 1, 400), ErrorIdIs("KSK-SCAN-020"));
  EXPECT_THAT(pictures_->PagePng(kClerk, case_id_, 0, 1, 400), ErrorIdIs("KSK-SCAN-020"));
  EXPECT_THAT(pictures_->PagePng(kClerk, case_id_, 1, 1, 50), ErrorIdIs("KSK-RENDER-015"));
  ASSERT_THAT(cases_->Withdraw(kClerk, case_id_, "届出人による取下げ"), IsOk());
  EXPECT_THAT(pictures_->Add(kClerk, case_id_, ScanFile()), ErrorIdIs("KSK-CASE-003"));
  auto second = pictures_->Add(kClerk, "no-such-case", ScanFile());
  EXPECT_THAT(second, ErrorIdIs("KSK-CASE-021"));
}

TEST_F(CasePictureServiceTest, TheFilesOfAScanArePagesInTheOrderGiven) {
  render::GrayPage dark{300, 300, std::vector<std::uint8_t>(300 * 300, 0)};
  auto dark_png = render::EncodeGrayPng(dark);
  ASSERT_THAT(dark_png, IsOk());
  const std::vector<std::string> files = {PageFile(), *dark_png};
  auto added = pictures_->Add(kClerk, case_id_, files);
  ASSERT_THAT(added, IsOk());
  EXPECT_EQ(added->pages, 2);
  ASSERT_THAT(added->sha256, SizeIs(2));
  EXPECT_NE(added->sha256[0], added->sha256[1]);
  auto second = pictures_->PagePng(kClerk, case_id_, 1, 2, 300);
  ASSERT_THAT(second, IsOk());
  auto shown = render::DecodeScan(
      std::span(reinterpret_cast<const std::uint8_t*>(second->data()), second->size()));
  ASSERT_THAT(shown, IsOk());
  EXPECT_EQ(shown->pages[0].height, 300);  // the square page, not the first one
  EXPECT_LT(shown->pages[0].pixels[150 * 300 + 150], 10);
}

TEST_F(CasePictureServiceTest, ScansAreNumberedInTheOrderTheyWereAdded) {
  ASSERT_THAT(pictures_->Add(kClerk, case_id_, ScanFile()), IsOk());
  auto second = pictures_->Add(kClerk, case_id_, ScanFile());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->number, 2);
  auto listed = pictures_->List(kClerk, case_id_);
  ASSERT_THAT(listed, IsOk());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[1].number, 2);
  EXPECT_THAT(pictures_->PagePng(kOperator, case_id_, 2, 1, 300), IsOk());
}

TEST_F(CasePictureServiceTest, TheAssignedOperatorSeesTheAttachedRegisterAsWatermarkedPages) {
  ASSERT_THAT(cases_->Attach(kClerk, case_id_, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
              IsOk());
  auto first = pictures_->RegisterPagePng(kOperator, case_id_, 1, 1, 800);
  ASSERT_THAT(first, IsOk());
  EXPECT_GE(first->pages, 1);
  auto shown = render::DecodeScan(
      std::span(reinterpret_cast<const std::uint8_t*>(first->png.data()), first->png.size()));
  ASSERT_THAT(shown, IsOk());
  EXPECT_EQ(shown->pages[0].width, 800);
  EXPECT_EQ(shown->pages[0].height, 1131);  // A4

  auto clerks = pictures_->RegisterPagePng(kClerk, case_id_, 1, 1, 800);
  ASSERT_THAT(clerks, IsOk());
  EXPECT_NE(clerks->png, first->png);  // only the operator's carries the watermark

  std::vector<std::string> views;
  for (const audit::Entry& e : TenantEntries()) {
    if (e.event().action != "register.view") continue;
    views.push_back(e.event().object_id + " " + e.event().context_id + " " +
                    std::string(audit::OutcomeName(e.event().outcome)));
  }
  EXPECT_THAT(views, Contains(register_id_ + ":1 " + case_id_ + " ok"));
}

TEST_F(CasePictureServiceTest, ARegisterOrPageTheCaseDoesNotHaveIsNotFoundAndStrangersAreRefused) {
  EXPECT_THAT(pictures_->RegisterPagePng(kClerk, case_id_, 1, 1, 800), ErrorIdIs("KSK-SCAN-023"));
  ASSERT_THAT(cases_->Attach(kClerk, case_id_, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
              IsOk());
  auto first = pictures_->RegisterPagePng(kClerk, case_id_, 1, 1, 800);
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(pictures_->RegisterPagePng(kClerk, case_id_, 1, first->pages + 1, 800),
              ErrorIdIs("KSK-SCAN-023"));
  EXPECT_THAT(pictures_->RegisterPagePng(kClerk, case_id_, 2, 1, 800), ErrorIdIs("KSK-SCAN-023"));
  EXPECT_THAT(pictures_->RegisterPagePng(kClerk, case_id_, 1, 1, 10), ErrorIdIs("KSK-RENDER-014"));
  const Actor stranger{"op-2", Role::kOperator};
  EXPECT_THAT(pictures_->RegisterPagePng(stranger, case_id_, 1, 1, 800), ErrorIdIs("KSK-CASE-043"));
}

}  // namespace
}  // namespace koseki::workflow
