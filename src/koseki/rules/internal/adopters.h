// The adoptive parents named on a 養子縁組届 or a 養子離縁届: both forms name them in the person
// fields "yofu" (養父) and "yobo" (養母), one of them or both.
#pragma once

#include <string>
#include <vector>

#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/notification.h"

namespace koseki::rules::internal {

// An adoptive parent of the entry, resolved in the attached registers.
struct Adopter {
  ResolvedPerson who;
  std::string name;    // full name, as written in 【養父氏名】/【養母氏名】
  bool father = true;  // 養父; false for 養母
};

// Resolves the "yofu" and "yobo" values present in the entry, in that order; an error Finding
// (RULE-REF-001) for a reference whose register or person is not attached. The values must have
// passed CheckForm (well-formed person references).
std::vector<Adopter> ResolveAdopters(const Entry& entry, const RuleContext& context,
                                     std::vector<Finding>& findings);

}  // namespace koseki::rules::internal
