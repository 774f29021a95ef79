#include "koseki/rules/testing/misc_fixtures.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "koseki/domain/certificate.h"
#include "koseki/domain/event.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/domain/validation.h"

namespace koseki::rules::testing {
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
using domain::testing::Day;

const EventSource kIki{.kind = SourceKind::kIki};

Event Birth(std::string_view born, std::string place, std::string_view filed, std::string filer,
            EventSource source = {}) {
  return MakeEvent("出生",
                   {DateField("出生日", Day(born)), TextField("出生地", std::move(place)),
                    DateField("届出日", Day(filed)), TextField("届出人", std::move(filer))},
                   source);
}

Event Hensei(std::string_view on) { return MakeEvent("戸籍編製", {DateField("編製日", Day(on))}); }

// 悠斗's 認知 of 陽菜 (令和７年９月１日), as recorded on the child and on the father.
Event NinchiOnChild(bool father_in_own_register) {
  return MakeEvent("認知",
                   {DateField("認知日", Day("2025-09-01")), TextField("認知者氏名", "高橋悠斗"),
                    TextField("認知者の戸籍", father_in_own_register
                                                  ? "青葉県みなと市本町二丁目１番地　高橋悠斗"
                                                  : "青葉県みなと市緑町五丁目３番地　高橋隆")});
}
Event NinchiOnFather() {
  return MakeEvent("認知",
                   {DateField("認知日", Day("2025-09-01")), TextField("認知した子の氏名", "森陽菜"),
                    TextField("認知した子の戸籍", "青葉県みなと市若葉町一丁目５番地　森由紀")});
}

// A day-of-week calendar: closed on Saturdays and Sundays only. None of these notification
// types has a filing period, so the calendar is never consulted; it only satisfies the
// context's contract.
class WeekendCalendar final : public Calendar {
 public:
  bool IsClosed(std::chrono::year_month_day day) const override {
    const std::chrono::weekday wd{std::chrono::sys_days(day)};
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
  }
};

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A longest-common-subsequence line diff; goldens are a few hundred lines at most.
std::string LineDiff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> a = SplitLines(expected);
  const std::vector<std::string> b = SplitLines(actual);
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ++i;
      ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += "+ " + b[j++] + "\n";
    } else {
      out += "- " + a[i++] + "\n";
    }
  }
  if (out.empty()) out = "(texts differ only in line endings)\n";
  return out;
}

}  // namespace

Register OgawaRegister() {
  Register r;
  r.honseki = "青葉県みなと市若葉町三丁目７番地";
  r.hittosha_uji = "小川";
  r.hittosha_mei = "浩";
  r.uji = "小川";
  r.koseki_jiko = {Hensei("1999-04-10")};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "浩",
      .sex = Sex::kMale,
      .birth_date = Day("1970-04-02"),
      .father = "小川勇",
      .mother = "小川節子",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1970-04-02", "青葉県みなと市", "1970-04-08", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1999-04-10")), TextField("配偶者氏名", "森由美"),
                     TextField("従前戸籍", "青葉県みなと市本町一丁目１番地　小川勇")}),
      }});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "由美",
      .sex = Sex::kFemale,
      .birth_date = Day("1972-09-15"),
      .father = "森和夫",
      .mother = "森幸子",
      .zokugara = "二女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          Birth("1972-09-15", "東海県南浜市", "1972-09-20", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1999-04-10")), TextField("配偶者氏名", "小川浩"),
                     TextField("従前戸籍", "東海県南浜市浜町２番地　森和夫")}),
      }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "翔太",
                             .sex = Sex::kMale,
                             .birth_date = Day("2000-06-10"),
                             .father = "小川浩",
                             .mother = "小川由美",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 Birth("2000-06-10", "青葉県みなと市", "2000-06-15", "父"),
                             }});
  r.persons.push_back(Person{
      .seq = 4,
      .mei = "大輔",
      .sex = Sex::kMale,
      .birth_date = Day("2002-08-20"),
      .father = "小川浩",
      .mother = "小川由美",
      .zokugara = "二男",
      .removed = true,
      .removal_kind = "婚姻",
      .mibun_jiko = {
          Birth("2002-08-20", "青葉県みなと市", "2002-08-26", "父"),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("2025-05-10")), TextField("配偶者氏名", "田中さくら"),
                     TextField("新本籍", "青葉県北原市緑町一丁目８番地"),
                     TextField("称する氏", "夫の氏")}),
      }});
  r.persons.push_back(Person{.seq = 5,
                             .mei = "彩",
                             .sex = Sex::kFemale,
                             .birth_date = Day("2010-03-03"),
                             .father = "小川浩",
                             .mother = "小川由美",
                             .zokugara = "長女",
                             .mibun_jiko = {
                                 Birth("2010-03-03", "青葉県みなと市", "2010-03-10", "母"),
                             }});
  return r;
}

