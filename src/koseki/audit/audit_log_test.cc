#include "koseki/audit/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <span>
#include <string>
#include <thread>

#include "koseki/audit/stored_log.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/audit/witness_check.h"
#include "koseki/audit/witness_file.h"
#include "koseki/base/hex.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::audit {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::store::testing::RawExec;
using ::koseki::store::testing::RawQueryInt;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::SizeIs;

constexpr std::string_view kTenant = "999997";

class AuditLogTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    backend_ = OpenBackend();
    auto key = SigningKey::Generate("koseki.invalid/audit/test");
    ASSERT_THAT(key, IsOk());
    verifier_ = key->verifier();
    seed_ = key->seed().Copy();
    log_ = OpenLog(*backend_, {});
  }

  std::unique_ptr<store::SqliteBackend> OpenBackend() {
    auto backend = store::SqliteBackend::Open(db_file());
    EXPECT_THAT(backend, IsOk());
    return std::move(backend).value();
  }

  std::unique_ptr<AuditLog> OpenLog(store::Backend& backend, CheckpointPolicy policy,
                                    bool with_key = true) {
    std::optional<SigningKey> key;
    if (with_key) key = *SigningKey::FromSeed(verifier_->name(), seed_);
    // A process without the signing key could not unseal the entry key either.
    std::optional<crypto::MessageMac> entry_key;
    if (with_key) entry_key = testing::TestEntryKey();
    auto log =
        AuditLog::Open(backend, clock_, std::move(key), {policy, witness(), std::move(entry_key)});
    EXPECT_THAT(log, IsOk());
    return std::move(log).value();
  }

  std::filesystem::path witness() const { return dir() / "keys" / "koseki-witness.log"; }

  StoreVerification Verify(std::optional<std::string_view> only = std::nullopt) {
    auto result = VerifyStoredLogs(*backend_, *verifier_, witness(), only);
    EXPECT_THAT(result, IsOk());
    return std::move(result).value();
  }

  std::size_t WitnessRecords() {
    auto notes = ReadWitnessNotes(witness());
    EXPECT_THAT(notes, IsOk());
    return *notes ? (*notes)->size() : 0;
  }

  // Appends `n` sample events to `log`.
  void AppendSamples(std::string_view log, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      ASSERT_THAT(log_->Append(log, testing::SampleEvent(i)), IsOk());
    }
  }

  // Appends `n` sample events to `log` in one transaction (fast for long logs).
  void AppendInOneTransaction(std::string_view log, std::uint64_t n) {
    ASSERT_THAT(backend_->InTransaction([&]() -> Result<void> {
      for (std::uint64_t i = 0; i < n; ++i) {
        KOSEKI_RETURN_IF_ERROR(log_->Append(log, testing::SampleEvent(i)));
      }
      return Ok();
    }),
                IsOk());
  }

  // Writes a log of 600 entries (two stored nodes, over [0, 256) and [256, 512)), verifies it,
  // runs `sql` followed by " WHERE" and the second node's key, and verifies again.
  StoreVerification VerifyAfterChangingTheSecondStoredNode(const std::string& sql) {
    log_ = OpenLog(*backend_, {5000, std::chrono::hours(24)});
    AppendInOneTransaction(kTenant, 600);
    EXPECT_THAT(log_->Flush(), IsOk());
    EXPECT_TRUE(Verify().ok());
    EXPECT_EQ(
        RawExec(db_file(), sql + " WHERE log_id = '999997' AND level = 8 AND node_index = 1").rc,
        SQLITE_OK);
    return Verify();
  }

  // Sets byte `offset` of stored entry `index` of the test log to `value` by hand, wherever the
  // store keeps it: in its row, or inside its bundle of 256 (4-byte big-endian length, bytes).
  void EditStoredEntry(std::uint64_t index, std::size_t offset, std::uint8_t value) {
    const std::string row = "WHERE log_id = '999997' AND entry_index = " + std::to_string(index);
    const std::string byte = HexEncode(std::span(&value, 1));
    if (RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries " + row) == 1) {
      ASSERT_EQ(RawExec(db_file(),
                        "DROP TRIGGER IF EXISTS audit_entries_no_update; "
                        "UPDATE audit_entries SET entry = substr(entry, 1, " +
                            std::to_string(offset) + ") || x'" + byte + "' || substr(entry, " +
                            std::to_string(offset + 2) + ") " + row)
                    .rc,
                SQLITE_OK);
      return;
    }
    const std::string bundle =
        "WHERE log_id = '999997' AND bundle_index = " + std::to_string(index / 256);
    std::string hex = store::testing::RawQueryText(
        db_file(), "SELECT lower(hex(entries)) FROM audit_entry_bundles " + bundle);
    ASSERT_FALSE(hex.empty()) << index;
    std::size_t at = 0;  // in bytes
    for (std::uint64_t i = 0; i < index % 256; ++i) {
      at += 4 + std::stoul(hex.substr(2 * at, 8), nullptr, 16);
    }
    hex.replace(2 * (at + 4 + offset), 2, byte);
    ASSERT_EQ(RawExec(db_file(),
                      "DROP TRIGGER IF EXISTS audit_entry_bundles_no_update; "
                      "UPDATE audit_entry_bundles SET entries = x'" +
                          hex + "' " + bundle)
                  .rc,
              SQLITE_OK);
  }

  std::unique_ptr<store::SqliteBackend> backend_;
  std::optional<VerifierKey> verifier_;
  SecretBytes seed_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, EntriesAreNumberedFromZeroInEachLog) {
  auto a0 = log_->Append(kTenant, testing::SampleEvent(0));
  auto s0 = log_->Append(kSystemTenant, testing::SampleEvent(1));
  auto a1 = log_->Append(kTenant, testing::SampleEvent(2));
  ASSERT_THAT(a0, IsOk());
  ASSERT_THAT(s0, IsOk());
  ASSERT_THAT(a1, IsOk());
  EXPECT_EQ(a0->index, 0u);
  EXPECT_EQ(s0->index, 0u);
  EXPECT_EQ(a1->index, 1u);
  EXPECT_EQ(a1->log, kTenant);
  auto stored = backend_->GetAuditEntry(kTenant, 1);
  ASSERT_THAT(stored, HoldsValue(Optional(Field(&store::AuditEntryRow::index, 1u))));
  EXPECT_EQ(LeafHash((*stored)->entry), a1->leaf_hash);
}

