#include "koseki/rules/testing/family_fixtures.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "koseki/domain/certificate.h"
#include "koseki/domain/event.h"
#include "koseki/domain/validation.h"
#include "koseki/rules/calendar.h"

namespace koseki::rules::testing::family {
namespace {

using domain::DateField;
using domain::Event;
using domain::EventSource;
using domain::HaigushaKubun;
using domain::MakeEvent;
using domain::Person;
using domain::Register;
using domain::Sex;
using domain::SourceKind;
using domain::TextField;

text::JapaneseDate Day(std::string_view iso) {
  Result<text::JapaneseDate> d = text::JapaneseDate::FromIso(iso);
  if (!d) std::abort();
  return *d;
}

const EventSource kIki{.kind = SourceKind::kIki};
const EventSource kShokken{.kind = SourceKind::kShokken};

Event Birth(std::string_view born, std::string place, std::string_view filed, std::string filer,
            EventSource source = kIki) {
  return MakeEvent("出生",
                   {DateField("出生日", Day(born)), TextField("出生地", std::move(place)),
                    DateField("届出日", Day(filed)), TextField("届出人", std::move(filer))},
                   source);
}

Event Marriage(std::string_view on, std::string spouse, std::string from,
               EventSource source = kIki) {
  return MakeEvent("婚姻",
                   {DateField("婚姻日", Day(on)), TextField("配偶者氏名", std::move(spouse)),
                    TextField("従前戸籍", std::move(from))},
                   source);
}

Event Kaisei() {
  return MakeEvent("戸籍改製",
                   {DateField("改製日", Day("2003-03-15")),
                    TextField("改製事由", "平成６年法務省令第５１号附則第２条第１項による改製")},
                   kShokken);
}

}  // namespace

Register KawakamiRegister() {
  Register r;
  r.honseki = "青葉県みなと市港町三丁目７番地";
  r.hittosha_uji = "川上";
  r.hittosha_mei = "正一";
  r.uji = "川上";
  r.koseki_jiko = {Kaisei()};
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "正一",
             .sex = Sex::kMale,
             .birth_date = Day("1965-02-03"),
             .father = "川上清",
             .mother = "川上文子",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 Birth("1965-02-03", "青葉県みなと市", "1965-02-10", "父"),
                 Marriage("1994-05-10", "田中由美", "青葉県みなと市旭町一丁目２番地　川上清")}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "由美",
      .sex = Sex::kFemale,
      .birth_date = Day("1967-07-21"),
      .father = "田中一郎",
      .mother = "田中和子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {Birth("1967-07-21", "東海県南浜市", "1967-07-28", "父"),
                     Marriage("1994-05-10", "川上正一", "東海県南浜市浜町８番地　田中一郎")}});
  r.persons.push_back(
      Person{.seq = 3,
             .mei = "花子",
             .sex = Sex::kFemale,
             .birth_date = Day("1996-04-12"),
             .father = "川上正一",
             .mother = "川上由美",
             .zokugara = "長女",
             .mibun_jiko = {Birth("1996-04-12", "青葉県みなと市", "1996-04-19", "父")}});
  r.persons.push_back(
      Person{.seq = 4,
             .mei = "健太",
             .sex = Sex::kMale,
             .birth_date = Day("1999-09-30"),
             .father = "川上正一",
             .mother = "川上由美",
             .zokugara = "長男",
             .mibun_jiko = {Birth("1999-09-30", "青葉県みなと市", "1999-10-06", "父")}});
  return r;
}

Register KawakamiParentsRegister() {
  Register r;
  r.honseki = "青葉県みなと市旭町一丁目２番地";
  r.hittosha_uji = "川上";
  r.hittosha_mei = "清";
  r.uji = "川上";
  r.koseki_jiko = {Kaisei()};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "清",
      .sex = Sex::kMale,
      .birth_date = Day("1938-11-03"),
      .father = "川上茂",
      .mother = "川上とみ",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1938-11-03", "青葉県みなと市", "1938-11-10", "父"),
          Marriage("1963-04-20", "石井文子", "青葉県みなと市旭町一丁目２番地　川上茂"),
          MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", Day("2020-01-10"))}, kShokken)}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "文子",
      .sex = Sex::kFemale,
      .birth_date = Day("1940-06-15"),
      .father = "石井守",
      .mother = "石井春江",
      .zokugara = "二女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .removed = true,
      .removal_kind = "死亡",
      .mibun_jiko = {
          Birth("1940-06-15", "東海県南浜市", "1940-06-20", "父"),
          Marriage("1963-04-20", "川上清", "東海県南浜市汐見町２番地　石井守"),
          MakeEvent("死亡",
                    {DateField("死亡日", Day("2020-01-10")), domain::TimeField("死亡時分", 6, 30),
                     TextField("死亡地", "青葉県みなと市"), DateField("届出日", Day("2020-01-11")),
                     TextField("届出人", "親族　川上清")},
                    EventSource{})}});
  r.persons.push_back(
      Person{.seq = 3,
             .mei = "修",
             .sex = Sex::kMale,
             .birth_date = Day("1972-08-08"),
             .father = "川上清",
             .mother = "川上文子",
             .zokugara = "二男",
             .mibun_jiko = {Birth("1972-08-08", "青葉県みなと市", "1972-08-14", "父")}});
  return r;
}

