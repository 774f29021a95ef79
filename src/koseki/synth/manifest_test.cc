#include "koseki/synth/manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "koseki/domain/testing/example_register.h"
#include "koseki/synth/generator.h"

namespace koseki::synth {
namespace {

using ::testing::Contains;
using ::testing::Not;

std::vector<std::string> Strings(const nlohmann::json& array) {
  std::vector<std::string> out;
  for (const auto& v : array) out.push_back(v.get<std::string>());
  return out;
}

class ExampleManifest : public ::testing::Test {
 protected:
  const domain::Register reg_ = domain::testing::ExampleRegister();
  const nlohmann::json line_ = ManifestLine(reg_);
  std::vector<std::string> names() const { return Strings(line_["names"]); }
  std::vector<std::string> dates() const { return Strings(line_["dates"]); }
  std::vector<std::string> places() const { return Strings(line_["places"]); }
};

TEST_F(ExampleManifest, GivesTheLookupKeys) {
  EXPECT_EQ(line_["honseki"], "青葉県みなと市桜町二丁目１５番地");
  EXPECT_EQ(line_["hittosha"], "山川\u3000健一");
  EXPECT_EQ(line_["hittosha_full"], "山川健一");
  EXPECT_EQ(line_["hittosha_uji"], "山川");
  EXPECT_EQ(line_["hittosha_mei"], "健一");
  EXPECT_EQ(line_["status"], "現在");
  EXPECT_EQ(line_["persons"], 4);
}

TEST_F(ExampleManifest, ListsEveryNameWithAndWithoutTheSpace) {
  for (const char* name : {"山川健一", "山川\u3000健一", "健一", "山川美咲", "山川\u3000美咲",
                           "美咲", "山川真理", "真理", "山川拓也", "拓也",
                           // parents, spouses before marriage, the 届出人 親族　山川美咲
                           "山川昭夫", "山川恵子", "川村正和", "川村洋子", "川村美咲", "大野翔"}) {
    EXPECT_THAT(names(), Contains(name));
  }
  EXPECT_THAT(names(), Not(Contains("父")));
  EXPECT_THAT(names(), Not(Contains("親族\u3000山川美咲")));
}

TEST_F(ExampleManifest, ListsEveryPersonalDatePrintedAndIso) {
  for (const char* date :
       {"昭和３０年５月１０日", "1955-05-10", "昭和３３年１月２５日", "1958-01-25",
        "昭和５９年１０月１０日", "1984-10-10", "令和６年１１月２０日", "2024-11-20",
        "令和６年１１月２２日", "平成２５年６月５日", "昭和６２年１２月１日"}) {
    EXPECT_THAT(dates(), Contains(date));
  }
  // The 改製日 is the same for every register of the city: not personal data.
  EXPECT_THAT(dates(), Not(Contains("平成１５年３月１５日")));
}

TEST_F(ExampleManifest, ListsPlacesAndRegisterReferences) {
  for (const char* place :
       {"青葉県みなと市桜町二丁目１５番地", "青葉県みなと市", "東海県南浜市",
        "青葉県北原市緑町一丁目８番地", "青葉県みなと市港町一丁目３番地\u3000山川昭夫",
        "青葉県みなと市港町一丁目３番地", "東海県南浜市浜町５番地"}) {
    EXPECT_THAT(places(), Contains(place));
  }
  // 受理者 (a mayor's title) is not personal data.
  EXPECT_THAT(places(), Not(Contains("東海県南浜市長")));
}

TEST_F(ExampleManifest, ArraysAreSortedWithoutDuplicatesAndTheDumpIsStable) {
  for (const char* key : {"names", "dates", "places", "readings"}) {
    const std::vector<std::string> v = Strings(line_[key]);
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end())) << key;
    EXPECT_EQ(std::adjacent_find(v.begin(), v.end()), v.end()) << key;
  }
  EXPECT_EQ(ManifestLine(reg_).dump(), line_.dump());
}

TEST(ManifestTest, GeneratedRegistersListTheirRareCharactersAndReadingsByteForByte) {
  const Generator g = *Generator::Create(GeneratorOptions{});
  Result<std::vector<domain::Register>> regs = g.GenerateAll(7, 300);
  ASSERT_TRUE(regs.has_value());
  bool saw_selector = false;
  for (const domain::Register& r : *regs) {
    const nlohmann::json line = ManifestLine(r);
    const std::vector<std::string> names = Strings(line["names"]);
    for (const domain::Person& p : r.persons) {
      EXPECT_THAT(names, Contains(r.FullNameOf(p)));
      EXPECT_THAT(Strings(line["dates"]), Contains(p.birth_date.ToIso()));
      if (p.mei_furigana) {
        EXPECT_THAT(Strings(line["readings"]), Contains(*p.mei_furigana));
      }
    }
    if (r.uji.find("\U000E0102") != std::string::npos) {
      saw_selector = true;
      EXPECT_THAT(names, Contains(r.HittoshaDisplayName()));
    }
  }
  EXPECT_TRUE(saw_selector);
}

}  // namespace
}  // namespace koseki::synth
