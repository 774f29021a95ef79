// The case workflow end to end over the real encrypted SQLite store: receive → attach →
// assign → enter → examine → approve, with the 死亡届 of DOMAIN.md §1.5, and the refusals the
// issue names (separation of duties, need-to-know, approval conflict).
#include "koseki/workflow/case_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/stored_log.h"
#include "koseki/base/testing/fake_clock.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/master_key.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/rules/testing/core_fixtures.h"
#include "koseki/store/installation.h"
#include "koseki/store/testing/store_test_util.h"
#include "koseki/workflow/stored_case_records.h"
#include "koseki/workflow/testing/tenant_store_test.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::HasSubstr;

using testing::kApprover;
using testing::kClerk;
using testing::kExaminer;
using testing::kOperator;
using testing::kSupervisor;
const Actor kOtherOperator{"op-2", Role::kOperator};

using testing::KenichiDeath;
using testing::kMunicipality;
using testing::kTenant;

// The store's case records, with one fault injected: once armed, the next Load of a case —
// the approval's plan, read before its transaction — is followed by `meanwhile` (other people
// acting on the case), so that the plan is out of date when the transaction begins.
class ActingAfterLoad final : public CaseRecords {
 public:
  explicit ActingAfterLoad(CaseRecords& records) : records_(records) {}
  void Arm(std::function<void()> meanwhile) { meanwhile_ = std::move(meanwhile); }

  Result<void> Create(const Case& c) override { return records_.Create(c); }
  Result<Case> Load(std::string_view tenant, std::string_view case_id) override {
    Result<Case> loaded = records_.Load(tenant, case_id);
    if (auto meanwhile = std::exchange(meanwhile_, nullptr)) meanwhile();
    return loaded;
  }
  Result<void> Append(std::string_view tenant, std::string_view case_id,
                      std::size_t expected_actions, const CaseAction& action) override {
    return records_.Append(tenant, case_id, expected_actions, action);
  }
  Result<CaseListPage> List(std::string_view tenant, const std::optional<CaseCursor>& after,
                            std::size_t limit) override {
    return records_.List(tenant, after, limit);
  }
  Result<std::int64_t> NextReceiptNumber(std::string_view tenant, int year) override {
    return records_.NextReceiptNumber(tenant, year);
  }

 private:
  CaseRecords& records_;
  std::function<void()> meanwhile_;
};

class CaseServiceTest : public testing::TenantStoreTest {
 protected:
  void SetUp() override {
    // 2024-11-26 → 2024-11-22 (JST afternoon), the filing day of the death.
    clock_.Advance(-std::chrono::hours(4 * 24));
    TenantStoreTest::SetUp();
    cases_ = std::make_unique<StoredCaseRecords>(installation_->backend(), *installation_);
    acting_ = std::make_unique<ActingAfterLoad>(*cases_);
    service_ = std::make_unique<CaseService>(*registers_, *acting_, *outbox_, *audit_, clock_,
                                             TenantInfo{kTenant, kMunicipality, {}, {}});
  }

  // Receives, attaches the §1.5 register and assigns kOperator.
  Case Prepared() {
    auto c = service_->Receive(kClerk, rules::NotificationType::kShibou);
    EXPECT_THAT(c, IsOk());
    EXPECT_THAT(
        service_->Attach(kClerk, c->case_id, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
        IsOk());
    auto assigned = service_->Assign(kSupervisor, c->case_id, kOperator.user_id);
    EXPECT_THAT(assigned, IsOk());
    return *assigned;
  }

  Case Submitted() {
    Case c = Prepared();
    auto submitted = service_->Submit(kOperator, c.case_id, KenichiDeath());
    EXPECT_THAT(submitted, IsOk());
    return submitted->updated;
  }

  std::unique_ptr<StoredCaseRecords> cases_;
  std::unique_ptr<ActingAfterLoad> acting_;

  // The tenant log's entries as "action outcome object context" lines.
  std::vector<std::string> AuditLines() {
    std::vector<std::string> lines;
    for (const audit::Entry& e : TenantEntries()) {
      lines.push_back(e.event().action + " " + std::string(audit::OutcomeName(e.event().outcome)) +
                      " " + e.event().error_id + " " + e.event().context_id);
    }
    return lines;
  }
  std::unique_ptr<CaseService> service_;
};

TEST_F(CaseServiceTest, ApprovalWritesTheNewRegisterVersion) {
  Case c = Submitted();
  EXPECT_EQ(c.State(), CaseState::kSubmitted);
  EXPECT_THAT(c.uketsuke_bango, HasSubstr("2024-"));

  auto review = service_->ReviewCase(kExaminer, c.case_id);
  ASSERT_THAT(review, IsOk());
  ASSERT_EQ(review->registers.size(), 1U);
  const std::string diff = FormatDiff(review->registers[0].diff);
  EXPECT_THAT(diff, HasSubstr("+ 　死　　亡　　　【死亡日】令和６年１１月２０日"));
  EXPECT_THAT(diff, HasSubstr("+ 　配偶者の死亡　【配偶者の死亡日】令和６年１１月２０日"));

  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  auto approved = service_->Approve(kApprover, c.case_id);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->updated.State(), CaseState::kApproved);
  ASSERT_EQ(approved->written.size(), 1U);
  EXPECT_EQ(approved->written[0].second, 2U);