Register MoritaRegister() {
  Register r;
  r.honseki = "青葉県みなと市本町四丁目１番地";
  r.hittosha_uji = "森田";
  r.hittosha_mei = "和也";
  r.uji = "森田";
  r.koseki_jiko = {MakeEvent("戸籍編製", {DateField("編製日", Day("2020-04-01"))})};
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "和也",
             .sex = Sex::kMale,
             .birth_date = Day("1990-05-05"),
             .father = "森田英二",
             .mother = "森田直美",
             .zokugara = "長男",
             .mibun_jiko = {
                 Birth("1990-05-05", "東海県南浜市", "1990-05-11", "父"),
                 MakeEvent("分籍", {DateField("分籍日", Day("2020-04-01")),
                                    TextField("従前戸籍", "東海県南浜市浜町３番地　森田英二")})}});
  return r;
}

Register AokiRegister() {
  Register r;
  r.honseki = "青葉県みなと市若葉町五丁目８番地";
  r.hittosha_uji = "青木";
  r.hittosha_mei = "誠";
  r.uji = "青木";
  r.koseki_jiko = {MakeEvent("戸籍編製", {DateField("編製日", Day("2015-05-11"))})};
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "誠",
             .sex = Sex::kMale,
             .birth_date = Day("1985-03-14"),
             .father = "青木茂雄",
             .mother = "青木静江",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {Birth("1985-03-14", "青葉県みなと市", "1985-03-20", "父"),
                            Marriage("2015-05-11", "松井さくら",
                                     "青葉県みなと市本町二丁目３番地　青木茂雄", EventSource{})}});
  r.persons.push_back(
      Person{.seq = 2,
             .mei = "さくら",
             .sex = Sex::kFemale,
             .birth_date = Day("1988-10-02"),
             .father = "松井武",
             .mother = "松井良子",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {Birth("1988-10-02", "青葉県みなと市", "1988-10-07", "父"),
                            Marriage("2015-05-11", "青木誠",
                                     "青葉県みなと市栄町四丁目１１番地　松井武", EventSource{})}});
  r.persons.push_back(Person{
      .seq = 3,
      .mei = "陽斗",
      .sex = Sex::kMale,
      .birth_date = Day("2016-02-20"),
      .father = "青木誠",
      .mother = "青木さくら",
      .zokugara = "長男",
      .mibun_jiko = {Birth("2016-02-20", "青葉県みなと市", "2016-02-26", "父", EventSource{})}});
  r.persons.push_back(Person{
      .seq = 4,
      .mei = "美月",
      .sex = Sex::kFemale,
      .birth_date = Day("2019-07-07"),
      .father = "青木誠",
      .mother = "青木さくら",
      .zokugara = "長女",
      .mibun_jiko = {Birth("2019-07-07", "東海県南浜市", "2019-07-12", "母", EventSource{})}});
  // 美月's birth was filed where she was born: the 送付 tags of a filing received elsewhere.
  r.persons.back().mibun_jiko.back().fields.push_back(
      DateField("送付を受けた日", Day("2019-07-16")));
  r.persons.back().mibun_jiko.back().fields.push_back(TextField("受理者", "東海県南浜市長"));
  return r;
}