Register NakamuraRegister() {
  Register r;
  r.honseki = "青葉県みなと市旭町二丁目６番地";
  r.hittosha_uji = "中村";
  r.hittosha_mei = "正";
  r.uji = "中村";
  r.koseki_jiko = {Hensei("1980-10-05")};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "正",
      .sex = Sex::kMale,
      .birth_date = Day("1950-03-03"),
      .father = "中村一郎",
      .mother = "中村キヨ",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1950-03-03", "青葉県みなと市", "1950-03-09", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1980-10-05")), TextField("配偶者氏名", "石井久美子"),
                     TextField("従前戸籍", "青葉県みなと市旭町一丁目１番地　中村一郎")}),
      }});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "久美子",
      .sex = Sex::kFemale,
      .birth_date = Day("1952-12-12"),
      .father = "石井実",
      .mother = "石井トミ",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          Birth("1952-12-12", "青葉県北原市", "1952-12-18", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1980-10-05")), TextField("配偶者氏名", "中村正"),
                     TextField("従前戸籍", "青葉県北原市本町四丁目２番地　石井実")}),
      }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "健太",
                             .sex = Sex::kMale,
                             .birth_date = Day("1985-01-10"),
                             .father = "中村正",
                             .mother = "中村久美子",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 Birth("1985-01-10", "青葉県みなと市", "1985-01-16", "父"),
                             }});
  return r;
}

Register SuzukiRegister() {
  Register r;
  r.honseki = "青葉県みなと市港町三丁目９番地";
  r.hittosha_uji = "鈴木";
  r.hittosha_mei = "大介";
  r.uji = "鈴木";
  r.koseki_jiko = {Hensei("2014-06-21")};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "大介",
      .sex = Sex::kMale,
      .birth_date = Day("1985-05-05"),
      .father = "鈴木健二",
      .mother = "鈴木文子",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1985-05-05", "青葉県みなと市", "1985-05-10", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("2014-06-21")), TextField("配偶者氏名", "木村愛"),
                     TextField("従前戸籍", "青葉県みなと市港町一丁目２番地　鈴木健二")}),
      }});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "愛",
      .sex = Sex::kFemale,
      .birth_date = Day("1987-08-08"),
      .father = "木村修",
      .mother = "木村洋子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          Birth("1987-08-08", "青葉県みなと市", "1987-08-14", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("2014-06-21")), TextField("配偶者氏名", "鈴木大介"),
                     TextField("従前戸籍", "青葉県みなと市旭町三丁目４番地　木村修")}),
      }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "蓮",
                             .sex = Sex::kMale,
                             .birth_date = Day("2016-09-09"),
                             .father = "鈴木大介",
                             .mother = "鈴木愛",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 Birth("2016-09-09", "青葉県みなと市", "2016-09-15", "父"),
                             }});
  return r;
}

Register MoriRegister(bool acknowledged, bool father_in_own_register) {
  Register r;
  r.honseki = "青葉県みなと市若葉町一丁目５番地";
  r.hittosha_uji = "森";
  r.hittosha_mei = "由紀";
  r.uji = "森";
  r.koseki_jiko = {Hensei("2015-03-02")};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "由紀",
      .sex = Sex::kFemale,
      .birth_date = Day("1990-02-14"),
      .father = "森隆司",
      .mother = "森典子",
      .zokugara = "長女",
      .mibun_jiko = {
          Birth("1990-02-14", "青葉県みなと市", "1990-02-20", "父", kIki),
          MakeEvent("分籍", {DateField("分籍日", Day("2015-03-02")),
                             TextField("従前戸籍", "青葉県みなと市旭町四丁目１０番地　森隆司")}),
      }});
  Person child{.seq = 2,
               .mei = "陽菜",
               .sex = Sex::kFemale,
               .birth_date = Day("2016-05-05"),
               .mother = "森由紀",
               .zokugara = "長女",
               .mibun_jiko = {
                   Birth("2016-05-05", "青葉県みなと市", "2016-05-12", "母"),
               }};
  if (acknowledged) {
    child.father = "高橋悠斗";
    child.mibun_jiko.push_back(NinchiOnChild(father_in_own_register));
  }
  r.persons.push_back(std::move(child));
  return r;
}

Register TakahashiParentsRegister(bool acknowledged) {
  Register r;
  r.honseki = "青葉県みなと市緑町五丁目３番地";
  r.hittosha_uji = "高橋";
  r.hittosha_mei = "隆";
  r.uji = "高橋";
  r.koseki_jiko = {Hensei("1986-06-01")};
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "隆",
      .sex = Sex::kMale,
      .birth_date = Day("1960-01-20"),
      .father = "高橋茂",
      .mother = "高橋ハナ",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          Birth("1960-01-20", "青葉県みなと市", "1960-01-25", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1986-06-01")), TextField("配偶者氏名", "佐藤和子"),
                     TextField("従前戸籍", "青葉県みなと市本町三丁目２番地　高橋茂")}),
      }});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "和子",
      .sex = Sex::kFemale,
      .birth_date = Day("1962-07-07"),
      .father = "佐藤一郎",
      .mother = "佐藤春子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          Birth("1962-07-07", "東海県南浜市", "1962-07-12", "父", kIki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1986-06-01")), TextField("配偶者氏名", "高橋隆"),
                     TextField("従前戸籍", "東海県南浜市港町１番地　佐藤一郎")}),
      }});
  Person son{.seq = 3,
             .mei = "悠斗",
             .sex = Sex::kMale,
             .birth_date = Day("1988-11-30"),
             .father = "高橋隆",
             .mother = "高橋和子",
             .zokugara = "長男",
             .mibun_jiko = {
                 Birth("1988-11-30", "青葉県みなと市", "1988-12-05", "父"),
             }};
  if (acknowledged) son.mibun_jiko.push_back(NinchiOnFather());
  r.persons.push_back(std::move(son));
  return r;
}

