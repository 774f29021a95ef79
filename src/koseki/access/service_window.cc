#include "koseki/access/service_window.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "koseki/base/clock.h"
#include "koseki/rules/calendar.h"

namespace koseki::access {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year_month_day;

constexpr minutes kDayLength{24 * 60};
// How far NextOpen / NextClose look ahead: over a year, so that a window open only on one
// day of the year is still found.
constexpr days kSearchHorizon{400};

// Days in the order of the week as offices count it (Monday first), with their c_encoding.
struct DayName {
  std::string_view name;
  unsigned c_encoding;
};
constexpr std::array<DayName, 7> kWeek = {
    {{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}, {"sat", 6}, {"sun", 0}}};

constexpr std::string_view kWhitespace = " \t\r\n";

// The error builders: each id is built here and nowhere else.
Error BadHours(std::string_view part) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-ACCESS-001",
                   "営業時間の指定「" + std::string(part) +
                       "」が正しくありません（例: mon-fri 08:30-17:15; sat 09:00-12:00）。",
                   "weekly hours: bad part '" + std::string(part) + "'");
}

Error BadTime(std::string_view part) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-ACCESS-002",
                   "営業時間の時刻「" + std::string(part) +
                       "」が正しくありません（HH:MM-HH:MM、開始は終了より前）。",
                   "weekly hours: bad time range '" + std::string(part) + "'");
}

Error DayTwice(std::string_view day_name) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-ACCESS-003",
                   "曜日「" + std::string(day_name) + "」が営業時間の指定に二度あります。",
                   "weekly hours: day given twice '" + std::string(day_name) + "'");
}

Error BadClosure(std::size_t line, std::string_view part) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-ACCESS-004",
      "休止期間の " + std::to_string(line) + " 行目の「" + std::string(part) +
          "」が正しくありません（例: 2027-01-10T09:00+09:00/2027-01-10T18:00+09:00 "
          "maintenance）。",
      "closures: line " + std::to_string(line) + " bad part '" + std::string(part) + "'");
}

Error EmptyClosure(std::size_t line) {
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-ACCESS-005",
      "休止期間の " + std::to_string(line) + " 行目は、終了を開始より後にしてください。",
      "closures: line " + std::to_string(line) + " until <= from");
}

std::string_view Trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

// Splits `text` at every `separator` (empty pieces kept).
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    pieces.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return pieces;
    start = at + 1;
  }
}

// Returns the number in the `count` decimal digits of `text` at `pos`, or nullopt.
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Appends `value` with at least `width` digits (zero-padded); `value` is never negative here.
void AppendPadded(std::string& out, long long value, std::size_t width) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

// Returns the position (0 = Monday) of the day named `name`, or nullopt.
std::optional<std::size_t> WeekPosition(std::string_view name) {
  for (std::size_t i = 0; i < kWeek.size(); ++i) {
    if (kWeek[i].name == name) return i;
  }
  return std::nullopt;
}

// Parses "HH:MM" as minutes after midnight, 00:00 to 24:00.
std::optional<minutes> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const std::optional<int> h = Digits(text, 0, 2);
  const std::optional<int> m = Digits(text, 3, 2);
  if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
  return minutes(*h * 60 + *m);
}

void AppendClock(std::string& out, minutes value) {
  AppendPadded(out, value.count() / 60, 2);
  out += ':';
  AppendPadded(out, value.count() % 60, 2);
}

Result<DailyHours> ParseTimeRange(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return BadTime(text);
  const std::optional<minutes> open = ParseClock(text.substr(0, dash));
  const std::optional<minutes> close = ParseClock(text.substr(dash + 1));
  if (!open || !close || *open >= *close) return BadTime(text);
  return DailyHours{*open, *close};
}

// Parses "mon-fri,sun" into the week positions it names, in the order given.
Result<std::vector<std::size_t>> ParseDays(std::string_view text) {
  std::vector<std::size_t> positions;
  for (std::string_view item : Split(text, ',')) {
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      const std::optional<std::size_t> day = WeekPosition(item);
      if (!day) return BadHours(item.empty() ? text : item);
      positions.push_back(*day);
      continue;
    }
    const std::optional<std::size_t> first = WeekPosition(item.substr(0, dash));
    const std::optional<std::size_t> last = WeekPosition(item.substr(dash + 1));
    // A range runs forward through the office week; "sun-mon" would be a typo more often
    // than a wish.
    if (!first || !last || *first > *last) return BadHours(item.empty() ? text : item);
    for (std::size_t p = *first; p <= *last; ++p) positions.push_back(p);
  }
  return positions;
}

