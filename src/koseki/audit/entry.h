// One audit log entry: who did what to which object, when, and with what outcome — as opaque
// ids only — which rows it wrote (store/row_commitment.h), and a MAC that only koseki can make.
// Its canonical encoding (version 2; version 1, without writes and MAC, is still read;
// documented byte by byte in docs/formats.md, "Audit log") is what the Merkle tree hashes, so
// Encode is deterministic and Parse accepts exactly the bytes Encode can produce.
//
// The MAC (HMAC-SHA-256 under the installation's audit entry key, sealed under the master key)
// is what stops someone with the database file but without the passphrase from adding or
// changing entries that no checkpoint covers yet: the audit log refuses to sign a checkpoint
// over an entry whose MAC does not verify. An entry without a MAC is one recorded without the
// key (a refused passphrase); it may only record a refusal or an error, never a write
// (docs/security.md says what an attacker can do to these).
//
// No personal datum may appear here in plaintext (SECURITY.md). The API makes that hard rather
// than merely discouraged: every text field is an opaque id restricted to ASCII letters, digits
// and `. _ : -` (no spaces, no '@', no kana or kanji, so no name, address or free text fits);
// actions are dotted lower-case words; error ids have the form KSK-AREA-NNN. Anything a detail
// needs beyond that goes, encrypted under the tenant key by the caller, into encrypted_detail,
// which this module treats as opaque bytes.
//
// Entries are immutable values; thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/crypto/message_mac.h"
#include "koseki/store/row_commitment.h"

namespace koseki::audit {

inline constexpr std::uint8_t kEntryFormatVersion = 0x02;   // written
inline constexpr std::uint8_t kEntryFormatVersion1 = 0x01;  // read: entries from before writes
inline constexpr std::size_t kMaxWrites = 4096;             // row commitments per entry
// The tenant value of the installation-wide log.
inline constexpr std::string_view kSystemTenant = "system";
inline constexpr std::size_t kMaxIdSize = 128;
inline constexpr std::size_t kMaxActionSize = 64;
inline constexpr std::size_t kMaxDetailSize = 64 * 1024;

enum class Outcome : std::uint8_t {
  kOk = 1,       // done
  kRefused = 2,  // not allowed or not valid (error_id says why)
  kError = 3,    // failed (error_id says how)
};

// Returns whether `id` is a non-empty opaque id as entries hold them (≤ 128 bytes of
// [A-Za-z0-9._:-]); e.g. to check a user-supplied id before putting it in an event.
bool IsOpaqueId(std::string_view id);

// Returns "ok", "refused" or "error".
std::string_view OutcomeName(Outcome outcome);

// Who acted. Empty fields mean "none" (a CLI action has no device; a refused connection may
// have no user).
struct Actor {
  std::string user_id;
  std::string device_id;
  std::string address;  // network address, e.g. "192.0.2.10" or "2001:db8::1"

  friend bool operator==(const Actor&, const Actor&) = default;
};

// What the caller records; the log adds tenant, index and time.
struct Event {
  Actor actor;
  std::string action;      // one of actions.h, e.g. actions::kCaseApprove; required
  std::string object_id;   // the object acted on (register, case, user…), opaque; may be empty
  std::string context_id;  // what it was done for, e.g. the case a register view served
  Outcome outcome = Outcome::kOk;
  std::string error_id;                        // empty for kOk; KSK-AREA-NNN otherwise
  std::vector<std::uint8_t> encrypted_detail;  // ciphertext under the tenant key, or empty

  friend bool operator==(const Event&, const Event&) = default;
};

// Microseconds since 1970-01-01T00:00:00Z.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

class Entry {
 public:
  // Validates and builds an entry (without a MAC). InvalidArgument KSK-AUDIT-010 naming the bad
  // field (never its value) if any field breaks the rules in the header comment, the time is
  // before 1970, or a write is malformed, names another tenant in a tenant's log, or there are
  // more than kMaxWrites.
  static Result<Entry> Create(std::string_view tenant, std::uint64_t index, Timestamp time,
                              Event event, std::vector<store::RowCommitment> writes = {});
  // Parses a canonical encoding. DataLoss KSK-AUDIT-011 on any deviation: unknown version,
  // truncation, trailing bytes, a length past the end, an invalid field.
  static Result<Entry> Parse(std::span<const std::uint8_t> encoded);

  // Returns the canonical encoding (the Merkle leaf input).
  std::vector<std::uint8_t> Encode() const;

  // Returns this entry with its MAC under `key`.
  Entry Sealed(const crypto::MessageMac& key) const;
  // Returns whether the entry carries a MAC that verifies under `key`.
  bool MacValid(const crypto::MessageMac& key) const;
  bool keyed() const { return !mac_.empty(); }
  std::uint8_t format() const { return format_; }
  const std::vector<store::RowCommitment>& writes() const { return writes_; }

  const std::string& tenant() const { return tenant_; }
  std::uint64_t index() const { return index_; }
  Timestamp time() const { return time_; }
  const Event& event() const { return event_; }

  friend bool operator==(const Entry&, const Entry&) = default;

 private:
  Entry(std::uint8_t format, std::string tenant, std::uint64_t index, Timestamp time, Event event,
        std::vector<store::RowCommitment> writes, std::vector<std::uint8_t> mac)
      : format_(format),
        tenant_(std::move(tenant)),
        index_(index),
        time_(time),
        event_(std::move(event)),
        writes_(std::move(writes)),
        mac_(std::move(mac)) {}

  // The encoding up to the MAC: what the MAC authenticates.
  std::vector<std::uint8_t> EncodeBody() const;

  std::uint8_t format_ = kEntryFormatVersion;
  std::string tenant_;
  std::uint64_t index_ = 0;
  Timestamp time_{};
  Event event_;
  std::vector<store::RowCommitment> writes_;
  std::vector<std::uint8_t> mac_;  // empty, or crypto::MessageMac::kTagSize bytes
};

}  // namespace koseki::audit
