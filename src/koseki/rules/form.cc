#include "koseki/rules/form.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include "koseki/rules/context.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/text/name.h"
#include "koseki/text/printable_sequences.h"

namespace koseki::rules {
namespace {

using internal::MakeErrorFinding;

std::string Quoted(const FieldSpec& field) { return "「" + field.label + "」"; }

bool IsValidText(std::string_view value) {
  Result<std::u32string> decoded = text::DecodeUtf8(value);
  if (!decoded) return false;
  return std::none_of(decoded->begin(), decoded->end(), [](char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
  });
}

// "R<n>": R followed by a positive number without leading zeros.
bool IsRegisterRef(std::string_view value) {
  if (value.size() < 2 || value[0] != 'R' || value[1] == '0') return false;
  return std::all_of(value.begin() + 1, value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A character written with a variation selector the certificate font has no glyph for would be
// printed as its base character: the certificate would not show what the register holds.
// The message names the character by its place and its selector, not by the character itself
// (findings name fields, not what was written in them).
std::optional<Finding> UnprintableError(const FieldSpec& field, std::string_view value) {
  const std::optional<text::UnprintableCharacter> found = text::FirstUnprintableSequence(value);
  if (!found) return std::nullopt;
  std::string selectors;
  for (const char32_t c : text::DecodeUtf8(found->character).value_or(U"")) {
    if (!text::IsVariationSelector(c)) continue;
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    selectors += selectors.empty() ? code : std::string("・") + code;
  }
  return MakeErrorFinding("RULE-FORM-012",
                          Quoted(field) + "の" + std::to_string(found->index + 1) +
                              "文字目の異体字（異体字セレクタ " + selectors +
                              "）は証明書の書体にないため、そのままでは印刷できません。字形を確認"
                              "して選び直してください。",
                          field.key);
}

// Returns the problem with one filled-in value's format, or nullopt if it is right.
std::optional<Finding> CheckFormat(const FieldSpec& field, const std::string& value) {
  const std::string name = Quoted(field);
  switch (field.type) {
    case FieldType::kText:
      if (!IsValidText(value)) {
        return MakeErrorFinding(
            "RULE-FORM-011", name + "に使えない文字（改行・制御文字など）があります。", field.key);
      }
      return std::nullopt;
    case FieldType::kName:
      if (!text::ValidateName(value)) {
        return MakeErrorFinding("RULE-FORM-005",
                                name + "の氏名が正しくありません（制御文字など）。", field.key);
      }
      return std::nullopt;
    case FieldType::kGivenName:
      if (!text::ValidateName(value)) {
        return MakeErrorFinding("RULE-FORM-005",
                                name + "の氏名が正しくありません（制御文字など）。", field.key);
      }
      return internal::GivenNameCharactersError(value, field.key);
    case FieldType::kKana:
      return internal::KatakanaError(value, field.key);
    case FieldType::kDate:
      if (!internal::ParseDateValue(value)) {
        return MakeErrorFinding(
            "RULE-FORM-003",
            name + "の日付が正しくありません（例：2024-11-20 または 令和６年１１月２０日）。",
            field.key);
      }
      return std::nullopt;
    case FieldType::kTime:
      if (!internal::ParseTimeValue(value)) {
        return MakeErrorFinding("RULE-FORM-004", name + "の時刻が正しくありません（例：15:45）。",
                                field.key);
      }
      return std::nullopt;
    case FieldType::kChoice:
      if (std::find(field.choices.begin(), field.choices.end(), value) == field.choices.end()) {
        return MakeErrorFinding("RULE-FORM-007", name + "は選択肢の中から選んでください。",
                                field.key);
      }
      return std::nullopt;
    case FieldType::kHonseki:
      if (!IsValidText(value) || MunicipalityOf(value) == value) {
        return MakeErrorFinding("RULE-FORM-010",
                                name +
                                    "は都道府県・市区町村から地番まで記載してください（例：青葉県み"
                                    "なと市桜町二丁目１５番地）。",
                                field.key);
      }
      return std::nullopt;
    case FieldType::kPersonRef:
      if (!internal::ParsePersonRef(value)) {
        return MakeErrorFinding("RULE-FORM-008",
                                name + "は添付戸籍の者を指定してください（例：R1:3）。", field.key);
      }
      return std::nullopt;
    case FieldType::kRegisterRef:
      if (!IsRegisterRef(value)) {
        return MakeErrorFinding("RULE-FORM-009", name + "は添付戸籍を指定してください（例：R1）。",
                                field.key);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

// Returns the problem with one filled-in value, or nullopt if there is none: its format, then
// whether every character of a written value can be printed.
std::optional<Finding> CheckValue(const FieldSpec& field, const std::string& value) {
  if (std::optional<Finding> format = CheckFormat(field, value)) return format;
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kName:
    case FieldType::kGivenName:
    case FieldType::kHonseki:
      return UnprintableError(field, value);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<int> PerPersonSeq(const FieldSpec& field, std::string_view key) {
  if (!field.per_person || key.size() <= field.key.size() + 1 || !key.starts_with(field.key) ||
      key[field.key.size()] != '.') {
    return std::nullopt;
  }
  const std::string_view digits = key.substr(field.key.size() + 1);
  if (digits.size() > 6 || digits[0] == '0') return std::nullopt;
  int seq = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + (c - '0');
  }
  return seq;
}

const FieldSpec* FormSpec::Find(std::string_view key) const {
  for (const FieldSpec& f : fields) {
    if (f.per_person ? PerPersonSeq(f, key).has_value() : f.key == key) return &f;
  }
  return nullptr;
}

std::vector<Finding> CheckForm(const FormSpec& form, const Entry& entry) {
  std::vector<Finding> findings;
  for (const FieldSpec& field : form.fields) {
    if (field.per_person) {
      for (const auto& [key, raw] : entry.values) {
        if (!PerPersonSeq(field, key)) continue;
        std::optional<std::string> value = entry.Get(key);
        if (!value) continue;
        if (std::optional<Finding> problem = CheckValue(field, *value)) {
          problem->field = key;
          findings.push_back(std::move(*problem));
        }
      }
      continue;
    }
    std::optional<std::string> value = entry.Get(field.key);
    if (!value) {
      if (field.required) {
        findings.push_back(
            MakeErrorFinding("RULE-FORM-002", Quoted(field) + "を記入してください。", field.key));
      }
      continue;
    }
    if (std::optional<Finding> problem = CheckValue(field, *value)) {
      findings.push_back(std::move(*problem));
    }
  }
  // Keys the form does not know: a typo in a script or a field of another notification type.
  for (const auto& [key, value] : entry.values) {
    if (form.Find(key) == nullptr) {
      findings.push_back(
          MakeErrorFinding("RULE-FORM-001", "この届書にない項目が入力されています。", key));
    }
  }
  return findings;
}

}  // namespace koseki::rules
