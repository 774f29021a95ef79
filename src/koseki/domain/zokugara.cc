#include "koseki/domain/zokugara.h"

#include <array>

namespace koseki::domain {
namespace {

constexpr std::array<std::string_view, 10> kDigits = {"",   "一", "二", "三", "四",
                                                      "五", "六", "七", "八", "九"};

// Returns n (2..9999) in kanji numerals as used in 続柄: 二, 十, 十一, 二十, 百一.
std::string KanjiNumeral(int n) {
  std::string out;
  constexpr std::array<std::pair<int, std::string_view>, 3> kUnits = {
      {{1000, "千"}, {100, "百"}, {10, "十"}}};
  for (const auto& [value, unit] : kUnits) {
    int d = n / value;
    n %= value;
    if (d == 0) continue;
    if (d > 1) out += kDigits[static_cast<std::size_t>(d)];
    out += unit;
  }
  out += kDigits[static_cast<std::size_t>(n)];
  return out;
}

bool IsLegitimate(const ChildOfParents& c) { return c.chakushutsu && !c.father.empty(); }

bool SameGroup(const ChildOfParents& child, const ChildOfParents& other) {
  if (other.mother != child.mother) return false;
  if (IsLegitimate(child)) return IsLegitimate(other) && other.father == child.father;
  return !IsLegitimate(other);
}

Error UnknownBirthDay() {
  return MakeError(ErrorCode::kFailedPrecondition, "KSK-DOMAIN-040",
                   "生年月日が不詳の子がいるため、続柄を決められません。",
                   "zokugara: birth day unknown for the child or a sibling of the same sex");
}

}  // namespace

std::string ZokugaraForOrdinal(Sex sex, int n) {
  if (n < 1 || n > 9999) return {};
  std::string out = n == 1 ? std::string("長") : KanjiNumeral(n);
  out += sex == Sex::kMale ? "男" : "女";
  return out;
}

int ZokugaraOrdinal(Sex sex, std::string_view zokugara) {
  for (int n = 1; n <= 99; ++n) {
    if (zokugara == ZokugaraForOrdinal(sex, n)) return n;
  }
  return 0;
}

std::string_view YoZokugaraFor(Sex sex) { return sex == Sex::kMale ? "養子" : "養女"; }

Result<std::string> ComputeZokugara(const ChildOfParents& child,
                                    std::span<const ChildOfParents> siblings) {
  const auto day = child.birth_date.day();
  if (!day) return UnknownBirthDay();
  int elder = 0;
  for (const ChildOfParents& s : siblings) {
    if (s.sex != child.sex || !SameGroup(child, s)) continue;
    const auto sibling_day = s.birth_date.day();
    if (!sibling_day) return UnknownBirthDay();
    if (*sibling_day <= *day) ++elder;
  }
  return ZokugaraForOrdinal(child.sex, elder + 1);
}

int CountSameDaySiblings(const ChildOfParents& child, std::span<const ChildOfParents> siblings) {
  const auto day = child.birth_date.day();
  if (!day || !child.birth_date.is_exact()) return 0;
  int same = 0;
  for (const ChildOfParents& s : siblings) {
    if (s.sex == child.sex && SameGroup(child, s) && s.birth_date.is_exact() &&
        s.birth_date.day() == day) {
      ++same;
    }
  }
  return same;
}

}  // namespace koseki::domain
