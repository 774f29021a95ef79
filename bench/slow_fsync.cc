// libkoseki_bench_slow_fsync.so: an LD_PRELOAD shim for the benchmarks that makes every fsync
// and fdatasync take at least as long as a real disk's flush.
//
// This VM flushes in about 0.2 ms; a city office's server disk takes 1–5 ms, and that is what
// limits durable commits per second. The shim calls the real function, then sleeps
// KOSEKI_BENCH_FSYNC_US microseconds (default 2000) before returning, so every figure measured
// under it is what one-commit-per-action costs on a slower disk (the group-commit target of
// the approval benchmark is stated against a 2 ms flush).
//
// Usage: LD_PRELOAD=build/release/bench/libkoseki_bench_slow_fsync.so koseki_bench_approval …
// Bench only: nothing in src/ links or loads it.
#include <dlfcn.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>

namespace {

using SyncFn = int (*)(int);

long DelayMicros() {
  static const long delay = [] {
    const char* text = std::getenv("KOSEKI_BENCH_FSYNC_US");
    if (text == nullptr) return 2000L;
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    return (end != text && *end == '\0' && value >= 0) ? value : 2000L;
  }();
  return delay;
}

void Delay() {
  const long micros = DelayMicros();
  timespec left{micros / 1000000, (micros % 1000000) * 1000};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

SyncFn Next(const char* name) {
  // POSIX guarantees that a function pointer survives the round trip through void*.
  return reinterpret_cast<SyncFn>(dlsym(RTLD_NEXT, name));
}

int SlowSync(SyncFn real, int fd) {
  if (real == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  const int result = real(fd);
  const int saved = errno;
  Delay();
  errno = saved;
  return result;
}

}  // namespace

extern "C" int fsync(int fd) {
  static const SyncFn real = Next("fsync");
  return SlowSync(real, fd);
}

extern "C" int fdatasync(int fd) {
  static const SyncFn real = Next("fdatasync");
  return SlowSync(real, fd);
}

// The delay this shim adds, for the benchmark to report (it looks this up with dlsym: found
// means the shim is loaded).
extern "C" long koseki_bench_slow_fsync_delay_us() { return DelayMicros(); }
