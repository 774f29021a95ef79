#include "koseki/audit/proof_bundle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

constexpr std::string_view kLog = "999997";

// A log of 13 sample entries, its signed checkpoint, and the bundle for entry 5.
class ProofBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::uint64_t i = 0; i < 13; ++i) {
      entries_.push_back(testing::SampleEntryBytes(kLog, i));
      tree_.Append(LeafHash(entries_.back()));
    }
    Checkpoint checkpoint{OriginFor(key_.verifier(), kLog), 13, *RootHash(tree_, 13),
                          std::chrono::sys_seconds(std::chrono::seconds(1795687200))};
    bundle_ = {std::string(kLog), 5, entries_[5], *InclusionProof(tree_, 5, 13),
               *SignCheckpoint(checkpoint, key_)};
  }

  Result<CheckedProof> Check(const InclusionProofBundle& bundle) {
    const VerifierKey keys[] = {other_.verifier(), key_.verifier()};
    return CheckProofBundle(bundle, keys);
  }

  SigningKey key_ = *SigningKey::Generate("koseki.invalid/audit/test");
  SigningKey other_ = *SigningKey::Generate("koseki.invalid/audit/other");
  std::vector<std::vector<std::uint8_t>> entries_;
  MemoryTree tree_;
  InclusionProofBundle bundle_;
};

TEST_F(ProofBundleTest, AFormattedBundleParsesBackAndChecks) {
  const std::string text = FormatProofBundle(bundle_);
  auto parsed = ParseProofBundle(text);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, bundle_);
  auto checked = Check(*parsed);
  ASSERT_THAT(checked, IsOk());
  EXPECT_EQ(checked->entry.index(), 5u);
  EXPECT_EQ(checked->key, key_.verifier());
}

TEST_F(ProofBundleTest, AChangedPathHashFails) {
  bundle_.path[1][0] ^= 1;
  EXPECT_THAT(Check(bundle_), ErrorIdIs("KSK-AUDIT-045"));
}

TEST_F(ProofBundleTest, AnotherEntryFails) {
  bundle_.entry = entries_[6];
  EXPECT_THAT(Check(bundle_), ErrorIdIs("KSK-AUDIT-045"));
}

TEST_F(ProofBundleTest, AnotherIndexFails) {
  bundle_.index = 4;
  EXPECT_THAT(Check(bundle_), ErrorIdIs("KSK-AUDIT-045"));
}

TEST_F(ProofBundleTest, AnAlteredCheckpointFails) {
  bundle_.checkpoint.replace(bundle_.checkpoint.find("\n13\n"), 4, "\n14\n");
  EXPECT_THAT(Check(bundle_), ErrorIdIs("KSK-AUDIT-022"));
}

TEST_F(ProofBundleTest, ACheckpointOfAnotherLogFails) {
  bundle_.log = "999998";
  EXPECT_THAT(Check(bundle_), ErrorIdIs("KSK-AUDIT-045"));
}

TEST_F(ProofBundleTest, WithoutTheSigningKeysVerifierTheBundleCannotBeChecked) {
  const VerifierKey keys[] = {other_.verifier()};
  EXPECT_THAT(CheckProofBundle(bundle_, keys), ErrorIdIs("KSK-AUDIT-046"));
}

TEST_F(ProofBundleTest, MalformedTextIsRefused) {
  const std::string good = FormatProofBundle(bundle_);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"proof 1\n", "proof 2\n"},
           {"index 5\n", "index 05\n"},
           {"log 999997\n", "log 9 9\n"},
           {"entry ", "entry  "},
           {"path ", "path x"},
           {"\n\nkoseki.invalid", "\nkoseki.invalid"}}) {
    std::string bad = good;
    bad.replace(bad.find(from), from.size(), to);
    EXPECT_THAT(ParseProofBundle(bad), ErrorIdIs("KSK-AUDIT-044")) << from;
  }
  EXPECT_THAT(ParseProofBundle(good.substr(0, good.find("\n\n") + 2)), ErrorIdIs("KSK-AUDIT-044"));
}

}  // namespace
}  // namespace koseki::audit
