// Clock: the one source of "now", so that tests can fix time (FakeClock in base/testing).
#pragma once

#include <chrono>

namespace koseki {

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
