// Certificate issuance as a use case over the real encrypted SQLite store: who may issue, the
// gapless 発行番号, and the audit entry of every issue and refusal. The certificate text itself
// is checked against DOMAIN.md in domain/certificate_test.cc; here only that it is the register's.
#include "koseki/workflow/certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

using testing::kMunicipality;
using testing::kTenant;
constexpr char kHonseki[] = "青葉県みなと市桜町二丁目１５番地";
constexpr char kHead[] = "山川健一";

class CertificateServiceTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    TenantStoreTest::SetUp();
    service_ = std::make_unique<CertificateService>(*registers_, installation_->backend(), *audit_,
                                                    clock_, kTenant, kMunicipality);
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
};

const Actor kClerk{.user_id = "clerk-1", .role = Role::kClerk};

TEST_F(CertificateServiceTest, AClerkIssuesNumberedCertificatesAndEachIsRecorded) {
  const CertificateRequest request{.honseki = kHonseki, .head = kHead};
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
  const CertificateRequest request{.honseki = kHonseki, .head = kHead};
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
  EXPECT_THAT(service_->Issue(kClerk, {.honseki = kHonseki, .head = "山川一郎"}),
              ErrorIdIs("KSK-APP-010"));
  EXPECT_THAT(
      service_->Issue(kClerk, {.honseki = kHonseki, .head = kHead, .persons = {"存在しない"}}),
      ErrorIdIs("KSK-APP-011"));
  EXPECT_THAT(AuditLines(), ::testing::Contains("cert.issue refused KSK-APP-010  "));
}

}  // namespace
}  // namespace koseki::workflow
