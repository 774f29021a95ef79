#include "koseki/text/japanese_date.h"

#include <array>
#include <cstdint>
#include <utility>

namespace koseki::text {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// One row per era, in chronological order. `first_day` is the day of the 改元; the Gregorian
// year of era year N is `base_year + N - 1`. This table is the only place era data lives.
struct EraInfo {
  Era era;
  std::string_view name;
  year_month_day first_day;
  int base_year;
};

constexpr std::array<EraInfo, 5> kEras = {{
    {Era::kMeiji, "明治", year{1868} / 10 / 23, 1868},
    {Era::kTaisho, "大正", year{1912} / 7 / 30, 1912},
    {Era::kShowa, "昭和", year{1926} / 12 / 25, 1926},
    {Era::kHeisei, "平成", year{1989} / 1 / 8, 1989},
    {Era::kReiwa, "令和", year{2019} / 5 / 1, 2019},
}};

// 明治6年1月1日: Japan's first day on the solar calendar. Earlier register dates are
// lunisolar and cannot be stored as exact Gregorian days.
constexpr year_month_day kFirstExactDay = year{1873} / 1 / 1;
// Keeps ToIso() at four year digits.
constexpr year_month_day kLastExactDay = year{9999} / 12 / 31;

const EraInfo& InfoFor(Era era) {
  for (const EraInfo& info : kEras) {
    if (info.era == era) return info;
  }
  return kEras.front();  // Unreachable for valid enumerators.
}

// Returns the era containing `ymd` (which must be on or after 明治's first day).
const EraInfo& EraContaining(year_month_day ymd) {
  const EraInfo* found = &kEras.front();
  for (const EraInfo& info : kEras) {
    if (sys_days{info.first_day} <= sys_days{ymd}) found = &info;
  }
  return *found;
}

Error InvalidDay(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-DATE-001",
                   "存在しない日付、または明治6年1月1日より前の日付です。", std::move(detail));
}

Error OutsideEra(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-DATE-002",
                   "その元号の期間に含まれない日付です。", std::move(detail));
}

Error Unparsable(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-DATE-003", "日付の書き方が正しくありません。",
                   std::move(detail));
}

// Reads one ASCII or full-width (U+FF10–FF19) digit at `pos`; advances `pos` on success.
std::optional<int> ReadDigit(std::string_view text, std::size_t& pos) {
  if (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    return text[pos++] - '0';
  }
  // U+FF10..U+FF19 are EF BC 90..EF BC 99 in UTF-8.
  if (pos + 3 <= text.size() && static_cast<unsigned char>(text[pos]) == 0xEF &&
      static_cast<unsigned char>(text[pos + 1]) == 0xBC) {
    const auto third = static_cast<unsigned char>(text[pos + 2]);
    if (third >= 0x90 && third <= 0x99) {
      pos += 3;
      return third - 0x90;
    }
  }
  return std::nullopt;
}

// Reads 1..`max_digits` digits; nullopt if there is none or too many.
std::optional<int> ReadNumber(std::string_view text, std::size_t& pos, int max_digits) {
  int value = 0;
  int count = 0;
  while (auto digit = ReadDigit(text, pos)) {
    if (++count > max_digits) return std::nullopt;
    value = value * 10 + *digit;
  }
  if (count == 0) return std::nullopt;
  return value;
}

bool Consume(std::string_view text, std::size_t& pos, std::string_view expected) {
  if (text.substr(pos, expected.size()) != expected) return false;
  pos += expected.size();
  return true;
}

