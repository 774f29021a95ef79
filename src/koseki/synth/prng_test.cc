#include "koseki/synth/prng.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

namespace koseki::synth {
namespace {

TEST(PrngTest, EngineIsTheStandardMersenneTwister) {
  // C++ [rand.predef]: the 10000th output of a default-seeded mt19937_64 (seed 5489).
  Prng rng(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.Next();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(PrngTest, SplitMix64MatchesTheReferenceOutput) {
  // First output of the reference splitmix64 with state 0.
  EXPECT_EQ(SplitMix64(0), 0xE220A8397B1DCDAFULL);
  EXPECT_NE(SplitMix64(1), SplitMix64(2));
}

TEST(PrngTest, SameSeedGivesTheSameSequence) {
  Prng a(42);
  Prng b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Uniform(-1000, 1000), b.Uniform(-1000, 1000));
}

TEST(PrngTest, UniformStaysInRangeAndReachesEveryValue) {
  Prng rng(7);
  std::map<std::int64_t, int> seen;
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t v = rng.Uniform(3, 7);
    ASSERT_GE(v, 3);
    ASSERT_LE(v, 7);
    ++seen[v];
  }
  ASSERT_EQ(seen.size(), 5u);
  for (const auto& [value, count] : seen) {
    EXPECT_GT(count, 800) << value;  // expected 1000 each
    EXPECT_LT(count, 1200) << value;
  }
}

TEST(PrngTest, UniformOfOneValueReturnsIt) {
  Prng rng(1);
  EXPECT_EQ(rng.Uniform(5, 5), 5);
  EXPECT_EQ(rng.Uniform(-3, -3), -3);
}

TEST(PrngTest, UniformCoversTheFullRange) {
  Prng rng(3);
  bool negative = false;
  bool positive = false;
  for (int i = 0; i < 64; ++i) {
    const std::int64_t v = rng.Uniform(INT64_MIN, INT64_MAX);
    negative = negative || v < 0;
    positive = positive || v > 0;
  }
  EXPECT_TRUE(negative);
  EXPECT_TRUE(positive);
}

TEST(PrngTest, WeightedNeverPicksAZeroWeight) {
  Prng rng(11);
  constexpr std::array<int, 4> kWeights = {0, 3, 0, 1};
  std::array<int, 4> counts{};
  for (int i = 0; i < 4000; ++i) ++counts[rng.Weighted(kWeights)];
  EXPECT_EQ(counts[0], 0);
  EXPECT_EQ(counts[2], 0);
  EXPECT_GT(counts[1], counts[3] * 2);
  EXPECT_GT(counts[3], 0);
}

TEST(PrngTest, PerMilleHonoursItsBounds) {
  Prng rng(5);
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(rng.PerMille(0));
    EXPECT_TRUE(rng.PerMille(1000));
    hits += rng.PerMille(250) ? 1 : 0;
  }
  EXPECT_GT(hits, 180);
  EXPECT_LT(hits, 320);
}

TEST(PrngTest, PickReturnsAnElement) {
  Prng rng(9);
  const std::vector<int> items = {10, 20, 30};
  for (int i = 0; i < 50; ++i) {
    const int v = rng.Pick(std::span<const int>(items));
    EXPECT_TRUE(v == 10 || v == 20 || v == 30);
  }
}

}  // namespace
}  // namespace koseki::synth
