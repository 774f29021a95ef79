#include "koseki/crypto/keyset.h"

#include <limits>
#include <string>

#include "koseki/crypto/internal/byte_io.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto {
namespace {

constexpr std::uint8_t kSerializedVersion = 0x01;
constexpr std::size_t kSerializedHeaderSize = 1 + 4 + 4;
constexpr std::size_t kSerializedEntrySize = 4 + AesGcm::kKeySize;
// A keyset gains one key per rotation; a million rotations is far beyond any real use, and the
// bound keeps a corrupt count from describing gigabytes.
constexpr std::uint32_t kMaxKeys = 1u << 20;

Error MalformedKeyset(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-CRYPTO-004", "暗号鍵データが破損しています。",
                   "keyset: " + std::move(detail));
}

Bytes Header(std::uint32_t key_id) {
  Bytes header;
  header.reserve(Keyset::kHeaderSize);
  header.push_back(Keyset::kFormatVersion);
  internal::AppendU32Be(header, key_id);
  return header;
}

// The associated data the inner AesGcm sees: the ciphertext header, then the caller's data.
Bytes InnerAssociatedData(ByteView header, ByteView associated_data) {
  Bytes inner(header.begin(), header.end());
  internal::AppendBytes(inner, associated_data);
  return inner;
}

}  // namespace

Result<Keyset> Keyset::Generate() {
  Keyset keyset;
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes key, RandomSecret(AesGcm::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> aead, AesGcm::Create(key.Copy()));
  keyset.raw_keys_.emplace(1, std::move(key));
  keyset.keys_.emplace(1, std::move(aead));
  keyset.primary_id_ = 1;
  return keyset;
}

Result<Keyset> Keyset::Parse(const SecretBytes& serialized) {
  const ByteView bytes = serialized.span();
  if (bytes.size() < kSerializedHeaderSize) {
    return MalformedKeyset("shorter than its header: " + std::to_string(bytes.size()));
  }
  if (bytes[0] != kSerializedVersion) {
    return MalformedKeyset("unsupported version " + std::to_string(bytes[0]));
  }
  const std::uint32_t primary_id = internal::ReadU32Be(bytes, 1);
  const std::uint32_t count = internal::ReadU32Be(bytes, 5);
  if (count == 0 || count > kMaxKeys) {
    return MalformedKeyset("implausible key count " + std::to_string(count));
  }
  if (bytes.size() != kSerializedHeaderSize + std::size_t{count} * kSerializedEntrySize) {
    return MalformedKeyset("length " + std::to_string(bytes.size()) + " does not match " +
                           std::to_string(count) + " keys");
  }
  Keyset keyset;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t offset = kSerializedHeaderSize + i * kSerializedEntrySize;
    const std::uint32_t id = internal::ReadU32Be(bytes, offset);
    if (id == 0) return MalformedKeyset("key id 0");
    if (keyset.raw_keys_.contains(id)) {
      return MalformedKeyset("duplicate key id " + std::to_string(id));
    }
    SecretBytes key = SecretBytes::FromBytes(bytes.subspan(offset + 4, AesGcm::kKeySize));
    KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> aead, AesGcm::Create(key.Copy()));
    keyset.raw_keys_.emplace(id, std::move(key));
    keyset.keys_.emplace(id, std::move(aead));
  }
  if (!keyset.keys_.contains(primary_id)) {
    return MalformedKeyset("primary key id " + std::to_string(primary_id) + " not in the set");
  }
  keyset.primary_id_ = primary_id;
  return keyset;
}

Result<std::uint32_t> Keyset::Rotate() {
  const std::uint32_t last_id = keys_.empty() ? 0 : keys_.rbegin()->first;
  if (last_id == std::numeric_limits<std::uint32_t>::max() || keys_.size() >= kMaxKeys) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-CRYPTO-005",
                     "これ以上暗号鍵を更新できません。",
                     "keyset has no free key id after " + std::to_string(last_id));
  }
  const std::uint32_t new_id = last_id + 1;
  // Everything that can fail happens before the keyset changes, so a failed Rotate leaves it
  // exactly as it was.
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes key, RandomSecret(AesGcm::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<AesGcm> aead, AesGcm::Create(key.Copy()));
  raw_keys_.emplace(new_id, std::move(key));
  keys_.emplace(new_id, std::move(aead));
  primary_id_ = new_id;
  return new_id;
}

SecretBytes Keyset::Serialize() const {
  SecretBytes out(kSerializedHeaderSize + raw_keys_.size() * kSerializedEntrySize);
  std::uint8_t* cursor = out.data();
  const auto put_u32 = [&cursor](std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
      *cursor++ = static_cast<std::uint8_t>(value >> shift);
  };
  *cursor++ = kSerializedVersion;
  put_u32(primary_id_);
  put_u32(static_cast<std::uint32_t>(raw_keys_.size()));
  // Written straight into the locked buffer: no unlocked temporary ever holds the keys.
  for (const auto& [id, key] : raw_keys_) {
    put_u32(id);
    std::copy(key.span().begin(), key.span().end(), cursor);
    cursor += key.size();
  }
  return out;
}

Result<Bytes> Keyset::Encrypt(ByteView plaintext, ByteView associated_data) const {
  const auto primary = keys_.find(primary_id_);
  if (primary == keys_.end()) {
    return internal::LibraryError("keyset has no primary key");
  }
  Bytes out = Header(primary_id_);
  KOSEKI_ASSIGN_OR_RETURN(
      Bytes sealed, primary->second->Encrypt(plaintext, InnerAssociatedData(out, associated_data)));
  internal::AppendBytes(out, sealed);
  return out;
}

Result<Bytes> Keyset::Decrypt(ByteView ciphertext, ByteView associated_data) const {
  if (ciphertext.size() < kHeaderSize) {
    return internal::DecryptError("keyset ciphertext shorter than its header: " +
                                  std::to_string(ciphertext.size()) + " bytes");
  }
  if (ciphertext[0] != kFormatVersion) {
    return internal::DecryptError("unsupported keyset ciphertext version " +
                                  std::to_string(ciphertext[0]));
  }
  const std::uint32_t key_id = internal::ReadU32Be(ciphertext, 1);
  const auto key = keys_.find(key_id);
  if (key == keys_.end()) {
    return internal::DecryptError("unknown key id " + std::to_string(key_id));
  }
  const ByteView header = ciphertext.first(kHeaderSize);
  return key->second->Decrypt(ciphertext.subspan(kHeaderSize),
                              InnerAssociatedData(header, associated_data));
}

}  // namespace koseki::crypto
