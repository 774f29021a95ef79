#include "koseki/domain/register_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::domain {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using testing::ExampleRegister;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

// Tests build and mutate registers as nlohmann::json; the parser reads text.
Result<Register> Parse(const Json& j, JsonSource source = JsonSource::kUntrusted) {
  return RegisterFromJson(j.dump(), source);
}

// A register with an IVS name (葛 + VS17), a supplementary-plane kanji (𠮟 U+20B9F), a CJK
// compatibility ideograph (U+FA10), furigana, inexact dates and a text time.
Register UnusualRegister() {
  Register r = ExampleRegister();
  r.hittosha_uji = "葛\U000E0100城";
  r.uji = "葛\U000E0100城";
  r.uji_furigana = "カツラギ";
  r.persons[3].mei = "\U00020B9F\uFA10";
  r.persons[3].mei_furigana = "シッタ";
  r.persons[3].father = "葛\U000E0100城健一";
  r.persons[3].yobo = "谷口花子";
  r.persons[3].yo_zokugara = "養子";
  r.persons[3].mibun_jiko.push_back(MakeEvent(
      "養子縁組", {DateField("縁組日", testing::Day("2015-04-01")),
                   TextField("養母氏名", "谷口花子"), TextField("代諾者", "親権者父母")}));
  r.persons[1].birth_date = text::JapaneseDate::Inexact(
      "推定昭和３３年１月", std::chrono::year{1958} / std::chrono::January / 15);
  r.persons[0].mibun_jiko[2].fields[1].value = std::string("推定午後３時");
  r.persons[0].mibun_jiko[2].fields[0].value = text::JapaneseDate::Inexact("令和６年１１月上旬");
  r.persons[2].mibun_jiko[1].transcribable = false;
  r.persons[2].mibun_jiko[1].source = EventSource{
      .kind = SourceKind::kIki, .iki_moto = "青葉県みなと市桜町二丁目１５番地　山川健一"};
  r.persons[0].mibun_jiko[2].source.uketsuke_bango = "第９８７号";
  return r;
}

TEST(RegisterJsonTest, ExampleRegisterRoundTrips) {
  const Register original = ExampleRegister();
  Result<Register> parsed = Parse(ToJson(original));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, original);
}

TEST(RegisterJsonTest, UnusualNamesAndInexactValuesRoundTripByteForByte) {
  const Register original = UnusualRegister();
  const std::string line = ToJson(original).dump();
  // The dump keeps the characters themselves (no \u escapes, no normalization).
  EXPECT_THAT(line, HasSubstr("葛\U000E0100城"));
  EXPECT_THAT(line, HasSubstr("\U00020B9F\uFA10"));
  Result<Register> parsed = RegisterFromJson(line);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, original);
  EXPECT_EQ(parsed->persons[3].mei, "\U00020B9F\uFA10");
  EXPECT_EQ(parsed->uji, "葛\U000E0100城");
  EXPECT_EQ(ToJson(*parsed).dump(), line);
}

TEST(RegisterJsonTest, DatesAndTimesUseTheDocumentedShapes) {
  const Json j = ToJson(UnusualRegister());
  EXPECT_EQ(j["format"], 1);
  EXPECT_EQ(j["persons"][0]["birth_date"], "1955-05-10");
  EXPECT_EQ(j["persons"][1]["birth_date"],
            (Json{{"text", "推定昭和３３年１月"}, {"estimated", "1958-01-15"}}));
  EXPECT_EQ(j["persons"][0]["mibun_jiko"][2]["fields"][0]["value"],
            (Json{{"text", "令和６年１１月上旬"}}));
  EXPECT_EQ(j["persons"][0]["mibun_jiko"][2]["fields"][1]["value"],
            (Json{{"text", "推定午後３時"}}));
  const Json example = ToJson(ExampleRegister());
  EXPECT_EQ(example["persons"][0]["mibun_jiko"][2]["fields"][1]["value"], "15:45");
  EXPECT_EQ(example["persons"][0]["removed_by"], "死亡");
  EXPECT_EQ(example["persons"][0]["haigusha_kubun"], "夫");
  EXPECT_EQ(example["persons"][0]["sex"], "男");
  EXPECT_EQ(example["status"], "現在");
  EXPECT_FALSE(example["persons"][3].contains("removed_by"));
}

