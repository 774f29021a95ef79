// Japanese calendar dates (和暦) as written in family registers.
//
// A JapaneseDate is either an exact Gregorian day from 明治6年1月1日 (1873-01-01, the first day
// of the solar calendar in Japan) on, or a partial / unknown / estimated date that keeps the
// original text exactly as it was written (年月日不詳, 推定…, dates from before 1873).
// Era boundaries are exact days (DOMAIN.md §4); year 1 of an era prints as 元年.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::text {

enum class Era { kMeiji, kTaisho, kShowa, kHeisei, kReiwa };

// Returns the era name in kanji: 明治, 大正, 昭和, 平成, 令和.
std::string_view EraName(Era era);

struct WarekiParts {
  Era era;
  int year;  // 1 = 元年
  unsigned month;
  unsigned day;
  friend bool operator==(const WarekiParts&, const WarekiParts&) = default;
};

class JapaneseDate {
 public:
  // An exact day. InvalidArgument (KSK-DATE-001) for an impossible day or one before 1873-01-01.
  static Result<JapaneseDate> FromGregorian(std::chrono::year_month_day ymd);
  // "YYYY-MM-DD".
  static Result<JapaneseDate> FromIso(std::string_view iso);
  // An exact day given in an era. Refuses a day outside the era (平成32年, 昭和64年1月8日).
  static Result<JapaneseDate> FromWareki(Era era, int year, unsigned month, unsigned day);
  // Parses "令和６年１１月２０日", "令和元年5月1日" (full- or half-width digits, 元年).
  static Result<JapaneseDate> ParseWareki(std::string_view text);
  // A date that is not an exact day: stored and printed as `original_text`, e.g. "年月日不詳",
  // "推定昭和２０年３月１０日". `estimated_day` keeps the best known day for ordering, if any.
  static JapaneseDate Inexact(std::string original_text,
                              std::optional<std::chrono::year_month_day> estimated_day = {});

  bool is_exact() const { return exact_; }
  // The day (exact, or the estimate of an inexact date) if known.
  std::optional<std::chrono::year_month_day> day() const { return day_; }
  // For an exact date: its era parts.
  std::optional<WarekiParts> wareki() const;

  // Returns the certificate form: "令和６年１１月２０日", "平成元年１月８日"; for an inexact date
  // the original text unchanged.
  std::string ToWareki() const;
  // Returns the Western-calendar form the register uses for a foreign national's dates:
  // "西暦１９９０年４月２日"; for an inexact date the original text unchanged.
  std::string ToSeireki() const;
  // Returns "YYYY-MM-DD" for exact dates; the original text otherwise.
  std::string ToIso() const;

  friend bool operator==(const JapaneseDate&, const JapaneseDate&) = default;

 private:
  JapaneseDate() = default;
  bool exact_ = false;
  std::optional<std::chrono::year_month_day> day_;
  std::string original_text_;
};

// Returns the time as written on a register: 午前０時１５分, 午後３時４５分 (midnight = 午前０時,
// noon = 午後０時). InvalidArgument for hour > 23 or minute > 59.
Result<std::string> FormatTimeOfDay(int hour, int minute);

// Replaces ASCII digits 0-9 with full-width ０-９; other characters are kept.
std::string ToFullWidthDigits(std::string_view text);

// Returns the number in full-width digits: 123 → "１２３".
std::string FullWidthNumber(long long n);

// Returns the age in completed years on `on` of someone born on `birth` (年齢計算ニ関スル法律:
// the age increases at the start of the birthday; for 29 February births, on 1 March in common
// years). Both days must be valid; the result is negative if `on` precedes `birth`.
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on);

}  // namespace koseki::text
