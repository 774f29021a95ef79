// FakeClock: a Clock whose time only moves when a test moves it. Thread-safe, so that a test
// can move the time of a server whose threads read it.
#pragma once

#include <atomic>

#include "koseki/base/clock.h"

namespace koseki::testing {

class FakeClock final : public Clock {
 public:
  using Duration = std::chrono::system_clock::duration;
  explicit FakeClock(std::chrono::system_clock::time_point now)
      : ticks_(now.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(Duration(ticks_.load()));
  }
  void Advance(Duration by) { ticks_ += by.count(); }
  void Set(std::chrono::system_clock::time_point now) { ticks_ = now.time_since_epoch().count(); }

 private:
  std::atomic<Duration::rep> ticks_;
};

}  // namespace koseki::testing
