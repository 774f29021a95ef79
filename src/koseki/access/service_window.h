// Service windows (R5): the hours in which a tenant's zone (city or vendor) may work — weekly
// hours in Japan time, closed on the office calendar's closed days (土日祝 and 12月29日–1月3日,
// from rules::JapaneseOfficeCalendar, the one calendar of the codebase) unless the tenant says
// otherwise, and ad-hoc closures (maintenance, incidents). Pure functions of their arguments: no
// clock, no I/O; safe to call from any thread.
//
// Weekly hours and closures are stored as tenant settings and typed on the command line in a
// small text form:
//   weekly hours  "mon-fri 08:30-17:15; sat 09:00-12:00"   (also "none" and "always")
//   closures      one per line: "2027-01-10T09:00+09:00/2027-01-10T18:00+09:00 maintenance"
// Format* writes the canonical form; Parse* of it gives back the same value.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/access/zone.h"
#include "koseki/base/result.h"

namespace koseki::access {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

// One day's opening: [open, close) in minutes after local (Japan) midnight, open < close;
// close may be 24:00 (1440), which runs into the next day's 00:00 without a gap.
struct DailyHours {
  std::chrono::minutes open{0};
  std::chrono::minutes close{0};
  friend bool operator==(const DailyHours&, const DailyHours&) = default;
};

// Hours per weekday; index = std::chrono::weekday::c_encoding() (0 = Sunday). nullopt = closed.
struct WeeklyHours {
  std::array<std::optional<DailyHours>, 7> by_weekday;
  friend bool operator==(const WeeklyHours&, const WeeklyHours&) = default;
};

// An ad-hoc closure [from, until). `reason_code` is a short code ("maintenance"), never free
// text: it may be shown to users and written to the audit log.
struct Closure {
  Instant from;
  Instant until;
  std::string reason_code;
  friend bool operator==(const Closure&, const Closure&) = default;
};

struct ServiceWindow {
  WeeklyHours hours;
  // Closed on every day rules::JapaneseOfficeCalendar::IsClosed (土日祝, 12/29–1/3), whatever
  // `hours` says for that weekday.
  bool closed_on_office_holidays = true;
  std::vector<Closure> closures;
};

// Returns whether `window` is open at the instant `at` (Japan time is UTC+9, no DST).
bool IsOpen(const ServiceWindow& window, Instant at);

// NextClose returns the end of the open period containing `at` (the first instant from `at`
// on at which the window is closed: `at` itself if it is closed already); NextOpen returns the
// first instant from `at` on at which it is open (`at` itself if it is open). Both search at
// most 400 days ahead and return nullopt if no such instant lies within them.
std::optional<Instant> NextClose(const ServiceWindow& window, Instant at);
std::optional<Instant> NextOpen(const ServiceWindow& window, Instant at);

// Parses weekly hours: "; "-separated groups "DAYS HH:MM-HH:MM", DAYS a ","-list of days
// (mon tue wed thu fri sat sun) and ranges ("mon-fri", in that order of the week), each day in
// at most one group; "none" (never open) or "always" (00:00-24:00 every day). Days not named
// are closed. InvalidArgument naming the bad part: KSK-ACCESS-001 (syntax, unknown day),
// KSK-ACCESS-002 (bad time or open not before close), KSK-ACCESS-003 (day given twice).
Result<WeeklyHours> ParseWeeklyHours(std::string_view text);
// Returns the canonical text: groups ordered by their first day (Monday first), runs of days
// as ranges; "none" / "always" where they apply.
std::string FormatWeeklyHours(const WeeklyHours& hours);

// Parses closures, one per line "FROM/UNTIL [reason_code]" with FROM and UNTIL as
// YYYY-MM-DDTHH:MM[:SS[.ffffff]] followed by Z or ±HH:MM; blank lines and lines starting with
// '#' are skipped. reason_code is 1–32 characters of [a-z0-9_.-]. InvalidArgument naming the
// line: KSK-ACCESS-004 (syntax), KSK-ACCESS-005 (UNTIL not after FROM).
Result<std::vector<Closure>> ParseClosures(std::string_view text);
// Returns one line per closure, in Japan time (+09:00), each ending in '\n'.
std::string FormatClosures(const std::vector<Closure>& closures);

// Returns the default window of a zone: city mon-fri 08:30-17:15, vendor mon-fri 09:00-17:00,
// both closed on office holidays, no closures.
ServiceWindow DefaultWindow(Zone zone);

}  // namespace koseki::access
