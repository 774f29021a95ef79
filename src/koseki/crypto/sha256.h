// SHA-256 (FIPS 180-4): the one unkeyed hash koseki uses, for the audit log's Merkle leaves and
// nodes, key ids and checkpoints.
//
// Hashing must not fail in the middle of an append or a verification, and a Result on every
// node hash would make the Merkle code unreadable, so Sha256 returns the digest directly. It
// runs on a per-thread reusable OpenSSL context with a digest implementation fetched once (an
// implicit fetch per call costs more than hashing a 65-byte node). If OpenSSL cannot hash at
// all (allocation failure, no default provider) the process aborts: a log with wrong hashes
// would be worse than a crash. Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace koseki::crypto {

inline constexpr std::size_t kSha256DigestSize = 32;

using Sha256Digest = std::array<std::uint8_t, kSha256DigestSize>;

// Returns SHA-256 of the concatenation of `parts`, without assembling the concatenation.
Sha256Digest Sha256(std::initializer_list<std::span<const std::uint8_t>> parts);

}  // namespace koseki::crypto
