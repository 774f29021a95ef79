// Structural checks on domain values: what must hold for any event or register before it is
// stored or printed, whatever notification produced it. The legal rules of a notification
// (ages, deadlines, 三代戸籍の禁止, …) belong to the rules module, not here.
//
// Every refusal is InvalidArgument with an id KSK-DOMAIN-0NN and a Japanese message naming the
// offending item by its position (persons[1].mibun_jiko[0].fields[2]) — never by its value,
// which may be personal data. Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "koseki/base/result.h"
#include "koseki/domain/event.h"
#include "koseki/domain/register.h"

namespace koseki::domain {

// Bounds on what one register may hold, far above any real one (a register lists a family of a
// few generations), so that no input can make every later read of it costly.
inline constexpr std::size_t kMaxTextCharacters = 500;  // 本籍 and every text field of an event
inline constexpr std::size_t kMaxPersons = 1000;

// Checks one event against its template (event_templates.h):
//   KSK-DOMAIN-001 unknown kind;
//   KSK-DOMAIN-002 a tag that is not in the kind's template (a typo cannot slip through);
//   KSK-DOMAIN-003 a tag given twice;
//   KSK-DOMAIN-004 a value of the wrong type for its tag (a date tag holding text, …);
//   KSK-DOMAIN-005 no fields, an empty text value, an indented tag without its heading, or a
//                  heading without indented tags;
//   KSK-DOMAIN-007 text that is not UTF-8, holds control characters / line breaks or invisible
//                  characters (text::IsInvisible), or is longer than kMaxTextCharacters;
//   KSK-DOMAIN-008 a time of day out of range;
//   KSK-DOMAIN-009 a 受付番号 on a non-届出 entry or a 移記元 on a non-移記 entry.
Result<void> ValidateEvent(const Event& event);

// Checks a whole register: every event (in its right block: KSK-DOMAIN-006), and
//   KSK-DOMAIN-010 本籍 / 筆頭者 / 氏 missing or not a valid name;
//   KSK-DOMAIN-011 person seq not positive or not strictly ascending;
//   KSK-DOMAIN-012 名, 父 or 母 not a valid name (名 is required);
//   KSK-DOMAIN-013 続柄 malformed (次男) or not matching the person's sex;
//   KSK-DOMAIN-014 養父/養母/養続柄 inconsistent (養子 for a son, 養女 for a daughter);
//   KSK-DOMAIN-015 除籍 flag and removing event inconsistent (the person must carry an event
//                  of the removing kind);
//   KSK-DOMAIN-016 配偶者区分 inconsistent (夫 must be male, 妻 female, at most one current each);
//   KSK-DOMAIN-017 a 振り仮名 that is not katakana;
//   KSK-DOMAIN-041 more than kMaxPersons persons;
//   KSK-DOMAIN-042 an entry of a person dated before the person's (exact) birth, except a
//                  【胎児認知日】 and another person's 生年月日;
//   KSK-DOMAIN-043 an entry whose 届出日 precedes the event it reports (出生日, 死亡日, …), or
//                  whose 送付を受けた日 precedes its 届出日.
// Names are checked with text::ValidateName() and never changed.
Result<void> ValidateRegister(const Register& reg);

}  // namespace koseki::domain
