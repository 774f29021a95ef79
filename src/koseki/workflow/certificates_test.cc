// Certificate issuance as a use case over the real encrypted SQLite store: who may issue, the
// gapless 発行番号, the audit entry of every issue and refusal, and the 交付請求 (purpose and
// requester) sealed in it under the tenant key. The certificate text itself is checked against
// DOMAIN.md in domain/certificate_test.cc; here only that it is the register's.
#include "koseki/workflow/certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/fake_clock.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/store/installation.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::kMunicipality;
using testing::kTenant;
constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";
constexpr char kHead[] = "山川健一";

class CertificateServiceTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    TenantStoreTest::SetUp();
    service_ =
        std::make_unique<CertificateService>(*registers_, installation_->backend(), *installation_,
                                             *objects_, *audit_, clock_, kTenant, kMunicipality);
  }

  // Returns the tenant log's cert.issue entries that succeeded, oldest first.
  std::vector<audit::Entry> IssueEntries() {
    std::vector<audit::Entry> issues;
    for (audit::Entry& e : TenantEntries()) {
      if (e.event().action == "cert.issue" && e.event().outcome == audit::Outcome::kOk) {
        issues.push_back(std::move(e));
      }
    }
    return issues;
  }

  const crypto::Aead& TenantAead(std::string_view tenant = kTenant) {
    auto cipher = installation_->ForTenant(tenant);
    EXPECT_THAT(cipher, IsOk());
    ciphers_.push_back(*cipher);
    return ciphers_.back()->aead();
  }

  // The tenant log's entries as "action outcome error object context" lines.
  std::vector<std::string> AuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id + " " + e.event().object_id + " " +
                      e.event().context_id);
    }
    return lines;
  }

  std::unique_ptr<CertificateService> service_;
  std::vector<std::shared_ptr<const store::TenantCipher>> ciphers_;
};

const Actor kClerk{.user_id = "clerk-1", .role = Role::kClerk};
// Fictional; distinctive enough that a plaintext copy anywhere would be found.
constexpr char kPurpose[] = "相続手続のため（架空の請求）";
constexpr char kRequester[] = "代理人　川辺架空太郎";

CertificateRequest Request() {
  return {.honseki = kHonseki, .head = kHead, .purpose = kPurpose, .requester = kRequester};
}

std::string AsText(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

TEST_F(CertificateServiceTest, AClerkIssuesNumberedCertificatesAndEachIsRecorded) {
  const CertificateRequest request = Request();
  auto first = service_->Issue(kClerk, request);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->register_id, register_id_);
  EXPECT_EQ(first->issue_number, 1);
  EXPECT_THAT(first->text, HasSubstr("青葉県みなと市長"));
  auto second = service_->Issue(kClerk, request);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->issue_number, 2);
  EXPECT_EQ(second->receipt.log, kTenant);
  const std::string object = register_id_ + ":1";
  EXPECT_THAT(AuditLines(), ::testing::Contains("cert.issue ok  " + object + " issue:1"));
  EXPECT_THAT(AuditLines(), ::testing::Contains("cert.issue ok  " + object + " issue:2"));
}

TEST_F(CertificateServiceTest, OnlyTheCityClerkMayIssueAndARefusalUsesNoNumber) {
  const CertificateRequest request = Request();
  for (Role role : {Role::kOperator, Role::kSupervisor, Role::kExaminer, Role::kApprover,
                    Role::kAuditor, Role::kAdmin}) {
    EXPECT_THAT(service_->Issue(Actor{.user_id = "u-1", .role = role}, request),
                ErrorIdIs("KSK-CERT-001"))
        << RoleName(role);
  }
  const std::vector<std::string> lines = AuditLines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "cert.issue refused KSK-CERT-001  "), 6);
  auto issued = service_->Issue(kClerk, request);
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->issue_number, 1);
}

