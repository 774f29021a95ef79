// One audit log entry: who did what to which object, when, and with what outcome — as opaque
// ids only. Its canonical encoding (version 1, documented byte by byte in docs/formats.md,
// "Audit log") is what the Merkle tree hashes, so Encode is deterministic and Parse accepts
// exactly the bytes Encode can produce.
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

namespace koseki::audit {

inline constexpr std::uint8_t kEntryFormatVersion = 0x01;
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
  // Validates and builds an entry. InvalidArgument KSK-AUDIT-010 naming the bad field (never
  // its value) if any field breaks the rules in the header comment, or the time is before 1970.
  static Result<Entry> Create(std::string_view tenant, std::uint64_t index, Timestamp time,
                              Event event);
  // Parses a canonical encoding. DataLoss KSK-AUDIT-011 on any deviation: unknown version,
  // truncation, trailing bytes, a length past the end, an invalid field.
  static Result<Entry> Parse(std::span<const std::uint8_t> encoded);

  // Returns the canonical encoding (the Merkle leaf input).
  std::vector<std::uint8_t> Encode() const;

  const std::string& tenant() const { return tenant_; }
  std::uint64_t index() const { return index_; }
  Timestamp time() const { return time_; }
  const Event& event() const { return event_; }

  friend bool operator==(const Entry&, const Entry&) = default;

 private:
  Entry(std::string tenant, std::uint64_t index, Timestamp time, Event event)
      : tenant_(std::move(tenant)), index_(index), time_(time), event_(std::move(event)) {}

  std::string tenant_;
  std::uint64_t index_ = 0;
  Timestamp time_{};
  Event event_;
};

}  // namespace koseki::audit
