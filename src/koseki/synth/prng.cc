#include "koseki/synth/prng.h"

#include <cassert>

namespace koseki::synth {

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::int64_t Prng::Uniform(std::int64_t lo, std::int64_t hi) {
  assert(lo <= hi);
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(Next());
  const std::uint64_t range = span + 1;
  // Accept only values below the largest multiple of `range`, so that every residue is equally
  // likely.
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % range + 1) % range;
  std::uint64_t x = Next();
  while (x > limit) x = Next();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % range);
}

bool Prng::PerMille(int permille) { return Uniform(0, 999) < permille; }

std::size_t Prng::Weighted(std::span<const int> weights) {
  std::int64_t total = 0;
  for (int w : weights) total += w > 0 ? w : 0;
  assert(total > 0);
  std::int64_t r = Uniform(0, total - 1);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const int w = weights[i] > 0 ? weights[i] : 0;
    if (r < w) return i;
    r -= w;
  }
  return weights.size() - 1;
}

}  // namespace koseki::synth