  auto stored = registers_->Load(kTenant, register_id_);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->version, 2U);
  // Printed, the new version is the DOMAIN.md §1.5 register (the rules test checks the golden).
  EXPECT_EQ(rules::testing::core::Certificate(stored->value),
            rules::testing::core::Certificate(domain::testing::ExampleRegister()));
  // Nothing was overwritten: version 1 is still there, unchanged.
  auto first = registers_->Load(kTenant, register_id_, 1);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->value, rules::testing::core::ExampleRegisterBeforeDeath());
}

TEST_F(CaseServiceTest, CaseDataSurvivesReloadFromTheStore) {
  Case c = Submitted();
  auto loaded = cases_->Load(kTenant, c.case_id);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->State(), CaseState::kSubmitted);
  ASSERT_EQ(loaded->CurrentSubmissions().size(), 1U);
  EXPECT_EQ(loaded->CurrentSubmissions()[0].second.values, KenichiDeath().values);
  EXPECT_EQ(loaded->Attached().size(), 1U);
}

TEST_F(CaseServiceTest, CaseActionsAreEncryptedAndAppendOnly) {
  Case c = Submitted();
  for (const char* suffix : {"", "-wal"}) {
    const std::filesystem::path file = db_file().string() + suffix;
    EXPECT_FALSE(store::testing::FileContains(file, "山川美咲")) << file.filename();
    EXPECT_FALSE(store::testing::FileContains(file, "令和６年１１月２０日")) << file.filename();
  }
  EXPECT_NE(store::testing::RawExec(db_file(), "UPDATE case_actions SET kind = 'approve'").rc,
            SQLITE_OK);
  EXPECT_NE(store::testing::RawExec(db_file(), "DELETE FROM case_actions").rc, SQLITE_OK);
  EXPECT_NE(store::testing::RawExec(db_file(), "DELETE FROM cases").rc, SQLITE_OK);
  // A payload moved to another action no longer decrypts.
  ASSERT_EQ(store::testing::RawExec(
                db_file(),
                "DROP TRIGGER case_actions_no_update; UPDATE case_actions SET payload = "
                "(SELECT payload FROM case_actions WHERE seq = 2) WHERE seq = 3")
                .rc,
            SQLITE_OK);
  EXPECT_THAT(service_->Show(kClerk, c.case_id), ErrorIdIs("KSK-CASE-023"));
}

// Separation of duties is computed from the plaintext columns of the action rows: someone with
// the database file who drops the trigger and relabels or renames an action is caught, because
// the columns are bound into the action's ciphertext.
TEST_F(CaseServiceTest, RewrittenActionColumnsFailToAuthenticate) {
  const std::vector<std::string> rewrites = {
      "UPDATE case_actions SET kind = 'approve' WHERE seq = 3",
      "UPDATE case_actions SET actor_id = 'op-9' WHERE seq = 3",
      "UPDATE case_actions SET actor_role = 'examiner' WHERE seq = 3",
      "UPDATE case_actions SET at = at + 1 WHERE seq = 3",
      "UPDATE case_actions SET actor_id = 'clerk-9' WHERE seq = 0",
  };
  for (const std::string& rewrite : rewrites) {
    Case c = Submitted();
    ASSERT_THAT(service_->Show(kExaminer, c.case_id), IsOk());
    ASSERT_EQ(store::testing::RawExec(db_file(), "DROP TRIGGER IF EXISTS case_actions_no_update; " +
                                                     rewrite + " AND case_id = '" + c.case_id + "'")
                  .rc,
              SQLITE_OK)
        << rewrite;
    EXPECT_THAT(service_->Show(kExaminer, c.case_id), ErrorIdIs("KSK-CASE-023")) << rewrite;
    EXPECT_THAT(service_->Examine(kExaminer, c.case_id), ErrorIdIs("KSK-CASE-023")) << rewrite;
  }
}

