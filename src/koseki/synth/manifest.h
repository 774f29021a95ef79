// The manifest of a generated register set: one JSON object per register (JSON Lines), written
// by `koseki gen --manifest FILE` beside the data it describes.
//
// Tests and benchmarks use it for two things:
//   1. Lookup keys: find a register again by (本籍, 筆頭者).
//   2. Leak checks: every string listed must never appear in plaintext in the database, its
//      backups or its logs (R7). The lists hold each string exactly as it would be printed or
//      entered, byte for byte (variation selectors and supplementary-plane kanji kept).
//
// Fields of ManifestLine() (all strings UTF-8; arrays sorted and without duplicates):
//   "honseki"        本籍, as stored and printed;
//   "hittosha"       筆頭者 as printed in the header, 氏 and 名 separated by U+3000 (山川　健一);
//   "hittosha_full"  the same without the space (山川健一), as in 【従前戸籍】 references;
//   "hittosha_uji", "hittosha_mei"  the two parts;
//   "status"         現在 / 除籍 / 改製原;
//   "persons"        number of persons in the register (removed ones included);
//   "names"          every person's full name (氏+名) with and without U+3000, every 名, the
//                    筆頭者 forms, 父/母/養父/養母, every 【…氏名】 value (配偶者氏名 …), the name
//                    part of 届出人 values such as 親族　山川美咲, and the name part of register
//                    references (【従前戸籍】本籍　筆頭者氏名);
//   "dates"          every date of a person (生年月日, each date field of each 身分事項) and the
//                    personal dates of the 戸籍事項 (編製日, 消除日, 届出日 …), each both as
//                    printed (JapaneseDate::ToWareki(): 昭和３０年５月１０日) and as ISO
//                    (1955-05-10). Not included: 改製日 and 記録日, which are the same for every
//                    register of a municipality and are no personal data;
//   "places"         本籍, 出生地, 死亡地, 新本籍, 従前本籍, and the whole value and the address
//                    part of register references (従前戸籍, 入籍戸籍, 認知者の戸籍 …);
//   "readings"       氏/名の振り仮名 (katakana).
// Short strings (a one-kanji 名 such as 誠 is 3 bytes of UTF-8) occur by chance in any large
// random byte string; a leak test over ciphertext should only search for strings long enough
// to make a chance match negligible (e.g. at least 9 bytes).
//
// Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "koseki/domain/register.h"

namespace koseki::synth {

// Returns the manifest object of one register (see above). Deterministic: the same register
// always gives the same dump().
nlohmann::json ManifestLine(const domain::Register& reg);

}  // namespace koseki::synth