// Parses "YYYY-MM-DDTHH:MM[:SS[.ffffff]]" followed by "Z" or "±HH:MM".
std::optional<Instant> ParseInstant(std::string_view text) {
  if (text.size() < 17 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':') {
    return std::nullopt;
  }
  const std::optional<int> y = Digits(text, 0, 4);
  const std::optional<int> mo = Digits(text, 5, 2);
  const std::optional<int> d = Digits(text, 8, 2);
  const std::optional<int> h = Digits(text, 11, 2);
  const std::optional<int> mi = Digits(text, 14, 2);
  if (!y || !mo || !d || !h || !mi || *h > 23 || *mi > 59) return std::nullopt;
  const year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*mo)},
                           std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  Instant local = sys_days{ymd} + hours{*h} + minutes{*mi};

  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    const std::optional<int> s = Digits(text, pos + 1, 2);
    if (!s || *s > 59) return std::nullopt;
    local += seconds{*s};
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      std::size_t count = 0;
      long long fraction = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (++count > 6) return std::nullopt;
        fraction = fraction * 10 + (text[pos] - '0');
        ++pos;
      }
      if (count == 0) return std::nullopt;
      for (; count < 6; ++count) fraction *= 10;
      local += microseconds{fraction};
    }
  }

  const std::string_view zone = text.substr(pos);
  if (zone == "Z") return local;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
    return std::nullopt;
  }
  const std::optional<int> oh = Digits(zone, 1, 2);
  const std::optional<int> om = Digits(zone, 4, 2);
  if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
  const minutes offset = hours{*oh} + minutes{*om};
  return zone[0] == '+' ? local - offset : local + offset;
}