TEST_F(AuditLogTest, RecordCommitsTheActionAndItsEntryTogether) {
  auto receipt = log_->Record(kTenant, testing::SampleEvent(0), [&](Event& event) -> Result<void> {
    event.object_id = "tenant-created";
    return backend_->InsertTenant({std::string(kTenant), "青葉県みなと市", 1});
  });
  ASSERT_THAT(receipt, IsOk());
  EXPECT_THAT(backend_->GetTenant(kTenant), HoldsValue(Optional(::testing::_)));
  auto entries = FindEntries(*backend_, kTenant, {});
  ASSERT_THAT(entries, HoldsValue(SizeIs(1)));
  EXPECT_EQ((*entries)[0].event().object_id, "tenant-created");
  EXPECT_EQ((*entries)[0].event().outcome, Outcome::kOk);
}

TEST_F(AuditLogTest, AFailedActionWritesNothingButItsRefusal) {
  auto receipt = log_->Record(kTenant, testing::SampleEvent(0), [&](Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(backend_->InsertTenant({std::string(kTenant), "青葉県みなと市", 1}));
    return MakeError(ErrorCode::kPermissionDenied, "KSK-TEST-001", "拒否", "refused by test");
  });
  EXPECT_THAT(receipt, ErrorIdIs("KSK-TEST-001"));
  EXPECT_THAT(backend_->GetTenant(kTenant), HoldsValue(std::nullopt));
  auto entries = FindEntries(*backend_, kTenant, {});
  ASSERT_THAT(entries, HoldsValue(SizeIs(1)));
  EXPECT_EQ((*entries)[0].event().outcome, Outcome::kRefused);
  EXPECT_EQ((*entries)[0].event().error_id, "KSK-TEST-001");
}

