#include "koseki/crypto/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <string>

#include "koseki/crypto/internal/openssl_handles.h"

namespace koseki::crypto {
namespace {

using internal::MdCtxPtr;

// The Internal error for an unexpected OpenSSL failure, with OpenSSL's error queue drained
// into the internal detail.
Error SignatureLibraryError(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "KSK-AUDIT-025",
                   "監査ログの署名処理で内部エラーが発生しました。",
                   internal::DrainOpenSslErrors(what));
}

}  // namespace

void Ed25519KeyDeleter::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

Result<SecretBytes> NewEd25519Seed() {
  SecretBytes seed(kEd25519SeedSize);
  if (RAND_priv_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
    return SignatureLibraryError("RAND_priv_bytes");
  }
  return seed;
}

Result<Ed25519KeyPtr> Ed25519PrivateKeyFromSeed(const SecretBytes& seed) {
  if (seed.size() != kEd25519SeedSize) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-024",
                     "監査ログの署名鍵の形式が正しくありません。",
                     "Ed25519 seed must be 32 bytes, got " + std::to_string(seed.size()));
  }
  Ed25519KeyPtr key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key) return SignatureLibraryError("EVP_PKEY_new_raw_private_key");
  return key;
}

Result<Ed25519PublicKey> Ed25519PublicKeyOf(EVP_PKEY* key) {
  Ed25519PublicKey out{};
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1 || length != out.size()) {
    return SignatureLibraryError("EVP_PKEY_get_raw_public_key");
  }
  return out;
}

Result<Ed25519Signature> Ed25519Sign(EVP_PKEY* key, std::span<const std::uint8_t> message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return SignatureLibraryError("EVP_MD_CTX_new");
  // Ed25519 is "pure": no digest is named, the whole message goes to the one-shot call.
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1) {
    return SignatureLibraryError("EVP_DigestSignInit");
  }
  Ed25519Signature out{};
  std::size_t length = out.size();
  if (EVP_DigestSign(ctx.get(), out.data(), &length, message.data(), message.size()) != 1 ||
      length != out.size()) {
    return SignatureLibraryError("EVP_DigestSign");
  }
  return out;
}

bool Ed25519Verify(const Ed25519PublicKey& public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature) {
  if (signature.size() != kEd25519SignatureSize) return false;
  Ed25519KeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = key && ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                   message.size()) == 1;
  // A failed verification leaves entries on OpenSSL's per-thread error queue; drop them so they
  // are not blamed on some later, unrelated call.
  ERR_clear_error();
  return ok;
}

}  // namespace koseki::crypto
