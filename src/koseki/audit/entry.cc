#include "koseki/audit/entry.h"

#include <algorithm>
#include <array>
#include <limits>

#include "koseki/audit/internal/entry_view.h"

namespace koseki::audit {
namespace {

using Bytes = std::vector<std::uint8_t>;

Error InvalidField(std::string_view field, std::string_view rule) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-010",
                   "監査ログの記録内容が正しくありません。",
                   "field " + std::string(field) + ": " + std::string(rule));
}

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-011",
                   "監査ログの記録が破損しているか、改ざんされている可能性があります。",
                   std::move(detail));
}

// Character classes as one table, looked up once per byte without a branch: the verifier
// validates every stored entry, and a chain of range tests per character cost more than
// hashing the entry. (Vectorized range tests lose on ids this short.)
enum CharClass : std::uint8_t {
  kIdChar = 1,    // [A-Za-z0-9._:-]: opaque ids
  kWordChar = 2,  // [a-z0-9_]: the words of an action
};
constexpr std::array<std::uint8_t, 256> kCharClasses = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    if (lower || digit || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == ':' || c == '-') {
      table[c] |= kIdChar;
    }
    if (lower || digit || c == '_') table[c] |= kWordChar;
  }
  return table;
}();

bool AllOfClass(std::string_view text, CharClass wanted) {
  bool all = true;
  for (char c : text) all &= (kCharClasses[static_cast<unsigned char>(c)] & wanted) != 0;
  return all;
}

// An opaque id: ASCII letters, digits and ". _ : -" only, at most kMaxIdSize bytes.
Result<void> CheckId(std::string_view field, std::string_view value, bool required) {
  if (value.empty()) {
    if (required) return InvalidField(field, "required");
    return Ok();
  }
  if (value.size() > kMaxIdSize) return InvalidField(field, "longer than 128 bytes");
  if (!AllOfClass(value, kIdChar)) return InvalidField(field, "only [A-Za-z0-9._:-] allowed");
  return Ok();
}

bool IsLowerWord(std::string_view word) {
  if (word.empty() || word[0] < 'a' || word[0] > 'z') return false;
  return AllOfClass(word, kWordChar);
}

// An action: two or more dot-separated words [a-z][a-z0-9_]*, at most kMaxActionSize bytes.
Result<void> CheckAction(std::string_view action) {
  if (action.empty() || action.size() > kMaxActionSize) {
    return InvalidField("action", "1 to 64 bytes");
  }
  std::size_t words = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = action.find('.', start);
    const std::string_view word =
        action.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsLowerWord(word)) return InvalidField("action", "words [a-z][a-z0-9_]* joined by '.'");
    ++words;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (words < 2) return InvalidField("action", "needs at least two words, e.g. case.approve");
  return Ok();
}

// An error id: "KSK-" AREA "-" three digits, AREA being [A-Z0-9]+.
Result<void> CheckErrorId(std::string_view id) {
  constexpr std::string_view kPrefix = "KSK-";
  if (id.size() > kMaxIdSize || id.size() < kPrefix.size() + 1 + 4 ||
      id.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidField("error_id", "form KSK-AREA-NNN");
  }
  const std::string_view digits = id.substr(id.size() - 3);
  const std::string_view area = id.substr(kPrefix.size(), id.size() - kPrefix.size() - 4);
  if (id[id.size() - 4] != '-' || area.empty())
    return InvalidField("error_id", "form KSK-AREA-NNN");
  for (char c : area) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return InvalidField("error_id", "form KSK-AREA-NNN");
    }
  }
  for (char c : digits) {
    if (c < '0' || c > '9') return InvalidField("error_id", "form KSK-AREA-NNN");
  }
  return Ok();
}

// The fields Validate checks, as views, so that parsed entries can be checked in place.
struct Fields {
  std::string_view user_id;
  std::string_view device_id;
  std::string_view address;
  std::string_view action;
  std::string_view object_id;
  std::string_view context_id;
  Outcome outcome = Outcome::kOk;
  std::string_view error_id;
  std::size_t detail_size = 0;
};

// The rules of CheckId, CheckAction and CheckErrorId as plain predicates: Validate runs these
// first and builds a Result (and its message) only for an invalid entry, since the verifier
// validates every stored entry.
bool IdValid(std::string_view value, bool required) {
  if (value.empty()) return !required;
  return value.size() <= kMaxIdSize && AllOfClass(value, kIdChar);
}

bool ActionValid(std::string_view action) {
  if (action.empty() || action.size() > kMaxActionSize) return false;
  std::size_t words = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = action.find('.', start);
    const std::string_view word =
        action.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsLowerWord(word)) return false;
    ++words;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return words >= 2;
}

