// SHA-256 for the audit module: the one hash every leaf, node, key id and checkpoint uses.
//
// Hashing must not fail in the middle of an append or a verification, and a Result on every
// node hash would make the Merkle code unreadable, so these functions return the digest
// directly. They run on a per-thread reusable OpenSSL context with a digest implementation
// fetched once (an implicit fetch per call costs more than hashing a 65-byte node). If OpenSSL
// cannot hash at all (allocation failure, no default provider) the process aborts: a log with
// wrong hashes would be worse than a crash. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace koseki::audit::internal {

using Digest = std::array<std::uint8_t, 32>;

// Returns SHA-256 of the concatenation of `parts`, without assembling the concatenation.
Digest Sha256(std::initializer_list<std::span<const std::uint8_t>> parts);

}  // namespace koseki::audit::internal
