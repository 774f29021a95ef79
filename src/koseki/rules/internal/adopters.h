// The parties named on a 養子縁組届 or a 養子離縁届: both forms name the adoptive parents in the
// person fields "yofu" (養父) and "yobo" (養母), one of them or both, and the adoptee in
// "adoptee".
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
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/notification.h"
#include "koseki/text/japanese_date.h"

namespace koseki::rules::internal {

// An adoptive parent of the entry, resolved in the attached registers.
struct Adopter {
  ResolvedPerson who;
  std::string name;    // full name, as written in 【養父氏名】/【養母氏名】
  bool father = true;  // 養父; false for 養母
};

// The parties of an adoption entry, resolved, and its day of receipt (the 縁組日 or 離縁日: both
// notifications are creative).
struct AdoptionParties {
  std::vector<Adopter> adopters;  // "yofu" first
  ResolvedPerson adoptee;
  text::JapaneseDate received_on;
};

// The adoptive parents' names as written in 【養父氏名】/【養母氏名】: empty for one the entry does
// not name.
struct AdoptiveParentNames {
  std::string yofu;
  std::string yobo;
};
AdoptiveParentNames NamesOf(const std::vector<Adopter>& adopters);

// Returns the adoptee's entry of a 養子縁組 or a 養子離縁 (`kind`): the day under `day_tag`, the
// adoptive parents' names, then the `filer` (代諾者 or 届出人) and the register entered or left,
// each when given. One template for both kinds, so that their entries stay alike.
domain::Event AdopteeEvent(std::string kind, std::string day_tag, const text::JapaneseDate& day,
                           const AdoptiveParentNames& names, std::optional<domain::Field> filer,
                           std::optional<domain::Field> register_field);

// The registers an adoption entry names when the adoptee stays where they are but the adopters
// are in another register (a married adoptee, 民法810条但書): each side names the other's, as a
// 認知 names 【認知者の戸籍】 — 【養親の戸籍】 on the adoptee's entry, 【養子の戸籍】 on the
// adopters' (from memory, UNVERIFIED; DOMAIN.md §1.4a confirms only the tags of a moving
// adoptee). Both empty when adoptee and adopters share a register.
struct StayingAdopteeRegisters {
  std::optional<domain::Field> on_adoptee;  // 【養親の戸籍】
  std::optional<domain::Field> on_adopter;  // 【養子の戸籍】
};
StayingAdopteeRegisters RegistersNamedForAStayingAdoptee(const ResolvedPerson& adoptee,
                                                         const std::vector<Adopter>& adopters);

// Adds the 送付 notices of an adoption entry (`notification`: 養子縁組届, 養子離縁届) to the 本籍地
// of the adoptee's register as it was, then to each adoptive parent's, unless here.
void AddAdoptionPartyNotices(const RuleContext& context, std::string_view notification,
                             const domain::Register& adoptee_before,
                             const std::vector<Adopter>& adopters, ChangeSet& change_set);

// Resolves the adoptive parents, the adoptee and the day of receipt. Returns nullopt, with the
// errors appended, when any of them is wrong: RULE-REF-001 for a reference whose register or
// person is not attached, `no_adopter` when the entry names neither adoptive parent,
// `bad_receipt_code` for a day of receipt that is no date. The values must have passed CheckForm
// (well-formed person references, "adoptee" present).
std::optional<AdoptionParties> ResolveAdoptionParties(const Entry& entry,
                                                      const RuleContext& context,
                                                      Finding no_adopter,
                                                      std::string bad_receipt_code,
                                                      std::vector<Finding>& findings);

}  // namespace koseki::rules::internal
