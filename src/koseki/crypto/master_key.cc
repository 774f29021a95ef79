#include "koseki/crypto/master_key.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "koseki/base/hex.h"
#include "koseki/base/log.h"
#include "koseki/crypto/internal/argon2id.h"
#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/internal/key_file_io.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

// Key file layout (docs/formats.md, "Master key file").
constexpr std::array<std::uint8_t, 8> kMagic = {'K', 'O', 'S', 'E', 'K', 'I', 'M', 'K'};
constexpr std::uint8_t kFileVersion = 1;
constexpr std::uint8_t kKdfArgon2id13 = 1;
constexpr std::size_t kKeyIdSize = 16;
constexpr std::size_t kMasterKeySize = AesGcm::kKeySize;
constexpr std::size_t kOffsetVersion = 8;
constexpr std::size_t kOffsetKdf = 9;
constexpr std::size_t kOffsetOps = 10;
constexpr std::size_t kOffsetMem = 18;
constexpr std::size_t kOffsetSalt = 26;
constexpr std::size_t kOffsetKeyId = kOffsetSalt + internal::kArgon2idSaltSize;  // 42
constexpr std::size_t kHeaderSize = kOffsetKeyId + kKeyIdSize;                   // 58
constexpr std::size_t kFileSize =
    kHeaderSize + AesGcm::kNonceSize + kMasterKeySize + AesGcm::kTagSize;  // 118
static_assert(kHeaderSize == 58 && kFileSize == 118);

// Wrapped key material: u8 version ‖ AesGcm output (docs/formats.md, "Wrapped tenant keys").
constexpr std::uint8_t kWrapVersion = 0x01;

using internal::KeyFileMalformed;

// Counts UTF-8 code points: every byte that is not a continuation byte (10xxxxxx) starts one.
std::size_t CountCodePoints(const SecretBytes& text) {
  return static_cast<std::size_t>(
      std::count_if(text.span().begin(), text.span().end(),
                    [](std::uint8_t byte) { return (byte & 0xC0) != 0x80; }));
}

bool KdfParamsInBounds(std::uint64_t ops_limit, std::uint64_t mem_limit) {
  return ops_limit >= internal::kArgon2idOpsLimitMin && ops_limit <= kMaxKdfOpsLimit &&
         mem_limit >= internal::kArgon2idMemLimitMin && mem_limit <= kMaxKdfMemLimit;
}

// Builds the AesGcm that unwraps with the master key and wipes the temporary plaintext copy.
Result<std::unique_ptr<AesGcm>> AeadFromPlainKey(Bytes& plain_key) {
  SecretBytes key = SecretBytes::FromBytes(plain_key);
  OPENSSL_cleanse(plain_key.data(), plain_key.size());
  return AesGcm::Create(std::move(key));
}

}  // namespace

KdfParams KdfParams::Minimal() {
  return KdfParams{.ops_limit = internal::kArgon2idOpsLimitMin,
                   .mem_limit = internal::kArgon2idMemLimitMin};
}

Result<MasterKey> MasterKey::CreateKeyFile(const std::filesystem::path& path,
                                           const SecretBytes& passphrase, KdfParams params) {
  if (CountCodePoints(passphrase) < kMinPassphraseChars) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-010",
                     "パスフレーズが短すぎます。" + std::to_string(kMinPassphraseChars) +
                         "文字以上にしてください。",
                     "passphrase below the minimum length");
  }
  if (!KdfParamsInBounds(params.ops_limit, params.mem_limit)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-016",
                     "鍵導出の設定値が許容範囲外です。",
                     "KDF params out of bounds: ops=" + std::to_string(params.ops_limit) +
                         " mem=" + std::to_string(params.mem_limit));
  }
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes master_key, RandomSecret(kMasterKeySize));
  KOSEKI_ASSIGN_OR_RETURN(Bytes salt, RandomBytes(internal::kArgon2idSaltSize));
  KOSEKI_ASSIGN_OR_RETURN(Bytes key_id, RandomBytes(kKeyIdSize));

  Bytes file(kMagic.begin(), kMagic.end());
  file.push_back(kFileVersion);
  file.push_back(kKdfArgon2id13);
  internal::AppendU64Be(file, params.ops_limit);
  internal::AppendU64Be(file, params.mem_limit);
  internal::AppendBytes(file, salt);
  internal::AppendBytes(file, key_id);

  KOSEKI_ASSIGN_OR_RETURN(SecretBytes kek,
                          internal::DeriveArgon2id(passphrase, salt, params.ops_limit,
                                                   params.mem_limit, AesGcm::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> kek_aead, AesGcm::Create(std::move(kek)));
  // The whole header is associated data: changing the KDF params, salt or key id in the file
  // makes it fail to unseal instead of silently yielding another key.
  KOSEKI_ASSIGN_OR_RETURN(Bytes sealed, kek_aead->Encrypt(master_key.span(), file));
  internal::AppendBytes(file, sealed);

  KOSEKI_RETURN_IF_ERROR(internal::WriteNewPrivateFile(path, file));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> aead, AesGcm::Create(std::move(master_key)));
  return MasterKey(std::move(aead), HexEncode(key_id));
}

