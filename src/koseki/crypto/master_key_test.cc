#include "koseki/crypto/master_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "koseki/base/hex.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;
using ::koseki::testing::TempDir;
using ::testing::AnyOf;
using ::testing::Eq;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr std::size_t kKeyFileSize = 118;

SecretBytes Passphrase() { return SecretBytes::FromString("みなと市役所 correct horse"); }

Bytes ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

class MasterKeyTest : public ::testing::Test {
 protected:
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path KeyPath() const { return dir() / "master.key"; }

  MasterKey CreateKey() {
    Result<MasterKey> key = MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams::Minimal());
    EXPECT_THAT(key, IsOk());
    return std::move(key).value();
  }

 private:
  TempDir dir_{"koseki-crypto"};
};

TEST_F(MasterKeyTest, CreatedKeyFileUnsealsToTheSameKey) {
  MasterKey created = CreateKey();
  Result<Bytes> wrapped = created.Wrap(SecretBytes::FromString("tenant secret"), "tenant:131016");
  ASSERT_THAT(wrapped, IsOk());

  Result<MasterKey> unsealed = MasterKey::Unseal(KeyPath(), Passphrase());
  ASSERT_THAT(unsealed, IsOk());

  EXPECT_EQ(unsealed->key_id(), created.key_id());
  Result<SecretBytes> plain = unsealed->Unwrap(*wrapped, "tenant:131016");
  ASSERT_THAT(plain, IsOk());
  EXPECT_TRUE(plain->Equals(SecretBytes::FromString("tenant secret")));
}

TEST_F(MasterKeyTest, KeyFileHasTheDocumentedLayout) {
  MasterKey created = CreateKey();
  const Bytes file = ReadFile(KeyPath());
  ASSERT_THAT(file, SizeIs(kKeyFileSize));

  EXPECT_EQ(std::string(file.begin(), file.begin() + 8), "KOSEKIMK");
  EXPECT_EQ(file[8], 1);  // version
  EXPECT_EQ(file[9], 1);  // Argon2id13
  EXPECT_EQ(internal::ReadU64Be(file, 10), KdfParams::Minimal().ops_limit);
  EXPECT_EQ(internal::ReadU64Be(file, 18), KdfParams::Minimal().mem_limit);
  EXPECT_EQ(HexEncode(ByteView(file).subspan(42, 16)), created.key_id());
  EXPECT_THAT(created.key_id(), MatchesRegex("[0-9a-f]{32}"));
}

TEST_F(MasterKeyTest, KeyFileIsCreatedWithMode0600) {
  CreateKey();
  struct stat info {};
  ASSERT_EQ(::stat(KeyPath().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
}

TEST_F(MasterKeyTest, TwoKeyFilesHoldDifferentKeys) {
  MasterKey first = CreateKey();
  Result<MasterKey> second =
      MasterKey::CreateKeyFile(dir() / "other.key", Passphrase(), KdfParams::Minimal());
  ASSERT_THAT(second, IsOk());
  Result<Bytes> wrapped = first.Wrap(SecretBytes::FromString("tenant secret"), "tenant:131016");
  ASSERT_THAT(wrapped, IsOk());

  EXPECT_NE(first.key_id(), second->key_id());
  EXPECT_THAT(second->Unwrap(*wrapped, "tenant:131016"), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST_F(MasterKeyTest, UnsealRefusesAWrongPassphrase) {
  CreateKey();
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), SecretBytes::FromString("みなと市役所 correct horsE")),
              ErrorIs(ErrorCode::kUnauthenticated));
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), SecretBytes()), ErrorIdIs("KSK-CRYPTO-011"));
}

TEST_F(MasterKeyTest, CreateRefusesAShortPassphraseCountingCharactersNotBytes) {
  // 11 characters but 33 bytes of UTF-8: still too short.
  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), SecretBytes::FromString("あおばけんみなとしやく"),
                                       KdfParams::Minimal()),
              ErrorIdIs("KSK-CRYPTO-010"));
  EXPECT_THAT(
      MasterKey::CreateKeyFile(KeyPath(), SecretBytes::FromString("short"), KdfParams::Minimal()),
      ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
  // Exactly 12 characters is enough.
  EXPECT_THAT(
      MasterKey::CreateKeyFile(KeyPath(), SecretBytes::FromString("あおばけんみなとしやくし"),
                               KdfParams::Minimal()),
      IsOk());
}

TEST_F(MasterKeyTest, CreateNeverOverwritesAnExistingFile) {
  CreateKey();
  const Bytes before = ReadFile(KeyPath());

  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams::Minimal()),
              ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(ReadFile(KeyPath()), Eq(before));
}

