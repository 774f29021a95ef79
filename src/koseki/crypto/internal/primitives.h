// The raw primitives under the public crypto types: AES-256-GCM with a caller-chosen nonce,
// HMAC-SHA-256, and the OS CSPRNG. All OpenSSL calls of the module live behind these functions.
//
// Only the crypto module and its tests use this header. AesGcmSealWithNonce is exposed so that
// known-answer tests can fix the nonce; production code must never choose a nonce itself,
// because reusing a nonce under one key breaks GCM's confidentiality and integrity.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "koseki/base/result.h"

namespace koseki::crypto::internal {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::size_t kGcmKeySize = 32;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

// Returns nonce ‖ ciphertext ‖ tag. Fails (InvalidArgument) on a wrong key or nonce size and
// (Internal) if OpenSSL fails.
Result<Bytes> AesGcmSealWithNonce(ByteView key, ByteView nonce, ByteView plaintext,
                                  ByteView associated_data);

// Opens nonce ‖ ciphertext ‖ tag. Every failure of the input (too short, wrong tag) is DataLoss
// KSK-CRYPTO-002 and returns no plaintext at all.
Result<Bytes> AesGcmOpen(ByteView key, ByteView sealed, ByteView associated_data);

// Returns HMAC-SHA-256(key, concatenation of `parts`), 32 bytes. Taking the message in parts
// lets callers MAC a length-prefixed layout without assembling a copy of secret input.
Result<Bytes> HmacSha256(ByteView key, std::initializer_list<ByteView> parts);

// Fills `out` from the OS CSPRNG.
Result<void> FillRandom(std::span<std::uint8_t> out);

// The DataLoss error every failed decryption reports (the same one, whatever the cause, so an
// attacker learns nothing from which check failed; the detail is for the operator's log).
Error DecryptError(std::string detail);
// An unexpected failure inside OpenSSL or libsodium (allocation, missing provider).
Error LibraryError(std::string detail);
// The InvalidArgument error (KSK-CRYPTO-001) of a key (or nonce) of the wrong size.
Error KeySizeError(std::string detail);

}  // namespace koseki::crypto::internal
