// 氏名の振り仮名 (戸籍法13条 as amended by 令和5年法律第48号; DOMAIN.md §1.6): the days and
// limits of the law, in one place for the rules, the 職権 batch and the generator.
#pragma once

#include <chrono>
#include <cstddef>

namespace koseki::domain {

// The law is in force: readings are register items, and a 出生届 must give the child's.
inline constexpr std::chrono::year_month_day kFuriganaInForce{
    std::chrono::year{2025}, std::chrono::month{5}, std::chrono::day{26}};
// The last day of the one-year window in which a register's existing persons file their
// readings (氏の振り仮名の届, 名の振り仮名の届) without a court's permission.
inline constexpr std::chrono::year_month_day kFuriganaLastFilingDay{
    std::chrono::year{2026}, std::chrono::month{5}, std::chrono::day{25}};
// From this day the mayor records ex officio (職権) the reading notified to the 筆頭者 for
// every reading not filed; such a reading may then be changed once without permission (附則).
inline constexpr std::chrono::year_month_day kFuriganaShokkenFrom{
    std::chrono::year{2026}, std::chrono::month{5}, std::chrono::day{26}};
// Characters in one reading (氏 or 名). (UNVERIFIED) No limit was found in the law; this one
// only keeps a typing slip from reaching a certificate.
inline constexpr std::size_t kMaxFuriganaCharacters = 50;

}  // namespace koseki::domain
