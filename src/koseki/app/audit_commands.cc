#include "koseki/app/audit_commands.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "koseki/app/backend_factory.h"
#include "koseki/app/koseki.h"
#include "koseki/audit/witness_file.h"

namespace koseki::app {
namespace {

Error BadTime() {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-AUDIT-051",
                   "日時は ISO 8601 形式（例: 2026-11-26、2026-11-26T10:00:00+09:00）で指定して"
                   "ください。",
                   "bad time argument");
}

Error NoKey(std::string detail) { return audit::VerifierKeyNotFound(std::move(detail)); }

Error KeyMismatch() {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-049",
                   "データベースの検証鍵が、立会いファイルの横の検証鍵と一致しません。データベー"
                   "スが差し替えられている可能性があります。",
                   "stored verifier key differs from the external one");
}

Result<std::unique_ptr<store::Backend>> OpenDatabase(const Location& location) {
  return OpenBackendReadOnly(location);
}

// Reads --key: a verifier key itself, or a file with one key per line.
Result<std::vector<audit::VerifierKey>> KeysFromArgument(std::string_view key_arg) {
  if (auto key = audit::VerifierKey::Parse(key_arg)) return std::vector<audit::VerifierKey>{*key};
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::vector<audit::VerifierKey>> keys,
                          audit::ReadVerifierKeys(std::string(key_arg)));
  if (!keys || keys->empty()) return NoKey("--key is neither a verifier key nor a key file");
  return std::move(*keys);
}

// The keys from outside the database: --key, else the keys file beside the witness file.
Result<std::vector<audit::VerifierKey>> ExternalKeys(const Location& location,
                                                     std::string_view key_arg) {
  if (!key_arg.empty()) return KeysFromArgument(key_arg);
  if (location.witness_file.empty()) return std::vector<audit::VerifierKey>();
  KOSEKI_ASSIGN_OR_RETURN(
      std::optional<std::vector<audit::VerifierKey>> keys,
      audit::ReadVerifierKeys(audit::VerifierKeysPathFor(location.witness_file)));
  return keys ? std::move(*keys) : std::vector<audit::VerifierKey>();
}

struct TrustedKey {
  audit::VerifierKey key;
  bool unchecked = false;
};

// Chooses the verifier key; nullopt if the installation has none (no audit log yet).
Result<std::optional<TrustedKey>> ChooseKey(store::Backend& backend, const Location& location,
                                            std::string_view key_arg) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<audit::VerifierKey> external,
                          ExternalKeys(location, key_arg));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> stored_text,
                          backend.GetInstallationValue(kAuditVerifierKeyValue));
  std::optional<audit::VerifierKey> stored;
  if (stored_text) {
    auto parsed = audit::VerifierKey::Parse(*stored_text);
    if (!parsed) return KeyMismatch();
    stored = *std::move(parsed);
  }
  if (!stored) {
    // No key in the database: only an explicit key can say what the logs must be signed with.
    if (key_arg.empty() || external.empty()) return std::optional<TrustedKey>();
    return std::optional<TrustedKey>(TrustedKey{external.front(), false});
  }
  const auto same_name =
      std::find_if(external.begin(), external.end(),
                   [&](const audit::VerifierKey& k) { return k.name() == stored->name(); });
  if (same_name != external.end()) {
    if (!(*same_name == *stored)) return KeyMismatch();
    return std::optional<TrustedKey>(TrustedKey{*same_name, false});
  }
  // An explicit key of another name is the auditor's word: check the logs against it.
  if (!key_arg.empty()) return std::optional<TrustedKey>(TrustedKey{external.front(), false});
  return std::optional<TrustedKey>(TrustedKey{*stored, true});
}

bool ParseDigits(std::string_view text, int& value) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<AuditVerifyResult> VerifyAudit(const Location& location, std::string_view key_arg,
                                      std::optional<std::string_view> log) {
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::Backend> backend, OpenDatabase(location));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<TrustedKey> key, ChooseKey(*backend, location, key_arg));
  AuditVerifyResult result;
  if (!key) {
    KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> logs, backend->ListAuditLogs());
    if (!logs.empty()) return NoKey("audit logs but no verifier key");
    return result;  // an installation from before the audit log, never opened since
  }
  result.key = key->key.ToString();
  result.key_unchecked = key->unchecked;
  KOSEKI_ASSIGN_OR_RETURN(result.verification,
                          audit::VerifyStoredLogs(*backend, key->key, location.witness_file, log));
  return result;
}

Result<std::vector<audit::Entry>> ShowAudit(const Location& location, std::string_view log,
                                            const audit::EntryFilter& filter) {
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::Backend> backend, OpenDatabase(location));
  return audit::FindEntries(*backend, log, filter);
}

Result<audit::InclusionProofBundle> ProveAudit(const Location& location, std::string_view key_arg,
                                               std::string_view log, std::uint64_t index) {
  KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<store::Backend> backend, OpenDatabase(location));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<TrustedKey> key, ChooseKey(*backend, location, key_arg));
  if (!key) return NoKey("installation has no verifier key");
  return audit::ProveInclusion(*backend, key->key, log, index);
}

