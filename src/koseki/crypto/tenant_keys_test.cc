#include "koseki/crypto/tenant_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"
#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::ToBytes;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;
using ::koseki::testing::TempDir;
using ::testing::Eq;
using ::testing::Ne;

const Bytes kPlaintext = ToBytes("本籍 青葉県みなと市港町一丁目1番地");
const Bytes kAssociatedData = MakeAssociatedData("131016", "registers", "r-1", 1);

class TenantKeysTest : public ::testing::Test {
 protected:
  const std::filesystem::path& dir() const { return dir_.path(); }

  MasterKey NewMasterKey(const std::string& name) {
    Result<MasterKey> key = MasterKey::CreateKeyFile(
        dir() / name, SecretBytes::FromString("港町の鍵パスフレーズ 2024"), KdfParams::Minimal());
    EXPECT_THAT(key, IsOk());
    return std::move(key).value();
  }

  TenantKeys NewTenantKeys() {
    Result<TenantKeys> keys = TenantKeys::Generate();
    EXPECT_THAT(keys, IsOk());
    return std::move(keys).value();
  }

 private:
  TempDir dir_{"koseki-crypto"};
};

TEST_F(TenantKeysTest, UnwrappedKeysDecryptAndIndexLikeTheOriginals) {
  MasterKey master = NewMasterKey("master.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> ciphertext = keys.keyset().Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());
  const Bytes index = keys.blind_indexer().Compute("name+birth", "山川健一|1980-04-01");
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());

  Result<TenantKeys> unwrapped = TenantKeys::Unwrap(master, "131016", *wrapped);
  ASSERT_THAT(unwrapped, IsOk());

  EXPECT_THAT(unwrapped->keyset().Decrypt(*ciphertext, kAssociatedData),
              IsOkAndHolds(Eq(kPlaintext)));
  EXPECT_THAT(unwrapped->blind_indexer().Compute("name+birth", "山川健一|1980-04-01"), Eq(index));
}

TEST_F(TenantKeysTest, WrappedBytesDoNotContainTheKeys) {
  MasterKey master = NewMasterKey("master.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());
  const SecretBytes serialized = keys.keyset().Serialize();
  // The 32 key bytes of key 1 start at offset 13 of the serialization.
  const ByteView key_bytes = serialized.span().subspan(13, 32);

  EXPECT_EQ(std::search(wrapped->begin(), wrapped->end(), key_bytes.begin(), key_bytes.end()),
            wrapped->end());
}

TEST_F(TenantKeysTest, KeysWrappedForOneTenantDoNotUnwrapForAnother) {
  MasterKey master = NewMasterKey("master.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());

  EXPECT_THAT(TenantKeys::Unwrap(master, "131017", *wrapped), ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(TenantKeys::Unwrap(master, "13101", *wrapped), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST_F(TenantKeysTest, KeysDoNotUnwrapUnderAnotherMasterKey) {
  MasterKey master = NewMasterKey("master.key");
  MasterKey other = NewMasterKey("other.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());

  EXPECT_THAT(TenantKeys::Unwrap(other, "131016", *wrapped), ErrorIdIs("KSK-CRYPTO-002"));
}

TEST_F(TenantKeysTest, ModifiedWrappedKeysAreRefused) {
  MasterKey master = NewMasterKey("master.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());

  for (std::size_t i = 0; i < wrapped->size(); ++i) {
    Bytes modified = *wrapped;
    modified[i] ^= 0x01;
    EXPECT_THAT(TenantKeys::Unwrap(master, "131016", modified), ErrorIs(ErrorCode::kDataLoss))
        << "byte " << i;
  }
}

TEST_F(TenantKeysTest, RotationSurvivesWrapAndUnwrap) {
  MasterKey master = NewMasterKey("master.key");
  TenantKeys keys = NewTenantKeys();
  Result<Bytes> old_ciphertext = keys.keyset().Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(old_ciphertext, IsOk());
  ASSERT_THAT(keys.mutable_keyset().Rotate(), IsOkAndHolds(2u));
  Result<Bytes> wrapped = keys.Wrap(master, "131016");
  ASSERT_THAT(wrapped, IsOk());

  Result<TenantKeys> unwrapped = TenantKeys::Unwrap(master, "131016", *wrapped);
  ASSERT_THAT(unwrapped, IsOk());

  EXPECT_EQ(unwrapped->keyset().primary_key_id(), 2u);
  EXPECT_THAT(unwrapped->keyset().Decrypt(*old_ciphertext, kAssociatedData),
              IsOkAndHolds(Eq(kPlaintext)));
}

TEST_F(TenantKeysTest, TwoTenantsGetIndependentKeys) {
  TenantKeys first = NewTenantKeys();
  TenantKeys second = NewTenantKeys();
  Result<Bytes> ciphertext = first.keyset().Encrypt(kPlaintext, kAssociatedData);
  ASSERT_THAT(ciphertext, IsOk());

  EXPECT_THAT(second.keyset().Decrypt(*ciphertext, kAssociatedData), ErrorIdIs("KSK-CRYPTO-002"));
  EXPECT_THAT(second.blind_indexer().Compute("name+birth", "x"),
              Ne(first.blind_indexer().Compute("name+birth", "x")));
}

}  // namespace
}  // namespace koseki::crypto