TEST_F(CertificateServiceTest, AnUnknownRegisterOrPersonIsNotFoundAndRecorded) {
  CertificateRequest unknown = Request();
  unknown.head = "山川一郎";
  EXPECT_THAT(service_->Issue(kClerk, unknown), ErrorIdIs("KSK-APP-010"));
  CertificateRequest stranger = Request();
  stranger.persons = {"存在しない"};
  EXPECT_THAT(service_->Issue(kClerk, stranger), ErrorIdIs("KSK-APP-011"));
  EXPECT_THAT(AuditLines(), ::testing::Contains("cert.issue refused KSK-APP-010  "));
}

TEST_F(CertificateServiceTest, ThePurposeAndRequesterAreSealedInTheEntryUnderTheTenantKey) {
  auto issued = service_->Issue(kClerk, Request());
  ASSERT_THAT(issued, IsOk());

  const std::vector<audit::Entry> issues = IssueEntries();
  ASSERT_EQ(issues.size(), 1U);
  const std::vector<std::uint8_t>& sealed = issues[0].event().encrypted_detail;
  ASSERT_FALSE(sealed.empty());
  EXPECT_THAT(AsText(sealed), ::testing::Not(HasSubstr("相続")));
  EXPECT_THAT(AsText(sealed), ::testing::Not(HasSubstr("川辺")));
  auto detail = OpenRequestDetail(TenantAead(), issues[0]);
  ASSERT_THAT(detail, IsOk());
  EXPECT_EQ(detail->purpose, kPurpose);
  EXPECT_EQ(detail->requester, kRequester);
}

TEST_F(CertificateServiceTest, ASealedRequestOpensOnlyInItsOwnEntryAndTenant) {
  CertificateRequest other = Request();
  other.purpose = "年金の手続のため";
  ASSERT_THAT(service_->Issue(kClerk, Request()), IsOk());
  ASSERT_THAT(service_->Issue(kClerk, other), IsOk());
  const std::vector<audit::Entry> issues = IssueEntries();
  ASSERT_EQ(issues.size(), 2U);

  // The first request's detail put into the second entry (another 発行番号).
  audit::Event moved = issues[1].event();
  moved.encrypted_detail = issues[0].event().encrypted_detail;
  auto forged = audit::Entry::Create(kTenant, issues[1].index(), issues[1].time(), moved);
  ASSERT_THAT(forged, IsOk());
  EXPECT_THAT(OpenRequestDetail(TenantAead(), *forged), ErrorIdIs("KSK-CERT-004"));

  // Another tenant's key does not open it.
  ASSERT_THAT(installation_->CreateTenant("131016", "試験県試験市"), IsOk());
  EXPECT_THAT(OpenRequestDetail(TenantAead("131016"), issues[0]), ErrorIdIs("KSK-CERT-004"));

  // Nor does a detail in an entry that is not a certificate's.
  audit::Event relabelled = issues[0].event();
  relabelled.action = "register.view";
  auto view = audit::Entry::Create(kTenant, issues[0].index(), issues[0].time(), relabelled);
  ASSERT_THAT(view, IsOk());
  EXPECT_THAT(OpenRequestDetail(TenantAead(), *view), ErrorIdIs("KSK-CERT-004"));
}

TEST_F(CertificateServiceTest, AMissingPurposeOrRequesterIsRefusedAndRecordedWithoutANumber) {
  CertificateRequest no_purpose = Request();
  no_purpose.purpose.clear();
  EXPECT_THAT(service_->Issue(kClerk, no_purpose), ErrorIdIs("KSK-CERT-002"));
  CertificateRequest blank_purpose = Request();
  blank_purpose.purpose = " 　 ";
  EXPECT_THAT(service_->Issue(kClerk, blank_purpose), ErrorIdIs("KSK-CERT-002"));
  CertificateRequest no_requester = Request();
  no_requester.requester.clear();
  EXPECT_THAT(service_->Issue(kClerk, no_requester), ErrorIdIs("KSK-CERT-003"));

  const std::vector<std::string> lines = AuditLines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "cert.issue refused KSK-CERT-002  "), 2);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "cert.issue refused KSK-CERT-003  "), 1);
  auto issued = service_->Issue(kClerk, Request());
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->issue_number, 1);
}