TEST_F(CaseServiceTest, ARewrittenReceiptNumberOrTypeFailsToAuthenticate) {
  for (const std::string& rewrite :
       {std::string("UPDATE cases SET uketsuke_bango = '2024-999999'"),
        std::string("UPDATE cases SET notification_type = 'shussei'")}) {
    Case c = Submitted();
    ASSERT_EQ(
        store::testing::RawExec(db_file(), "DROP TRIGGER IF EXISTS cases_no_update; " + rewrite +
                                               " WHERE case_id = '" + c.case_id + "'")
            .rc,
        SQLITE_OK)
        << rewrite;
    EXPECT_THAT(service_->Show(kClerk, c.case_id), ErrorIdIs("KSK-CASE-023")) << rewrite;
  }
}

TEST_F(CaseServiceTest, TheOperatorCannotExamineOrApproveTheirOwnEntry) {
  Case c = Submitted();
  EXPECT_THAT(service_->Examine(Actor{"op-1", Role::kExaminer}, c.case_id),
              ErrorIdIs("KSK-CASE-005"));
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  EXPECT_THAT(service_->Approve(Actor{"op-1", Role::kApprover}, c.case_id),
              ErrorIdIs("KSK-CASE-005"));
  EXPECT_THAT(service_->Approve(Actor{"exa-1", Role::kApprover}, c.case_id),
              ErrorIdIs("KSK-CASE-006"));
}

TEST_F(CaseServiceTest, OnlyTheAssignedOperatorReadsTheCaseRegisters) {
  Case c = Prepared();
  auto mine = service_->ReadRegisters(kOperator, c.case_id);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 1U);
  EXPECT_EQ((*mine)[0].ref, "R1");
  EXPECT_THAT(service_->ReadRegisters(kOtherOperator, c.case_id), ErrorIdIs("KSK-CASE-043"));
  EXPECT_THAT(service_->ReadRegisters(kSupervisor, c.case_id), ErrorIdIs("KSK-CASE-043"));
  // Operators cannot attach (search) registers themselves.
  EXPECT_THAT(
      service_->Attach(kOperator, c.case_id, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
      ErrorIdIs("KSK-CASE-001"));
}

TEST_F(CaseServiceTest, EveryActionAndRefusalAndViewIsAudited) {
  Case c = Submitted();
  EXPECT_THAT(service_->Examine(Actor{"op-1", Role::kExaminer}, c.case_id),
              ErrorIdIs("KSK-CASE-005"));
  ASSERT_THAT(service_->ReadRegisters(kOperator, c.case_id), IsOk());
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  auto approved = service_->Approve(kApprover, c.case_id);
  ASSERT_THAT(approved, IsOk());
  EXPECT_THAT(AuditLines(),
              ::testing::ElementsAre("case.receive ok  ", "case.attach ok  ", "case.assign ok  ",
                                     "case.submit ok  ", "case.examine refused KSK-CASE-005 ",
                                     "case.view ok  ", "register.view ok  " + c.case_id,
                                     "case.examine ok  ", "case.approve ok  "));
  EXPECT_EQ(approved->receipt.index, 8U);
}

TEST_F(CaseServiceTest, ASecondAssignmentIsRefused) {
  Case c = Prepared();
  EXPECT_THAT(service_->Assign(kSupervisor, c.case_id, kOtherOperator.user_id),
              ErrorIdIs("KSK-CASE-007"));
}

TEST_F(CaseServiceTest, SubmissionIsRefusedWhileFindingsBlock) {
  Case c = Prepared();
  rules::Entry entry = KenichiDeath();
  entry.values["death_date"] = "2024-11-23";  // after the filing day
  auto draft = service_->SaveDraft(kOperator, c.case_id, entry);
  ASSERT_THAT(draft, IsOk());
  EXPECT_TRUE(rules::Blocks(draft->findings));
  EXPECT_THAT(service_->Submit(kOperator, c.case_id, entry), ErrorIdIs("KSK-CASE-041"));
}

