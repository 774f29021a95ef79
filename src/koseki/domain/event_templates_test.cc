#include "koseki/domain/event_templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/text/name.h"

namespace koseki::domain {
namespace {

using testing::Day;
using ::testing::ElementsAre;

std::vector<std::string_view> TagsOf(std::string_view kind) {
  std::vector<std::string_view> tags;
  for (const TagSpec& t : FindEventTemplate(kind)->tags) tags.push_back(t.tag);
  return tags;
}

TEST(EventTemplatesTest, ConfirmedTagOrdersFromDomainMd14a) {
  EXPECT_THAT(TagsOf("出生"), ElementsAre("出生日", "出生地", "届出日", "届出人",
                                          "国籍留保の届出日", "送付を受けた日", "受理者"));
  EXPECT_THAT(TagsOf("死亡"), ElementsAre("死亡日", "死亡時分", "死亡地", "届出日", "届出人",
                                          "送付を受けた日", "受理者"));
  EXPECT_THAT(TagsOf("戸籍改製"), ElementsAre("改製日", "改製事由"));
  EXPECT_THAT(TagsOf("配偶者の死亡"), ElementsAre("配偶者の死亡日"));
}

TEST(EventTemplatesTest, LabelsArePaddedToFourCharacters) {
  EXPECT_EQ(FindEventTemplate("出生")->label, "出　　生");
  EXPECT_EQ(FindEventTemplate("婚姻")->label, "婚　　姻");
  EXPECT_EQ(FindEventTemplate("死亡")->label, "死　　亡");
  EXPECT_EQ(FindEventTemplate("転籍")->label, "転　　籍");
  EXPECT_EQ(FindEventTemplate("養子縁組")->label, "養子縁組");
  EXPECT_EQ(FindEventTemplate("配偶者の死亡")->label, "配偶者の死亡");
  for (const EventTemplate& t : AllEventTemplates()) {
    EXPECT_GE(text::CountCharacters(t.label), 4u) << t.kind;
    // Six characters fit the column; a longer label continues on the next row (two at most).
    EXPECT_LE(text::CountCharacters(t.label), 12u) << t.kind;
  }
}

TEST(EventTemplatesTest, KindsAndTagsAreUniqueAndIndentedTagsFollowTheirHeading) {
  std::set<std::string_view> kinds;
  for (const EventTemplate& t : AllEventTemplates()) {
    EXPECT_TRUE(kinds.insert(t.kind).second) << "duplicate kind " << t.kind;
    std::set<std::string_view> tags;
    for (const TagSpec& spec : t.tags) {
      EXPECT_TRUE(tags.insert(spec.tag).second) << t.kind << " duplicate tag " << spec.tag;
      if (!spec.under.empty()) {
        EXPECT_TRUE(tags.contains(spec.under)) << t.kind << " " << spec.tag;
      }
    }
  }
}

TEST(EventTemplatesTest, RegisterLevelAndPersonLevelKindsAreSeparated) {
  EXPECT_EQ(FindEventTemplate("転籍")->scope, EventScope::kKosekiJiko);
  EXPECT_EQ(FindEventTemplate("戸籍編製")->scope, EventScope::kKosekiJiko);
  EXPECT_EQ(FindEventTemplate("戸籍消除")->scope, EventScope::kKosekiJiko);
  EXPECT_EQ(FindEventTemplate("出生")->scope, EventScope::kMibunJiko);
  EXPECT_EQ(FindEventTemplate("分籍")->scope, EventScope::kMibunJiko);
}

TEST(EventTemplatesTest, UnknownKindHasNoTemplate) {
  EXPECT_EQ(FindEventTemplate("出産"), nullptr);
  EXPECT_EQ(FindEventTemplate(""), nullptr);
}

TEST(EventTemplatesTest, FindTagReportsPrintPosition) {
  std::size_t position = 99;
  ASSERT_NE(FindTag(*FindEventTemplate("死亡"), "死亡地", &position), nullptr);
  EXPECT_EQ(position, 2u);
  EXPECT_EQ(FindTag(*FindEventTemplate("死亡"), "死亡場所"), nullptr);
}

TEST(EventTemplatesTest, TranscriptionDefaultsFollowTheIkiRule) {
  EXPECT_TRUE(MakeEvent("出生", {}).transcribable);
  EXPECT_TRUE(MakeEvent("婚姻", {}).transcribable);
  EXPECT_TRUE(MakeEvent("親権", {}).transcribable);
  EXPECT_FALSE(MakeEvent("離婚", {}).transcribable);
  EXPECT_FALSE(MakeEvent("養子離縁", {}).transcribable);
  EXPECT_FALSE(MakeEvent("存在しない種類", {}).transcribable);
}

TEST(EventTemplatesTest, AdopterAndAcknowledgingFatherSidesAreNotTranscribed) {
  const Event adoptee = MakeEvent(
      "養子縁組", {DateField("縁組日", Day("2015-04-01")), TextField("養父氏名", "谷口一郎")});
  const Event adopter = MakeEvent(
      "養子縁組", {DateField("縁組日", Day("2015-04-01")), TextField("養子氏名", "山川拓也")});
  EXPECT_TRUE(adoptee.transcribable);
  EXPECT_FALSE(adopter.transcribable);
  const Event child = MakeEvent("認知", {TextField("認知者氏名", "大野翔")});
  const Event father = MakeEvent("認知", {TextField("認知した子の氏名", "山川陽菜")});
  EXPECT_TRUE(child.transcribable);
  EXPECT_FALSE(father.transcribable);
}

TEST(EventTest, AccessorsFindTypedValues) {
  const Event death =
      MakeEvent("死亡", {DateField("死亡日", Day("2024-11-20")), TimeField("死亡時分", 15, 45),
                         TextField("死亡地", "青葉県みなと市")});
  EXPECT_EQ(death.DateOf("死亡日"), Day("2024-11-20"));
  EXPECT_EQ(death.DateOf("死亡地"), std::nullopt);
  EXPECT_EQ(death.TextOf("死亡地"), "青葉県みなと市");
  EXPECT_EQ(death.TextOf("届出人"), std::nullopt);
  ASSERT_NE(death.Find("死亡時分"), nullptr);
  EXPECT_EQ(std::get<TimeOfDay>(*death.Find("死亡時分")), (TimeOfDay{15, 45}));
}

}  // namespace
}  // namespace koseki::domain
