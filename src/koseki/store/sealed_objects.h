// SealedObjects: a tenant's small versioned objects (users, devices, device CAs, …) and the
// server's sessions, encrypted at rest under the tenant's AEAD and bound to their place.
//
// The server keeps more than registers: who may sign in, which client certificates belong to
// which device, who is signed in right now. Those records hold personal data too (a clerk's
// name, a password hash), so they get the registers' protection (SECURITY.md): only opaque keys
// and times are plaintext at rest; the rest is ciphertext whose associated data names its place
// (docs/formats.md, "Sealed objects and sessions"):
//   object version: crypto::MakeAssociatedData(tenant, "object_versions",
//                                               kind + "/" + object_id, version)
//   session:        crypto::MakeAssociatedData(tenant, "sessions", hex(token_hash),
//                                               expires_at as u64)
// A ciphertext copied to another object, kind, version, token or tenant, or a session row
// whose expiry was moved, fails to authenticate: DataLoss (KSK-STORE-033), never a silent
// substitution. ("/" cannot occur in a kind or an id, so the row id is unambiguous.)
//
// Objects are append-only with optimistic concurrency, like registers: Put writes version
// expected_version + 1 and fails with Aborted (KSK-STORE-031) if another writer got there
// first; the caller reads again and retries or reports. Sessions are mutable (backend.h): a
// session is replaced on every change and deleted at logout or expiry.
//
// Thread-safe if the backend and the TenantCrypto are (they are in production). Holds
// references only: the backend, crypto and clock must outlive this object. Returned
// plaintexts may hold personal data; callers wipe them when done (WipeBytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/crypto/aead.h"
#include "koseki/store/backend.h"
#include "koseki/store/tenant_crypto.h"

namespace koseki::store {

// The table names bound into the associated data of objects and sessions.
inline constexpr std::string_view kObjectVersionsTable = "object_versions";
inline constexpr std::string_view kSessionsTable = "sessions";

struct OpenedObject {
  std::string object_id;
  std::uint64_t version = 0;
  std::int64_t created_at = 0;  // Unix microseconds, when this version was written
  Bytes plaintext;
};

class SealedObjects {
 public:
  // A session as GetSession returns it: the tenant it belongs to and its plaintext.
  using TenantAndPlaintext = std::pair<std::string, Bytes>;

  SealedObjects(Backend& backend, TenantCrypto& crypto, const Clock& clock)
      : backend_(backend), crypto_(crypto), clock_(clock) {}
  SealedObjects(const SealedObjects&) = delete;
  SealedObjects& operator=(const SealedObjects&) = delete;

  // Seals `plaintext` as version expected_version + 1 of (tenant, kind, object_id)
  // (expected_version 0 creates the object) and returns that version. Aborted (KSK-STORE-031)
  // if the head is not expected_version (nothing written); InvalidArgument for a malformed
  // tenant code (KSK-STORE-019), kind or id (KSK-STORE-032); NotFound (KSK-STORE-013) for an
  // unknown tenant.
  Result<std::uint64_t> Put(std::string_view tenant, std::string_view kind,
                            std::string_view object_id, std::uint64_t expected_version,
                            crypto::ByteView plaintext);
  // Returns the object's head version opened, nullopt if the object does not exist. DataLoss
  // (KSK-STORE-033) if the stored ciphertext does not authenticate in this place.
  Result<std::optional<OpenedObject>> Get(std::string_view tenant, std::string_view kind,
                                          std::string_view object_id);
  // Returns every object of the kind at its head version, opened, ordered by id. DataLoss
  // (KSK-STORE-033) if any of them does not authenticate (none is skipped silently).
  Result<std::vector<OpenedObject>> List(std::string_view tenant, std::string_view kind);

  // Seals `plaintext` as the session keyed by `token_hash` (the SHA-256 of the session token,
  // kSessionTokenHashSize bytes, else InvalidArgument KSK-STORE-028), inserting or replacing
  // it. `expires_at` is Unix microseconds; it is stored in clear (for DeleteExpiredSessions)
  // and bound into the associated data.
  Result<void> PutSession(std::string_view tenant, crypto::ByteView token_hash,
                          crypto::ByteView plaintext, std::int64_t expires_at);
  // Returns the session's tenant and plaintext; nullopt if there is none or it has expired
  // (expires_at <= now). DataLoss (KSK-STORE-033) if it does not authenticate.
  Result<std::optional<TenantAndPlaintext>> GetSession(crypto::ByteView token_hash);
  // Deletes the session; no error if there is none.
  Result<void> DeleteSession(crypto::ByteView token_hash);
  // Deletes every session expired at the clock's now and returns how many.
  Result<std::uint64_t> DeleteExpiredSessions();

 private:
  Backend& backend_;
  TenantCrypto& crypto_;
  const Clock& clock_;
};

}  // namespace koseki::store