TEST_F(CaseServiceTest, ARegisterChangedSinceAttachmentFailsApprovalAndReturnsTheCase) {
  Case c = Submitted();
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  // Another approved case changed the register meanwhile.
  ASSERT_THAT(registers_->AppendVersion(kTenant, register_id_, 1,
                                        rules::testing::core::ExampleRegisterBeforeDeath()),
              IsOk());
  EXPECT_THAT(service_->Approve(kApprover, c.case_id), ErrorIdIs("KSK-CASE-040"));
  auto after = service_->Show(kClerk, c.case_id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->c.State(), CaseState::kReturned);
  auto head = registers_->Load(kTenant, register_id_);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->version, 2U);  // the conflicting approval wrote nothing
  // Re-attach the current version, re-enter, and the case can go through.
  ASSERT_THAT(service_->Attach(kClerk, c.case_id, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
              IsOk());
  ASSERT_THAT(service_->Submit(kOperator, c.case_id, KenichiDeath()), IsOk());
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  auto approved = service_->Approve(kApprover, c.case_id);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->written[0].second, 3U);
}

TEST_F(CaseServiceTest, AnApprovalPlannedBeforeTheCaseWasReturnedIsRefusedAndWritesNothing) {
  Case c = Submitted();
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  acting_->Arm(
      [&] { ASSERT_THAT(service_->Return(kExaminer, c.case_id, "記載事項の確認"), IsOk()); });
  // The plan saw an examined case; the transaction finds it returned and refuses as for any
  // approval of a returned case (not as a lost race: the approver can do nothing about that).
  EXPECT_THAT(service_->Approve(kApprover, c.case_id), ErrorIdIs("KSK-CASE-002"));
  auto after = cases_->Load(kTenant, c.case_id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->State(), CaseState::kReturned);
  auto head = registers_->Load(kTenant, register_id_);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->version, 1U);
}

TEST_F(CaseServiceTest, AnApprovalPlannedBeforeTheCaseWasEnteredAgainApprovesTheNewEntry) {
  Case c = Submitted();
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  // Meanwhile the case is returned, entered again with another time of death and examined
  // again: the approval must write what the new entry says, not what its plan saw.
  rules::Entry corrected = KenichiDeath();
  corrected.values["death_time"] = "16:10";
  acting_->Arm([&] {
    ASSERT_THAT(service_->Return(kExaminer, c.case_id, "死亡時刻の確認"), IsOk());
    ASSERT_THAT(service_->Submit(kOperator, c.case_id, corrected), IsOk());
    ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  });
  auto approved = service_->Approve(kApprover, c.case_id);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->updated.State(), CaseState::kApproved);
  auto head = registers_->Load(kTenant, register_id_);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->version, 2U);
  const std::string printed = rules::testing::core::Certificate(head->value);
  EXPECT_THAT(printed, HasSubstr("午後４時１０分"));
  EXPECT_THAT(printed, ::testing::Not(HasSubstr("午後３時４５分")));
}

TEST_F(CaseServiceTest, AnEntryOfAnotherTypeIsRefused) {
  Case c = Prepared();
  rules::Entry entry = KenichiDeath();
  entry.type = rules::NotificationType::kShussei;
  EXPECT_THAT(service_->SaveDraft(kOperator, c.case_id, entry), ErrorIdIs("KSK-CASE-042"));
}

// Tried as an attacker: a 100 MB operator draft was saved, and every later case list paid for it.
TEST_F(CaseServiceTest, AnOversizedDraftIsRefusedAndNothingIsSaved) {
  Case c = Prepared();
  const std::size_t before = cases_->Load(kTenant, c.case_id)->actions.size();
  rules::Entry entry = KenichiDeath();
  entry.values["備考"] = std::string(rules::kMaxEntryTextCharacters, 'x');
  EXPECT_THAT(service_->SaveDraft(kOperator, c.case_id, entry), IsOk());
  entry.values["備考"] += "x";
  EXPECT_THAT(service_->SaveDraft(kOperator, c.case_id, entry), ErrorIdIs("KSK-RULES-013"));
  entry = KenichiDeath();
  for (std::size_t i = 0; i <= rules::kMaxEntryFields; ++i) {
    entry.acknowledgements["W" + std::to_string(i)] = "確認済み";
  }
  EXPECT_THAT(service_->Submit(kOperator, c.case_id, entry), ErrorIdIs("KSK-RULES-013"));
  EXPECT_EQ(cases_->Load(kTenant, c.case_id)->actions.size(), before + 1);
}

