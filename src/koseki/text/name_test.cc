#include "koseki/text/name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::text {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;

// 葛 U+845B followed by VS17 U+E0100: an ideographic variation sequence.
const std::string kKuzuWithIvs = "\u845B\U000E0100";
// 𠮟 U+20B9F: a 常用漢字 outside the BMP.
const std::string kShikaru = "\U00020B9F";
// U+FA10, a CJK compatibility ideograph whose canonical decomposition is 塚 U+585A.
const std::string kCompatTsuka = "\uFA10";

TEST(Utf8Test, DecodesAndEncodesSupplementaryPlaneCharacters) {
  const std::string text = "山" + kShikaru + kKuzuWithIvs;
  const auto decoded = DecodeUtf8(text);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(*decoded, (std::u32string{U'山', U'\U00020B9F', U'\u845B', U'\U000E0100'}));
  EXPECT_EQ(EncodeUtf8(*decoded), text);
}

TEST(Utf8Test, DecodeRefusesIllFormedInput) {
  for (const std::string& bad : {
           std::string("\x80"),              // stray continuation byte
           std::string("\xC0\xAF"),          // overlong '/'
           std::string("\xE0\x80\xAF"),      // overlong '/'
           std::string("\xF0\x80\x80\xAF"),  // overlong '/'
           std::string("\xED\xA0\x80"),      // surrogate U+D800
           std::string("\xED\xBF\xBF"),      // surrogate U+DFFF
           std::string("\xF4\x90\x80\x80"),  // U+110000
           std::string("\xF5\x80\x80\x80"),  // lead byte above F4
           std::string("\xE5\xB1"),          // truncated 山
           std::string("\xE5\x41\xB1"),      // non-continuation in the middle
           std::string("\xFF"),
       }) {
    EXPECT_THAT(DecodeUtf8(bad), ErrorIdIs("KSK-TEXT-001"));
  }
}

TEST(Utf8Test, DecodeAcceptsTheLargestCodePointsOfEachLength) {
  EXPECT_THAT(DecodeUtf8("\x7F\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF"),
              IsOkAndHolds(std::u32string{0x7F, 0x7FF, 0xFFFF, 0x10FFFF}));
  EXPECT_THAT(DecodeUtf8("\xED\x9F\xBF\xEE\x80\x80"), IsOkAndHolds(std::u32string{0xD7FF, 0xE000}));
}

TEST(Utf8Test, EncodeReplacesNonScalarValues) {
  EXPECT_EQ(EncodeUtf8(std::u32string{0xD800, 0x110000}), "\uFFFD\uFFFD");
}

TEST(VariationSelectorTest, RecognisesBothSelectorBlocks) {
  EXPECT_TRUE(IsVariationSelector(0xFE00));
  EXPECT_TRUE(IsVariationSelector(0xFE0F));
  EXPECT_TRUE(IsVariationSelector(0xE0100));
  EXPECT_TRUE(IsVariationSelector(0xE01EF));
  EXPECT_FALSE(IsVariationSelector(0xFDFF));
  EXPECT_FALSE(IsVariationSelector(0xFE10));
  EXPECT_FALSE(IsVariationSelector(0xE00FF));
  EXPECT_FALSE(IsVariationSelector(0xE01F0));
  EXPECT_FALSE(IsVariationSelector(U'葛'));
}

TEST(CountCharactersTest, BaseAndVariationSelectorCountAsOne) {
  EXPECT_EQ(CountCharacters(kKuzuWithIvs), 1u);
  EXPECT_EQ(CountCharacters("山" + kKuzuWithIvs + "健一"), 4u);
}

TEST(CountCharactersTest, SupplementaryPlaneKanjiCountsAsOne) {
  EXPECT_EQ(CountCharacters(kShikaru), 1u);
  EXPECT_EQ(CountCharacters(""), 0u);
}

TEST(ValidateNameTest, KeepsAnIdeographicVariationSequenceByteForByte) {
  const std::string name = "山川" + kKuzuWithIvs;
  EXPECT_THAT(ValidateName(name), IsOkAndHolds(name));
}

TEST(ValidateNameTest, KeepsASupplementaryPlaneKanjiByteForByte) {
  const std::string name = kShikaru + "子";
  EXPECT_THAT(ValidateName(name), IsOkAndHolds(name));
}

