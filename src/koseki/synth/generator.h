// Synthetic family registers for tests, demos and benchmarks (`koseki gen`).
//
// The generator invents coherent registers like the one in DOMAIN.md §1.5: a married couple
// with 婚姻 entries pointing at plausible parents' registers (【従前戸籍】), children with 続柄
// computed by domain::ComputeZokugara(), births with 出生地/届出日 (within the 14-day deadline,
// a few late) and 送付 for births filed elsewhere, deaths with 死亡時分 and the survivor's
// 配偶者の死亡, children who married out or left by 分籍 (除籍, with 【新本籍】/【称する氏】),
// registers closed (status 除籍, 戸籍消除) when the last member left, 氏/名の振り仮名 (2025–) for
// the living. About half of the registers were reformatted by the tenant's computerization
// (戸籍改製, 平成６年法務省令第５１号…); persons removed before that day are not transcribed, as in
// reality. The rest were created by marriage (戸籍編製). Births range from 明治 to 令和.
//
// Every person and place is fictional (pools.h). The 本籍 of every register lies in the
// tenant's municipality. A small share of surnames carries ideographic variation sequences,
// supplementary-plane kanji or a compatibility ideograph.
//
// Determinism: the output depends only on (options, seed) — never on the clock, the platform
// or the standard library (prng.h). Register i is drawn from its own PRNG stream derived from
// (seed, i), so the first k registers of a run of n are the same for any n >= k. The pair
// (本籍, 筆頭者氏名) is unique within one run: a draw that repeats an earlier pair is replaced by
// a fresh draw from the next stream of the same index.
//
// Memory: Generate() streams; it keeps only one register plus an 8-byte hash per register
// generated so far (under 1 MB for 100,000 registers).
//
// A Generator is immutable after construction and may be used from several threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/domain/register.h"

namespace koseki::synth {

struct GeneratorOptions {
  // The tenant's municipality (prefecture + city): the 本籍 of every generated register and
  // the place whose mayor is the 受理者 of notifications filed at home. Must be non-empty.
  std::string municipality = "青葉県みなと市";
  // The day the data is "as of": no event is dated later. Fixed, so output is reproducible.
  std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{11},
                                    std::chrono::day{26}};
  // The day the tenant's registers were computerized (戸籍改製). Must be on or after
  // 1994-12-01 (the 平成６年 ordinance) and at least one year before `today`.
  std::chrono::year_month_day kaisei_date{std::chrono::year{2003}, std::chrono::month{3},
                                          std::chrono::day{15}};
};

// Receives each generated register, in order. Returning an error stops the generation and
// Generate() returns that error.
using RegisterSink = std::function<Result<void>(const domain::Register&)>;
// Called after each register with (registers done, registers requested).
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

class Generator {
 public:
  // InvalidArgument (KSK-SYNTH-001) if the options are unusable (see GeneratorOptions).
  static Result<Generator> Create(GeneratorOptions options);

  // Generates `count` registers for `seed` and passes each to `sink`. Returns the first error
  // of `sink`, or Internal (KSK-SYNTH-002) if a generated register fails
  // domain::ValidateRegister() (a generator bug; the register is not passed on).
  Result<void> Generate(std::uint64_t seed, std::size_t count, const RegisterSink& sink,
                        const ProgressCallback& progress = {}) const;

  // Returns all `count` registers at once; for tests and small sets only.
  Result<std::vector<domain::Register>> GenerateAll(std::uint64_t seed, std::size_t count) const;

  const GeneratorOptions& options() const { return options_; }

 private:
  explicit Generator(GeneratorOptions options) : options_(std::move(options)) {}
  GeneratorOptions options_;
};

}  // namespace koseki::synth
