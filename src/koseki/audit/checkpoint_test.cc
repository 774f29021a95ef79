#include "koseki/audit/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/audit/actions.h"
#include "koseki/audit/entry.h"
#include "koseki/audit/internal/base64.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::audit::testing::HashFromHex;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;

constexpr std::string_view kKeyName = "koseki.invalid/audit";
constexpr std::string_view kOrigin = "koseki.invalid/audit/131016";

// The example key and note of golang.org/x/mod/sumdb/note (note.go documentation and
// note_test.go): PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 ‖ seed)>.
constexpr std::string_view kGoSeedBase64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

SigningKey GoKey() {
  const auto typed = internal::Base64DecodeCanonical(kGoSeedBase64);
  const auto seed = SecretBytes::FromBytes(std::span(*typed).subspan(1));
  return std::move(SigningKey::FromSeed("PeterNeumann", seed)).value();
}

SigningKey TestKey(std::uint8_t fill) {
  SecretBytes seed(32);
  for (auto& b : seed.mutable_span()) b = fill;
  return std::move(SigningKey::FromSeed(kKeyName, seed)).value();
}

Checkpoint SampleCheckpoint() {
  return {std::string(kOrigin), 1234,
          HashFromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
          std::chrono::sys_seconds(std::chrono::seconds(1795687200))};
}

TEST(CheckpointTest, SigningReproducesTheGoSumdbNoteVector) {
  const SigningKey key = GoKey();
  EXPECT_EQ(key.verifier().ToString(), kGoVerifierKey);
  EXPECT_THAT(SignNote(kGoText, key), IsOkAndHolds(std::string(kGoNote)));
}

TEST(CheckpointTest, OpenNoteAcceptsTheGoSumdbNoteVector) {
  auto verifier = VerifierKey::Parse(kGoVerifierKey);
  ASSERT_THAT(verifier, IsOk());
  EXPECT_THAT(OpenNote(kGoNote, *verifier), IsOkAndHolds(std::string(kGoText)));
}

TEST(CheckpointTest, VerifierKeyStringRoundTrips) {
  const SigningKey key = TestKey(7);
  auto parsed = VerifierKey::Parse(key.verifier().ToString());
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, key.verifier());
  EXPECT_EQ(key.verifier().ToString().substr(0, kKeyName.size() + 1), std::string(kKeyName) + "+");
}

