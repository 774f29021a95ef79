#include "koseki/workflow/receipt.h"

#include <array>
#include <cstdio>

#include "koseki/access/user.h"
#include "koseki/base/clock.h"
#include "koseki/rules/context.h"
#include "koseki/text/japanese_date.h"

namespace koseki::workflow {
namespace {

using std::chrono::year_month_day;

// How the name of an office that accepts filings ends: a municipality (its mayor is the
// 受理者) or, for a filing abroad, the embassy or consulate written as the 受理者 itself.
constexpr std::array<std::string_view, 4> kMunicipalityEndings = {"市", "区", "町", "村"};
constexpr std::string_view kAbroadPrefix = "在";
constexpr std::array<std::string_view, 4> kAbroadEndings = {"総領事", "領事", "大使", "公使"};

bool EndsWithAny(std::string_view text, const auto& endings) {
  for (std::string_view ending : endings) {
    if (text.size() > ending.size() && text.ends_with(ending)) return true;
  }
  return false;
}

Error Invalid(std::string_view id, std::string message, std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(id), std::move(message),
                   std::move(detail));
}

}  // namespace

Result<std::int64_t> ParseReceiptTime(std::string_view text) {
  const auto malformed = [] {
    return Invalid("KSK-CASE-048",
                   "受付日時は YYYY-MM-DD HH:MM（日本時間）の形で指定してください。",
                   "malformed receipt time");
  };
  if (text.size() != 16 || text[10] != ' ' || text[13] != ':') return malformed();
  auto day = access::ParseIsoDay(text.substr(0, 10));
  if (!day) return malformed();
  for (std::size_t i : {11, 12, 14, 15}) {
    if (text[i] < '0' || text[i] > '9') return malformed();
  }
  const int hour = (text[11] - '0') * 10 + (text[12] - '0');
  const int minute = (text[14] - '0') * 10 + (text[15] - '0');
  if (hour > 23 || minute > 59) return malformed();
  const auto local = std::chrono::sys_days(*day) + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) - kJapanUtcOffset;
  return UnixMicros(std::chrono::system_clock::time_point(local));
}

std::string FormatReceiptTime(std::int64_t micros) {
  const auto local = FromUnixMicros(micros) + kJapanUtcOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::minutes>(local - day));
  char clock[16];  // " HH:MM" needs 7; room for any int, so that -O3 sees no truncation
  std::snprintf(clock, sizeof(clock), " %02d:%02d", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return access::FormatIsoDay(year_month_day(day)) + clock;
}

Result<std::string> AcceptorOf(std::string_view office) {
  if (office.starts_with(kAbroadPrefix) && EndsWithAny(office, kAbroadEndings)) {
    return std::string(office);
  }
  if (!office.starts_with(kAbroadPrefix) && EndsWithAny(office, kMunicipalityEndings)) {
    return rules::MayorOf(office);
  }
  return Invalid("KSK-CASE-051",
                 "受理地は市区町村名（例: 架空県架空町）または在外公館（例: 在サンパウロ総領事）で"
                 "指定してください。",
                 "unrecognised accepting office");
}

Result<ReceiptInput> ParseReceiptInput(std::string_view received_at, std::string_view office,
                                       std::string_view accepted_on) {
  ReceiptInput input;
  if (!received_at.empty()) {
    KOSEKI_ASSIGN_OR_RETURN(input.at, ParseReceiptTime(received_at));
  }
  if (office.empty() != accepted_on.empty()) {
    return Invalid("KSK-CASE-054", "送付の受付には受理地と受理日の両方を指定してください。",
                   "forwarding half given");
  }
  if (!office.empty()) {
    Forwarding forwarded;
    KOSEKI_ASSIGN_OR_RETURN(forwarded.accepted_by, AcceptorOf(office));
    KOSEKI_ASSIGN_OR_RETURN(forwarded.accepted_on, access::ParseIsoDay(accepted_on));
    input.forwarded = std::move(forwarded);
  }
  return input;
}

Result<void> CheckReceipt(const Receipt& receipt, std::int64_t now,
                          std::optional<year_month_day> earliest, std::string_view own_acceptor) {
  if (receipt.at > now) {
    return Invalid("KSK-CASE-049", "受付日時が現在より後です。", "receipt time in the future");
  }
  const year_month_day day = JapanDayOfMicros(receipt.at);
  KOSEKI_RETURN_IF_ERROR(text::JapaneseDate::FromGregorian(day));
  if (earliest && day < *earliest) {
    return Invalid("KSK-CASE-050", "受付日がこの役場で受付を始めた日より前です。",
                   "receipt before the office's first day");
  }
  if (receipt.forwarded) {
    KOSEKI_RETURN_IF_ERROR(text::JapaneseDate::FromGregorian(receipt.forwarded->accepted_on));
    if (receipt.forwarded->accepted_on > day) {
      return Invalid("KSK-CASE-052", "受理日が送付を受けた日より後です。",
                     "accepted after the forwarding arrived");
    }
    if (receipt.forwarded->accepted_by == own_acceptor) {
      return Invalid("KSK-CASE-053", "この市区町村で受理した届出は送付として受け付けられません。",
                     "forwarded from this office");
    }
  }
  return Ok();
}

}  // namespace koseki::workflow
