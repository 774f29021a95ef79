#include "koseki/base/secret_bytes.h"

#include <gtest/gtest.h>

#include <array>
#include <utility>

namespace koseki {
namespace {

TEST(SecretBytesTest, CopiesAndComparesContents) {
  const std::array<std::uint8_t, 4> raw{1, 2, 3, 4};
  SecretBytes a = SecretBytes::FromBytes(raw);
  SecretBytes b = a.Copy();
  EXPECT_TRUE(a.Equals(b));
  b.data()[3] = 5;
  EXPECT_FALSE(a.Equals(b));
}

TEST(SecretBytesTest, MoveLeavesSourceEmpty) {
  SecretBytes a = SecretBytes::FromString("key");
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.size(), 3U);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state.
}

TEST(SecretBytesTest, ConstantTimeEqualsRejectsDifferentSizes) {
  const std::array<std::uint8_t, 2> x{1, 2};
  const std::array<std::uint8_t, 3> y{1, 2, 3};
  EXPECT_FALSE(ConstantTimeEquals(x, y));
  EXPECT_TRUE(ConstantTimeEquals(x, x));
}

TEST(SecretBytesTest, WipeBytesZeroesTheBuffer) {
  std::array<std::uint8_t, 8> buf{};
  buf.fill(0xAB);
  WipeBytes(buf);
  for (auto b : buf) EXPECT_EQ(b, 0);
}

}  // namespace
}  // namespace koseki
