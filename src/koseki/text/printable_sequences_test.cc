// The variation sequences the certificate font can print: the table generated from the
// installed IPAmj明朝 at build time, and the data-entry check built on it.
#include "koseki/text/printable_sequences.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/text/name.h"

namespace koseki::text {
namespace {

// The unprintable character FirstUnprintableSequence names, as "index:character".
std::optional<std::string> Unprintable(std::string_view name) {
  auto found = FirstUnprintableSequence(name);
  if (!found) return std::nullopt;
  return std::to_string(found->index) + ":" + found->character;
}

using ::koseki::testing::IsOk;
using ::testing::Optional;

// 葛 U+845B: IPAmj明朝 has U+E0102..E0108 for it, but not U+E0100 (Adobe-Japan1's 葛) or
// U+E0101.
std::string Hex(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

constexpr char kKuzu[] = "葛";
constexpr char kKuzuE0100[] = "葛\U000E0100";
constexpr char kKuzuE0102[] = "葛\U000E0102";

TEST(PrintableSequencesTest, TableIsSortedUniqueAndLarge) {
  const auto table = internal::PrintableSequenceTable();
  EXPECT_GT(table.size(), 10000u);
  EXPECT_EQ(PrintableVariationSequenceCount(), table.size());
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end()));
  EXPECT_EQ(std::adjacent_find(table.begin(), table.end()), table.end());
}

TEST(PrintableSequencesTest, TableHoldsOnlyVariationSequences) {
  for (const internal::VariationSequence& sequence : internal::PrintableSequenceTable()) {
    EXPECT_FALSE(IsVariationSelector(sequence.base)) << Hex(sequence.base);
    EXPECT_TRUE(IsVariationSelector(sequence.selector)) << Hex(sequence.selector);
  }
}

TEST(PrintableSequencesTest, TableRecordsTheFontItWasReadFrom) {
  EXPECT_FALSE(internal::PrintableSequenceFontPath().empty());
  EXPECT_GT(internal::PrintableSequenceFontBytes(), 0u);
}

TEST(PrintableSequencesTest, KuzuWithE0102IsPrintable) {
  EXPECT_TRUE(IsPrintableVariationSequence(U'葛', 0xE0102));
  EXPECT_EQ(Unprintable(kKuzuE0102), std::nullopt);
}

TEST(PrintableSequencesTest, KuzuWithE0100IsNotPrintable) {
  EXPECT_FALSE(IsPrintableVariationSequence(U'葛', 0xE0100));
  EXPECT_THAT(Unprintable(kKuzuE0100), Optional("0:" + std::string(kKuzuE0100)));
}

TEST(PrintableSequencesTest, CharactersWithoutSelectorsAreNotChecked) {
  EXPECT_EQ(Unprintable(kKuzu), std::nullopt);
  EXPECT_EQ(Unprintable("山田　太郎"), std::nullopt);
  EXPECT_EQ(Unprintable("\U00020B9F"), std::nullopt);  // 𠮟
  EXPECT_EQ(Unprintable(""), std::nullopt);
}

TEST(PrintableSequencesTest, ReturnsTheUnprintableSecondCharacterWithItsSelector) {
  const std::string name = std::string(kKuzuE0102) + kKuzuE0100;
  ASSERT_THAT(ValidateName(name), IsOk());
  EXPECT_THAT(Unprintable(name), Optional("1:" + std::string(kKuzuE0100)));
  EXPECT_THAT(Unprintable(std::string("城") + kKuzuE0100 + "子"),
              Optional("1:" + std::string(kKuzuE0100)));
}

TEST(PrintableSequencesTest, ReturnsOnlyTheFirstUnprintableCharacter) {
  const std::string name = std::string(kKuzuE0100) + "辻\U000E0101";
  EXPECT_THAT(Unprintable(name), Optional("0:" + std::string(kKuzuE0100)));
}

TEST(PrintableSequencesTest, TwoSelectorsOnOneBaseAreNotPrintable) {
  const std::string name = std::string("山") + kKuzuE0102 + "\U000E0103";
  EXPECT_THAT(Unprintable(name), Optional("1:" + std::string(kKuzuE0102) + "\U000E0103"));
}

TEST(PrintableSequencesTest, SelectorWithoutBaseIsNotPrintable) {
  EXPECT_THAT(Unprintable("\U000E0102"), Optional(std::string("0:\U000E0102")));
}

TEST(PrintableSequencesTest, EveryTableEntryPassesTheEntryCheck) {
  for (const internal::VariationSequence& sequence : internal::PrintableSequenceTable()) {
    const std::string name = EncodeUtf8(std::u32string{sequence.base, sequence.selector});
    ASSERT_EQ(Unprintable(name), std::nullopt) << Hex(sequence.base);
  }
}

TEST(PrintableSequencesTest, SkipsIllFormedBytes) {
  EXPECT_EQ(Unprintable("\xFF葛"), std::nullopt);
  // The undecodable byte counts as one character, as CountCharacters counts it.
  EXPECT_THAT(Unprintable(std::string("\xFF") + kKuzuE0100),
              Optional("1:" + std::string(kKuzuE0100)));
}

}  // namespace
}  // namespace koseki::text
