// How the end of a marriage shows on the spouse who outlives it.
//
// The paper register struck the survivor's 配偶欄 (夫 / 妻) in red when the marriage ended; the
// computerized register removes the survivor's 【配偶者区分】 instead and, after a death, records
// 配偶者の死亡【配偶者の死亡日】 ex officio to say why. The spouse who died keeps the mark beside
// the 除籍 (DOMAIN.md §1.4a, confirmed on reproduced certificates). A divorce removes the mark from
// the spouse who stays; the one who leaves arrives in the other register without it.
//
// DOMAIN.md §1.5 still prints 美咲 with 【配偶者区分】妻 after 健一's death; the rule here follows
// the paper practice, which the computerized format transcribes, and is the one place to change
// if a 記載例 shows otherwise. Validation accepts both shapes, so registers stored or imported
// with the survivor's mark stay readable, and the rules read both (SpouseSide, IsMarried).
#pragma once

#include "koseki/domain/person.h"
#include "koseki/text/japanese_date.h"

namespace koseki::domain {

// Records the spouse's death on the survivor: 配偶者の死亡 (職権) and no 配偶者区分.
void RecordSpouseDeath(Person& survivor, const text::JapaneseDate& died);

}  // namespace koseki::domain
