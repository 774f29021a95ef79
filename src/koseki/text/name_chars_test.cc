#include "koseki/text/name_chars.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace koseki::text {
namespace {

using ::testing::Optional;

TEST(NameCharsTest, TablesHaveTheLegalCounts) {
  EXPECT_EQ(JoyoKanjiCount(), 2136u);
  EXPECT_EQ(JinmeiyoKanjiCount(), 863u);
}

TEST(NameCharsTest, OfficialFormsOutsideJisX0208AreJoyo) {
  EXPECT_TRUE(IsJoyoKanji(U'\U00020B9F'));  // 𠮟
  EXPECT_TRUE(IsJoyoKanji(U'塡'));
  EXPECT_TRUE(IsJoyoKanji(U'剝'));
  EXPECT_TRUE(IsJoyoKanji(U'頰'));
}

TEST(NameCharsTest, PopularVariantsOfJoyoFormsAreNotAllowed) {
  for (const char32_t variant : {U'叱', U'剥', U'填', U'頬'}) {
    EXPECT_FALSE(IsJoyoKanji(variant));
    EXPECT_FALSE(IsJinmeiyoKanji(variant));
    EXPECT_FALSE(IsAllowedInGivenName(variant));
  }
}

TEST(NameCharsTest, KanjiAddedIn2015And2017AreJinmeiyo) {
  EXPECT_TRUE(IsJinmeiyoKanji(U'巫'));
  EXPECT_TRUE(IsJinmeiyoKanji(U'渾'));
  EXPECT_FALSE(IsJoyoKanji(U'巫'));
}

TEST(NameCharsTest, TraditionalFormsInTheJinmeiyoListAreAllowed) {
  EXPECT_TRUE(IsJinmeiyoKanji(U'亞'));  // 2010:U+4E9C 亜
  EXPECT_TRUE(IsAllowedInGivenName(U'亞'));
}

TEST(NameCharsTest, CommonKanjiAreJoyoButNotJinmeiyo) {
  EXPECT_TRUE(IsJoyoKanji(U'健'));
  EXPECT_FALSE(IsJinmeiyoKanji(U'健'));
  EXPECT_TRUE(IsAllowedInGivenName(U'健'));
}

TEST(NameCharsTest, KanaAndMarksAreAllowed) {
  for (const char32_t c : {U'ぁ', U'ゖ', U'ァ', U'ヺ', U'ー', U'々', U'ゝ', U'ゞ', U'ヽ', U'ヾ'}) {
    EXPECT_TRUE(IsAllowedInGivenName(c)) << static_cast<unsigned>(c);
  }
}

TEST(NameCharsTest, LatinDigitsAndSymbolsAreRefused) {
  for (const char32_t c :
       {U'A', U'z', U'0', U'９', U'Ａ', U'・', U'　', U' ', U'ｱ', U'〆', U'丶'}) {
    EXPECT_FALSE(IsAllowedInGivenName(c)) << static_cast<unsigned>(c);
  }
}

TEST(FirstDisallowedTest, AllowedNameHasNoDisallowedCharacter) {
  EXPECT_EQ(FirstDisallowedInGivenName("健一"), std::nullopt);
  EXPECT_EQ(FirstDisallowedInGivenName("さくら"), std::nullopt);
  EXPECT_EQ(FirstDisallowedInGivenName("\U00020B9Fこ"), std::nullopt);
  EXPECT_EQ(FirstDisallowedInGivenName(""), std::nullopt);
}

TEST(FirstDisallowedTest, ReportsTheIndexInCharacters) {
  EXPECT_THAT(FirstDisallowedInGivenName("健A"), Optional(1u));
  EXPECT_THAT(FirstDisallowedInGivenName("\U00020B9F\U00020B9F叱"), Optional(2u));
  EXPECT_THAT(FirstDisallowedInGivenName("1郎"), Optional(0u));
}

TEST(FirstDisallowedTest, VariationSelectorBelongsToItsBase) {
  // 葛 + VS17 is one allowed character, so the Latin letter after it is character 1.
  EXPECT_EQ(FirstDisallowedInGivenName("葛\U000E0100"), std::nullopt);
  EXPECT_THAT(FirstDisallowedInGivenName("葛\U000E0100x"), Optional(1u));
}

TEST(FirstDisallowedTest, SelectorWithoutBaseAndBrokenUtf8AreDisallowed) {
  EXPECT_THAT(FirstDisallowedInGivenName("\U000E0100葛"), Optional(0u));
  EXPECT_THAT(FirstDisallowedInGivenName("健\xE5"), Optional(1u));
}

}  // namespace
}  // namespace koseki::text
