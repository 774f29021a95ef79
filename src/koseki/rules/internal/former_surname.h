// Going back to the 氏 before marriage (復氏: after a divorce, 民法767条; after a spouse's death
// by 復氏届, 民法751条): the spouse who took the other's 氏 leaves the marital register, either
// back to the register they came from (復籍, 【入籍戸籍】) or into a new register at a 新本籍
// under the former 氏 (【新本籍】). The form fields, their checks and the move are the same for
// 離婚届 and 復氏届; each rule supplies its own entry and finding codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/register.h"
#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/form.h"
#include "koseki/rules/notification.h"

namespace koseki::rules::internal {

// Where the leaving spouse goes.
struct FormerSurnameDestination {
  const AttachedRegister* parents = nullptr;  // 復籍 into an attached register
  std::string reference = {};                 // 【入籍戸籍】 value (復籍)
  std::string honseki = {};                   // 復籍 elsewhere: its 本籍; 新戸籍: 新本籍
  bool new_register = false;
  std::string uji = {};  // 新戸籍: its 氏
  std::optional<std::string> uji_furigana = {};
};

// The form fields that say where the spouse goes: destination (復籍 / 新戸籍), the register
// returned to (attached, or described), or the 新本籍 and the former 氏 and its reading.
std::vector<FieldSpec> FormerSurnameFields();

// The finding codes a rule reports the destination's problems under.
struct FormerSurnameCodes {
  std::string_view error;             // an incomplete or contradictory destination
  std::string_view missing_original;  // warning: the register returned to lacks the record
};

// Checks the destination fields of `entry` for `leaving`, who leaves `marital`; nullopt (and an
// error finding) when they cannot say where the spouse goes.
std::optional<FormerSurnameDestination> CheckFormerSurnameDestination(
    const Entry& entry, const RuleContext& context, const domain::Register& marital,
    const domain::Person& leaving, const FormerSurnameCodes& codes, std::vector<Finding>& findings);

// The field the leaving spouse's entry in the marital register names the destination by:
// 【新本籍】 for a new register, 【入籍戸籍】 for the register returned to.
domain::Field DepartureField(const FormerSurnameDestination& destination);

// The leaving spouse's record where they go: the transcribed entries without the marriage that
// ended (nor 親権), no 配偶者区分, and `arriving` (the entry that brings them, with its
// 【従前戸籍】 added here).
domain::Person ArrivingFormerSurname(const domain::Person& leaving, int seq,
                                     const domain::Register& marital, domain::Event arriving);

// Adds the spouse's arrival to `change_set`: into the attached register returned to, into a new
// register made here (labelled `new_label`), or — for a register elsewhere — a 送付 notice with
// `notice_reason_new` / `notice_reason_return`.
void AddFormerSurnameArrival(const RuleContext& context,
                             const FormerSurnameDestination& destination,
                             const domain::Person& leaving, const domain::Register& marital,
                             const domain::Event& arriving, const text::JapaneseDate& on,
                             std::string new_label, std::string notice_reason_new,
                             std::string notice_reason_return, ChangeSet& change_set);

}  // namespace koseki::rules::internal
