// Clock: the one source of "now", so that tests can fix time (FakeClock in base/testing);
// and Japan time, computed here only: every legal date (受付日, 発行日) is a day in Japan.
#pragma once

#include <chrono>
#include <cstdint>

namespace koseki {

// Japan Standard Time is UTC+9 all year (no daylight saving since 1951).
inline constexpr std::chrono::hours kJapanUtcOffset{9};

// Returns the calendar day in Japan at the instant `t`.
inline std::chrono::year_month_day JapanDayOf(std::chrono::system_clock::time_point t) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t + kJapanUtcOffset));
}

// Returns the instant `t` as Unix microseconds: the one unit of stored and recorded times.
inline std::int64_t UnixMicros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// Returns the instant of Unix microseconds `micros`.
inline std::chrono::system_clock::time_point FromUnixMicros(std::int64_t micros) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(micros)));
}

// Returns the calendar day in Japan at Unix microseconds `micros`.
inline std::chrono::year_month_day JapanDayOfMicros(std::int64_t micros) {
  return JapanDayOf(FromUnixMicros(micros));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace koseki