TEST_F(CaseServiceTest, CasesOfAnotherTenantAreNotFound) {
  Case c = Prepared();
  ASSERT_THAT(installation_->CreateTenant("131016", "試験区"), IsOk());
  CaseService other(*registers_, *cases_, *outbox_, *audit_, clock_,
                    TenantInfo{"131016", "試験区", {}, {}});
  EXPECT_THAT(other.Show(kClerk, c.case_id), ErrorIdIs("KSK-CASE-021"));
}

TEST_F(CaseServiceTest, TheClerkWithdrawsAnOpenCaseAndNothingFollows) {
  Case c = Submitted();
  EXPECT_THAT(service_->Withdraw(kApprover, c.case_id, "届出人の申出"), ErrorIdIs("KSK-CASE-001"));
  auto withdrawn = service_->Withdraw(kClerk, c.case_id, "届出人の申出");
  ASSERT_THAT(withdrawn, IsOk());
  EXPECT_EQ(withdrawn->State(), CaseState::kWithdrawn);
  EXPECT_THAT(service_->Withdraw(kClerk, c.case_id, "再度"), ErrorIdIs("KSK-CASE-003"));
  EXPECT_THAT(service_->Examine(kExaminer, c.case_id), ErrorIdIs("KSK-CASE-003"));
  EXPECT_THAT(service_->Reject(kApprover, c.case_id, "不備"), ErrorIdIs("KSK-CASE-003"));
}

TEST_F(CaseServiceTest, AnApprovedCaseCannotBeWithdrawnOrRejected) {
  Case c = Submitted();
  ASSERT_THAT(service_->Examine(kExaminer, c.case_id), IsOk());
  ASSERT_THAT(service_->Approve(kApprover, c.case_id), IsOk());
  EXPECT_THAT(service_->Withdraw(kClerk, c.case_id, "届出人の申出"), ErrorIdIs("KSK-CASE-003"));
  EXPECT_THAT(service_->Reject(kApprover, c.case_id, "不備"), ErrorIdIs("KSK-CASE-003"));
}

TEST_F(CaseServiceTest, OnlyAnApproverWhoDidNotEnterRejects) {
  Case c = Submitted();
  EXPECT_THAT(service_->Reject(kExaminer, c.case_id, "不備"), ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(service_->Reject(kClerk, c.case_id, "不備"), ErrorIdIs("KSK-CASE-001"));
  EXPECT_THAT(service_->Reject(Actor{"op-1", Role::kApprover}, c.case_id, "不備"),
              ErrorIdIs("KSK-CASE-005"));
  auto rejected = service_->Reject(kApprover, c.case_id, "届出期間の経過ではなく記載不備");
  ASSERT_THAT(rejected, IsOk());
  EXPECT_EQ(rejected->State(), CaseState::kRejected);
  EXPECT_THAT(service_->Submit(kOperator, c.case_id, KenichiDeath()), ErrorIdIs("KSK-CASE-003"));
}

TEST_F(CaseServiceTest, ReviewIsRefusedToEveryRoleButExaminerAndApproverAndRecorded) {
  Case c = Submitted();
  for (const Actor& actor : {kClerk, kOperator, kSupervisor, Actor{"aud-1", Role::kAuditor},
                             Actor{"adm-1", Role::kAdmin}}) {
    EXPECT_THAT(service_->ReviewCase(actor, c.case_id), ErrorIdIs("KSK-CASE-001"))
        << RoleName(actor.role);
  }
  EXPECT_THAT(service_->ReviewCase(kApprover, c.case_id), IsOk());
  const std::vector<std::string> lines = AuditLines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "case.review refused KSK-CASE-001 "), 5);
}

TEST_F(CaseServiceTest, AnAppendAfterSomeoneElseActedLosesTheOptimisticLock) {
  Case c = Prepared();
  auto stale = cases_->Load(kTenant, c.case_id);
  ASSERT_THAT(stale, IsOk());
  ASSERT_THAT(service_->SaveDraft(kOperator, c.case_id, KenichiDeath()), IsOk());
  const CaseAction late{.kind = ActionKind::kSubmit, .actor = kOperator, .entry = KenichiDeath()};
  EXPECT_THAT(cases_->Append(kTenant, c.case_id, stale->actions.size(), late),
              ErrorIdIs("KSK-CASE-020"));
  auto now = cases_->Load(kTenant, c.case_id);
  ASSERT_THAT(now, IsOk());
  EXPECT_EQ(now->actions.size(), stale->actions.size() + 1);
  EXPECT_EQ(now->State(), CaseState::kDrafting);
}