bool ErrorIdValid(std::string_view id) {
  constexpr std::string_view kPrefix = "KSK-";
  if (id.size() > kMaxIdSize || id.size() < kPrefix.size() + 1 + 4 ||
      id.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  const std::string_view digits = id.substr(id.size() - 3);
  const std::string_view area = id.substr(kPrefix.size(), id.size() - kPrefix.size() - 4);
  if (id[id.size() - 4] != '-' || area.empty()) return false;
  for (char c : area) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Whether Validate accepts these fields; the same rules in the same order.
bool FieldsValid(std::string_view tenant, Timestamp time, const Fields& event) {
  if (!IdValid(tenant, /*required=*/true)) return false;
  if (time.time_since_epoch().count() < 0) return false;
  if (!IdValid(event.user_id, false) || !IdValid(event.device_id, false) ||
      !IdValid(event.address, false) || !ActionValid(event.action) ||
      !IdValid(event.object_id, false) || !IdValid(event.context_id, false)) {
    return false;
  }
  switch (event.outcome) {
    case Outcome::kOk:
      if (!event.error_id.empty()) return false;
      break;
    case Outcome::kRefused:
    case Outcome::kError:
      if (!ErrorIdValid(event.error_id)) return false;
      break;
    default:
      return false;
  }
  return event.detail_size <= kMaxDetailSize;
}

Result<void> Validate(std::string_view tenant, Timestamp time, const Fields& event) {
  if (FieldsValid(tenant, time, event)) return Ok();
  // Invalid: the checks below name the first bad field.
  KOSEKI_RETURN_IF_ERROR(CheckId("tenant", tenant, /*required=*/true));
  if (time.time_since_epoch().count() < 0) return InvalidField("time", "before 1970");
  KOSEKI_RETURN_IF_ERROR(CheckId("actor.user_id", event.user_id, false));
  KOSEKI_RETURN_IF_ERROR(CheckId("actor.device_id", event.device_id, false));
  KOSEKI_RETURN_IF_ERROR(CheckId("actor.address", event.address, false));
  KOSEKI_RETURN_IF_ERROR(CheckAction(event.action));
  KOSEKI_RETURN_IF_ERROR(CheckId("object_id", event.object_id, false));
  KOSEKI_RETURN_IF_ERROR(CheckId("context_id", event.context_id, false));
  switch (event.outcome) {
    case Outcome::kOk:
      if (!event.error_id.empty()) return InvalidField("error_id", "must be empty when ok");
      break;
    case Outcome::kRefused:
    case Outcome::kError:
      KOSEKI_RETURN_IF_ERROR(CheckErrorId(event.error_id));
      break;
    default:
      return InvalidField("outcome", "unknown value");
  }
  if (event.detail_size > kMaxDetailSize) {
    return InvalidField("encrypted_detail", "larger than 65536 bytes");
  }
  // Unreachable while FieldsValid states the same rules; refuse rather than accept if not.
  return InvalidField("entry", "rejected by the field rules");
}

Result<void> Validate(std::string_view tenant, Timestamp time, const Event& event) {
  return Validate(tenant, time,
                  Fields{event.actor.user_id, event.actor.device_id, event.actor.address,
                         event.action, event.object_id, event.context_id, event.outcome,
                         event.error_id, event.encrypted_detail.size()});
}

void PutU16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
void PutU32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutU64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutShort(Bytes& out, std::string_view text) {
  PutU16(out, static_cast<std::uint16_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

// Reads big-endian fields from the front of a byte span; any overrun sets failed().
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool failed() const { return failed_; }
  bool at_end() const { return bytes_.empty(); }
  std::size_t remaining() const { return bytes_.size(); }

  std::uint64_t Uint(std::size_t size) {
    if (!Have(size)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < size; ++i) v = (v << 8) | bytes_[i];
    bytes_ = bytes_.subspan(size);
    return v;
  }
  std::span<const std::uint8_t> Take(std::size_t size) {
    if (!Have(size)) return {};
    auto out = bytes_.first(size);
    bytes_ = bytes_.subspan(size);
    return out;
  }
  std::string_view ShortString() {
    const auto length = static_cast<std::size_t>(Uint(2));
    auto bytes = Take(length);
    return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

 private:
  bool Have(std::size_t size) {
    if (failed_ || bytes_.size() < size) {
      failed_ = true;
      return false;
    }
    return true;
  }
  std::span<const std::uint8_t> bytes_;
  bool failed_ = false;
};

// What the MAC of an entry authenticates: this tag, then the entry's bytes up to the MAC.
constexpr std::string_view kMacTag = "koseki audit entry mac v1";
std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// A row commitment an entry may carry: a logged table (not the head pseudo-row), an opaque
// tenant (the entry's own, unless the entry is in the system log, which records tenants'
// creation), an opaque or empty key.
bool WriteValid(std::string_view entry_tenant, std::uint64_t table, std::string_view tenant,
                std::string_view key) {
  if (table < 1 || table >= static_cast<std::uint64_t>(store::RowTable::kRegisterHead)) {
    return false;
  }
  if (!IdValid(tenant, /*required=*/true) || !IdValid(key, /*required=*/false)) return false;
  return entry_tenant == kSystemTenant || tenant == entry_tenant;
}

void PutWrite(Bytes& out, const store::RowCommitment& write) {
  out.push_back(static_cast<std::uint8_t>(write.table));
  PutShort(out, write.tenant_code);
  PutShort(out, write.key);
  PutU64(out, write.number);
  out.insert(out.end(), write.digest.begin(), write.digest.end());
}

}  // namespace

bool IsOpaqueId(std::string_view id) {
  return !id.empty() && static_cast<bool>(CheckId("id", id, /*required=*/true));
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kError:
      return "error";
  }
  return "unknown";
}

Result<Entry> Entry::Create(std::string_view tenant, std::uint64_t index, Timestamp time,
                            Event event, std::vector<store::RowCommitment> writes) {
  KOSEKI_RETURN_IF_ERROR(Validate(tenant, time, event));
  if (writes.size() > kMaxWrites) return InvalidField("writes", "more than 4096");
  for (const store::RowCommitment& write : writes) {
    if (!WriteValid(tenant, static_cast<std::uint64_t>(write.table), write.tenant_code,
                    write.key)) {
      return InvalidField("writes", "table, tenant or key not allowed");
    }
  }
  return Entry(kEntryFormatVersion, std::string(tenant), index, time, std::move(event),
               std::move(writes), {});
}

Entry Entry::Sealed(const crypto::MessageMac& key) const {
  Entry sealed = *this;
  const Bytes body = EncodeBody();
  const crypto::MessageMac::Tag tag = key.Compute({AsBytes(kMacTag), body});
  sealed.mac_.assign(tag.begin(), tag.end());
  return sealed;
}

bool Entry::MacValid(const crypto::MessageMac& key) const {
  if (mac_.empty()) return false;
  const Bytes body = EncodeBody();
  return key.Verify({AsBytes(kMacTag), body}, mac_);
}

std::vector<std::uint8_t> Entry::Encode() const {
  Bytes out = EncodeBody();
  if (format_ == kEntryFormatVersion1) return out;
  out.push_back(static_cast<std::uint8_t>(mac_.size()));
  out.insert(out.end(), mac_.begin(), mac_.end());
  return out;
}

std::vector<std::uint8_t> Entry::EncodeBody() const {
  Bytes out;
  out.reserve(18 + 8 * 2 + tenant_.size() + event_.actor.user_id.size() +
              event_.actor.device_id.size() + event_.actor.address.size() + event_.action.size() +
              event_.object_id.size() + event_.context_id.size() + event_.error_id.size() + 4 +
              event_.encrypted_detail.size());
  out.push_back(format_);
  PutU64(out, index_);
  PutU64(out, static_cast<std::uint64_t>(time_.time_since_epoch().count()));
  out.push_back(static_cast<std::uint8_t>(event_.outcome));
  PutShort(out, tenant_);
  PutShort(out, event_.actor.user_id);
  PutShort(out, event_.actor.device_id);
  PutShort(out, event_.actor.address);
  PutShort(out, event_.action);
  PutShort(out, event_.object_id);
  PutShort(out, event_.context_id);
  PutShort(out, event_.error_id);
  PutU32(out, static_cast<std::uint32_t>(event_.encrypted_detail.size()));
  out.insert(out.end(), event_.encrypted_detail.begin(), event_.encrypted_detail.end());
  if (format_ == kEntryFormatVersion1) return out;
  PutU32(out, static_cast<std::uint32_t>(writes_.size()));
  for (const store::RowCommitment& write : writes_) PutWrite(out, write);
  return out;
}

Result<Entry> Entry::Parse(std::span<const std::uint8_t> encoded) {
  KOSEKI_ASSIGN_OR_RETURN(const internal::EntryView view, internal::ParseEntryView(encoded));
  Event event;
  event.actor.user_id = view.user_id;
  event.actor.device_id = view.device_id;
  event.actor.address = view.address;
  event.action = view.action;
  event.object_id = view.object_id;
  event.context_id = view.context_id;
  event.outcome = view.outcome;
  event.error_id = view.error_id;
  event.encrypted_detail.assign(view.encrypted_detail.begin(), view.encrypted_detail.end());
  return Entry(view.format, std::string(view.tenant), view.index, view.time, std::move(event),
               internal::ParseWrites(view), Bytes(view.mac.begin(), view.mac.end()));
}

}  // namespace koseki::audit

namespace koseki::audit::internal {

Result<EntryView> ParseEntryView(std::span<const std::uint8_t> encoded) {
  Reader reader(encoded);
  const auto version = reader.Uint(1);
  if (reader.failed()) return Malformed("empty entry");
  if (version != kEntryFormatVersion && version != kEntryFormatVersion1) {
    return Malformed("unknown entry format version " + std::to_string(version));
  }
  EntryView view;
  view.format = static_cast<std::uint8_t>(version);
  view.index = reader.Uint(8);
  const std::uint64_t micros = reader.Uint(8);
  const auto outcome = reader.Uint(1);
  view.tenant = reader.ShortString();
  view.user_id = reader.ShortString();
  view.device_id = reader.ShortString();
  view.address = reader.ShortString();
  view.action = reader.ShortString();
  view.object_id = reader.ShortString();
  view.context_id = reader.ShortString();
  view.error_id = reader.ShortString();
  const auto detail_size = static_cast<std::size_t>(reader.Uint(4));
  if (!reader.failed() && detail_size > kMaxDetailSize) return Malformed("detail too large");
  view.encrypted_detail = reader.Take(detail_size);
  if (version == kEntryFormatVersion) {
    const auto count = reader.Uint(4);
    if (!reader.failed() && count > kMaxWrites) return Malformed("too many writes");
    view.write_count = static_cast<std::uint32_t>(count);
    const std::size_t writes_start = encoded.size() - reader.remaining();
    for (std::uint64_t i = 0; i < count && !reader.failed(); ++i) {
      const auto table = reader.Uint(1);
      const std::string_view write_tenant = reader.ShortString();
      const std::string_view key = reader.ShortString();
      reader.Take(8 + store::RowDigest().size());
      if (!reader.failed() && !WriteValid(view.tenant, table, write_tenant, key)) {
        return Malformed("invalid write " + std::to_string(i));
      }
    }
    const std::size_t body_end = encoded.size() - reader.remaining();
    const auto mac_size = reader.Uint(1);
    if (!reader.failed() && mac_size != 0 && mac_size != crypto::MessageMac::kTagSize) {
      return Malformed("MAC of " + std::to_string(mac_size) + " bytes");
    }
    view.mac = reader.Take(static_cast<std::size_t>(mac_size));
    if (!reader.failed()) {
      view.writes = encoded.subspan(writes_start, body_end - writes_start);
      view.body = encoded.first(body_end);
    }
  }
  if (reader.failed()) return Malformed("entry truncated or a length runs past the end");
  if (!reader.at_end()) return Malformed("trailing bytes after the entry");
  if (micros > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Malformed("time out of range");
  }
  if (outcome < 1 || outcome > 3) return Malformed("unknown outcome " + std::to_string(outcome));
  view.outcome = static_cast<Outcome>(outcome);
  view.time = Timestamp{std::chrono::microseconds(static_cast<std::int64_t>(micros))};
  const Fields fields{view.user_id, view.device_id, view.address,
                      view.action,  view.object_id, view.context_id,
                      view.outcome, view.error_id,  view.encrypted_detail.size()};
  // The plain predicate first: a Result (and its message) is built only for a bad entry.
  if (FieldsValid(view.tenant, view.time, fields)) return view;
  auto valid = Validate(view.tenant, view.time, fields);
  return Malformed("invalid field: " +
                   (valid ? std::string("rejected") : valid.error().internal_detail));
}

std::vector<store::RowCommitment> ParseWrites(const EntryView& view) {
  std::vector<store::RowCommitment> writes;
  writes.reserve(view.write_count);
  Reader reader(view.writes);
  for (std::uint32_t i = 0; i < view.write_count; ++i) {
    store::RowCommitment write;
    write.table = static_cast<store::RowTable>(reader.Uint(1));
    write.tenant_code = std::string(reader.ShortString());
    write.key = std::string(reader.ShortString());
    write.number = reader.Uint(8);
    const auto digest = reader.Take(write.digest.size());
    std::copy(digest.begin(), digest.end(), write.digest.begin());
    writes.push_back(std::move(write));
  }
  return writes;
}

}  // namespace koseki::audit::internal