void AppendTwoDigits(std::string& out, unsigned value) {
  out.push_back(static_cast<char>('0' + value / 10 % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

std::string_view EraName(Era era) { return InfoFor(era).name; }

Result<JapaneseDate> JapaneseDate::FromGregorian(year_month_day ymd) {
  if (!ymd.ok()) return InvalidDay("not a calendar day");
  if (sys_days{ymd} < sys_days{kFirstExactDay}) return InvalidDay("before 1873-01-01");
  if (sys_days{ymd} > sys_days{kLastExactDay}) return InvalidDay("after 9999-12-31");
  JapaneseDate date;
  date.exact_ = true;
  date.day_ = ymd;
  return date;
}

Result<JapaneseDate> JapaneseDate::FromIso(std::string_view iso) {
  // Exactly YYYY-MM-DD with ASCII digits: ISO text comes from machines, not people.
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return Unparsable("iso: bad shape");
  int fields[3] = {0, 0, 0};
  const std::pair<std::size_t, std::size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < spans[i].second; ++k) {
      const char c = iso[spans[i].first + k];
      if (c < '0' || c > '9') return Unparsable("iso: non-digit");
      fields[i] = fields[i] * 10 + (c - '0');
    }
  }
  return FromGregorian(year{fields[0]} / month{static_cast<unsigned>(fields[1])} /
                       std::chrono::day{static_cast<unsigned>(fields[2])});
}

Result<JapaneseDate> JapaneseDate::FromWareki(Era era, int era_year, unsigned m, unsigned d) {
  if (era_year < 1 || era_year > 9999) return OutsideEra("era year out of range");
  const EraInfo& info = InfoFor(era);
  const year_month_day ymd{year{info.base_year + era_year - 1}, month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return InvalidDay("not a calendar day");
  if (sys_days{ymd} < sys_days{info.first_day}) return OutsideEra("before the era's first day");
  if (&EraContaining(ymd) != &info) return OutsideEra("after the era's last day");
  return FromGregorian(ymd);
}

Result<JapaneseDate> JapaneseDate::ParseWareki(std::string_view text) {
  std::size_t pos = 0;
  const EraInfo* info = nullptr;
  for (const EraInfo& candidate : kEras) {
    if (Consume(text, pos, candidate.name)) {
      info = &candidate;
      break;
    }
  }
  if (info == nullptr) return Unparsable("wareki: unknown era");
  std::optional<int> era_year;
  if (Consume(text, pos, "元")) {
    era_year = 1;
  } else {
    era_year = ReadNumber(text, pos, 4);
  }
  if (!era_year || !Consume(text, pos, "年")) return Unparsable("wareki: year");
  const std::optional<int> m = ReadNumber(text, pos, 2);
  if (!m || !Consume(text, pos, "月")) return Unparsable("wareki: month");
  const std::optional<int> d = ReadNumber(text, pos, 2);
  if (!d || !Consume(text, pos, "日")) return Unparsable("wareki: day");
  if (pos != text.size()) return Unparsable("wareki: trailing text");
  return FromWareki(info->era, *era_year, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

JapaneseDate JapaneseDate::Inexact(std::string original_text,
                                   std::optional<year_month_day> estimated_day) {
  JapaneseDate date;
  date.exact_ = false;
  date.day_ = estimated_day;
  date.original_text_ = std::move(original_text);
  return date;
}

std::optional<WarekiParts> JapaneseDate::wareki() const {
  if (!exact_ || !day_) return std::nullopt;
  const EraInfo& info = EraContaining(*day_);
  return WarekiParts{info.era, static_cast<int>(day_->year()) - info.base_year + 1,
                     static_cast<unsigned>(day_->month()), static_cast<unsigned>(day_->day())};
}

std::string JapaneseDate::ToWareki() const {
  const std::optional<WarekiParts> parts = wareki();
  if (!parts) return original_text_;
  std::string out(EraName(parts->era));
  out += parts->year == 1 ? std::string("元") : FullWidthNumber(parts->year);
  out += "年";
  out += FullWidthNumber(parts->month);
  out += "月";
  out += FullWidthNumber(parts->day);
  out += "日";
  return out;
}

std::string JapaneseDate::ToSeireki() const {
  if (!exact_ || !day_) return original_text_;
  return "西暦" + FullWidthNumber(static_cast<int>(day_->year())) + "年" +
         FullWidthNumber(static_cast<unsigned>(day_->month())) + "月" +
         FullWidthNumber(static_cast<unsigned>(day_->day())) + "日";
}

std::string JapaneseDate::ToIso() const {
  if (!exact_ || !day_) return original_text_;
  const int y = static_cast<int>(day_->year());
  std::string out;
  AppendTwoDigits(out, static_cast<unsigned>(y / 100));
  AppendTwoDigits(out, static_cast<unsigned>(y % 100));
  out.push_back('-');
  AppendTwoDigits(out, static_cast<unsigned>(day_->month()));
  out.push_back('-');
  AppendTwoDigits(out, static_cast<unsigned>(day_->day()));
  return out;
}

Result<std::string> FormatTimeOfDay(int hour, int minute) {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-DATE-004", "時刻が正しくありません。",
                     "hour or minute out of range");
  }
  std::string out = hour < 12 ? "午前" : "午後";
  out += FullWidthNumber(hour % 12);
  out += "時";
  out += FullWidthNumber(minute);
  out += "分";
  return out;
}

std::string ToFullWidthDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      // U+FF10 + digit, encoded as EF BC 90+digit.
      out += "\xEF\xBC";
      out.push_back(static_cast<char>(0x90 + (c - '0')));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FullWidthNumber(long long n) {
  // Work in unsigned so that the most negative value does not overflow on negation.
  unsigned long long magnitude =
      n < 0 ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  std::string ascii;
  do {
    ascii.insert(ascii.begin(), static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  std::string out = n < 0 ? "－" : "";  // U+FF0D FULLWIDTH HYPHEN-MINUS
  out += ToFullWidthDigits(ascii);
  return out;
}

int AgeOn(year_month_day birth, year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  // Comparing (month, day) pairs gives the legal rule for free: someone born on 29 February
  // has not reached (2, 29) on 28 February of a common year, and has passed it on 1 March.
  const auto before_birthday =
      std::pair{static_cast<unsigned>(on.month()), static_cast<unsigned>(on.day())} <
      std::pair{static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day())};
  if (before_birthday) --age;
  return age;
}

}  // namespace koseki::text