TEST_F(CaseServiceTest, ShowGivesTheCityItsContentsAndTheVendorOnlyIdsAndStates) {
  Case c = Submitted();
  auto city = service_->Show(kExaminer, c.case_id);
  ASSERT_THAT(city, IsOk());
  EXPECT_TRUE(city->disclosure.contents);
  ASSERT_TRUE(city->c.LatestEntryOf(kOperator.user_id).has_value());
  for (const Actor& vendor : {kSupervisor, kOperator}) {
    auto shown = service_->Show(vendor, c.case_id);
    ASSERT_THAT(shown, IsOk()) << RoleName(vendor.role);
    EXPECT_FALSE(shown->disclosure.contents);
    EXPECT_EQ(shown->c.actions.size(), city->c.actions.size());
    for (const CaseAction& action : shown->c.actions) {
      EXPECT_FALSE(action.entry.has_value());
      EXPECT_TRUE(action.notifier.empty());
      EXPECT_TRUE(action.reason.empty());
    }
  }
  EXPECT_THAT(service_->Show(kOtherOperator, c.case_id), ErrorIdIs("KSK-CASE-045"));
  EXPECT_THAT(service_->Show(Actor{"aud-1", Role::kAuditor}, c.case_id), ErrorIdIs("KSK-CASE-045"));
  const std::vector<std::string> lines = AuditLines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "case.show ok  "), 3);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "case.show refused KSK-CASE-045 "), 2);
}

TEST_F(CaseServiceTest, AnOperatorListsOnlyTheOpenCasesAssignedToThem) {
  Case mine = Prepared();
  auto other = service_->Receive(kClerk, rules::NotificationType::kShibou);
  ASSERT_THAT(other, IsOk());
  auto for_operator = service_->List(kOperator);
  ASSERT_THAT(for_operator, IsOk());
  ASSERT_EQ(for_operator->cases.size(), 1U);
  EXPECT_EQ(for_operator->cases[0].case_id, mine.case_id);
  auto for_other = service_->List(kOtherOperator);
  ASSERT_THAT(for_other, IsOk());
  EXPECT_TRUE(for_other->cases.empty());
  auto for_clerk = service_->List(kClerk);
  ASSERT_THAT(for_clerk, IsOk());
  EXPECT_EQ(for_clerk->cases.size(), 2U);
  EXPECT_THAT(service_->List(Actor{"adm-1", Role::kAdmin}), ErrorIdIs("KSK-CASE-045"));
  const std::vector<std::string> lines = AuditLines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "case.list ok  "), 3);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "case.list refused KSK-CASE-045 "), 1);
}

TEST_F(CaseServiceTest, AListComesInPagesNewestFirstThatTogetherShowEveryCaseOnce) {
  std::vector<std::string> received;
  for (int i = 0; i < 5; ++i) {
    auto c = service_->Receive(kClerk, rules::NotificationType::kShibou);
    ASSERT_THAT(c, IsOk());
    received.insert(received.begin(), c->case_id);  // newest first
    clock_.Advance(std::chrono::minutes(1));
  }
  std::vector<std::string> listed;
  std::optional<CaseCursor> after;
  int pages = 0;
  do {
    auto page = service_->List(kClerk, after, 2);
    ASSERT_THAT(page, IsOk());
    ASSERT_LE(page->cases.size(), 2U);
    for (const CaseSummary& summary : page->cases) listed.push_back(summary.case_id);
    // The cursor survives its trip through text (a command line, a link).
    if (page->next) {
      auto parsed = CaseCursor::Parse(page->next->ToString());
      ASSERT_THAT(parsed, IsOk());
      EXPECT_EQ(*parsed, *page->next);
    }
    after = page->next;
    ++pages;
  } while (after && pages < 10);
  EXPECT_EQ(listed, received);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(service_->List(kClerk, std::nullopt, 0), ErrorIdIs("KSK-CASE-047"));
  EXPECT_THAT(service_->List(kClerk, std::nullopt, kMaxCasePage + 1), ErrorIdIs("KSK-CASE-047"));
  EXPECT_THAT(CaseCursor::Parse("abc"), ErrorIdIs("KSK-CASE-046"));
  EXPECT_THAT(CaseCursor::Parse("-1.abc"), ErrorIdIs("KSK-CASE-046"));
  EXPECT_THAT(CaseCursor::Parse("12.a b"), ErrorIdIs("KSK-CASE-046"));
}

}  // namespace
}  // namespace koseki::workflow
