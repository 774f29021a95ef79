// The workload file that koseki_bench_store hands to koseki_bench_sqlcipher, and the helpers
// both executables share. (Two executables because libsqlite3 and libsqlcipher export the same
// sqlite3_* symbols: in one process whichever loads first silently serves both.)
//
// The file is JSON Lines, written once from the generated registers:
//   {"batch":B,"tenant":"…","seed":S}                        first line
//   {"register":<domain::ToJson(reg)>,"index":[[purpose,value],…]}   one per register, in order;
//        "index" is RegisterStore::LookupKeysOf(reg): the normalized keys koseki blinds
//   {"lookup":[本籍, 筆頭者氏名]}                              one per lookup, in order
// It holds fictional data only (synth::Generator) and lives in the benchmark's temp directory.
//
// koseki_bench_sqlcipher answers with one JSON object on stdout:
//   {"cipher_version":"…","import_seconds":x,"lookup_seconds":y,"registers":N,"lookups":L}
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "koseki/base/error.h"
#include "koseki/base/result.h"

namespace koseki::bench {

inline constexpr std::string_view kKeyBatch = "batch";
inline constexpr std::string_view kKeyTenant = "tenant";
inline constexpr std::string_view kKeySeed = "seed";
inline constexpr std::string_view kKeyRegister = "register";
inline constexpr std::string_view kKeyIndex = "index";
inline constexpr std::string_view kKeyLookup = "lookup";

// The one error of the benchmarks (they stop at the first failure and print its detail).
inline Error BenchError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "KSK-BENCH-001", "ベンチマークが失敗しました。",
                   std::move(detail));
}

// Returns `requested` (created if missing) or, if it is empty, a new temporary directory
// "koseki-bench-<name>-XXXXXX"; `temporary` tells the caller to remove it when done.
inline Result<std::filesystem::path> WorkDirectory(const std::filesystem::path& requested,
                                                   std::string_view name, bool& temporary) {
  namespace fs = std::filesystem;
  temporary = false;
  if (!requested.empty()) {
    std::error_code ec;
    fs::create_directories(requested, ec);
    if (ec) return BenchError("cannot create " + requested.string() + ": " + ec.message());
    return requested;
  }
  std::string pattern =
      (fs::temp_directory_path() / ("koseki-bench-" + std::string(name) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return BenchError("cannot create a temporary directory");
  temporary = true;
  return fs::path(pattern);
}

// Measures wall-clock seconds since construction.
class Stopwatch {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace koseki::bench