TEST_F(AuditLogTest, AnInternalFailureIsRecordedAsError) {
  auto receipt = log_->Record(kTenant, testing::SampleEvent(0), [](Event&) -> Result<void> {
    return MakeError(ErrorCode::kUnavailable, "KSK-TEST-002", "失敗", "failed by test");
  });
  EXPECT_THAT(receipt, ErrorIdIs("KSK-TEST-002"));
  auto entries = FindEntries(*backend_, kTenant, {});
  ASSERT_THAT(entries, HoldsValue(SizeIs(1)));
  EXPECT_EQ((*entries)[0].event().outcome, Outcome::kError);
}

TEST_F(AuditLogTest, AnEntryIsRolledBackWithTheTransactionAroundIt) {
  auto outer = backend_->InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(log_->Append(kTenant, testing::SampleEvent(0)));
    return MakeError(ErrorCode::kAborted, "KSK-TEST-003", "中止", "outer rollback");
  });
  EXPECT_THAT(outer, ErrorIdIs("KSK-TEST-003"));
  EXPECT_THAT(backend_->GetLastAuditEntry(kTenant), HoldsValue(std::nullopt));
  // The cached right edge of the tree must not survive the rollback.
  AppendSamples(kTenant, 5);
  ASSERT_THAT(log_->Flush(), IsOk());
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditLogTest, AnotherWriterOfTheSameDatabaseIsPickedUp) {
  auto other_backend = OpenBackend();
  auto other = OpenLog(*other_backend, {});
  for (std::uint64_t i = 0; i < 9; ++i) {
    AuditLog& writer = i % 3 == 0 ? *other : *log_;
    auto receipt = writer.Append(kTenant, testing::SampleEvent(i));
    ASSERT_THAT(receipt, IsOk());
    EXPECT_EQ(receipt->index, i);
  }
  ASSERT_THAT(log_->Flush(), IsOk());
  ASSERT_THAT(other->Flush(), IsOk());
  const StoreVerification result = Verify();
  ASSERT_THAT(result.logs, SizeIs(1));
  EXPECT_TRUE(result.ok()) << VerifyReasonCode(result.logs[0].report.reason);
  EXPECT_EQ(result.logs[0].report.covered_size, 9u);
}

