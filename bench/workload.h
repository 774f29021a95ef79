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
#include <cstdio>
#include <filesystem>
#include <functional>
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

// The end of every benchmark's main: runs `run` in `work_dir` — the one asked for (created if
// missing) or, if it is empty, a new temporary "koseki-bench-<name>-XXXXXX", removed afterwards
// unless `keep` — and returns the exit status, printing what failed.
inline int RunInWorkDirectory(std::string_view name, std::filesystem::path& work_dir, bool keep,
                              const std::function<Result<void>()>& run) {
  namespace fs = std::filesystem;
  const std::string program = "koseki_bench_" + std::string(name);
  bool temporary = false;
  if (work_dir.empty()) {
    std::string pattern =
        (fs::temp_directory_path() / ("koseki-bench-" + std::string(name) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "%s: cannot create a temporary directory\n", program.c_str());
      return 1;
    }
    work_dir = pattern;
    temporary = true;
  } else {
    std::error_code ec;
    fs::create_directories(work_dir, ec);
  }
  const fs::path dir = work_dir;  // `run` may move the options that hold work_dir
  const Result<void> done = run();
  if (temporary && !keep) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  } else {
    std::fprintf(stderr, "work directory kept in %s\n", dir.c_str());
  }
  if (!done) {
    std::fprintf(stderr, "%s: %s %s\n", program.c_str(), done.error().id.c_str(),
                 done.error().internal_detail.c_str());
    return 1;
  }
  return 0;
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
