// A deterministic pseudo-random source for the synthetic register generator.
//
// The generator must give byte-identical output for one seed on every platform and standard
// library, because tests and benchmark manifests are keyed by (seed, index). std::mt19937_64 is
// specified exactly by the standard, but the distributions (std::uniform_int_distribution …)
// are not, so this class maps the raw 64-bit engine output to ranges itself.
//
// Not thread-safe; one Prng per thread or per register.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

namespace koseki::synth {

// Returns the SplitMix64 mix of `x` (a bijective 64-bit hash); used to derive independent
// seeds from (seed, index) pairs.
std::uint64_t SplitMix64(std::uint64_t x);

class Prng {
 public:
  explicit Prng(std::uint64_t seed) : engine_(seed) {}

  // Returns the next raw 64-bit value of std::mt19937_64.
  std::uint64_t Next() { return engine_(); }

  // Returns a value in [lo, hi] (both inclusive), every value equally likely (rejection
  // sampling, no modulo bias). Requires lo <= hi.
  std::int64_t Uniform(std::int64_t lo, std::int64_t hi);

  // Returns true with probability permille / 1000.
  bool PerMille(int permille);

  // Returns an index in [0, weights.size()) chosen with probability proportional to its
  // weight. Requires at least one positive weight; negative weights count as zero.
  std::size_t Weighted(std::span<const int> weights);

  // Returns one element of a non-empty span, uniformly.
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(Uniform(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace koseki::synth