// Many threads of one process append at once (the server's approvers). A checkpoint is due
// every 50 entries, and only one thread writes a log's checkpoint at a time: the others that
// find it due meanwhile go on, instead of each queueing to sign one more a few entries longer.
// So no more checkpoints than the entries allow, plus the one Flush writes.
TEST_F(AuditLogTest, ThreadsThatFindACheckpointDueWhileOneIsWrittenLeaveItToThatOne) {
  constexpr std::uint64_t kThreads = 8;
  constexpr std::uint64_t kEach = 50;
  constexpr std::uint64_t kEvery = 50;
  log_ = OpenLog(*backend_, {kEvery, std::chrono::hours(24)});
  std::vector<std::thread> threads;
  for (std::uint64_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t i = 0; i < kEach; ++i) {
        ASSERT_THAT(log_->Append(kTenant, testing::SampleEvent(t * kEach + i)), IsOk());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_THAT(log_->Flush(), IsOk());

  EXPECT_LE(RawQueryInt(db_file(), "SELECT count(*) FROM audit_checkpoints"),
            static_cast<std::int64_t>(kThreads * kEach / kEvery + 1));
  EXPECT_TRUE(Verify().ok());
}

// An auditor may verify while koseki keeps appending (another process, another connection):
// every run must pass, never report entries or checkpoints it read at different moments as
// truncation.
TEST_F(AuditLogTest, VerifyPassesWhileAnotherConnectionAppendsAndCheckpoints) {
  std::atomic<bool> writing = true;
  std::thread writer([&] {
    auto writer_backend = OpenBackend();
    auto writer_log = OpenLog(*writer_backend, {4, std::chrono::hours(24)});
    for (std::uint64_t i = 0; i < 300; ++i) {
      ASSERT_THAT(writer_log->Append(kTenant, testing::SampleEvent(i)), IsOk());
    }
    writing = false;
  });
  int runs = 0;
  while (writing || runs == 0) {
    const StoreVerification result = Verify(kTenant);
    ASSERT_THAT(result.logs, SizeIs(1));
    ASSERT_TRUE(result.ok()) << VerifyReasonCode(result.logs[0].report.reason) << " "
                             << (result.logs[0].report.findings.empty()
                                     ? std::string()
                                     : result.logs[0].report.findings[0].detail);
    ++runs;
  }
  writer.join();
  EXPECT_GT(runs, 1);
}

TEST_F(AuditLogTest, ACheckpointIsWrittenEveryNEntries) {
  log_ = OpenLog(*backend_, {3, std::chrono::hours(24)});
  AppendSamples(kTenant, 7);
  auto checkpoints = backend_->ListAuditCheckpoints(kTenant);
  ASSERT_THAT(checkpoints, HoldsValue(SizeIs(3)));  // the first at once: no earlier checkpoint
  EXPECT_EQ((*checkpoints)[1].tree_size, 4u);
  EXPECT_EQ((*checkpoints)[2].tree_size, 7u);
  EXPECT_EQ(WitnessRecords(), 3u);
}

TEST_F(AuditLogTest, ACheckpointIsWrittenWhenTheLastOneIsOlderThanTheInterval) {
  log_ = OpenLog(*backend_, {1000, std::chrono::seconds(60)});
  AppendSamples(kTenant, 3);  // the first entry is checkpointed at once, the next two wait
  EXPECT_THAT(backend_->ListAuditCheckpoints(kTenant), HoldsValue(SizeIs(1)));
  clock_.Advance(std::chrono::seconds(61));
  auto receipt = log_->Append(kTenant, testing::SampleEvent(9));
  ASSERT_THAT(receipt, IsOk());
  EXPECT_THAT(receipt->checkpoint_size, Optional(4u));
  EXPECT_THAT(backend_->ListAuditCheckpoints(kTenant), HoldsValue(SizeIs(2)));
}

TEST_F(AuditLogTest, CheckpointIfDueCoversAnIdleLogAfterTheInterval) {
  log_ = OpenLog(*backend_, {1000, std::chrono::seconds(60)});
  AppendSamples(kTenant, 2);
  ASSERT_THAT(log_->CheckpointIfDue(), IsOk());
  EXPECT_THAT(backend_->GetLatestAuditCheckpoint(kTenant),
              HoldsValue(Optional(Field(&store::AuditCheckpointRow::tree_size, 1u))));
  clock_.Advance(std::chrono::seconds(60));
  ASSERT_THAT(log_->CheckpointIfDue(), IsOk());
  EXPECT_THAT(backend_->GetLatestAuditCheckpoint(kTenant),
              HoldsValue(Optional(Field(&store::AuditCheckpointRow::tree_size, 2u))));
}

TEST_F(AuditLogTest, FlushCheckpointsEveryLogWithNewEntries) {
  log_ = OpenLog(*backend_, {1000, std::chrono::hours(24)});
  AppendSamples(kTenant, 3);
  AppendSamples(kSystemTenant, 2);
  ASSERT_THAT(log_->Flush(), IsOk());
  EXPECT_THAT(backend_->GetLatestAuditCheckpoint(kTenant),
              HoldsValue(Optional(Field(&store::AuditCheckpointRow::tree_size, 3u))));
  EXPECT_THAT(backend_->GetLatestAuditCheckpoint(kSystemTenant),
              HoldsValue(Optional(Field(&store::AuditCheckpointRow::tree_size, 2u))));
  const std::size_t records = WitnessRecords();
  ASSERT_THAT(log_->Flush(), IsOk());  // nothing new: nothing written
  EXPECT_EQ(WitnessRecords(), records);
}

TEST_F(AuditLogTest, NoCheckpointIsWrittenInsideATransaction) {
  AppendSamples(kTenant, 1);
  auto inside = backend_->InTransaction([&]() -> Result<void> {
    EXPECT_THAT(log_->Checkpoint(kTenant), ErrorIdIs("KSK-AUDIT-050"));
    return Ok();
  });
  EXPECT_THAT(inside, IsOk());
}

TEST_F(AuditLogTest, WithoutAKeyEntriesAreAppendedButNotCheckpointed) {
  auto unsigned_log = OpenLog(*backend_, {}, /*with_key=*/false);
  Event refused = testing::SampleEvent(0);  // what a process without the key records
  refused.outcome = Outcome::kRefused;
  refused.error_id = "KSK-CRYPTO-011";
  ASSERT_THAT(unsigned_log->Append(kSystemTenant, refused), IsOk());
  EXPECT_THAT(unsigned_log->Checkpoint(kSystemTenant), ErrorIdIs("KSK-AUDIT-050"));
  EXPECT_THAT(unsigned_log->Flush(), IsOk());
  EXPECT_THAT(backend_->ListAuditCheckpoints(kSystemTenant), HoldsValue(SizeIs(0)));
  // A later process with the key covers the entry.
  ASSERT_THAT(log_->Checkpoint(kSystemTenant), HoldsValue(Optional(1u)));
  EXPECT_TRUE(Verify().ok());
}

// Without the key only a refusal or an error may be recorded: a success appended that way (as
// someone with the file but not the passphrase would) is never signed into a checkpoint.
TEST_F(AuditLogTest, ASuccessRecordedWithoutTheKeyIsNeverCheckpointed) {
  auto unsigned_log = OpenLog(*backend_, {}, /*with_key=*/false);
  ASSERT_THAT(unsigned_log->Append(kSystemTenant, testing::SampleEvent(0)), IsOk());
  EXPECT_THAT(log_->Checkpoint(kSystemTenant), ErrorIdIs("KSK-AUDIT-059"));
  EXPECT_THAT(backend_->ListAuditCheckpoints(kSystemTenant), HoldsValue(SizeIs(0)));
  EXPECT_FALSE(Verify().ok());
}

TEST_F(AuditLogTest, EveryEntryHasAProofThatChecksOffline) {
  AppendSamples(kTenant, 21);
  ASSERT_THAT(log_->Flush(), IsOk());
  const VerifierKey keys[] = {*verifier_};
  for (std::uint64_t i = 0; i < 21; ++i) {
    auto bundle = ProveInclusion(*backend_, *verifier_, kTenant, i);
    ASSERT_THAT(bundle, IsOk()) << i;
    auto parsed = ParseProofBundle(FormatProofBundle(*bundle));
    ASSERT_THAT(parsed, IsOk());
    auto checked = CheckProofBundle(*parsed, keys);
    ASSERT_THAT(checked, IsOk()) << i;
    EXPECT_EQ(checked->entry.index(), i);
    EXPECT_EQ(checked->checkpoint.size, 21u);
  }
}

TEST_F(AuditLogTest, AProofNeedsACheckpointCoveringTheEntry) {
  log_ = OpenLog(*backend_, {1000, std::chrono::hours(24)});
  AppendSamples(kTenant, 2);  // checkpoint of size 1 only
  EXPECT_THAT(ProveInclusion(*backend_, *verifier_, kTenant, 1), ErrorIdIs("KSK-AUDIT-042"));
  EXPECT_THAT(ProveInclusion(*backend_, *verifier_, kTenant, 7), ErrorIdIs("KSK-AUDIT-043"));
}

// The check at every keyed open: a witness note no one with the key wrote is passed over (an
// attacker who can write the witness file cannot sign), and a database with the witnessed size
// but another history there is refused like one that is behind.
TEST_F(AuditLogTest, TheWitnessCheckIgnoresUnsignedNotesAndRefusesAnotherHistory) {
  AppendSamples(kTenant, 5);
  ASSERT_THAT(log_->Flush(), IsOk());
  EXPECT_THAT(CheckDatabaseAgainstWitness(*backend_, *verifier_, witness()), IsOk());

  auto forger = SigningKey::Generate(verifier_->name());
  ASSERT_THAT(forger, IsOk());
  auto forged = SignCheckpoint({OriginFor(*verifier_, kTenant), 50, Hash{},
                                std::chrono::sys_seconds(std::chrono::seconds(1795687200))},
                               *forger);
  ASSERT_THAT(forged, IsOk());
  {
    auto writer = WitnessWriter::Lock(witness());
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT(writer->Append(*forged), IsOk());
  }
  EXPECT_THAT(CheckDatabaseAgainstWitness(*backend_, *verifier_, witness()), IsOk());

  // The last leaf of the witnessed size, changed: the root at size 5 is no longer the one seen.
  ASSERT_EQ(RawExec(db_file(),
                    "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET leaf_hash = "
                    "zeroblob(32) WHERE log_id = '999997' AND entry_index = 4")
                .rc,
            SQLITE_OK);
  EXPECT_THAT(CheckDatabaseAgainstWitness(*backend_, *verifier_, witness()),
              ErrorIdIs("KSK-AUDIT-054"));
}

// The store keeps the nodes of levels 8, 16, … only; every other hash of a root, a frontier or
// a proof is computed from the stored level below it. 600 entries: two level-8 nodes, and
// proofs whose paths cross from computed levels into stored ones and back.
TEST_F(AuditLogTest, ProofsAndAppendsWorkFromTheNodesOfEveryEighthLevel) {
  constexpr std::uint64_t kEntries = 600;
  log_ = OpenLog(*backend_, {5000, std::chrono::hours(24)});
  AppendInOneTransaction(kTenant, kEntries);
  ASSERT_THAT(log_->Flush(), IsOk());
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_nodes"), 2);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_nodes WHERE level = 8"), 2);

  const VerifierKey keys[] = {*verifier_};
  for (std::uint64_t index : {0u, 1u, 254u, 255u, 256u, 300u, 511u, 512u, 599u}) {
    auto bundle = ProveInclusion(*backend_, *verifier_, kTenant, index);
    ASSERT_THAT(bundle, IsOk()) << index;
    EXPECT_THAT(CheckProofBundle(*bundle, keys), IsOk()) << index;
  }
  // A new process restores the tree's right edge from the store and goes on appending: its
  // checkpoints sign the roots verify recomputes from the entries.
  log_ = OpenLog(*backend_, {1, std::chrono::hours(24)});
  AppendSamples(kTenant, 3);
  ASSERT_THAT(log_->Flush(), IsOk());
  const StoreVerification result = Verify();
  ASSERT_TRUE(result.ok()) << result.logs[0].report.ToError().internal_detail;
  EXPECT_EQ(result.logs[0].report.covered_size, kEntries + 3);
}