TEST_F(MasterKeyTest, CreateDoesNotFollowASymlink) {
  const std::filesystem::path target = dir() / "target";
  std::filesystem::create_symlink(target, KeyPath());

  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams::Minimal()),
              ErrorIdIs("KSK-CRYPTO-013"));
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(MasterKeyTest, CreateRefusesKdfParamsOutOfBounds) {
  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams{0, 8192}),
              ErrorIdIs("KSK-CRYPTO-016"));
  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams{1, 4096}),
              ErrorIdIs("KSK-CRYPTO-016"));
  EXPECT_THAT(MasterKey::CreateKeyFile(KeyPath(), Passphrase(), KdfParams{1, kMaxKdfMemLimit + 1}),
              ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(std::filesystem::exists(KeyPath()));
}

TEST_F(MasterKeyTest, UnsealReportsAMissingFile) {
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(MasterKey::Unseal(dir() / "no" / "such.key", Passphrase()),
              ErrorIdIs("KSK-CRYPTO-012"));
}

// Tried as an attacker: a FIFO where the key file belongs made every command hang, waiting for
// a writer. It is refused at once, like any other file that is not a regular file.
TEST_F(MasterKeyTest, UnsealRefusesAFifoWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(KeyPath().c_str(), 0600), 0);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));
}

TEST_F(MasterKeyTest, UnsealRefusesEveryModifiedByte) {
  CreateKey();
  const Bytes original = ReadFile(KeyPath());
  ASSERT_THAT(original, SizeIs(kKeyFileSize));

  for (std::size_t i = 0; i < original.size(); ++i) {
    Bytes modified = original;
    modified[i] ^= 0x01;
    WriteFile(KeyPath(), modified);
    EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()),
                AnyOf(ErrorIdIs("KSK-CRYPTO-011"), ErrorIdIs("KSK-CRYPTO-014")))
        << "byte " << i;
  }
  WriteFile(KeyPath(), original);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), IsOk());
}

TEST_F(MasterKeyTest, UnsealRefusesTruncatedOrExtendedFilesAsMalformed) {
  CreateKey();
  const Bytes original = ReadFile(KeyPath());

  for (std::size_t length = 0; length < original.size(); ++length) {
    WriteFile(KeyPath(), Bytes(original.begin(), original.begin() + length));
    EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIs(ErrorCode::kDataLoss))
        << "length " << length;
  }
  Bytes longer = original;
  longer.push_back(0);
  WriteFile(KeyPath(), longer);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));
  WriteFile(KeyPath(), Bytes(1 << 20, 'A'));
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));
}

TEST_F(MasterKeyTest, UnsealRefusesAbsurdKdfParamsWithoutRunningTheKdf) {
  CreateKey();
  Bytes crafted = ReadFile(KeyPath());
  // memlimit = 2^60 bytes: Unseal must refuse before trying to allocate it.
  crafted[18] = 0x10;
  WriteFile(KeyPath(), crafted);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));

  crafted = ReadFile(KeyPath());
  crafted[18] = 0x00;
  crafted[10] = 0x7f;  // opslimit ≈ 2^62 passes
  WriteFile(KeyPath(), crafted);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));
}

TEST_F(MasterKeyTest, UnsealRefusesAnUnknownVersionOrKdf) {
  CreateKey();
  const Bytes original = ReadFile(KeyPath());

  Bytes modified = original;
  modified[8] = 2;
  WriteFile(KeyPath(), modified);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));

  modified = original;
  modified[9] = 2;
  WriteFile(KeyPath(), modified);
  EXPECT_THAT(MasterKey::Unseal(KeyPath(), Passphrase()), ErrorIdIs("KSK-CRYPTO-014"));
}

TEST_F(MasterKeyTest, UnwrapRefusesAnotherContext) {
  MasterKey key = CreateKey();
  Result<Bytes> wrapped = key.Wrap(SecretBytes::FromString("tenant secret"), "tenant:131016");
  ASSERT_THAT(wrapped, IsOk());

  EXPECT_THAT(key.Unwrap(*wrapped, "tenant:131017"), ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(key.Unwrap(*wrapped, ""), ErrorIs(ErrorCode::kDataLoss));
}

TEST_F(MasterKeyTest, UnwrapRefusesModifiedOrTruncatedInput) {
  MasterKey key = CreateKey();
  Result<Bytes> wrapped = key.Wrap(SecretBytes::FromString("tenant secret"), "tenant:131016");
  ASSERT_THAT(wrapped, IsOk());
  EXPECT_EQ((*wrapped)[0], 0x01);

  for (std::size_t i = 0; i < wrapped->size(); ++i) {
    Bytes modified = *wrapped;
    modified[i] ^= 0x01;
    EXPECT_THAT(key.Unwrap(modified, "tenant:131016"), ErrorIdIs("KSK-CRYPTO-002")) << "byte " << i;
    EXPECT_THAT(key.Unwrap(ByteView(*wrapped).first(i), "tenant:131016"),
                ErrorIdIs("KSK-CRYPTO-002"))
        << "length " << i;
  }
}

TEST(KdfParamsTest, MinimalIsLibsodiumsMinimum) {
  EXPECT_EQ(KdfParams::Minimal().ops_limit, 1u);
  EXPECT_EQ(KdfParams::Minimal().mem_limit, 8192u);
}

}  // namespace
}  // namespace koseki::crypto