TEST(RegisterJsonTest, OptionalKeysTakeTheirDefaults) {
  const Json j = Json::parse(R"({
    "format": 1, "honseki": "青葉県みなと市桜町二丁目１５番地",
    "hittosha": {"uji": "山川", "mei": "健一"}, "uji": "山川",
    "persons": [{"seq": 1, "mei": "健一", "sex": "男", "birth_date": "1955-05-10",
                 "zokugara": "長男",
                 "mibun_jiko": [{"kind": "出生", "fields": [
                   {"tag": "出生日", "value": "1955-05-10"}, {"tag": "届出人", "value": "父"}]}]}]
  })");
  Result<Register> r = Parse(j);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, RegisterStatus::kGenzai);
  EXPECT_TRUE(r->koseki_jiko.empty());
  const Event& birth = r->persons[0].mibun_jiko[0];
  EXPECT_EQ(birth.source.kind, SourceKind::kTodokede);
  EXPECT_TRUE(birth.transcribable);  // template default for 出生
  EXPECT_TRUE(r->persons[0].father.empty());
}

// Returns the example's JSON with one change applied.
template <typename F>
Json Mutated(F change) {
  Json j = ToJson(ExampleRegister());
  change(j);
  return j;
}

TEST(RegisterJsonTest, RefusesNonObject) {
  EXPECT_THAT(Parse(Json::array()), ErrorIdIs("KSK-DOMAIN-030"));
}

TEST(RegisterJsonTest, RefusesMissingOrUnsupportedFormat) {
  EXPECT_THAT(Parse(Mutated([](Json& j) { j.erase("format"); })), ErrorIdIs("KSK-DOMAIN-031"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["format"] = 2; })), ErrorIdIs("KSK-DOMAIN-031"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["format"] = "1"; })), ErrorIdIs("KSK-DOMAIN-031"));
}

TEST(RegisterJsonTest, RefusesMissingRequiredKey) {
  Result<Register> r = Parse(Mutated([](Json& j) { j["persons"][2].erase("zokugara"); }));
  EXPECT_THAT(r, ErrorIdIs("KSK-DOMAIN-030"));
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().public_message, HasSubstr("persons[2].zokugara"));
}

TEST(RegisterJsonTest, RefusesWrongType) {
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["honseki"] = 15; })), ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["seq"] = "1"; })),
              ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["seq"] = 1.5; })),
              ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"] = Json::object(); })),
              ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(
      Parse(Mutated([](Json& j) { j["persons"][0]["mibun_jiko"][0]["transcribable"] = "yes"; })),
      ErrorIdIs("KSK-DOMAIN-030"));
}

TEST(RegisterJsonTest, RefusesBadDatesWithoutEchoingThem) {
  Result<Register> r =
      Parse(Mutated([](Json& j) { j["persons"][1]["birth_date"] = "1958-02-30"; }));
  EXPECT_THAT(r, ErrorIdIs("KSK-DOMAIN-032"));
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().public_message, HasSubstr("persons[1].birth_date"));
  EXPECT_THAT(r.error().public_message, Not(HasSubstr("1958")));
  EXPECT_THAT(r.error().internal_detail, Not(HasSubstr("1958")));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][1]["birth_date"] = "昭和33年1月25日"; })),
              ErrorIdIs("KSK-DOMAIN-032"));
  EXPECT_THAT(Parse(Mutated([](Json& j) {
                j["persons"][1]["birth_date"] = {{"text", "推定"}, {"estimated", "1958-13-01"}};
              })),
              ErrorIdIs("KSK-DOMAIN-032"));
  EXPECT_THAT(Parse(Mutated([](Json& j) {
                j["persons"][1]["birth_date"] = {{"text", ""}};
              })),
              ErrorIdIs("KSK-DOMAIN-032"));
}

