#include "koseki/audit/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::audit::testing::SampleEntryBytes;
using ::koseki::audit::testing::SampleEvent;
using ::koseki::audit::testing::SampleTime;

constexpr std::string_view kTenant = "131016";
constexpr std::string_view kOrigin = "koseki.invalid/audit/131016";
constexpr std::string_view kKeyName = "koseki.invalid/audit";

SigningKey KeyFilledWith(std::uint8_t fill, std::string_view name = kKeyName) {
  SecretBytes seed(32);
  for (auto& b : seed.mutable_span()) b = fill;
  return std::move(SigningKey::FromSeed(name, seed)).value();
}

// A log as the store would hold it: entry rows (with their stored leaf hashes), the
// checkpoints in the database, and the witness file's checkpoints.
struct TestLog {
  SigningKey key = KeyFilledWith(1);
  LogContents contents;
  std::string origin = std::string(kOrigin);

  void Append(std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t index = contents.entries.size();
      contents.entries.push_back(SampleEntryBytes(kTenant, index));
      contents.stored_leaf_hashes.push_back(LeafHash(contents.entries.back()));
    }
  }
  std::string Sign(std::uint64_t size) const {
    MemoryTree tree;
    for (std::uint64_t i = 0; i < size; ++i) tree.Append(LeafHash(contents.entries[i]));
    audit::Checkpoint cp{origin, size, *RootHash(tree, size),
                         std::chrono::sys_seconds(std::chrono::seconds(1795687200 + size))};
    return *SignCheckpoint(cp, key);
  }
  // Writes a checkpoint of the current size to the database and the witness file.
  void Checkpoint() {
    const std::string note = Sign(contents.entries.size());
    contents.checkpoints.push_back(note);
    contents.witness_checkpoints.push_back(note);
  }
  // 20 entries, checkpoints at 5, 10, 15, 20.
  static TestLog Standard() {
    TestLog log;
    for (int i = 0; i < 4; ++i) {
      log.Append(5);
      log.Checkpoint();
    }
    return log;
  }
  void DropStoredHashes() { contents.stored_leaf_hashes.clear(); }
  VerifyReport Verify() const {
    return VerifyLog(std::string(kTenant), std::string(kOrigin), key.verifier(), contents);
  }
};

// Changes the object id of an entry in place ("case-1013" → "case-9013") so that it still
// parses, as a DBA editing the row would.
void EditObjectId(std::vector<std::uint8_t>& bytes) {
  const std::string needle = "case-1";
  auto it = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
  ASSERT_NE(it, bytes.end());
  *(it + 5) = '9';
}

TEST(VerifierTest, AnIntactLogVerifies) {
  const VerifyReport report = TestLog::Standard().Verify();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.reason, VerifyReason::kOk);
  EXPECT_EQ(report.entry_count, 20u);
  EXPECT_EQ(report.covered_size, 20u);
  EXPECT_EQ(report.checkpoints, 4u);
  EXPECT_EQ(report.witness_checkpoints, 4u);
}

TEST(VerifierTest, AnEmptyLogVerifies) { EXPECT_TRUE(TestLog().Verify().ok()); }

TEST(VerifierTest, EntriesAfterTheLastCheckpointAreReportedAsUncovered) {
  TestLog log = TestLog::Standard();
  log.Append(3);
  const VerifyReport report = log.Verify();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.entry_count, 23u);
  EXPECT_EQ(report.covered_size, 20u);
}

TEST(VerifierTest, AModifiedEntryIsFoundAtItsIndexWhenStoredLeafHashesAreKept) {
  TestLog log = TestLog::Standard();
  EditObjectId(log.contents.entries[13]);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kModified);
  EXPECT_EQ(report.first_bad_index, 13u);
}

TEST(VerifierTest, AModifiedEntryWithItsLeafHashRewrittenIsPlacedAtTheLastGoodCheckpoint) {
  TestLog log = TestLog::Standard();
  EditObjectId(log.contents.entries[13]);
  log.contents.stored_leaf_hashes[13] = LeafHash(log.contents.entries[13]);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kModified);
  // Checkpoint 10 still matches, checkpoint 15 does not: entries from 10 on are disputed.
  EXPECT_EQ(report.first_bad_index, 10u);
}

TEST(VerifierTest, AModifiedEntryThatNoLongerParsesIsFoundAtItsIndex) {
  TestLog log = TestLog::Standard();
  log.DropStoredHashes();
  log.contents.entries[8].push_back(0x00);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kModified);
  EXPECT_EQ(report.first_bad_index, 8u);
}

TEST(VerifierTest, ADeletedEntryIsFoundAtItsIndex) {
  TestLog log = TestLog::Standard();
  log.contents.entries.erase(log.contents.entries.begin() + 7);
  log.contents.stored_leaf_hashes.erase(log.contents.stored_leaf_hashes.begin() + 7);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kDeleted);
  EXPECT_EQ(report.first_bad_index, 7u);
}

