#include "koseki/rules/testing/fixtures.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "koseki/domain/certificate.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/domain/validation.h"
#include "koseki/rules/calendar.h"

#ifndef KOSEKI_RULES_TESTDATA
#error \
    "KOSEKI_RULES_TESTDATA (src/koseki/rules/testdata) is defined by src/koseki/rules/CMakeLists.txt"
#endif

namespace koseki::rules::testing {
namespace {

using domain::DateField;
using domain::MakeEvent;
using domain::TextField;
using domain::testing::Day;

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
  std::string diff;
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

}  // namespace

// ---- Registers ----------------------------------------------------------------------------

domain::Event BirthEvent(std::string_view born, std::string place, std::string_view filed,
                         std::string filer, domain::EventSource source) {
  return MakeEvent("出生",
                   {DateField("出生日", Day(born)), TextField("出生地", std::move(place)),
                    DateField("届出日", Day(filed)), TextField("届出人", std::move(filer))},
                   std::move(source));
}

domain::Event MarriageEvent(std::string_view on, std::string spouse, std::string previous,
                            domain::EventSource source) {
  return MakeEvent("婚姻",
                   {DateField("婚姻日", Day(on)), TextField("配偶者氏名", std::move(spouse)),
                    TextField("従前戸籍", std::move(previous))},
                   std::move(source));
}

domain::Event BunsekiEvent(std::string_view on, std::string previous) {
  return MakeEvent("分籍",
                   {DateField("分籍日", Day(on)), TextField("従前戸籍", std::move(previous))});
}

domain::Event HenseiEvent(std::string_view on) {
  return MakeEvent("戸籍編製", {DateField("編製日", Day(on))});
}

domain::Event KaiseiEvent() {
  return MakeEvent("戸籍改製",
                   {DateField("改製日", Day("2003-03-15")),
                    TextField("改製事由", "平成６年法務省令第５１号附則第２条第１項による改製")},
                   kShokken);
}

domain::Register EmptyRegister(std::string honseki, std::string uji, std::string hittosha_mei,
                               domain::Event koseki_jiko) {
  domain::Register reg;
  reg.honseki = std::move(honseki);
  reg.hittosha_uji = uji;
  reg.hittosha_mei = std::move(hittosha_mei);
  reg.uji = std::move(uji);
  reg.koseki_jiko = {std::move(koseki_jiko)};
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

// ---- Entries ------------------------------------------------------------------------------

Values With(Values values, std::string_view key, std::string_view value) {
  bool replaced = false;
  for (auto& [k, v] : values) {
    if (k == key) {
      v = std::string(value);
      replaced = true;
    }
  }
  if (!replaced) values.emplace_back(std::string(key), std::string(value));
  return values;
}

Values With(Values values, const Values& more) {
  for (const auto& [key, value] : more) values = With(std::move(values), key, value);
  return values;
}

Values Without(Values values, std::string_view key) {
  std::erase_if(values, [&](const auto& kv) { return kv.first == key; });
  return values;
}

Entry MakeEntry(NotificationType type, const Values& values, const Values& acknowledgements) {
  Entry entry{.type = type};
  for (const auto& [key, value] : values) entry.values[key] = value;
  for (const auto& [code, reason] : acknowledgements) entry.acknowledgements[code] = reason;
  return entry;
}

Evaluation EvaluateWith(NotificationType type, const Values& values, const RuleContext& context,
                        const Values& acknowledgements) {
  return RuleFor(type).Evaluate(MakeEntry(type, values, acknowledgements), context);
}

std::vector<std::string> Codes(const Evaluation& evaluation) {
  std::vector<std::string> codes;
  for (const Finding& f : evaluation.findings) codes.push_back(f.code);
  return codes;
}

std::vector<std::string> CodesWithFields(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code + "@" + f.field);
  return codes;
}

// ---- Results ------------------------------------------------------------------------------

std::string Certificate(const domain::Register& reg) {
  const domain::CertificateOptions options{.kind = domain::CertificateKind::kZenbu,
                                           .issue_date = Day("2026-12-01"),
                                           .mayor_line = "青葉県みなと市長　　北村　誠",
                                           .issue_number = 1};
  Result<std::string> text = domain::RenderCertificateText(reg, options);
  if (!text) return "<error: " + text.error().id + " " + text.error().internal_detail + ">";
  return *text;
}

std::string GoldenDiff(const std::string& actual, const std::string& name) {
  const std::string path = std::string(KOSEKI_RULES_TESTDATA) + "/" + name;
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
  if (buffer.str() == actual) return "";
  return "golden " + path + " differs (- expected, + actual):\n" + LineDiff(buffer.str(), actual);
}

std::string ScenarioGoldenDiff(const RuleContext& context, const ChangeSet& change_set,
                               std::string_view scenario) {
  std::string diffs;
  auto compare = [&](const domain::Register& reg, std::string_view when, int n) {
    diffs += GoldenDiff(Certificate(reg), std::string(scenario) + "_" + std::string(when) + "_" +
                                              std::to_string(n) + ".txt");
  };
  int n = 0;
  for (const AttachedRegister& a : context.registers) compare(a.value, "before", ++n);
  n = 0;
  for (const RegisterUpdate& u : change_set.updates) compare(u.after, "after", ++n);
  for (const RegisterCreation& c : change_set.creations) compare(c.value, "after", ++n);
  return diffs;
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

}  // namespace koseki::rules::testing