TEST(RegisterJsonTest, RefusesBadTime) {
  for (const char* bad : {"24:00", "3:45", "15:60", "15-45"}) {
    EXPECT_THAT(Parse(Mutated([bad](Json& j) {
                  j["persons"][0]["mibun_jiko"][2]["fields"][1]["value"] = bad;
                })),
                ErrorIdIs("KSK-DOMAIN-033"))
        << bad;
  }
}

TEST(RegisterJsonTest, RefusesUnknownEnumerationValues) {
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["sex"] = "M"; })),
              ErrorIdIs("KSK-DOMAIN-034"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["status"] = "閉鎖"; })), ErrorIdIs("KSK-DOMAIN-034"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["haigusha_kubun"] = "夫婦"; })),
              ErrorIdIs("KSK-DOMAIN-034"));
  EXPECT_THAT(
      Parse(Mutated([](Json& j) { j["persons"][0]["mibun_jiko"][0]["source"]["type"] = "電話"; })),
      ErrorIdIs("KSK-DOMAIN-034"));
}

TEST(RegisterJsonTest, RefusesUnknownKeysAtEveryLevel) {
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["honsekii"] = "x"; })), ErrorIdIs("KSK-DOMAIN-035"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][1]["furigana"] = "ミサキ"; })),
              ErrorIdIs("KSK-DOMAIN-035"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["hittosha"]["yomi"] = "x"; })),
              ErrorIdIs("KSK-DOMAIN-035"));
  EXPECT_THAT(
      Parse(Mutated([](Json& j) { j["persons"][0]["mibun_jiko"][0]["fields"][0]["note"] = "x"; })),
      ErrorIdIs("KSK-DOMAIN-035"));
}

TEST(RegisterJsonTest, ErrorsNameTheItemByItsPath) {
  Result<Register> root = Parse(Mutated([](Json& j) { j["honsekii"] = "x"; }));
  ASSERT_FALSE(root.has_value());
  EXPECT_THAT(root.error().public_message, HasSubstr("「(最上位)」"));
  Result<Register> deep = Parse(
      Mutated([](Json& j) { j["persons"][0]["mibun_jiko"][2]["fields"][1]["value"] = "25:00"; }));
  ASSERT_FALSE(deep.has_value());
  EXPECT_THAT(deep.error().public_message,
              HasSubstr("「persons[0].mibun_jiko[2].fields[1].value」"));
  EXPECT_THAT(deep.error().internal_detail,
              HasSubstr("persons[0].mibun_jiko[2].fields[1].value: bad time"));
}

TEST(RegisterJsonTest, RefusesNumbersOutsideTheirRange) {
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["format"] = 1.0; })), ErrorIdIs("KSK-DOMAIN-031"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["seq"] = 0; })),
              ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["seq"] = 2147483648LL; })),
              ErrorIdIs("KSK-DOMAIN-030"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["seq"] = 18446744073709551615ULL; })),
              ErrorIdIs("KSK-DOMAIN-030"));
}

TEST(RegisterJsonTest, RefusesAKeyGivenTwice) {
  // nlohmann::json cannot hold a duplicate key, so the texts are spliced.
  const std::string example = ToJson(ExampleRegister()).dump();
  ASSERT_EQ(example.front(), '{');
  EXPECT_THAT(RegisterFromJson("{\"uji\":\"川上\"," + example.substr(1)),
              ErrorIdIs("KSK-DOMAIN-036"));
  std::string nested = example;
  const std::size_t hittosha = nested.find("\"hittosha\":{");
  ASSERT_NE(hittosha, std::string::npos);
  nested.insert(hittosha + std::string_view("\"hittosha\":{").size(), "\"mei\":\"一郎\",");
  Result<Register> r = RegisterFromJson(nested);
  EXPECT_THAT(r, ErrorIdIs("KSK-DOMAIN-036"));
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().public_message, HasSubstr("「hittosha」"));
  EXPECT_THAT(r.error().public_message, Not(HasSubstr("一郎")));
}