Register TakahashiOwnRegister(bool acknowledged) {
  Register r;
  r.honseki = "青葉県みなと市本町二丁目１番地";
  r.hittosha_uji = "高橋";
  r.hittosha_mei = "悠斗";
  r.uji = "高橋";
  r.koseki_jiko = {Hensei("2020-04-01")};
  Person p{.seq = 1,
           .mei = "悠斗",
           .sex = Sex::kMale,
           .birth_date = Day("1988-11-30"),
           .father = "高橋隆",
           .mother = "高橋和子",
           .zokugara = "長男",
           .mibun_jiko = {
               Birth("1988-11-30", "青葉県みなと市", "1988-12-05", "父", kIki),
               MakeEvent("分籍", {DateField("分籍日", Day("2020-04-01")),
                                  TextField("従前戸籍", "青葉県みなと市緑町五丁目３番地　高橋隆")}),
           }};
  if (acknowledged) {
    p.mibun_jiko.push_back(MakeEvent(
        "認知", {DateField("認知日", Day("2025-09-01")), TextField("認知した子の氏名", "森陽菜"),
                 TextField("認知した子の戸籍", "青葉県みなと市若葉町一丁目５番地　森由紀")}));
  }
  r.persons.push_back(std::move(p));
  return r;
}

AttachedRegister Attach(int n, Register value) {
  return AttachedRegister{.ref = "R" + std::to_string(n),
                          .register_id = "reg-" + std::to_string(100 + n),
                          .version = static_cast<std::uint64_t>(n + 2),
                          .value = std::move(value)};
}

RuleContext MakeContext(std::vector<AttachedRegister> registers, std::string_view received_on) {
  static const WeekendCalendar calendar;
  RuleContext context;
  context.received_on = *Day(received_on).day();
  context.municipality = std::string(kHere);
  context.tenant_code = "999997";
  context.registers = std::move(registers);
  context.hosted_tenant = [](std::string_view municipality) -> std::optional<std::string> {
    if (municipality == kHostedElsewhere) return std::string(kHostedElsewhereTenant);
    if (municipality == kHere) return std::string("999997");
    return std::nullopt;
  };
  context.calendar = &calendar;
  return context;
}

Evaluation RunRule(NotificationType type, std::vector<std::pair<std::string, std::string>> values,
                   const RuleContext& context) {
  Entry entry;
  entry.type = type;
  for (auto& [key, value] : values) entry.values[key] = std::move(value);
  return RuleFor(type).Evaluate(entry, context);
}

std::vector<std::string> Codes(const Evaluation& evaluation) {
  std::vector<std::string> codes;
  for (const Finding& f : evaluation.findings) codes.push_back(f.code);
  return codes;
}

std::string Certificate(const Register& reg) {
  domain::CertificateOptions options{.kind = domain::CertificateKind::kZenbu,
                                     .issue_date = Day("2026-12-01"),
                                     .mayor_line = "青葉県みなと市長　　北村　誠",
                                     .issue_number = 1};
  Result<std::string> text = domain::RenderCertificateText(reg, options);
  if (!text) return "<error: " + text.error().id + " " + text.error().internal_detail + ">\n";
  return *text;
}

std::string GoldenDiff(const std::string& actual, const std::string& name) {
  // The fixtures library is built without the test target's KOSEKI_RULES_TESTDATA: find
  // testdata/ beside this source file (CMake passes absolute source paths).
  std::string dir = __FILE__;
  dir = dir.substr(0, dir.rfind('/'));                // …/rules/testing
  dir = dir.substr(0, dir.rfind('/')) + "/testdata";  // …/rules/testdata
  const std::string path = dir + "/" + name;
  const char* update = std::getenv("KOSEKI_UPDATE_GOLDENS");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << actual;
    return out ? "" : "cannot write " + path + "\n";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden " + path + " (run with KOSEKI_UPDATE_GOLDENS=1)\n";
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str() == actual) return "";
  return "golden " + name + " differs:\n" + LineDiff(buffer.str(), actual);
}

std::string ValidateAll(const ChangeSet& change_set) {
  auto check = [](const Register& reg) -> std::string {
    Result<void> ok = domain::ValidateRegister(reg);
    return ok ? "" : ok.error().id + " " + ok.error().internal_detail;
  };
  for (const RegisterUpdate& u : change_set.updates) {
    if (std::string e = check(u.after); !e.empty()) return u.ref + ": " + e;
  }
  for (const RegisterCreation& c : change_set.creations) {
    if (std::string e = check(c.value); !e.empty()) return c.label + ": " + e;
  }
  return "";
}

}  // namespace koseki::rules::testing