Register MatsuiRegister() {
  Register r;
  r.honseki = "青葉県みなと市栄町四丁目１１番地";
  r.hittosha_uji = "松井";
  r.hittosha_mei = "武";
  r.uji = "松井";
  r.koseki_jiko = {Kaisei()};
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "武",
             .sex = Sex::kMale,
             .birth_date = Day("1960-01-20"),
             .father = "松井勇",
             .mother = "松井キヨ",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 Birth("1960-01-20", "青葉県みなと市", "1960-01-25", "父"),
                 Marriage("1987-11-03", "吉田良子", "青葉県みなと市栄町四丁目１１番地　松井勇")}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "良子",
      .sex = Sex::kFemale,
      .birth_date = Day("1962-04-04"),
      .father = "吉田博",
      .mother = "吉田節子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {Birth("1962-04-04", "青葉県北原市", "1962-04-10", "父"),
                     Marriage("1987-11-03", "松井武", "青葉県北原市緑町二丁目４番地　吉田博")}});
  r.persons.push_back(Person{
      .seq = 3,
      .mei = "さくら",
      .sex = Sex::kFemale,
      .birth_date = Day("1988-10-02"),
      .father = "松井武",
      .mother = "松井良子",
      .zokugara = "長女",
      .removed = true,
      .removal_kind = "婚姻",
      .mibun_jiko = {Birth("1988-10-02", "青葉県みなと市", "1988-10-07", "父"),
                     MakeEvent("婚姻", {DateField("婚姻日", Day("2015-05-11")),
                                        TextField("配偶者氏名", "青木誠"),
                                        TextField("新本籍", "青葉県みなと市若葉町五丁目８番地"),
                                        TextField("称する氏", "夫の氏")})}});
  r.persons.push_back(
      Person{.seq = 4,
             .mei = "翼",
             .sex = Sex::kMale,
             .birth_date = Day("1991-12-12"),
             .father = "松井武",
             .mother = "松井良子",
             .zokugara = "長男",
             .mibun_jiko = {Birth("1991-12-12", "青葉県みなと市", "1991-12-18", "父")}});
  return r;
}

AttachedRegister Attach(int n, Register value) {
  return AttachedRegister{.ref = "R" + std::to_string(n),
                          .register_id = "reg-" + std::to_string(n),
                          .version = static_cast<std::uint64_t>(10 + n),
                          .value = std::move(value)};
}

RuleContext MakeContext(std::vector<AttachedRegister> registers, std::string_view received_on) {
  static const JapaneseOfficeCalendar calendar;
  RuleContext context;
  context.received_on = *Day(received_on).day();
  context.municipality = std::string(kHere);
  context.tenant_code = "999997";
  context.registers = std::move(registers);
  context.hosted_tenant = [](std::string_view municipality) -> std::optional<std::string> {
    if (municipality == kHosted) return std::string(kHostedTenant);
    return std::nullopt;
  };
  context.calendar = &calendar;
  return context;
}

Evaluation EvaluateWith(NotificationType type, const Values& values, const RuleContext& context,
                        const Values& acknowledgements) {
  Entry entry;
  entry.type = type;
  for (const auto& [key, value] : values) entry.values[key] = value;
  for (const auto& [code, reason] : acknowledgements) entry.acknowledgements[code] = reason;
  return RuleFor(type).Evaluate(entry, context);
}

std::vector<std::string> Codes(const Evaluation& evaluation) {
  std::vector<std::string> codes;
  for (const Finding& f : evaluation.findings) codes.push_back(f.code);
  return codes;
}

std::string Certificate(const Register& reg) {
  const domain::CertificateOptions options{.issue_date = Day("2026-12-01"),
                                           .mayor_line = "青葉県みなと市長　　北村　誠",
                                           .issue_number = 1};
  Result<std::string> text = domain::RenderCertificateText(reg, options);
  if (!text) return "<error: " + text.error().id + " " + text.error().internal_detail + ">";
  return *text;
}

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::string GoldenDiffAt(const std::string& actual, const std::string& path) {
  const char* update = std::getenv("KOSEKI_UPDATE_GOLDENS");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << actual;
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return "";
  // A plain line-by-line comparison: enough to show which lines of a certificate moved.
  const std::vector<std::string> e = Lines(expected);
  const std::vector<std::string> a = Lines(actual);
  std::string diff = "golden " + path + " differs:\n";
  const std::size_t n = std::max(e.size(), a.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string* el = i < e.size() ? &e[i] : nullptr;
    const std::string* al = i < a.size() ? &a[i] : nullptr;
    if (el != nullptr && al != nullptr && *el == *al) continue;
    diff += "@@ line " + std::to_string(i + 1) + "\n";
    if (el != nullptr) diff += "- " + *el + "\n";
    if (al != nullptr) diff += "+ " + *al + "\n";
  }
  return diff;
}

std::string ValidateAll(const ChangeSet& change_set) {
  auto check = [](const Register& reg, const std::string& what) -> std::string {
    Result<void> ok = domain::ValidateRegister(reg);
    if (ok) return "";
    return what + ": " + ok.error().id + " " + ok.error().internal_detail;
  };
  for (const RegisterUpdate& u : change_set.updates) {
    if (std::string e = check(u.after, "update " + u.ref); !e.empty()) return e;
  }
  for (const RegisterCreation& c : change_set.creations) {
    if (std::string e = check(c.value, "creation " + c.label); !e.empty()) return e;
  }
  return "";
}

}  // namespace koseki::rules::testing::family