TEST(CheckpointTest, VerifierKeyParseRefusesAWrongKeyIdTypeOrEncoding) {
  const std::string good(kGoVerifierKey);
  EXPECT_THAT(
      VerifierKey::Parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
      ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(
      VerifierKey::Parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
      ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(
      VerifierKey::Parse("PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
      ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(VerifierKey::Parse("PeterNeumann+c74f20a3"), ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(VerifierKey::Parse("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              ErrorIdIs("KSK-AUDIT-020"));
  // Every single-character change of a valid key is refused.
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_THAT(VerifierKey::Parse(bad), ErrorIdIs("KSK-AUDIT-020")) << i;
  }
}

TEST(CheckpointTest, CheckpointTextIsTheDocumentedLayout) {
  EXPECT_THAT(FormatCheckpoint(SampleCheckpoint()),
              IsOkAndHolds(std::string("koseki.invalid/audit/131016\n"
                                       "1234\n"
                                       "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
                                       "time 2026-11-26T10:00:00Z\n")));
}

// The example of docs/formats.md ("Audit log"): the system log after its first entry (the
// documented version-1 `cli.init` entry), signed with the example key (seed = 32 bytes 0x01). The
// note was produced independently with Python's `cryptography` package.
TEST(CheckpointTest, TheDocumentedExampleCheckpointIsReproducedAndVerifies) {
  const SigningKey key = TestKey(1);
  EXPECT_EQ(key.verifier().ToString(),
            "koseki.invalid/audit+3b205418+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c");
  const auto entry = testing::FromHex(testing::kDocumentedInitEntryV1);
  const Hash leaf = LeafHash(entry);
  EXPECT_EQ(leaf, HashFromHex("0d17255388926d64d00e79cfcf5e7a7f528bb1fb2be9d1075ac979ad1912c892"));
  const Checkpoint cp{"koseki.invalid/audit/system", 1, leaf,
                      std::chrono::sys_seconds(std::chrono::seconds(1795687200))};
  const std::string expected =
      "koseki.invalid/audit/system\n"
      "1\n"
      "DRclU4iSbWTQDnnPz156f1KLsfsr6dEHWsl5rRkSyJI=\n"
      "time 2026-11-26T10:00:00Z\n"
      "\n"
      "\xE2\x80\x94 koseki.invalid/audit "
      "OyBUGKYCDFQT8RG7qe7ZzGCp51nWseswu2Bw61cdZ9DhFr0Nba1ukWR0Pp9OLKtdwDDg+8hDsB8zDL6KWhqKPSLnOAY="
      "\n";
  EXPECT_THAT(SignCheckpoint(cp, key), IsOkAndHolds(expected));
  auto verifier = VerifierKey::Parse(
      "koseki.invalid/audit+3b205418+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c");
  ASSERT_THAT(verifier, IsOk());
  EXPECT_THAT(OpenCheckpoint(expected, *verifier), IsOkAndHolds(cp));
}

TEST(CheckpointTest, SignedCheckpointOpensToTheSameCheckpoint) {
  const SigningKey key = TestKey(1);
  auto note = SignCheckpoint(SampleCheckpoint(), key);
  ASSERT_THAT(note, IsOk());
  EXPECT_THAT(OpenCheckpoint(*note, key.verifier()), IsOkAndHolds(SampleCheckpoint()));
}

TEST(CheckpointTest, EveryAlteredByteOfASignedCheckpointIsRefused) {
  const SigningKey key = TestKey(1);
  const std::string note = *SignCheckpoint(SampleCheckpoint(), key);
  for (std::size_t i = 0; i < note.size(); ++i) {
    for (int value = 0; value < 256; ++value) {
      if (static_cast<char>(value) == note[i]) continue;
      std::string altered = note;
      altered[i] = static_cast<char>(value);
      ASSERT_FALSE(OpenCheckpoint(altered, key.verifier()).has_value())
          << "byte " << i << " set to " << value;
    }
  }
}

TEST(CheckpointTest, EveryDeletedInsertedOrTruncatedByteOfASignedCheckpointIsRefused) {
  const SigningKey key = TestKey(1);
  const std::string note = *SignCheckpoint(SampleCheckpoint(), key);
  for (std::size_t i = 0; i < note.size(); ++i) {
    std::string deleted = note;
    deleted.erase(i, 1);
    ASSERT_FALSE(OpenCheckpoint(deleted, key.verifier()).has_value()) << "deleted " << i;
    ASSERT_FALSE(OpenCheckpoint(note.substr(0, i), key.verifier()).has_value()) << "cut " << i;
    for (char c : {'0', 'A', '\n', ' ', '='}) {
      std::string inserted = note;
      inserted.insert(i, 1, c);
      ASSERT_FALSE(OpenCheckpoint(inserted, key.verifier()).has_value()) << "insert at " << i;
    }
  }
  ASSERT_FALSE(OpenCheckpoint(note + "\n", key.verifier()).has_value());
}

TEST(CheckpointTest, ACheckpointIsRefusedUnderAnotherKeyWithTheSameName) {
  const std::string note = *SignCheckpoint(SampleCheckpoint(), TestKey(1));
  EXPECT_THAT(OpenCheckpoint(note, TestKey(2).verifier()), ErrorIdIs("KSK-AUDIT-022"));
}

TEST(CheckpointTest, ACheckpointIsRefusedUnderAKeyOfAnotherName) {
  const std::string note = *SignCheckpoint(SampleCheckpoint(), TestKey(1));
  SecretBytes seed(32);
  for (auto& b : seed.mutable_span()) b = 1;
  const SigningKey other = std::move(SigningKey::FromSeed("other.invalid/audit", seed)).value();
  EXPECT_THAT(OpenCheckpoint(note, other.verifier()), ErrorIdIs("KSK-AUDIT-022"));
}

TEST(CheckpointTest, AForgedSignatureLineWithOurKeyIdIsRefused) {
  const SigningKey key = TestKey(1);
  const std::string text = *FormatCheckpoint(SampleCheckpoint());
  // The same text, signed by another key but labelled with our name and key id.
  const auto signature = *TestKey(2).Sign(text);
  std::vector<std::uint8_t> blob = {static_cast<std::uint8_t>(key.verifier().key_id() >> 24),
                                    static_cast<std::uint8_t>(key.verifier().key_id() >> 16),
                                    static_cast<std::uint8_t>(key.verifier().key_id() >> 8),
                                    static_cast<std::uint8_t>(key.verifier().key_id())};
  blob.insert(blob.end(), signature.begin(), signature.end());
  const std::string forged =
      text + "\n\xE2\x80\x94 " + std::string(kKeyName) + " " + internal::Base64Encode(blob) + "\n";
  EXPECT_THAT(OpenCheckpoint(forged, key.verifier()), ErrorIdIs("KSK-AUDIT-022"));
}

TEST(CheckpointTest, ACosignatureByAnUnknownKeyIsIgnored) {
  const SigningKey key = TestKey(1);
  const std::string note = *SignCheckpoint(SampleCheckpoint(), key);
  SecretBytes seed(32);
  for (auto& b : seed.mutable_span()) b = 9;
  const SigningKey witness = std::move(SigningKey::FromSeed("witness.invalid", seed)).value();
  const std::string cosigned = *SignNote(*FormatCheckpoint(SampleCheckpoint()), witness);
  const std::string both = note + cosigned.substr(cosigned.rfind("\n\n") + 2);
  EXPECT_THAT(OpenCheckpoint(both, key.verifier()), IsOkAndHolds(SampleCheckpoint()));
  // …but the cosignature alone does not make the note ours.
  EXPECT_THAT(OpenCheckpoint(cosigned, key.verifier()), ErrorIdIs("KSK-AUDIT-022"));
}

TEST(CheckpointTest, TwoSignaturesByTheSameKeyAreRefused) {
  const SigningKey key = TestKey(1);
  const std::string note = *SignCheckpoint(SampleCheckpoint(), key);
  const std::string line = note.substr(note.rfind("\n\n") + 2);
  EXPECT_THAT(OpenCheckpoint(note + line, key.verifier()), ErrorIdIs("KSK-AUDIT-021"));
}

TEST(CheckpointTest, ParseCheckpointRefusesNonCanonicalFields) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  const std::string time = "time 2026-11-26T10:00:00Z\n";
  EXPECT_THAT(ParseCheckpoint("o\n01234\n" + root + time), ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n+1234\n" + root + time), ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n18446744073709551616\n" + root + time),
              ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n1234\n" + root), ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n1234\n" + root + time + "extra\n"), ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n1234\n" + root + "time 2026-02-29T10:00:00Z\n"),
              ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n1234\n" + root + "time 2026-11-26T24:00:00Z\n"),
              ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n1234\n" + root + "time 2026-11-26 10:00:00Z\n"),
              ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o o\n1234\n" + root + time), ErrorIdIs("KSK-AUDIT-023"));
  EXPECT_THAT(ParseCheckpoint("o\n0\n" + root + "time 2028-02-29T23:59:59Z\n"), IsOk());
}

TEST(CheckpointTest, KeysAndOriginsWithSpacesOrPlusAreRefused) {
  SecretBytes seed(32);
  EXPECT_THAT(SigningKey::FromSeed("a b", seed), ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(SigningKey::FromSeed("a+b", seed), ErrorIdIs("KSK-AUDIT-020"));
  EXPECT_THAT(SigningKey::FromSeed("", seed), ErrorIdIs("KSK-AUDIT-020"));
  Checkpoint bad = SampleCheckpoint();
  bad.origin = "koseki audit";
  EXPECT_THAT(FormatCheckpoint(bad), ErrorIdIs("KSK-AUDIT-020"));
}

TEST(CheckpointTest, ASeedOfTheWrongSizeIsRefused) {
  EXPECT_THAT(SigningKey::FromSeed(kKeyName, SecretBytes(31)), ErrorIdIs("KSK-AUDIT-024"));
}

TEST(CheckpointTest, GeneratedKeysAreFreshAndRestoreFromTheirSeed) {
  auto a = SigningKey::Generate(kKeyName);
  auto b = SigningKey::Generate(kKeyName);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(a->verifier().public_key(), b->verifier().public_key());
  auto restored = SigningKey::FromSeed(kKeyName, a->seed());
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ(restored->verifier(), a->verifier());
  const std::string note = *SignCheckpoint(SampleCheckpoint(), *restored);
  EXPECT_THAT(OpenCheckpoint(note, a->verifier()), IsOk());
}

}  // namespace
}  // namespace koseki::audit