TEST_F(AuditLogTest, VerifyNamesAStoredNodeThatDiffersFromTheEntries) {
  const StoreVerification result = VerifyAfterChangingTheSecondStoredNode(
      "DROP TRIGGER audit_nodes_no_update; UPDATE audit_nodes SET hash = zeroblob(32)");

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.logs[0].report.reason, VerifyReason::kModified);
  EXPECT_EQ(result.logs[0].report.first_bad_index, 256u);
  // A proof through the edited node is refused rather than handed out.
  EXPECT_THAT(ProveInclusion(*backend_, *verifier_, kTenant, 10), ErrorIdIs("KSK-AUDIT-047"));
}

// Proofs and the next process's appends need every stored node: one deleted is named, where
// nothing else would notice until an append or a proof fails.
TEST_F(AuditLogTest, VerifyNamesAStoredNodeThatIsMissing) {
  const StoreVerification result = VerifyAfterChangingTheSecondStoredNode(
      "DROP TRIGGER audit_nodes_no_delete; DELETE FROM audit_nodes");

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.logs[0].report.reason, VerifyReason::kModified);
  EXPECT_EQ(result.logs[0].report.first_bad_index, 256u);
  EXPECT_THAT(result.logs[0].report.findings.front().detail, HasSubstr("missing"));
  EXPECT_THAT(ProveInclusion(*backend_, *verifier_, kTenant, 10), ErrorIdIs("KSK-AUDIT-047"));
}