TEST_F(CertificateServiceTest, ARequestTextIsAtMost200CharactersOnOneLine) {
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "請";
  CertificateRequest at_limit = Request();
  at_limit.purpose = longest;
  at_limit.requester = longest;
  EXPECT_THAT(service_->Issue(kClerk, at_limit), IsOk());

  CertificateRequest too_long = Request();
  too_long.purpose = longest + "求";
  EXPECT_THAT(service_->Issue(kClerk, too_long), ErrorIdIs("KSK-CERT-002"));
  CertificateRequest two_lines = Request();
  two_lines.requester = "本人\n代理人";
  EXPECT_THAT(service_->Issue(kClerk, two_lines), ErrorIdIs("KSK-CERT-003"));
  CertificateRequest not_utf8 = Request();
  not_utf8.purpose = "\xff\xfe";
  EXPECT_THAT(service_->Issue(kClerk, not_utf8), ErrorIdIs("KSK-CERT-002"));
}

TEST_F(CertificateServiceTest, TheMayorLineNamesTheMayorTheTenantConfigured) {
  auto unnamed = service_->Issue(kClerk, Request());
  ASSERT_THAT(unnamed, IsOk());
  EXPECT_THAT(unnamed->text, HasSubstr("青葉県みなと市長　　　［職印］"));
  ASSERT_THAT(installation_->backend().SetTenantSetting(kTenant, kMayorNameSetting, "北村　誠", 1),
              IsOk());
  auto named = service_->Issue(kClerk, Request());
  ASSERT_THAT(named, IsOk());
  EXPECT_THAT(named->text, HasSubstr("青葉県みなと市長　　北村　誠"));
}

// The demo municipality's fictional 職印 (docs/examples/seal.png, a red square seal).
std::string ExampleSeal() {
  std::ifstream in(KOSEKI_EXAMPLE_SEAL, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

crypto::ByteView BytesOf(const std::string& s) {
  return crypto::ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

TEST_F(CertificateServiceTest, APdfIsIssuedWithTheTenantsSealWhenAsked) {
  CertificateRequest request = Request();
  auto text_only = service_->Issue(kClerk, request);
  ASSERT_THAT(text_only, IsOk());
  EXPECT_TRUE(text_only->pdf.empty());

  request.pdf = true;
  auto unsealed = service_->Issue(kClerk, request);
  ASSERT_THAT(unsealed, IsOk());
  EXPECT_THAT(unsealed->pdf, ::testing::StartsWith("%PDF-"));
  EXPECT_THAT(unsealed->pdf, Not(HasSubstr("/Subtype /Image")));

  ASSERT_THAT(objects_->Put(kTenant, kSealObjectKind, kSealObjectId, 0, BytesOf(ExampleSeal())),
              IsOk());
  auto sealed = service_->Issue(kClerk, request);
  ASSERT_THAT(sealed, IsOk());
  EXPECT_THAT(sealed->pdf, HasSubstr("/Subtype /Image"));
  EXPECT_EQ(sealed->issue_number, 3);
}

TEST_F(CertificateServiceTest, ASealThatCannotBeDrawnRefusesThePdfAndUsesNoNumber) {
  ASSERT_THAT(objects_->Put(kTenant, kSealObjectKind, kSealObjectId, 0,
                            BytesOf("\x89PNG\r\n\x1a\n but not really")),
              IsOk());
  CertificateRequest request = Request();
  request.pdf = true;
  EXPECT_THAT(service_->Issue(kClerk, request), ErrorIdIs("KSK-RENDER-011"));
  // The refusal names the register it was for, and no 発行番号.
  EXPECT_THAT(AuditLines(),
              ::testing::Contains("cert.issue refused KSK-RENDER-011 " + register_id_ + ":1 "));
  request.pdf = false;
  auto issued = service_->Issue(kClerk, request);
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->issue_number, 1);
}

}  // namespace
}  // namespace koseki::workflow