TEST(VerifierTest, TwoSwappedEntriesAreFoundAtTheFirstOfThem) {
  TestLog log = TestLog::Standard();
  std::swap(log.contents.entries[3], log.contents.entries[6]);
  std::swap(log.contents.stored_leaf_hashes[3], log.contents.stored_leaf_hashes[6]);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kSwapped);
  EXPECT_EQ(report.first_bad_index, 3u);
}

TEST(VerifierTest, ADuplicatedEntryIsReportedAsOutOfOrder) {
  TestLog log = TestLog::Standard();
  log.contents.entries[9] = log.contents.entries[4];
  log.contents.stored_leaf_hashes[9] = log.contents.stored_leaf_hashes[4];
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kSwapped);
  EXPECT_EQ(report.first_bad_index, 9u);
}

TEST(VerifierTest, ATruncatedLogIsFoundAtTheFirstMissingIndex) {
  TestLog log = TestLog::Standard();
  log.contents.entries.resize(12);
  log.contents.stored_leaf_hashes.resize(12);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kTruncated);
  EXPECT_EQ(report.first_bad_index, 12u);
}

TEST(VerifierTest, ADatabaseRolledBackToAnOlderCopyIsCaughtByTheWitness) {
  TestLog log = TestLog::Standard();
  // The older copy: 10 entries and the two checkpoints it had then. The witness file is not
  // part of the copy and still holds all four.
  log.contents.entries.resize(10);
  log.contents.stored_leaf_hashes.resize(10);
  log.contents.checkpoints.resize(2);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kRollback);
  EXPECT_EQ(report.first_bad_index, 10u);
}

TEST(VerifierTest, ARolledBackDatabaseThatKeptGrowingIsCaughtByTheWitness) {
  TestLog log = TestLog::Standard();
  // Restored to 10 entries, then 10 different entries appended and checkpointed again; the
  // database is consistent with itself, the witness remembers the first history.
  log.contents.entries.resize(10);
  log.contents.stored_leaf_hashes.resize(10);
  log.contents.checkpoints.resize(2);
  for (std::uint64_t index = 10; index < 20; ++index) {
    Event event = SampleEvent(index);
    event.object_id = "case-other";
    log.contents.entries.push_back(Entry::Create(kTenant, index, SampleTime(index), event)
                                       ->Sealed(testing::TestEntryKey())
                                       .Encode());
    log.contents.stored_leaf_hashes.push_back(LeafHash(log.contents.entries.back()));
    if ((index + 1) % 5 == 0) {
      const std::string note = log.Sign(index + 1);
      log.contents.checkpoints.push_back(note);
      log.contents.witness_checkpoints.push_back(note);
    }
  }
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kRollback);
  EXPECT_EQ(report.first_bad_index, 10u);
}

TEST(VerifierTest, AForgedCheckpointIsFoundAtTheSizeTheLastGoodOneVouchedFor) {
  TestLog log = TestLog::Standard();
  EditObjectId(log.contents.entries[12]);
  log.contents.stored_leaf_hashes[12] = LeafHash(log.contents.entries[12]);
  // The forger re-signs checkpoint 15 with a key of their own under our key's name.
  TestLog forger;
  forger.key = KeyFilledWith(2);
  forger.contents = log.contents;
  log.contents.checkpoints[2] = forger.Sign(15);
  log.contents.checkpoints.resize(3);
  log.contents.witness_checkpoints.resize(2);
  log.contents.entries.resize(15);
  log.contents.stored_leaf_hashes.resize(15);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kBadSignature);
  EXPECT_EQ(report.first_bad_index, 10u);
}

TEST(VerifierTest, AnAlteredWitnessCheckpointIsABadSignature) {
  TestLog log = TestLog::Standard();
  std::string& note = log.contents.witness_checkpoints[1];
  note[note.find('\n') + 1] = '9';  // size line "10" → "90"
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kBadSignature);
  EXPECT_EQ(report.first_bad_index, 5u);
}

TEST(VerifierTest, ACheckpointOfAnotherLogIsRefused) {
  TestLog log = TestLog::Standard();
  TestLog other;
  other.contents = log.contents;
  other.origin = "koseki.invalid/audit/132012";
  log.contents.checkpoints[0] = other.Sign(5);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kBadSignature);
  EXPECT_EQ(report.first_bad_index, 0u);
}

TEST(VerifierTest, CheckpointsWhoseSizesDecreaseAreInconsistent) {
  TestLog log = TestLog::Standard();
  std::swap(log.contents.checkpoints[1], log.contents.checkpoints[2]);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kInconsistent);
  EXPECT_EQ(report.first_bad_index, 10u);
}

TEST(VerifierTest, AnEntryOfAnotherTenantIsAModification) {
  TestLog log = TestLog::Standard();
  log.contents.entries[4] = SampleEntryBytes("132012", 4);
  log.contents.stored_leaf_hashes[4] = LeafHash(log.contents.entries[4]);
  const VerifyReport report = log.Verify();
  EXPECT_EQ(report.reason, VerifyReason::kModified);
  EXPECT_EQ(report.first_bad_index, 4u);
}