TEST_F(AuditLogTest, VerifyNamesEveryEditedEntryOfALongLog) {
  log_ = OpenLog(*backend_, {5000, std::chrono::hours(24)});
  AppendInOneTransaction(kTenant, 20000);
  ASSERT_THAT(log_->Flush(), IsOk());
  ASSERT_TRUE(Verify().ok());

  // Three inside bundles of 256 (one of them its last entry), one in a row after them.
  for (std::uint64_t index : {1234u, 7777u, 15000u, 19999u}) EditStoredEntry(index, 40, 0x7a);
  const StoreVerification result = Verify();
  ASSERT_EQ(result.logs.size(), 1u);
  const VerifyReport& report = result.logs[0].report;
  EXPECT_EQ(report.entry_count, 20000u);
  ASSERT_EQ(RawQueryInt(db_file(), "SELECT min(entry_index) FROM audit_entries"), 19968);
  EXPECT_THAT(report.findings, ::testing::ElementsAre(Field(&VerifyFinding::index, 1234u),
                                                      Field(&VerifyFinding::index, 7777u),
                                                      Field(&VerifyFinding::index, 15000u),
                                                      Field(&VerifyFinding::index, 19999u)));
  for (const VerifyFinding& finding : report.findings) {
    EXPECT_EQ(finding.reason, VerifyReason::kModified) << finding.detail;
  }
}

