#include "koseki/rules/testing/core_fixtures.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "koseki/domain/certificate.h"
#include "koseki/domain/event.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/domain/validation.h"
#include "koseki/rules/calendar.h"

namespace koseki::rules::testing::core {
namespace {

using domain::DateField;
using domain::EventSource;
using domain::HaigushaKubun;
using domain::MakeEvent;
using domain::Person;
using domain::Sex;
using domain::SourceKind;
using domain::TextField;
using domain::testing::Day;

const EventSource kIki{.kind = SourceKind::kIki};

domain::Event Birth(const char* on, const char* place, const char* filed, const char* filer,
                    EventSource source = {}) {
  return MakeEvent("出生",
                   {DateField("出生日", Day(on)), TextField("出生地", place),
                    DateField("届出日", Day(filed)), TextField("届出人", filer)},
                   std::move(source));
}

domain::Event Marriage(const char* on, const char* spouse, const char* previous,
                       EventSource source = {}) {
  return MakeEvent("婚姻",
                   {DateField("婚姻日", Day(on)), TextField("配偶者氏名", spouse),
                    TextField("従前戸籍", previous)},
                   std::move(source));
}

domain::Event Computerized() {
  return MakeEvent("戸籍改製",
                   {DateField("改製日", Day("2003-03-15")),
                    TextField("改製事由", "平成６年法務省令第５１号附則第２条第１項による改製")},
                   EventSource{.kind = SourceKind::kShokken});
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace

domain::Register ExampleRegisterBeforeDeath() {
  domain::Register reg = domain::testing::ExampleRegister();
  Person& kenichi = reg.persons[0];
  kenichi.removed = false;
  kenichi.removal_kind.clear();
  kenichi.mibun_jiko.pop_back();         // 死亡
  reg.persons[1].mibun_jiko.pop_back();  // 配偶者の死亡
  return reg;
}

domain::Register UminoRegister() {
  domain::Register reg;
  reg.honseki = "青葉県みなと市緑町三丁目７番地";
  reg.hittosha_uji = "海野";
  reg.hittosha_mei = "大輔";
  reg.uji = "海野";
  reg.koseki_jiko = {MakeEvent("戸籍編製", {DateField("編製日", Day("2020-10-10"))})};
  reg.persons.push_back(Person{
      .seq = 1,
      .mei = "大輔",
      .sex = Sex::kMale,
      .birth_date = Day("1991-03-12"),
      .father = "海野隆",
      .mother = "海野恵美",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {Birth("1991-03-12", "青葉県みなと市", "1991-03-18", "父", kIki),
                     Marriage("2020-10-10", "谷口彩", "青葉県みなと市本町一丁目２番地　海野隆")}});
  reg.persons.push_back(
      Person{.seq = 2,
             .mei = "彩",
             .sex = Sex::kFemale,
             .birth_date = Day("1993-08-21"),
             .father = "谷口修",
             .mother = "谷口直美",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {Birth("1993-08-21", "東海県南浜市", "1993-08-27", "父", kIki),
                            Marriage("2020-10-10", "海野大輔", "東海県南浜市浜町８番地　谷口修")}});
  reg.persons.push_back(
      Person{.seq = 3,
             .mei = "湊",
             .sex = Sex::kMale,
             .birth_date = Day("2023-06-05"),
             .father = "海野大輔",
             .mother = "海野彩",
             .zokugara = "長男",
             .mibun_jiko = {Birth("2023-06-05", "青葉県みなと市", "2023-06-12", "父")}});
  return reg;
}

domain::Register MoritaParentsRegister() {
  domain::Register reg;
  reg.honseki = "青葉県みなと市東町四丁目２番地";
  reg.hittosha_uji = "森田";
  reg.hittosha_mei = "和夫";
  reg.uji = "森田";
  reg.koseki_jiko = {Computerized()};
  reg.persons.push_back(Person{
      .seq = 1,
      .mei = "和夫",
      .sex = Sex::kMale,
      .birth_date = Day("1960-02-14"),
      .father = "森田茂",
      .mother = "森田春子",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1960-02-14", "青葉県みなと市", "1960-02-20", "父", kIki),
          Marriage("1985-11-03", "石井京子", "青葉県みなと市本町五丁目１番地　森田茂", kIki)}});
  reg.persons.push_back(Person{
      .seq = 2,
      .mei = "京子",
      .sex = Sex::kFemale,
      .birth_date = Day("1962-09-30"),
      .father = "石井進",
      .mother = "石井和代",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {Birth("1962-09-30", "東海県南浜市", "1962-10-05", "父", kIki),
                     Marriage("1985-11-03", "森田和夫", "東海県南浜市浜町２番地　石井進", kIki)}});
  reg.persons.push_back(
      Person{.seq = 3,
             .mei = "さくら",
             .sex = Sex::kFemale,
             .birth_date = Day("2001-07-07"),
             .father = "森田和夫",
             .mother = "森田京子",
             .zokugara = "長女",
             .mibun_jiko = {Birth("2001-07-07", "青葉県みなと市", "2001-07-13", "父", kIki)}});
  reg.persons.push_back(
      Person{.seq = 4,
             .mei = "悠",
             .sex = Sex::kMale,
             .birth_date = Day("2004-01-20"),
             .father = "森田和夫",
             .mother = "森田京子",
             .zokugara = "長男",
             .mibun_jiko = {Birth("2004-01-20", "青葉県みなと市", "2004-01-26", "父")}});
  return reg;
}

domain::Register SoleMemberRegister() {
  domain::Register reg;
  reg.honseki = "青葉県みなと市西町一丁目５番地";
  reg.hittosha_uji = "石田";
  reg.hittosha_mei = "文子";
  reg.uji = "石田";
  reg.koseki_jiko = {MakeEvent("戸籍編製", {DateField("編製日", Day("2008-04-01"))})};
  reg.persons.push_back(Person{
      .seq = 1,
      .mei = "文子",
      .sex = Sex::kFemale,
      .birth_date = Day("1950-05-05"),
      .father = "石田正雄",
      .mother = "石田トメ",
      .zokugara = "二女",
      .mibun_jiko = {
          Birth("1950-05-05", "青葉県みなと市", "1950-05-10", "父", kIki),
          MakeEvent("分籍", {DateField("分籍日", Day("2008-04-01")),
                             TextField("従前戸籍", "青葉県みなと市本町三丁目４番地　石田正雄")})}});
  return reg;
}

AttachedRegister Attach(int n, domain::Register value) {
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
  context.tenant_code = std::string(kHereTenant);
  context.registers = std::move(registers);
  context.hosted_tenant = [](std::string_view municipality) -> std::optional<std::string> {
    if (municipality == kHosted) return std::string(kHostedTenant);
    return std::nullopt;
  };
  context.calendar = &calendar;
  return context;
}

Entry MakeEntry(NotificationType type, const Values& values, const Values& acknowledgements) {
  Entry entry{.type = type};
  for (const auto& [k, v] : values) entry.values[k] = v;
  for (const auto& [k, v] : acknowledgements) entry.acknowledgements[k] = v;
  return entry;
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code + "@" + f.field);
  return codes;
}

std::string Certificate(const domain::Register& reg) {
  domain::CertificateOptions options{.kind = domain::CertificateKind::kZenbu,
                                     .issue_date = Day("2026-12-01"),
                                     .mayor_line = "青葉県みなと市長　　北村　誠",
                                     .issue_number = 1};
  Result<std::string> text = domain::RenderCertificateText(reg, options);
  if (!text) return "<error: " + text.error().id + " " + text.error().internal_detail + ">";
  return *text;
}

std::string GoldenDiffAt(const std::string& actual, const std::string& path) {
  const char* update = std::getenv("KOSEKI_UPDATE_GOLDENS");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << actual;
    return out ? "" : "cannot write " + path;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path + " (run with KOSEKI_UPDATE_GOLDENS=1)";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return "";

  // A line diff by longest common subsequence (goldens are short).
  const std::vector<std::string> a = SplitLines(expected);
  const std::vector<std::string> b = SplitLines(actual);
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string diff = "golden " + path + " differs (- expected, + actual):\n";
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ++i;
      ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      diff += "+" + b[j++] + "\n";
    } else {
      diff += "-" + a[i++] + "\n";
    }
  }
  if (a == b) diff += "(line endings or the final newline differ)\n";
  return diff;
}

std::string ValidateAll(const ChangeSet& change_set) {
  for (const RegisterUpdate& u : change_set.updates) {
    if (Result<void> r = domain::ValidateRegister(u.after); !r) {
      return u.ref + ": " + r.error().id + " " + r.error().internal_detail;
    }
  }
  for (const RegisterCreation& c : change_set.creations) {
    if (Result<void> r = domain::ValidateRegister(c.value); !r) {
      return c.label + ": " + r.error().id + " " + r.error().internal_detail;
    }
  }
  return "";
}

}  // namespace koseki::rules::testing::core
