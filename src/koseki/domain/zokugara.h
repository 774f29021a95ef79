// 続柄: a child's relationship to the parents as printed in 【続柄】 (長男, 二女, …).
//
// Sons and daughters are counted separately, in order of birth: the first son is 長男, the
// second 二男 (never 次男), then 三男 … 十男, 十一男; daughters 長女, 二女, …. A child born in
// wedlock (嫡出子) is counted among the children of the same father and mother; a child of
// unmarried parents is counted, since 平成16年11月1日 (民一第3008号通達), only among the
// mother's children born out of wedlock, whether or not a father has acknowledged them.
// Pure functions, thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/domain/person.h"
#include "koseki/text/japanese_date.h"

namespace koseki::domain {

// Returns the 続柄 for the `n`-th son or daughter (n >= 1): 長男, 二男, …, 十一女. Returns an
// empty string for n < 1.
std::string ZokugaraForOrdinal(Sex sex, int n);

// Returns the ordinal in `zokugara` (長男 → 1, 二女 → 2) if it is a well-formed 続柄 for a child
// of `sex` (up to 99), or 0 if it is not (次男, 長女 for a son, 養子, …).
int ZokugaraOrdinal(Sex sex, std::string_view zokugara);

// Returns 養子 or 養女, the 続柄 to adoptive parents in an ordinary adoption.
std::string_view YoZokugaraFor(Sex sex);

// A child as needed to count siblings. Parents are compared by their names as printed.
struct ChildOfParents {
  Sex sex = Sex::kMale;
  text::JapaneseDate birth_date;
  std::string father = {};  // empty: no father recorded
  std::string mother = {};
  bool chakushutsu = true;  // 嫡出子 (born in wedlock); a child without a father never is
};

// Returns the 続柄 of `child` among `siblings` (the other children known to the registers,
// wherever they are registered now; `child` itself must not be in the list). Siblings born on
// the same day as `child` count as elder, so compute twins in birth order. FailedPrecondition
// (KSK-DOMAIN-040) if the birth day of `child` or of a sibling who matters is unknown (an
// inexact date without an estimate).
Result<std::string> ComputeZokugara(const ChildOfParents& child,
                                    std::span<const ChildOfParents> siblings);

// Returns how many of `siblings` were born on the same (exact) day as `child`, of the same sex
// and counted among the same parents' children: the children of a multiple birth (多胎) already
// recorded, whom ComputeZokugara counts as elder. 0 when the child's birth day is inexact.
int CountSameDaySiblings(const ChildOfParents& child, std::span<const ChildOfParents> siblings);

}  // namespace koseki::domain
