#include "koseki/workflow/text_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace koseki::workflow {
namespace {

using ::testing::ElementsAre;

TEST(TextDiffTest, MarksAddedAndRemovedLines) {
  const auto diff = DiffLines("a\nb\nc\n", "a\nc\nd\n");
  EXPECT_THAT(diff, ElementsAre(DiffLine{DiffOp::kSame, "a"}, DiffLine{DiffOp::kRemoved, "b"},
                                DiffLine{DiffOp::kSame, "c"}, DiffLine{DiffOp::kAdded, "d"}));
  EXPECT_EQ(FormatDiff(diff), "  a\n- b\n  c\n+ d\n");
}

TEST(TextDiffTest, IdenticalTextsHaveNoChanges) {
  for (const DiffLine& line :
       DiffLines("【名】健一\n【父】山川昭夫\n", "【名】健一\n【父】山川昭夫\n")) {
    EXPECT_EQ(line.op, DiffOp::kSame);
  }
}

TEST(TextDiffTest, AChangedLineIsARemovalThenAnAddition) {
  EXPECT_THAT(
      DiffLines("x\n【配偶者区分】夫\ny\n", "x\ny\n"),
      ElementsAre(DiffLine{DiffOp::kSame, "x"}, DiffLine{DiffOp::kRemoved, "【配偶者区分】夫"},
                  DiffLine{DiffOp::kSame, "y"}));
  EXPECT_THAT(DiffLines("", "a\n"), ElementsAre(DiffLine{DiffOp::kAdded, "a"}));
}

}  // namespace
}  // namespace koseki::workflow
