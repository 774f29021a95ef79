#include "koseki/rules/form.h"

#include <gtest/gtest.h>

#include "koseki/rules/context.h"
#include "koseki/rules/notification.h"

namespace koseki::rules {
namespace {

FormSpec TestForm() {
  return FormSpec{
      NotificationType::kShussei,
      "出生届",
      {
          {.key = "mei", .label = "子の名", .type = FieldType::kGivenName, .required = true},
          {.key = "yomi", .label = "振り仮名", .type = FieldType::kKana},
          {.key = "day", .label = "出生日", .type = FieldType::kDate, .required = true},
          {.key = "time", .label = "時刻", .type = FieldType::kTime},
          {.key = "sex", .label = "性別", .type = FieldType::kChoice, .choices = {"男", "女"}},
          {.key = "honseki", .label = "新本籍", .type = FieldType::kHonseki},
          {.key = "mother", .label = "母", .type = FieldType::kPersonRef},
          {.key = "reg", .label = "戸籍", .type = FieldType::kRegisterRef},
          {.key = "place", .label = "出生地", .type = FieldType::kText},
          {.key = "filer", .label = "届出人", .type = FieldType::kName},
      }};
}

Entry Valid() {
  return Entry{.type = NotificationType::kShussei,
               .values = {{"mei", "陽翔"},
                          {"yomi", "ハルト"},
                          {"day", "令和８年４月１日"},
                          {"time", "9:05"},
                          {"sex", "男"},
                          {"honseki", "青葉県みなと市桜町二丁目１５番地"},
                          {"mother", "R1:2"},
                          {"reg", "R1"},
                          {"place", "青葉県みなと市"},
                          {"filer", "山川拓也"}}};
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code + "@" + f.field);
  return codes;
}

TEST(CheckFormTest, AcceptsAWellFormedEntry) {
  EXPECT_TRUE(CheckForm(TestForm(), Valid()).empty());
}

TEST(CheckFormTest, ReportsMissingRequiredFieldsAndTreatsBlanksAsMissing) {
  Entry entry = Valid();
  entry.values.erase("mei");
  entry.values["day"] = " \u3000";
  EXPECT_EQ(Codes(CheckForm(TestForm(), entry)),
            (std::vector<std::string>{"RULE-FORM-002@mei", "RULE-FORM-002@day"}));
}

TEST(CheckFormTest, OptionalFieldsMayBeLeftOut) {
  Entry entry = Valid();
  entry.values.erase("yomi");
  entry.values["time"] = "";
  EXPECT_TRUE(CheckForm(TestForm(), entry).empty());
}

TEST(CheckFormTest, ReportsEachMalformedValueInFormOrder) {
  Entry entry = Valid();
  entry.values["mei"] = "Ken";
  entry.values["yomi"] = "はると";
  entry.values["day"] = "2026-02-30";
  entry.values["time"] = "24:00";
  entry.values["sex"] = "不明";
  entry.values["honseki"] = "桜町";
  entry.values["mother"] = "R1-2";
  entry.values["reg"] = "R0";
  entry.values["place"] = "青葉県\nみなと市";
  entry.values["filer"] = "\x01";
  EXPECT_EQ(
      Codes(CheckForm(TestForm(), entry)),
      (std::vector<std::string>{"RULE-NAME-001@mei", "RULE-KANA-001@yomi", "RULE-FORM-003@day",
                                "RULE-FORM-004@time", "RULE-FORM-007@sex", "RULE-FORM-010@honseki",
                                "RULE-FORM-008@mother", "RULE-FORM-009@reg", "RULE-FORM-011@place",
                                "RULE-FORM-005@filer"}));
}

TEST(CheckFormTest, ReportsUnknownKeys) {
  Entry entry = Valid();
  entry.values["husband"] = "R1:1";
  EXPECT_EQ(Codes(CheckForm(TestForm(), entry)),
            (std::vector<std::string>{"RULE-FORM-001@husband"}));
}

TEST(CheckFormTest, MessagesNameTheFieldNotTheValue) {
  Entry entry = Valid();
  entry.values["mei"] = "健A";
  std::vector<Finding> findings = CheckForm(TestForm(), entry);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_NE(findings[0].message.find("2文字目"), std::string::npos);
  EXPECT_EQ(findings[0].message.find("健"), std::string::npos);
}

TEST(CheckFormTest, ACharacterTheCertificateFontCannotPrintIsAnErrorNamingItsPlace) {
  Entry entry = Valid();
  // 葛 with U+E0102 has a glyph of its own in IPAmj明朝; with U+E0100 the font has none and
  // would silently print the plain 葛.
  entry.values["filer"] = "山\u845B\U000E0102";
  entry.values["place"] = "青葉県\u845B\U000E0100市";
  entry.values["honseki"] = "青葉県みなと市\u845B\U000E0100町１番地";
  const std::vector<Finding> findings = CheckForm(TestForm(), entry);
  EXPECT_EQ(Codes(findings),
            (std::vector<std::string>{"RULE-FORM-012@honseki", "RULE-FORM-012@place"}));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[1].message.find("4文字目"), std::string::npos) << findings[1].message;
  EXPECT_NE(findings[1].message.find("U+E0100"), std::string::npos);
  EXPECT_EQ(findings[1].message.find("\u845B"), std::string::npos);
}

