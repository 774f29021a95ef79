// TenantStoreTest: the fixture of the workflow's use-case tests — a real encrypted SQLite
// installation with one tenant (青葉県みなと市), its register store and 送付 outbox, an audit log
// with a signing key, and the DOMAIN.md §1.5 register before the death stored in it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "koseki/access/actor.h"
#include "koseki/audit/audit_log.h"
#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/rules/notification.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/store/installation.h"
#include "koseki/store/register_store.h"
#include "koseki/store/sealed_objects.h"
#include "koseki/store/testing/store_test_util.h"
#include "koseki/workflow/sofu_outbox.h"

namespace koseki::workflow::testing {

inline constexpr char kTenant[] = "999997";
inline constexpr char kMunicipality[] = "青葉県みなと市";

// One user of each role that takes a case from receipt to approval.
inline const access::Actor kClerk{"clerk-1", access::Role::kClerk};
inline const access::Actor kSupervisor{"sup-1", access::Role::kSupervisor};
inline const access::Actor kOperator{"op-1", access::Role::kOperator};
inline const access::Actor kExaminer{"exa-1", access::Role::kExaminer};
inline const access::Actor kApprover{"app-1", access::Role::kApprover};

// The 死亡届 of DOMAIN.md §1.5: 健一 died on 令和６年１１月２０日 at 15:45, filed by his wife.
inline rules::Entry KenichiDeath() {
  rules::Entry entry;
  entry.type = rules::NotificationType::kShibou;
  entry.values = {{"deceased", "R1:1"},
                  {"death_date", "令和６年１１月２０日"},
                  {"death_time", "15:45"},
                  {"death_place", "青葉県みなと市"},
                  {"todokedenin_shikaku", "同居の親族"},
                  {"todokedenin_name", "山川美咲"}};
  return entry;
}

class TenantStoreTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto installation = store::testing::OpenSqliteInstallation(db_file(), NewMasterKey(), clock_);
    ASSERT_THAT(installation, koseki::testing::IsOk());
    installation_ = *std::move(installation);
    ASSERT_THAT(installation_->CreateTenant(kTenant, kMunicipality), koseki::testing::IsOk());
    registers_ =
        std::make_unique<store::RegisterStore>(installation_->backend(), *installation_, clock_);
    objects_ =
        std::make_unique<store::SealedObjects>(installation_->backend(), *installation_, clock_);
    outbox_ = std::make_unique<SofuOutbox>(*objects_);
    auto key = audit::SigningKey::Generate("koseki-test");
    ASSERT_THAT(key, koseki::testing::IsOk());
    auto audit =
        audit::AuditLog::Open(installation_->backend(), clock_, *std::move(key),
                              audit::AuditOptions{{}, dir() / "witness.log", std::nullopt});
    ASSERT_THAT(audit, koseki::testing::IsOk());
    audit_ = *std::move(audit);
    auto id = registers_->Create(kTenant, rules::testing::core::ExampleRegisterBeforeDeath());
    ASSERT_THAT(id, koseki::testing::IsOk());
    register_id_ = *id;
  }

  // Returns the tenant log's entries, oldest first.
  std::vector<audit::Entry> TenantEntries() {
    auto entries = audit::FindEntries(installation_->backend(), kTenant, {});
    EXPECT_THAT(entries, koseki::testing::IsOk());
    return entries ? *std::move(entries) : std::vector<audit::Entry>{};
  }

  std::unique_ptr<store::Installation> installation_;
  std::unique_ptr<store::RegisterStore> registers_;
  std::unique_ptr<store::SealedObjects> objects_;
  std::unique_ptr<SofuOutbox> outbox_;  // the tenant's 送付 outbox
  std::unique_ptr<audit::AuditLog> audit_;
  std::string register_id_;
};

}  // namespace koseki::workflow::testing
