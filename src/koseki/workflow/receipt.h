// The receipt of a notification (受付): when it was received here and, for a 送付, where and
// when it was filed. The legal date of a filing is the day it was received, not the day a
// clerk happened to enter it: a form left at the night desk (時間外受付) on Saturday and
// registered on Monday was filed on Saturday, and a 婚姻 takes effect that day. About half of
// the births and deaths a 本籍地 records were filed elsewhere and arrive as 送付: their 届出日
// is the 受理日 at the other office, and the entries record when the 送付 arrived and who
// accepted the filing (【送付を受けた日】【受理者】).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::workflow {

// A notification filed at another office and forwarded (送付) to this 本籍地.
struct Forwarding {
  std::string accepted_by;  // 受理者 as recorded: 架空県架空町長, 在サンパウロ総領事
  std::chrono::year_month_day accepted_on;  // 受理日 there: the 届出日 of the entries
  friend bool operator==(const Forwarding&, const Forwarding&) = default;
};

struct Receipt {
  std::int64_t at = 0;  // 受付日時 here (Unix microseconds); for a 送付, when it arrived
  std::optional<Forwarding> forwarded = {};
  friend bool operator==(const Receipt&, const Receipt&) = default;
};

// What the clerk states at receipt: the 受付日時 (the moment of recording if not given) and,
// for a 送付, who accepted the filing and when.
struct ReceiptInput {
  std::optional<std::int64_t> at = {};  // Unix microseconds
  std::optional<Forwarding> forwarded = {};
};

// Parses what a clerk typed: `received_at` "YYYY-MM-DD HH:MM" in Japan time (empty: now);
// for a 送付 both `office` (AcceptorOf) and `accepted_on` "YYYY-MM-DD", else neither
// (InvalidArgument KSK-CASE-054 if only one is given, KSK-CASE-048 for a malformed time,
// KSK-AUTH-008 for a malformed day).
Result<ReceiptInput> ParseReceiptInput(std::string_view received_at, std::string_view office,
                                       std::string_view accepted_on);

// Parses a clerk's "YYYY-MM-DD HH:MM" in Japan time (InvalidArgument KSK-CASE-048).
Result<std::int64_t> ParseReceiptTime(std::string_view text);
// Returns `micros` as "YYYY-MM-DD HH:MM" in Japan time.
std::string FormatReceiptTime(std::int64_t micros);

// Returns the 受理者 of a filing accepted by `office`: a municipality's mayor (架空県架空町 →
// 架空県架空町長; 東京都架空区 → 東京都架空区長), or a Japanese embassy or consulate as written
// (在サンパウロ総領事). InvalidArgument KSK-CASE-051 for anything else.
Result<std::string> AcceptorOf(std::string_view office);

// Checks a receipt before it is recorded (nothing is recorded on a refusal):
//   KSK-CASE-049 InvalidArgument  受付日時 in the future (after `now`)
//   KSK-CASE-050 InvalidArgument  受付日 before `earliest` (the office's first day of receipts)
//   KSK-CASE-052 InvalidArgument  a 送付 whose 受理日 is after the day it arrived here
//   KSK-DATE-001 InvalidArgument  a 受付日 or 受理日 before 明治6年 (no 和暦 date to record)
//   KSK-CASE-053 InvalidArgument  a 送付 accepted by this office itself (`own_acceptor`)
Result<void> CheckReceipt(const Receipt& receipt, std::int64_t now,
                          std::optional<std::chrono::year_month_day> earliest,
                          std::string_view own_acceptor);

}  // namespace koseki::workflow