FormSpec PerPersonForm() {
  return FormSpec{
      NotificationType::kShussei,
      "振り仮名",
      {
          {.key = "register", .label = "戸籍", .type = FieldType::kRegisterRef},
          {.key = "yomi", .label = "名の振り仮名", .type = FieldType::kKana, .per_person = true},
      }};
}

TEST(CheckFormTest, APerPersonFieldTakesOneValuePerSeq) {
  const Entry entry{.type = NotificationType::kShussei,
                    .values = {{"register", "R1"}, {"yomi.1", "ケンイチ"}, {"yomi.12", "マリ"}}};
  EXPECT_TRUE(CheckForm(PerPersonForm(), entry).empty());
}

TEST(CheckFormTest, APerPersonValueIsCheckedUnderItsOwnKey) {
  const Entry entry{.type = NotificationType::kShussei,
                    .values = {{"register", "R1"}, {"yomi.1", "ケンイチ"}, {"yomi.2", "まり"}}};
  EXPECT_EQ(Codes(CheckForm(PerPersonForm(), entry)),
            (std::vector<std::string>{"RULE-KANA-001@yomi.2"}));
}

TEST(CheckFormTest, APerPersonKeyNeedsAPlainPositiveSeq) {
  for (const char* key :
       {"yomi", "yomi.", "yomi.0", "yomi.01", "yomi.1a", "yomi.-1", "yomix.1", "yomi.1234567"}) {
    const Entry entry{.type = NotificationType::kShussei,
                      .values = {{"register", "R1"}, {key, "ケンイチ"}}};
    EXPECT_EQ(Codes(CheckForm(PerPersonForm(), entry)),
              (std::vector<std::string>{std::string("RULE-FORM-001@") + key}))
        << key;
  }
}

TEST(NotificationTypeTest, ParsesKeysAndJapaneseNames) {
  EXPECT_EQ(*ParseNotificationType("shussei"), NotificationType::kShussei);
  EXPECT_EQ(*ParseNotificationType("死亡届"), NotificationType::kShibou);
  EXPECT_EQ(*ParseNotificationType("養子縁組"), NotificationType::kYoshiEngumi);
  EXPECT_FALSE(ParseNotificationType("届"));
  EXPECT_FALSE(ParseNotificationType("marriage"));
  EXPECT_EQ(NotificationTypeName(NotificationType::kTenseki), "転籍届");
  EXPECT_EQ(NotificationTypeKey(NotificationType::kYoshiRien), "yoshi_rien");
}

TEST(MunicipalityOfTest, CutsAfterTheCityWardTownOrVillage) {
  EXPECT_EQ(MunicipalityOf("青葉県みなと市桜町二丁目１５番地"), "青葉県みなと市");
  EXPECT_EQ(MunicipalityOf("東海県南浜市浜町５番地"), "東海県南浜市");
  EXPECT_EQ(MunicipalityOf("東京都千代田区平河町一丁目１０番地"), "東京都千代田区");
  EXPECT_EQ(MunicipalityOf("神奈川県横浜市中区山下町１番地"), "神奈川県横浜市");
  EXPECT_EQ(MunicipalityOf("青葉県北原郡山辺町大字上１２番地"), "青葉県北原郡山辺町");
  EXPECT_EQ(MunicipalityOf("千葉県市川市八幡一丁目１番地"), "千葉県市川市");
  EXPECT_EQ(MunicipalityOf("三重県四日市市諏訪町１番地"), "三重県四日市市");
  EXPECT_EQ(MunicipalityOf("京都府京都市上京区１番地"), "京都府京都市");
  EXPECT_EQ(MunicipalityOf("桜町"), "桜町");
}

}  // namespace
}  // namespace koseki::rules
