#include "koseki/crypto/aead.h"

#include <array>
#include <cstdlib>
#include <limits>
#include <string>

#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

constexpr std::string_view kAssociatedDataLabel = "koseki-ad-v1";

void AppendLengthPrefixed(Bytes& out, std::string_view part) {
  if (part.size() > std::numeric_limits<std::uint32_t>::max()) std::abort();
  internal::AppendU32Be(out, static_cast<std::uint32_t>(part.size()));
  internal::AppendString(out, part);
}

}  // namespace

Result<std::unique_ptr<AesGcm>> AesGcm::Create(SecretBytes key) {
  if (key.size() != kKeySize) {
    return internal::KeySizeError("AES-256-GCM key has " + std::to_string(key.size()) +
                                  " bytes, want 32");
  }
  return std::unique_ptr<AesGcm>(new AesGcm(std::move(key)));
}

Result<Bytes> AesGcm::Encrypt(ByteView plaintext, ByteView associated_data) const {
  std::array<std::uint8_t, kNonceSize> nonce{};
  KOSEKI_RETURN_IF_ERROR(internal::FillRandom(nonce));
  return internal::AesGcmSealWithNonce(key_.span(), nonce, plaintext, associated_data);
}

Result<Bytes> AesGcm::Decrypt(ByteView ciphertext, ByteView associated_data) const {
  return internal::AesGcmOpen(key_.span(), ciphertext, associated_data);
}

Result<SecretBytes> RandomSecret(std::size_t size) {
  SecretBytes secret(size);
  KOSEKI_RETURN_IF_ERROR(internal::FillRandom(secret.mutable_span()));
  return secret;
}

Result<Bytes> RandomBytes(std::size_t size) {
  Bytes bytes(size);
  KOSEKI_RETURN_IF_ERROR(internal::FillRandom(bytes));
  return bytes;
}

Bytes MakeAssociatedData(std::string_view tenant, std::string_view table, std::string_view row_id,
                         std::uint64_t version) {
  Bytes out;
  out.reserve(kAssociatedDataLabel.size() + 3 * 4 + tenant.size() + table.size() + row_id.size() +
              8);
  internal::AppendString(out, kAssociatedDataLabel);
  AppendLengthPrefixed(out, tenant);
  AppendLengthPrefixed(out, table);
  AppendLengthPrefixed(out, row_id);
  internal::AppendU64Be(out, version);
  return out;
}

}  // namespace koseki::crypto
