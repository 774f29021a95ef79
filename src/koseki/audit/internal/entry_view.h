// A parsed audit entry that borrows its text and detail from the encoded bytes, for readers
// that only need to check an entry (the verifier) and must not pay a heap allocation per field.
// Parsing applies exactly the rules of Entry::Parse — Entry::Parse is built on it — so an
// encoding parses here if and only if it parses there, with the same error.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "koseki/audit/entry.h"
#include "koseki/base/result.h"

namespace koseki::audit::internal {

// Views into the encoded bytes given to ParseEntryView; valid while those bytes are.
struct EntryView {
  std::uint8_t format = kEntryFormatVersion;
  std::string_view tenant;
  std::uint64_t index = 0;
  Timestamp time{};
  std::string_view user_id;
  std::string_view device_id;
  std::string_view address;
  std::string_view action;
  std::string_view object_id;
  std::string_view context_id;
  Outcome outcome = Outcome::kOk;
  std::string_view error_id;
  std::span<const std::uint8_t> encrypted_detail;
  // Format 2 only: the encoded row commitments (ParseWrites reads them), the MAC (empty if the
  // entry was recorded without the key) and the bytes it authenticates.
  std::uint32_t write_count = 0;
  std::span<const std::uint8_t> writes;
  std::span<const std::uint8_t> mac;
  std::span<const std::uint8_t> body;
};

// Returns the row commitments of a view ParseEntryView accepted.
std::vector<store::RowCommitment> ParseWrites(const EntryView& view);

// Parses and validates a canonical encoding. DataLoss KSK-AUDIT-011 as Entry::Parse.
Result<EntryView> ParseEntryView(std::span<const std::uint8_t> encoded);

}  // namespace koseki::audit::internal