TEST(ValidateNameTest, KeepsACompatibilityIdeographUnnormalized) {
  const std::string name = kCompatTsuka + "本";
  const auto validated = ValidateName(name);
  ASSERT_THAT(validated, IsOkAndHolds(name));
  EXPECT_EQ(validated->find("\u585A"), std::string::npos);
}

TEST(ValidateNameTest, RefusesInvalidUtf8) {
  EXPECT_THAT(ValidateName("山\xE5\xB1"), ErrorIdIs("KSK-TEXT-001"));
  EXPECT_THAT(ValidateName("\xED\xA0\x80"), ErrorIdIs("KSK-TEXT-001"));
}

TEST(ValidateNameTest, RefusesEmptyAndBlankNames) {
  EXPECT_THAT(ValidateName(""), ErrorIdIs("KSK-TEXT-002"));
  EXPECT_THAT(ValidateName(" \u3000"), ErrorIdIs("KSK-TEXT-002"));
}

TEST(ValidateNameTest, RefusesControlCharacters) {
  EXPECT_THAT(ValidateName("山川\n健一"), ErrorIdIs("KSK-TEXT-003"));
  EXPECT_THAT(ValidateName(std::string("山\0川", 7)), ErrorIdIs("KSK-TEXT-003"));
  EXPECT_THAT(ValidateName("山\u0085川"), ErrorIdIs("KSK-TEXT-003"));
  EXPECT_THAT(ValidateName("山\u2028川"), ErrorIdIs("KSK-TEXT-003"));
}

TEST(ValidateNameTest, RefusesAVariationSelectorWithoutABase) {
  EXPECT_THAT(ValidateName("\U000E0100山"), ErrorIdIs("KSK-TEXT-004"));
  EXPECT_THAT(ValidateName("山\u3000\U000E0100川"), ErrorIdIs("KSK-TEXT-004"));
}

// Tried as an attacker: a register whose 筆頭者 differs from another's only by an invisible
// character looked identical on every screen and certificate.
TEST(ValidateNameTest, RefusesInvisibleCharactersButKeepsVariationSelectors) {
  for (const char* invisible : {"\u200B", "\u200C", "\u200D", "\u200E", "\u202E", "\u2060",
                                "\u2066", "\uFEFF", "\u00AD", "\U000E0001"}) {
    EXPECT_THAT(ValidateName(std::string("山") + invisible + "川"), ErrorIdIs("KSK-TEXT-005"))
        << "U+" << std::hex << static_cast<unsigned>(DecodeUtf8(invisible)->front());
  }
  EXPECT_THAT(ValidateName("山川" + kKuzuWithIvs), IsOk());
  EXPECT_THAT(ValidateName("葛\uFE00"), IsOk());
  EXPECT_TRUE(IsInvisible(U'\u200B'));
  EXPECT_FALSE(IsInvisible(U'\U000E0100'));
  EXPECT_FALSE(IsInvisible(U'\u3000'));
}

TEST(ValidateNameTest, RefusesANameLongerThanTheLimit) {
  std::string longest;
  for (std::size_t i = 0; i < kMaxNameCharacters; ++i) longest += kKuzuWithIvs;
  EXPECT_THAT(ValidateName(longest), IsOk());
  EXPECT_THAT(ValidateName(longest + "ア"), ErrorIdIs("KSK-TEXT-006"));
}

TEST(ValidateNameTest, AcceptsASpaceBetweenSurnameAndGivenName) {
  EXPECT_THAT(ValidateName("山川　健一"), IsOk());
}

TEST(SearchKeyTest, MapsCompatibilityIdeographToUnifiedIdeograph) {
  EXPECT_EQ(SearchKey(kCompatTsuka + "本"), "\u585A本");
  EXPECT_EQ(SearchKey(kCompatTsuka), SearchKey("\u585A"));
  // U+2F800 range: U+2F81F decomposes to U+34DF.
  EXPECT_EQ(SearchKey("\U0002F81F"), "\u34DF");
}

TEST(SearchKeyTest, DropsVariationSelectors) {
  EXPECT_EQ(SearchKey("山川" + kKuzuWithIvs), "山川葛");
  EXPECT_EQ(SearchKey("葛\uFE00"), "葛");
}

