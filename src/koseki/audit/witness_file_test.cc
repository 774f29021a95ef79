#include "koseki/audit/witness_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::audit {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Optional;

class WitnessFileTest : public store::testing::StoreTest {
 protected:
  std::filesystem::path witness() const { return dir() / "keys" / "koseki-witness.log"; }

  std::string Note(std::uint64_t size) const {
    Checkpoint checkpoint{"koseki.invalid/audit/test/999997", size, Hash{},
                          std::chrono::sys_seconds(std::chrono::seconds(1795687200))};
    return *SignCheckpoint(checkpoint, key_);
  }

  SigningKey key_ = *SigningKey::Generate("koseki.invalid/audit/test");
};

TEST_F(WitnessFileTest, AMissingFileReadsAsNothing) {
  EXPECT_THAT(ReadWitnessNotes(witness()), ::koseki::store::testing::HoldsValue(std::nullopt));
}

TEST_F(WitnessFileTest, NotesReadBackExactlyAsAppended) {
  {
    auto writer = WitnessWriter::Lock(witness());
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT(writer->Append(Note(1)), IsOk());
    ASSERT_THAT(writer->Append(Note(2)), IsOk());
  }
  auto notes = ReadWitnessNotes(witness());
  ASSERT_THAT(notes, IsOk());
  EXPECT_THAT(*notes, Optional(ElementsAre(Note(1), Note(2))));
  struct stat info {};
  ASSERT_EQ(::stat(witness().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST_F(WitnessFileTest, AnAlteredRecordStillReadsAsOneNoteThatFailsToOpen) {
  {
    auto writer = WitnessWriter::Lock(witness());
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT(writer->Append(Note(1)), IsOk());
  }
  std::string content = Note(1) + "\n";
  content.replace(content.find("\n1\n"), 3, "\n7\n");
  std::ofstream(witness(), std::ios::binary | std::ios::trunc) << content;
  auto notes = ReadWitnessNotes(witness());
  ASSERT_THAT(notes, IsOk());
  ASSERT_EQ((*notes)->size(), 1u);
  EXPECT_THAT(OpenCheckpoint((**notes)[0], key_.verifier()), ErrorIdIs("KSK-AUDIT-022"));
}

TEST_F(WitnessFileTest, TheKeysFileListsEachKeyOnce) {
  const auto keys_file = VerifierKeysPathFor(witness());
  EXPECT_EQ(keys_file.filename(), "koseki-witness.pub");
  const SigningKey other = *SigningKey::Generate("koseki.invalid/audit/other");
  ASSERT_THAT(EnsureVerifierKeyListed(keys_file, key_.verifier()), IsOk());
  ASSERT_THAT(EnsureVerifierKeyListed(keys_file, other.verifier()), IsOk());
  ASSERT_THAT(EnsureVerifierKeyListed(keys_file, key_.verifier()), IsOk());
  auto keys = ReadVerifierKeys(keys_file);
  ASSERT_THAT(keys, IsOk());
  EXPECT_THAT(*keys, Optional(ElementsAre(key_.verifier(), other.verifier())));
}

TEST_F(WitnessFileTest, AKeysFileWithABadLineIsRefused) {
  const auto keys_file = dir() / "bad.pub";
  std::ofstream(keys_file) << "# comment\n\nnot a key\n";
  EXPECT_THAT(ReadVerifierKeys(keys_file), ErrorIdIs("KSK-AUDIT-020"));
}

// A full disk in the middle of a record (here RLIMIT_FSIZE, in a child process, lets only the
// first bytes of the record through) must not leave a torn record behind: the next reader
// would take it for a forged checkpoint and fail verification for good.
TEST_F(WitnessFileTest, AWriteCutShortByAFullDiskLeavesNoTornRecord) {
  {
    auto writer = WitnessWriter::Lock(witness());
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT(writer->Append(Note(1)), IsOk());
  }
  const auto size_before = std::filesystem::file_size(witness());
  const pid_t pid = ::fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{size_before + 16, size_before + 16};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(3);
    auto writer = WitnessWriter::Lock(witness());
    if (!writer) ::_exit(4);
    auto appended = writer->Append(Note(2));
    ::_exit(!appended && appended.error().id == "KSK-AUDIT-040" ? 0 : 5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the cut-short append must fail with KSK-AUDIT-040";

  EXPECT_EQ(std::filesystem::file_size(witness()), size_before);
  EXPECT_THAT(ReadWitnessNotes(witness()),
              ::koseki::store::testing::HoldsValue(Optional(ElementsAre(Note(1)))));
  auto writer = WitnessWriter::Lock(witness());
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT(writer->Append(Note(3)), IsOk());
  EXPECT_THAT(ReadWitnessNotes(witness()),
              ::koseki::store::testing::HoldsValue(Optional(ElementsAre(Note(1), Note(3)))));
}

}  // namespace
}  // namespace koseki::audit
