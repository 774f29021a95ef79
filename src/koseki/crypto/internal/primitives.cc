#include "koseki/crypto/internal/primitives.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <string>

#include "koseki/crypto/internal/openssl_handles.h"

namespace koseki::crypto::internal {
namespace {

// EVP lengths are `int`; longer inputs are fed in pieces of this size.
constexpr std::size_t kMaxChunk = std::size_t{1} << 30;

// Calls `step(pointer, length)` for consecutive pieces of `bytes`; stops at the first failure.
// Empty input makes no call at all (EVP update functions need not accept empty buffers).
template <typename Step>
bool ForEachChunk(ByteView bytes, Step step) {
  for (std::size_t offset = 0; offset < bytes.size(); offset += kMaxChunk) {
    const std::size_t length = std::min(kMaxChunk, bytes.size() - offset);
    if (!step(bytes.data() + offset, static_cast<int>(length))) return false;
  }
  return true;
}

}  // namespace

Error DecryptError(std::string detail) {
  ERR_clear_error();
  return MakeError(ErrorCode::kDataLoss, "KSK-CRYPTO-002",
                   "暗号化されたデータを復号できません。データが破損しているか、"
                   "改ざんされている可能性があります。",
                   std::move(detail));
}

Error LibraryError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "KSK-CRYPTO-003", "暗号処理で内部エラーが発生しました。",
                   DrainOpenSslErrors(detail));
}

Error KeySizeError(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CRYPTO-001",
                   "暗号鍵の形式が正しくありません。", std::move(detail));
}

Result<Bytes> AesGcmSealWithNonce(ByteView key, ByteView nonce, ByteView plaintext,
                                  ByteView associated_data) {
  if (key.size() != kGcmKeySize || nonce.size() != kGcmNonceSize) {
    return KeySizeError("AES-256-GCM needs a 32-byte key and a 12-byte nonce");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return LibraryError("EVP_CIPHER_CTX_new");
  // The default GCM IV length is 12 bytes, which is the nonce size we use.
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
    return LibraryError("EVP_EncryptInit_ex");
  }
  int unused = 0;
  if (!ForEachChunk(associated_data, [&](const std::uint8_t* data, int length) {
        return EVP_EncryptUpdate(ctx.get(), nullptr, &unused, data, length) == 1;
      })) {
    return LibraryError("EVP_EncryptUpdate (associated data)");
  }

  Bytes out(kGcmNonceSize + plaintext.size() + kGcmTagSize);
  std::copy(nonce.begin(), nonce.end(), out.begin());
  std::uint8_t* cursor = out.data() + kGcmNonceSize;
  if (!ForEachChunk(plaintext, [&](const std::uint8_t* data, int length) {
        int written = 0;
        if (EVP_EncryptUpdate(ctx.get(), cursor, &written, data, length) != 1) return false;
        cursor += written;
        return true;
      })) {
    return LibraryError("EVP_EncryptUpdate");
  }
  int written = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), cursor, &written) != 1) {
    return LibraryError("EVP_EncryptFinal_ex");
  }
  cursor += written;
  if (cursor != out.data() + kGcmNonceSize + plaintext.size()) {
    return LibraryError("AES-GCM produced an unexpected ciphertext length");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kGcmTagSize),
                          cursor) != 1) {
    return LibraryError("EVP_CTRL_AEAD_GET_TAG");
  }
  return out;
}

Result<Bytes> AesGcmOpen(ByteView key, ByteView sealed, ByteView associated_data) {
  if (key.size() != kGcmKeySize) {
    return KeySizeError("AES-256-GCM needs a 32-byte key");
  }
  if (sealed.size() < kGcmNonceSize + kGcmTagSize) {
    return DecryptError("ciphertext shorter than nonce and tag: " + std::to_string(sealed.size()) +
                        " bytes");
  }
  const ByteView nonce = sealed.first(kGcmNonceSize);
  const ByteView ciphertext =
      sealed.subspan(kGcmNonceSize, sealed.size() - kGcmNonceSize - kGcmTagSize);
  // EVP_CTRL_AEAD_SET_TAG takes a non-const pointer, so the tag is copied out.
  std::array<std::uint8_t, kGcmTagSize> tag{};
  std::copy(sealed.end() - kGcmTagSize, sealed.end(), tag.begin());

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return LibraryError("EVP_CIPHER_CTX_new");
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
    return LibraryError("EVP_DecryptInit_ex");
  }
  int unused = 0;
  if (!ForEachChunk(associated_data, [&](const std::uint8_t* data, int length) {
        return EVP_DecryptUpdate(ctx.get(), nullptr, &unused, data, length) == 1;
      })) {
    return LibraryError("EVP_DecryptUpdate (associated data)");
  }
  Bytes plaintext(ciphertext.size());
  std::uint8_t* cursor = plaintext.data();
  const bool updated = ForEachChunk(ciphertext, [&](const std::uint8_t* data, int length) {
    int written = 0;
    if (EVP_DecryptUpdate(ctx.get(), cursor, &written, data, length) != 1) return false;
    cursor += written;
    return true;
  });
  if (!updated) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return LibraryError("EVP_DecryptUpdate");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return LibraryError("EVP_CTRL_AEAD_SET_TAG");
  }
  int written = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), cursor, &written) != 1) {
    // Unauthenticated plaintext is wiped, never returned, not even in part.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return DecryptError("authentication tag mismatch");
  }
  return plaintext;
}

Result<Bytes> HmacSha256(ByteView key, std::initializer_list<ByteView> parts) {
  if (key.empty()) {
    return KeySizeError("HMAC key is empty");
  }
  MacPtr mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
  if (!mac) return LibraryError("EVP_MAC_fetch(HMAC)");
  MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return LibraryError("EVP_MAC_CTX_new");
  char digest[] = "SHA256";
  const std::array<OSSL_PARAM, 2> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params.data()) != 1) {
    return LibraryError("EVP_MAC_init");
  }
  for (ByteView part : parts) {
    if (part.empty()) continue;
    if (EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) {
      return LibraryError("EVP_MAC_update");
    }
  }
  Bytes out(32);
  std::size_t length = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size()) {
    return LibraryError("EVP_MAC_final");
  }
  return out;
}

Result<void> FillRandom(std::span<std::uint8_t> out) {
  for (std::size_t offset = 0; offset < out.size(); offset += kMaxChunk) {
    const std::size_t length = std::min(kMaxChunk, out.size() - offset);
    if (RAND_bytes(out.data() + offset, static_cast<int>(length)) != 1) {
      return LibraryError("RAND_bytes");
    }
  }
  return Ok();
}

}  // namespace koseki::crypto::internal
