// A person (戸籍に記録されている者) as recorded in one register.
//
// The surname is the register's 氏 and is not repeated here; `mei` is the given name only.
// Names are kept byte for byte as given (variation selectors, supplementary-plane kanji):
// nothing in this module normalizes them. Plain value; ValidateRegister() (validation.h)
// checks the invariants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/text/japanese_date.h"

namespace koseki::domain {

enum class Sex {
  kMale,    // 男
  kFemale,  // 女
};

// 配偶者区分, printed beside 【生年月日】 for the married pair.
enum class HaigushaKubun {
  kNone,
  kOtto,   // 夫
  kTsuma,  // 妻
};

struct Person {
  int seq = 0;                                   // position in the register, 1-based, ascending
  std::string mei = {};                          // 名
  std::optional<std::string> mei_furigana = {};  // 名の振り仮名 (katakana; 2025–)
  Sex sex = Sex::kMale;
  text::JapaneseDate birth_date;  // 生年月日 (may be inexact: 年月日不詳)
  std::string father = {};       // 父: full name as printed (山川昭夫); empty if none recorded
  std::string mother = {};       // 母: full name as printed; empty if none recorded
  std::string zokugara = {};     // 続柄 to the parents: 長男, 二女, …
  std::string yofu = {};         // 養父 (adoptive father), empty if none
  std::string yobo = {};         // 養母 (adoptive mother), empty if none
  std::string yo_zokugara = {};  // 続柄 to the adoptive parents: 養子 / 養女; empty if none
  HaigushaKubun haigusha_kubun = HaigushaKubun::kNone;  // 配偶者区分
  bool removed = false;                                 // 除籍
  std::string removal_kind = {};  // kind of the event that removed the person ("死亡", "婚姻", …)
  std::vector<Event> mibun_jiko = {};  // 身分事項, in recording order

  friend bool operator==(const Person&, const Person&) = default;
};

}  // namespace koseki::domain