TEST(VerifierTest, FindingsAreSortedAndTheReportConvertsToAnError) {
  TestLog log = TestLog::Standard();
  EditObjectId(log.contents.entries[17]);
  EditObjectId(log.contents.entries[2]);
  const VerifyReport report = log.Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_index, 2u);
  ASSERT_GE(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[1].index, 17u);
  const Error error = report.ToError();
  EXPECT_EQ(error.id, "KSK-AUDIT-030");
  EXPECT_EQ(error.code, ErrorCode::kDataLoss);
  EXPECT_THAT(error.internal_detail, ::testing::HasSubstr("reason=modified first_bad_index=2"));
}

TEST(VerifierTest, TheRecomputedTreeAnswersTheRootOfEveryCheckpoint) {
  const TestLog log = TestLog::Standard();
  LogVerifier verifier(std::string(kTenant), std::string(kOrigin), log.key.verifier());
  for (const auto& note : log.contents.checkpoints) verifier.AddCheckpoint(note);
  for (const auto& entry : log.contents.entries) verifier.AddEntry(entry);
  ASSERT_FALSE(log.contents.checkpoints.empty());
  for (const auto& note : log.contents.checkpoints) {
    const Checkpoint cp = *OpenCheckpoint(note, log.key.verifier());
    EXPECT_EQ(*RootHash(verifier.tree(), cp.size), cp.root) << cp.size;
  }
}

TEST(VerifierTest, ACheckpointAfterAnEntryIsAProgrammingError) {
  const TestLog log = TestLog::Standard();
  LogVerifier verifier(std::string(kTenant), std::string(kOrigin), log.key.verifier());
  verifier.AddEntry(log.contents.entries[0]);
  EXPECT_DEATH(verifier.AddCheckpoint(log.contents.checkpoints[0]), "checkpoint after an entry");
}

TEST(VerifierTest, EntriesExaminedOnAnotherThreadGiveTheSameReportAsAddEntry) {
  TestLog log = TestLog::Standard();
  EditObjectId(log.contents.entries[3]);  // parses, hash differs
  log.contents.entries[9].resize(10);     // does not parse (its stored hash updated to match)
  log.contents.stored_leaf_hashes[9] = LeafHash(log.contents.entries[9]);
  std::swap(log.contents.entries[12], log.contents.entries[13]);  // out of order
  const VerifyReport inline_report = log.Verify();

  LogVerifier verifier(std::string(kTenant), std::string(kOrigin), log.key.verifier());
  for (const auto& note : log.contents.checkpoints) verifier.AddCheckpoint(note);
  for (const auto& note : log.contents.witness_checkpoints) verifier.AddWitnessCheckpoint(note);
  std::vector<ExaminedEntry> examined;
  std::thread examiner([&] {
    for (std::size_t i = 0; i < log.contents.entries.size(); ++i) {
      examined.push_back(
          verifier.Examine(log.contents.entries[i], log.contents.stored_leaf_hashes[i]));
    }
  });
  examiner.join();
  for (const ExaminedEntry& entry : examined) verifier.AddExamined(entry);
  const VerifyReport split_report = verifier.Finish();

  MemoryTree reference;
  for (const auto& entry : log.contents.entries) reference.Append(LeafHash(entry));
  for (const auto& note : log.contents.checkpoints) {
    const std::uint64_t size = OpenCheckpoint(note, log.key.verifier())->size;
    EXPECT_EQ(*RootHash(verifier.tree(), size), *RootHash(reference, size)) << size;
  }
  ASSERT_FALSE(inline_report.ok());
  EXPECT_EQ(split_report.reason, inline_report.reason);
  EXPECT_EQ(split_report.first_bad_index, 3u);
  ASSERT_EQ(split_report.findings.size(), inline_report.findings.size());
  for (std::size_t i = 0; i < split_report.findings.size(); ++i) {
    EXPECT_EQ(split_report.findings[i].reason, inline_report.findings[i].reason);
    EXPECT_EQ(split_report.findings[i].index, inline_report.findings[i].index);
    EXPECT_EQ(split_report.findings[i].detail, inline_report.findings[i].detail);
  }
  EXPECT_TRUE(std::any_of(split_report.findings.begin(), split_report.findings.end(),
                          [](const VerifyFinding& f) {
                            return f.index == 9 && f.detail.starts_with("entry does not parse");
                          }));
}

TEST(VerifierTest, ReasonCodesAreStable) {
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kOk), "ok");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kModified), "modified");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kDeleted), "deleted");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kSwapped), "swapped");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kTruncated), "truncated");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kRollback), "rollback");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kBadSignature), "bad-signature");
  EXPECT_EQ(VerifyReasonCode(VerifyReason::kInconsistent), "inconsistent");
}

}  // namespace
}  // namespace koseki::audit