// A bundle whose framing no longer decodes hides all 256 entries: verify names the first of
// them as modified, and the entries before and after still verify.
TEST_F(AuditLogTest, VerifyNamesABundleThatNoLongerDecodesAtItsFirstEntry) {
  log_ = OpenLog(*backend_, {5000, std::chrono::hours(24)});
  AppendInOneTransaction(kTenant, 800);
  ASSERT_THAT(log_->Flush(), IsOk());
  ASSERT_TRUE(Verify().ok());

  ASSERT_EQ(RawExec(db_file(),
                    "DROP TRIGGER audit_entry_bundles_no_update; "
                    "UPDATE audit_entry_bundles SET entries = CAST(entries || x'00' AS BLOB) "
                    "WHERE log_id = '999997' AND bundle_index = 1")
                .rc,
            SQLITE_OK);
  const StoreVerification result = Verify();

  ASSERT_FALSE(result.ok());
  const VerifyReport& report = result.logs[0].report;
  EXPECT_EQ(report.entry_count, 800u);
  EXPECT_EQ(report.reason, VerifyReason::kModified);
  EXPECT_EQ(report.first_bad_index, 256u);
  for (const VerifyFinding& finding : report.findings) {
    EXPECT_GE(finding.index, 256u) << finding.detail;
    EXPECT_LT(finding.index, 512u) << finding.detail;
  }
}

