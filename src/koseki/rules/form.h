// The typed entry form of a notification type: which fields an operator fills, with their
// Japanese labels, whether they are required, and their format. The web UI renders it; the
// rule validates an Entry against it (CheckForm) before applying the law.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "koseki/rules/finding.h"
#include "koseki/rules/notification.h"

namespace koseki::rules {

enum class FieldType {
  kText,        // free text (places, 届出人 as written)
  kName,        // a name: kept byte for byte (IVS, supplementary planes)
  kGivenName,   // a child's 名: 常用漢字 + 人名用漢字 + かな only (戸籍法50条)
  kKana,        // 振り仮名: katakana only
  kDate,        // "YYYY-MM-DD" or 和暦
  kTime,        // "HH:MM"
  kChoice,      // one of `choices`
  kHonseki,     // an address used as 本籍
  kPersonRef,   // "R<n>:<seq>": a person of an attached register
  kRegisterRef  // "R<n>": an attached register
};

struct FieldSpec {
  std::string key;    // stable, ASCII: "child_mei"
  std::string label;  // Japanese label: 子の名
  FieldType type = FieldType::kText;
  bool required = false;
  std::vector<std::string> choices = {};  // for kChoice
  std::string hint = {};                  // format help shown under the field
  // One value per person of the register the form names (a register-wide form such as the
  // 振り仮名の届, one screen for all members): the entry's keys are "<key>.<seq>" (for example
  // "mei_furigana.3"); `required` does not apply.
  bool per_person = false;
};

struct FormSpec {
  NotificationType type = NotificationType::kShussei;
  std::string title;  // 出生届
  std::vector<FieldSpec> fields;

  // Returns the field of an entry key: `key` itself, or for a per-person field "<key>.<seq>"
  // (seq a positive number without leading zeros). nullptr if the form has no such field.
  const FieldSpec* Find(std::string_view key) const;
};

// Returns the seq of a per-person entry key "<field>.<seq>", or nullopt if `key` is not one of
// `field`'s keys.
std::optional<int> PerPersonSeq(const FieldSpec& field, std::string_view key);

// Checks the entry against the form: unknown keys, missing required fields, and each field's
// format (dates parse, names are valid UTF-8, kana is katakana, choices are listed, references
// are well formed). Returns one error Finding per problem, in form order.
std::vector<Finding> CheckForm(const FormSpec& form, const Entry& entry);

}  // namespace koseki::rules