TEST(RegisterJsonTest, RefusesTextThatIsNotJson) {
  const std::string example = ToJson(ExampleRegister()).dump();
  std::string bad_utf8 = example;
  const std::size_t honseki = bad_utf8.find("青葉県");
  ASSERT_NE(honseki, std::string::npos);
  bad_utf8[honseki + 1] = '\xFF';  // inside 青: no longer UTF-8
  for (const std::string& text :
       {std::string(), std::string("{"), example.substr(0, example.size() - 1), example + " x",
        bad_utf8}) {
    Result<Register> r = RegisterFromJson(text);
    EXPECT_THAT(r, ErrorIdIs("KSK-DOMAIN-037")) << text.size() << " bytes";
    if (!r) {
      EXPECT_THAT(r.error().internal_detail, Not(HasSubstr("山川")));
    }
  }
}

TEST(RegisterJsonTest, RunsFullDomainValidation) {
  EXPECT_THAT(Parse(Mutated([](Json& j) {
                j["persons"][0]["mibun_jiko"][0]["fields"][1]["tag"] = "出生場所";
              })),
              ErrorIdIs("KSK-DOMAIN-002"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][1]["zokugara"] = "次女"; })),
              ErrorIdIs("KSK-DOMAIN-013"));
  EXPECT_THAT(Parse(Mutated([](Json& j) { j["persons"][0]["mei"] = ""; })),
              ErrorIdIs("KSK-DOMAIN-012"));
}

TEST(RegisterJsonTest, DateTagWithTextValueIsADateError) {
  // The tag decides the value's type: 出生日 must be a date, not free text.
  EXPECT_THAT(Parse(Mutated([](Json& j) {
                j["persons"][0]["mibun_jiko"][0]["fields"][0]["value"] = "昭和３０年５月１０日";
              })),
              ErrorIdIs("KSK-DOMAIN-032"));
}

}  // namespace
}  // namespace koseki::domain

namespace koseki::domain {
namespace {

// The lines shown in docs/formats.md ("Register JSON (import format)") must stay importable.
TEST(RegisterJsonTest, DocumentedImportExampleLinesParse) {
  std::ifstream in(std::string(KOSEKI_DOMAIN_TESTDATA) + "/import_example.jsonl");
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    EXPECT_THAT(RegisterFromJson(line), IsOk()) << "line " << count + 1;
  }
  EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace koseki::domain

namespace koseki::domain {
namespace {

TEST(RegisterJsonAuthenticatedTest, SkipsOnlyTheSemanticChecks) {
  Json j = ToJson(testing::ExampleRegister());
  // A tag outside the event's template: ValidateRegister refuses it (KSK-DOMAIN-002)…
  j["persons"][0]["mibun_jiko"][0]["fields"].push_back({{"tag", "誤記タグ"}, {"value", "x"}});
  EXPECT_THAT(Parse(j), ::koseki::testing::ErrorIdIs("KSK-DOMAIN-002"));
  // …while JSON the store wrote and authenticated itself is only checked for shape.
  EXPECT_THAT(Parse(j, JsonSource::kAuthenticated), ::koseki::testing::IsOk());
  Json bad_shape = ToJson(testing::ExampleRegister());
  bad_shape["persons"][0]["birth_date"] = "1955-02-30";
  EXPECT_THAT(Parse(bad_shape, JsonSource::kAuthenticated),
              ::koseki::testing::ErrorIdIs("KSK-DOMAIN-032"));
}

}  // namespace
}  // namespace koseki::domain