// A bundle deleted by hand leaves a gap that verify names where it begins.
TEST_F(AuditLogTest, VerifyNamesADeletedBundleWhereItsEntriesWere) {
  log_ = OpenLog(*backend_, {5000, std::chrono::hours(24)});
  AppendInOneTransaction(kTenant, 800);
  ASSERT_THAT(log_->Flush(), IsOk());

  ASSERT_EQ(RawExec(db_file(),
                    "DROP TRIGGER audit_entry_bundles_no_delete; "
                    "DELETE FROM audit_entry_bundles "
                    "WHERE log_id = '999997' AND bundle_index = 1")
                .rc,
            SQLITE_OK);
  const StoreVerification result = Verify();

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.logs[0].report.first_bad_index, 256u);
}

TEST_F(AuditLogTest, AuditRowsCannotBeChangedOrDeletedWithPlainSql) {
  AppendInOneTransaction(kTenant, 300);  // a bundle of 256, the first stored node, 44 rows
  ASSERT_THAT(log_->Flush(), IsOk());
  for (const char* sql :
       {"UPDATE audit_entries SET entry = x'00' WHERE entry_index = 256",
        "DELETE FROM audit_entries WHERE entry_index = 257",
        "INSERT OR REPLACE INTO audit_entries VALUES ('999997', 256, x'01', zeroblob(32))",
        "INSERT INTO audit_entries VALUES ('999997', 5, x'01', zeroblob(32))",
        "INSERT INTO audit_entries VALUES ('999997', 305, x'01', zeroblob(32))",
        "UPDATE audit_entry_bundles SET entries = zeroblob(2000)",
        "DELETE FROM audit_entry_bundles",
        "INSERT OR REPLACE INTO audit_entry_bundles VALUES ('999997', 0, zeroblob(8192), "
        "zeroblob(8192))",
        "UPDATE audit_nodes SET hash = zeroblob(32)", "DELETE FROM audit_nodes",
        "INSERT INTO audit_nodes VALUES ('999997', 8, 0, zeroblob(32))",
        "INSERT INTO audit_nodes VALUES ('999997', 8, 1, zeroblob(32))",
        "UPDATE audit_checkpoints SET note = 'x'", "DELETE FROM audit_checkpoints",
        "INSERT INTO audit_checkpoints VALUES ('999997', 2, 1, 'x', 0)",
        "INSERT INTO audit_checkpoints VALUES ('999997', 2, 9, 'x', 0)",
        "INSERT INTO audit_checkpoints VALUES ('999997', 2, 301, 'x', 0)"}) {
    EXPECT_NE(RawExec(db_file(), sql).rc, SQLITE_OK) << sql;
  }
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 44);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 1);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_nodes"), 1);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditLogTest, AnOutOfSequenceAppendIsRefusedByTheStore) {
  const store::AuditEntryRow row{3, {1, 2, 3}, store::Bytes(32, 0), {}};
  EXPECT_THAT(backend_->AppendAuditEntry(kTenant, row, {}), ErrorIdIs("KSK-STORE-024"));
}

TEST_F(AuditLogTest, OriginsNameTheKeyAndTheLog) {
  EXPECT_EQ(OriginFor(*verifier_, kTenant), "koseki.invalid/audit/test/999997");
  EXPECT_THAT(LogOfOrigin(*verifier_, "koseki.invalid/audit/test/999997"), Optional(kTenant));
  EXPECT_EQ(LogOfOrigin(*verifier_, "koseki.invalid/audit/other/999997"), std::nullopt);
  EXPECT_EQ(LogOfOrigin(*verifier_, "koseki.invalid/audit/test/"), std::nullopt);
  EXPECT_EQ(LogOfOrigin(*verifier_, "koseki.invalid/audit/test/a b"), std::nullopt);
}

}  // namespace
}  // namespace koseki::audit