Result<MasterKey> MasterKey::Unseal(const std::filesystem::path& path,
                                    const SecretBytes& passphrase) {
  // Reading a little more than a key file lets the size check below report a wrong size.
  KOSEKI_ASSIGN_OR_RETURN(internal::FileContents contents,
                          internal::ReadSmallFile(path, kFileSize + 1));
  const ByteView file = contents.bytes;
  if (file.size() < kMagic.size() || !std::equal(kMagic.begin(), kMagic.end(), file.begin())) {
    return KeyFileMalformed("bad magic");
  }
  if (file.size() <= kOffsetKdf) return KeyFileMalformed("truncated header");
  if (file[kOffsetVersion] != kFileVersion) {
    return KeyFileMalformed("unsupported version " + std::to_string(file[kOffsetVersion]));
  }
  if (file[kOffsetKdf] != kKdfArgon2id13) {
    return KeyFileMalformed("unsupported KDF id " + std::to_string(file[kOffsetKdf]));
  }
  if (file.size() != kFileSize) {
    return KeyFileMalformed("size " + std::to_string(file.size()) + ", want " +
                            std::to_string(kFileSize));
  }
  const std::uint64_t ops_limit = internal::ReadU64Be(file, kOffsetOps);
  const std::uint64_t mem_limit = internal::ReadU64Be(file, kOffsetMem);
  if (!KdfParamsInBounds(ops_limit, mem_limit)) {
    return KeyFileMalformed("KDF params out of bounds: ops=" + std::to_string(ops_limit) +
                            " mem=" + std::to_string(mem_limit));
  }
  if ((contents.mode & 077U) != 0) {
    // Not fatal (the passphrase still protects the key), but an operator should fix it.
    log::Warn("crypto.key_file_mode_too_open", {{"mode", std::to_string(contents.mode)}});
  }

  const ByteView header = file.first(kHeaderSize);
  KOSEKI_ASSIGN_OR_RETURN(
      SecretBytes kek,
      internal::DeriveArgon2id(passphrase, file.subspan(kOffsetSalt, internal::kArgon2idSaltSize),
                               ops_limit, mem_limit, AesGcm::kKeySize));
  Result<Bytes> master_key = internal::AesGcmOpen(kek.span(), file.subspan(kHeaderSize), header);
  if (!master_key) {
    if (master_key.error().code != ErrorCode::kDataLoss) return std::move(master_key).error();
    // GCM cannot tell a wrong passphrase from a modified file; neither can we.
    return MakeError(ErrorCode::kUnauthenticated, "KSK-CRYPTO-011",
                     "パスフレーズが正しくないか、鍵ファイルが改ざんされています。",
                     "key file does not authenticate under the derived key");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> aead, AeadFromPlainKey(*master_key));
  return MasterKey(std::move(aead), HexEncode(file.subspan(kOffsetKeyId, kKeyIdSize)));
}

Result<Bytes> MasterKey::Wrap(const SecretBytes& plaintext, std::string_view context) const {
  Bytes associated_data{kWrapVersion};
  internal::AppendString(associated_data, context);
  Bytes out{kWrapVersion};
  KOSEKI_ASSIGN_OR_RETURN(Bytes sealed, aead_->Encrypt(plaintext.span(), associated_data));
  internal::AppendBytes(out, sealed);
  return out;
}

Result<SecretBytes> MasterKey::Unwrap(ByteView wrapped, std::string_view context) const {
  if (wrapped.empty() || wrapped[0] != kWrapVersion) {
    return internal::DecryptError("wrapped key: missing or unsupported version byte");
  }
  Bytes associated_data{kWrapVersion};
  internal::AppendString(associated_data, context);
  KOSEKI_ASSIGN_OR_RETURN(Bytes plain, aead_->Decrypt(wrapped.subspan(1), associated_data));
  SecretBytes secret = SecretBytes::FromBytes(plain);
  OPENSSL_cleanse(plain.data(), plain.size());
  return secret;
}

}  // namespace koseki::crypto