Result<audit::CheckedProof> CheckProof(const Location& location, std::string_view key_arg,
                                       std::string_view bundle_text) {
  KOSEKI_ASSIGN_OR_RETURN(audit::InclusionProofBundle bundle, audit::ParseProofBundle(bundle_text));
  KOSEKI_ASSIGN_OR_RETURN(std::vector<audit::VerifierKey> keys, ExternalKeys(location, key_arg));
  if (keys.empty()) return NoKey("no --key and no keys file beside the witness file");
  return audit::CheckProofBundle(bundle, keys);
}

Result<audit::Timestamp> ParseIsoTime(std::string_view text, bool end_of) {
  using std::chrono::day, std::chrono::days, std::chrono::hours, std::chrono::microseconds,
      std::chrono::minutes, std::chrono::month, std::chrono::seconds, std::chrono::sys_days,
      std::chrono::sys_time, std::chrono::year, std::chrono::year_month_day;
  // Date.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return BadTime();
  int y = 0, m = 0, d = 0;
  if (!ParseDigits(text.substr(0, 4), y) || !ParseDigits(text.substr(5, 2), m) ||
      !ParseDigits(text.substr(8, 2), d)) {
    return BadTime();
  }
  const year_month_day date{year(y), month(static_cast<unsigned>(m)),
                            day(static_cast<unsigned>(d))};
  if (!date.ok()) return BadTime();
  microseconds offset = kJapanUtcOffset;  // Japan time unless a zone is given
  if (text.size() == 10) {
    const auto start = sys_days(date) - offset;
    return audit::Timestamp(end_of ? start + days(1) : start);
  }
  // Time of day.
  std::string_view rest = text.substr(10);
  if (rest.size() < 6 || rest[0] != 'T' || rest[3] != ':') return BadTime();
  int hh = 0, mm = 0, ss = 0;
  if (!ParseDigits(rest.substr(1, 2), hh) || !ParseDigits(rest.substr(4, 2), mm) || hh > 23 ||
      mm > 59) {
    return BadTime();
  }
  rest.remove_prefix(6);
  microseconds precision = minutes(1);
  microseconds fraction{0};
  if (!rest.empty() && rest[0] == ':') {
    if (rest.size() < 3 || !ParseDigits(rest.substr(1, 2), ss) || ss > 59) return BadTime();
    rest.remove_prefix(3);
    precision = seconds(1);
    if (!rest.empty() && rest[0] == '.') {
      std::size_t digits = 1;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
      const std::string_view frac = rest.substr(1, digits - 1);
      if (frac.empty() || frac.size() > 6) return BadTime();
      int value = 0;
      if (!ParseDigits(frac, value)) return BadTime();
      std::int64_t scale = 1;
      for (std::size_t i = frac.size(); i < 6; ++i) scale *= 10;
      fraction = microseconds(value * scale);
      precision = microseconds(scale);
      rest.remove_prefix(digits);
    }
  }
  // Zone.
  if (rest == "Z") {
    offset = microseconds(0);
  } else if (!rest.empty()) {
    int oh = 0, om = 0;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
        !ParseDigits(rest.substr(1, 2), oh) || !ParseDigits(rest.substr(4, 2), om) || oh > 23 ||
        om > 59) {
      return BadTime();
    }
    offset = hours(oh) + minutes(om);
    if (rest[0] == '-') offset = -offset;
  }
  auto t = sys_days(date) + hours(hh) + minutes(mm) + seconds(ss) + fraction - offset;
  if (end_of) t += precision;
  if (t.time_since_epoch().count() < 0) t = sys_time<microseconds>(microseconds(0));
  return audit::Timestamp(t);
}

std::string FormatIsoTime(audit::Timestamp time) {
  const auto day_start = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date(day_start);
  const std::chrono::hh_mm_ss<std::chrono::microseconds> tod(time - day_start);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()));
  return buffer;
}

std::string EntryJson(const audit::Entry& entry) {
  const audit::Event& event = entry.event();
  nlohmann::ordered_json json = {
      {"log", entry.tenant()},
      {"index", entry.index()},
      {"time", FormatIsoTime(entry.time())},
      {"outcome", std::string(audit::OutcomeName(event.outcome))},
      {"action", event.action},
      {"actor",
       {{"user", event.actor.user_id},
        {"device", event.actor.device_id},
        {"address", event.actor.address}}},
      {"object", event.object_id},
      {"context", event.context_id},
      {"error_id", event.error_id},
      {"encrypted_detail_bytes", event.encrypted_detail.size()},
      // Without a MAC: recorded without the key (a refused passphrase), or from before MACs.
      {"sealed", entry.keyed()},
      {"writes", entry.writes().size()},
  };
  return json.dump();
}

}  // namespace koseki::app