TEST(SearchKeyTest, KeepsSupplementaryPlaneKanji) { EXPECT_EQ(SearchKey(kShikaru), kShikaru); }

TEST(SearchKeyTest, FoldsHalfWidthKatakanaAndHiraganaToKatakana) {
  EXPECT_EQ(SearchKey("ｶﾀｶﾅ"), "カタカナ");
  EXPECT_EQ(SearchKey("かたかな"), "カタカナ");
  EXPECT_EQ(SearchKey("ﾔﾏｶﾞﾜ ｹﾝｲﾁ"), "ヤマガワケンイチ");
  EXPECT_EQ(SearchKey("やまがわ"), "ヤマガワ");
  EXPECT_EQ(SearchKey("ﾎﾟｰﾙ"), "ポール");
  EXPECT_EQ(SearchKey("さゝき"), "サヽキ");
}

TEST(SearchKeyTest, ComposesDecomposedVoicedKana) { EXPECT_EQ(SearchKey("か\u3099"), "ガ"); }

TEST(SearchKeyTest, RemovesSpacesSoThatSpellingsMeet) {
  EXPECT_EQ(SearchKey("山川　健一"), SearchKey("山川健一"));
  EXPECT_EQ(SearchKey("山川 健一"), "山川健一");
}

TEST(SearchKeyTest, WidensAsciiAlphanumerics) {
  EXPECT_EQ(SearchKey("Smith2"), "Ｓｍｉｔｈ２");
  EXPECT_EQ(SearchKey("Smith2"), SearchKey("Ｓｍｉｔｈ２"));
}

TEST(SearchKeyTest, KeepsDistinctNamesDistinct) {
  EXPECT_NE(SearchKey("山川健一"), SearchKey("山河健一"));
  EXPECT_NE(SearchKey("ヤマカワ"), SearchKey("ヤマガワ"));
}

TEST(SearchKeyTest, ReplacesIllFormedBytesDeterministically) {
  EXPECT_EQ(SearchKey("山\xFF"), "山\uFFFD");
}

TEST(IsKatakanaReadingTest, AcceptsKatakanaLongVowelAndIdeographicSpace) {
  EXPECT_TRUE(IsKatakanaReading("ヤマカワ　ケンイチ"));
  EXPECT_TRUE(IsKatakanaReading("ルーシー"));
  EXPECT_TRUE(IsKatakanaReading("ヴァ"));
}

TEST(IsKatakanaReadingTest, RefusesOtherScriptsAndEmptyText) {
  EXPECT_FALSE(IsKatakanaReading(""));
  EXPECT_FALSE(IsKatakanaReading("　"));
  EXPECT_FALSE(IsKatakanaReading("やまかわ"));
  EXPECT_FALSE(IsKatakanaReading("ﾔﾏｶﾜ"));
  EXPECT_FALSE(IsKatakanaReading("ヤマカワ ケンイチ"));
  EXPECT_FALSE(IsKatakanaReading("山川"));
  EXPECT_FALSE(IsKatakanaReading("ヤマカワ\xE5"));
}

TEST(KanaOnlyReadingTest, HiraganaBecomesKatakanaAndSmallKanaStaySmall) {
  EXPECT_EQ(KanaOnlyReading("さくら"), "サクラ");
  EXPECT_EQ(KanaOnlyReading("しょう"), "ショウ");
  EXPECT_EQ(KanaOnlyReading("しよう"), "シヨウ");
  EXPECT_EQ(KanaOnlyReading("ルーシー"), "ルーシー");
  EXPECT_EQ(KanaOnlyReading("まりア"), "マリア");
}

TEST(KanaOnlyReadingTest, ANameWithAnyOtherCharacterHasNoReadingOfItsOwn) {
  EXPECT_EQ(KanaOnlyReading("健一"), std::nullopt);
  EXPECT_EQ(KanaOnlyReading("さくら子"), std::nullopt);
  EXPECT_EQ(KanaOnlyReading(""), std::nullopt);
  EXPECT_EQ(KanaOnlyReading("ｻｸﾗ"), std::nullopt);
  EXPECT_EQ(KanaOnlyReading("さ\xE5"), std::nullopt);
}

}  // namespace
}  // namespace koseki::text
