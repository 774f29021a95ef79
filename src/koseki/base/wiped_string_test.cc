#include "koseki/base/wiped_string.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace koseki {
namespace {

// A short text lives in the std::string object itself; a plain move copies it out and leaves
// the bytes where they were. The moved-from WipedString must hold none of them.
TEST(WipedStringTest, AMoveLeavesNoByteOfAShortTextInTheSource) {
  WipedString source(std::string("1970-01"));
  const char* const storage = source.text().data();

  const WipedString moved(std::move(source));

  EXPECT_EQ(moved.text(), "1970-01");
  EXPECT_TRUE(source.text().empty());  // NOLINT(bugprone-use-after-move): what a move leaves
  ASSERT_EQ(source.text().data(), storage) << "the text was not kept in the object";
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(storage[i], '\0') << i;
}

TEST(WipedStringTest, AMoveAssignmentLeavesNoByteOfAShortTextInTheSource) {
  WipedString target(std::string(100, 'a'));
  WipedString source(std::string("1970-01"));
  const char* const storage = source.text().data();

  target = std::move(source);

  EXPECT_EQ(target.text(), "1970-01");
  EXPECT_TRUE(source.text().empty());  // NOLINT(bugprone-use-after-move): what a move leaves
  ASSERT_EQ(source.text().data(), storage) << "the text was not kept in the object";
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(storage[i], '\0') << i;
}

TEST(WipedStringTest, TakingAStringLeavesNoByteOfAShortTextInIt) {
  std::string text("1970-01");
  const char* const storage = text.data();

  const WipedString taken(std::move(text));

  EXPECT_EQ(taken.text(), "1970-01");
  ASSERT_EQ(text.data(), storage);  // NOLINT(bugprone-use-after-move): what a move leaves
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(storage[i], '\0') << i;
}

}  // namespace
}  // namespace koseki