// Formats an instant in Japan time, seconds and microseconds only when not zero.
void AppendInstant(std::string& out, Instant at) {
  const Instant local = at + kJapanUtcOffset;
  const sys_days day = std::chrono::floor<days>(local);
  const year_month_day ymd{day};
  const microseconds time_of_day = local - day;
  AppendPadded(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  AppendPadded(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  AppendPadded(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  AppendClock(out, std::chrono::floor<minutes>(time_of_day));
  const microseconds below_minute = time_of_day % minutes{1};
  if (below_minute != microseconds::zero()) {
    out += ':';
    AppendPadded(out, std::chrono::floor<seconds>(below_minute).count(), 2);
    const microseconds fraction = below_minute % seconds{1};
    if (fraction != microseconds::zero()) {
      out += '.';
      AppendPadded(out, fraction.count(), 6);
    }
  }
  out += "+09:00";
}

// Returns the day in Japan at `at`: JapanDayOf (base/clock.h) kept in microseconds, because
// its conversion to system_clock's nanoseconds overflows for instants after the year 2262.
sys_days JapanDay(Instant at) { return std::chrono::floor<days>(at + kJapanUtcOffset); }

bool IsReasonCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// Returns the first instant t in (at, at + kSearchHorizon] with IsOpen(window, t) == open.
// The window's state only changes at a closure's ends, at a local midnight (a weekday or a
// holiday begins) and at a day's opening and closing minute; between two such instants it is
// constant, and at each it already has the state of the interval it begins. So the first such
// instant with the wanted state is the answer. Days are walked one by one so that the usual
// answer (today or tomorrow) costs a handful of checks.
std::optional<Instant> NextWithState(const ServiceWindow& window, Instant at, bool open) {
  const Instant limit = at + kSearchHorizon;
  std::vector<Instant> candidates;
  for (sys_days day = JapanDay(at);; day += days{1}) {
    const Instant midnight = day - kJapanUtcOffset;
    if (midnight > limit) return std::nullopt;
    const Instant next_midnight = midnight + days{1};
    candidates.clear();
    candidates.push_back(midnight);
    if (const std::optional<DailyHours>& h = window.hours.by_weekday[weekday{day}.c_encoding()]) {
      candidates.push_back(midnight + h->open);
      candidates.push_back(midnight + h->close);
    }
    for (const Closure& closure : window.closures) {
      for (Instant edge : {closure.from, closure.until}) {
        if (edge >= midnight && edge < next_midnight) candidates.push_back(edge);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    for (Instant t : candidates) {
      if (t <= at || t > limit) continue;
      if (IsOpen(window, t) == open) return t;
    }
  }
}

}  // namespace

bool IsOpen(const ServiceWindow& window, Instant at) {
  for (const Closure& closure : window.closures) {
    if (closure.from <= at && at < closure.until) return false;
  }
  const sys_days day = JapanDay(at);
  if (window.closed_on_office_holidays &&
      rules::JapaneseOfficeCalendar().IsClosed(year_month_day{day})) {
    return false;
  }
  const std::optional<DailyHours>& h = window.hours.by_weekday[weekday{day}.c_encoding()];
  if (!h) return false;
  const microseconds time_of_day = at + kJapanUtcOffset - day;
  return time_of_day >= h->open && time_of_day < h->close;
}

std::optional<Instant> NextClose(const ServiceWindow& window, Instant at) {
  if (!IsOpen(window, at)) return at;
  return NextWithState(window, at, /*open=*/false);
}

std::optional<Instant> NextOpen(const ServiceWindow& window, Instant at) {
  if (IsOpen(window, at)) return at;
  return NextWithState(window, at, /*open=*/true);
}

Result<WeeklyHours> ParseWeeklyHours(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  WeeklyHours weekly;
  if (trimmed == "none") return weekly;
  if (trimmed == "always") {
    weekly.by_weekday.fill(DailyHours{minutes{0}, kDayLength});
    return weekly;
  }
  for (std::string_view raw_group : Split(trimmed, ';')) {
    const std::string_view group = Trim(raw_group);
    const std::size_t space = group.find_first_of(kWhitespace);
    if (space == std::string_view::npos) return BadHours(group);
    KOSEKI_ASSIGN_OR_RETURN(const std::vector<std::size_t> positions,
                            ParseDays(group.substr(0, space)));
    KOSEKI_ASSIGN_OR_RETURN(const DailyHours daily, ParseTimeRange(Trim(group.substr(space))));
    for (std::size_t p : positions) {
      std::optional<DailyHours>& slot = weekly.by_weekday[kWeek[p].c_encoding];
      if (slot) return DayTwice(kWeek[p].name);
      slot = daily;
    }
  }
  return weekly;
}

std::string FormatWeeklyHours(const WeeklyHours& weekly) {
  const auto& days_hours = weekly.by_weekday;
  if (std::all_of(days_hours.begin(), days_hours.end(), [](const auto& h) { return !h; })) {
    return "none";
  }
  const DailyHours whole_day{minutes{0}, kDayLength};
  if (std::all_of(days_hours.begin(), days_hours.end(),
                  [&](const auto& h) { return h == whole_day; })) {
    return "always";
  }
  std::string out;
  std::array<bool, 7> done{};
  for (std::size_t p = 0; p < kWeek.size(); ++p) {
    const std::optional<DailyHours>& group_hours = days_hours[kWeek[p].c_encoding];
    if (done[p] || !group_hours) continue;
    if (!out.empty()) out += "; ";
    // The days of this group, written as runs: a single day, or "first-last".
    bool first_run = true;
    for (std::size_t q = p; q < kWeek.size();) {
      if (done[q] || days_hours[kWeek[q].c_encoding] != group_hours) {
        ++q;
        continue;
      }
      std::size_t end = q;
      while (end + 1 < kWeek.size() && !done[end + 1] &&
             days_hours[kWeek[end + 1].c_encoding] == group_hours) {
        ++end;
      }
      if (!first_run) out += ',';
      first_run = false;
      out += kWeek[q].name;
      if (end > q) {
        out += '-';
        out += kWeek[end].name;
      }
      for (std::size_t r = q; r <= end; ++r) done[r] = true;
      q = end + 1;
    }
    out += ' ';
    AppendClock(out, group_hours->open);
    out += '-';
    AppendClock(out, group_hours->close);
  }
  return out;
}

Result<std::vector<Closure>> ParseClosures(std::string_view text) {
  std::vector<Closure> closures;
  std::size_t line_number = 0;
  for (std::string_view raw_line : Split(text, '\n')) {
    ++line_number;
    const std::string_view line = Trim(raw_line);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t space = line.find_first_of(kWhitespace);
    const std::string_view range = line.substr(0, space);
    const std::string_view reason =
        space == std::string_view::npos ? std::string_view() : Trim(line.substr(space));
    const std::size_t slash = range.find('/');
    if (slash == std::string_view::npos) return BadClosure(line_number, range);
    const std::string_view from_text = range.substr(0, slash);
    const std::string_view until_text = range.substr(slash + 1);
    const std::optional<Instant> from = ParseInstant(from_text);
    if (!from) return BadClosure(line_number, from_text);
    const std::optional<Instant> until = ParseInstant(until_text);
    if (!until) return BadClosure(line_number, until_text);
    if (!reason.empty() && !IsReasonCode(reason)) return BadClosure(line_number, reason);
    if (*until <= *from) return EmptyClosure(line_number);
    closures.push_back(Closure{*from, *until, std::string(reason)});
  }
  return closures;
}

std::string FormatClosures(const std::vector<Closure>& closures) {
  std::string out;
  for (const Closure& closure : closures) {
    AppendInstant(out, closure.from);
    out += '/';
    AppendInstant(out, closure.until);
    if (!closure.reason_code.empty()) {
      out += ' ';
      out += closure.reason_code;
    }
    out += '\n';
  }
  return out;
}

ServiceWindow DefaultWindow(Zone zone) {
  const DailyHours daily = zone == Zone::kCity
                               ? DailyHours{minutes{8 * 60 + 30}, minutes{17 * 60 + 15}}
                               : DailyHours{minutes{9 * 60}, minutes{17 * 60}};
  ServiceWindow window;
  for (std::size_t p = 0; p < 5; ++p) window.hours.by_weekday[kWeek[p].c_encoding] = daily;
  return window;
}

}  // namespace koseki::access
