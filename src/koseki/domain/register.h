// A family register (戸籍): the central value of koseki.
//
// A register is identified by its 本籍 and its 筆頭者 and holds the 戸籍事項 (register-level
// events) and the persons in register order (筆頭者, spouse, children by entry), each with
// their 身分事項. The 筆頭者 never changes while the register exists, even after death.
// Registers are plain values: build one, call ValidateRegister() (validation.h), then store it
// (register_json.h gives the serialization) or print it (certificate.h). No I/O here.
//
// How to build a Register in code (fictional people; dates via text::JapaneseDate):
//
//   using koseki::text::JapaneseDate;
//   auto d = [](const char* iso) { return *JapaneseDate::FromIso(iso); };
//   koseki::domain::Register r;
//   r.honseki = "青葉県みなと市桜町二丁目１５番地";
//   r.hittosha_uji = "山川";
//   r.hittosha_mei = "健一";
//   r.uji = "山川";
//   r.koseki_jiko.push_back(MakeEvent("戸籍編製", {DateField("編製日", d("1984-10-10"))}));
//   r.persons.push_back(koseki::domain::Person{
//       .seq = 1, .mei = "健一", .sex = Sex::kMale, .birth_date = d("1955-05-10"),
//       .father = "山川昭夫", .mother = "山川恵子", .zokugara = "長男",
//       .haigusha_kubun = HaigushaKubun::kOtto,
//       .mibun_jiko = {MakeEvent("出生", {DateField("出生日", d("1955-05-10")),
//                                         TextField("出生地", "青葉県みなと市"),
//                                         DateField("届出日", d("1955-05-16")),
//                                         TextField("届出人", "父")})}});
//   KOSEKI_RETURN_IF_ERROR(ValidateRegister(r));
//
// Person has no default constructor because a JapaneseDate has none: give birth_date always.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/person.h"

namespace koseki::domain {

enum class RegisterStatus {
  kGenzai,     // 現在: a current register
  kJoseki,     // 除籍: closed (all members left, or transferred away)
  kKaiseiGen,  // 改製原: superseded by a reformatted register
};

struct Register {
  std::string honseki = {};       // 本籍
  std::string hittosha_uji = {};  // 筆頭者の氏 as it identifies the register
  std::string hittosha_mei = {};  // 筆頭者の名
  std::string uji = {};  // 氏 of the members (after 氏の変更 it differs from the original)
  std::optional<std::string> uji_furigana = {};  // 氏の振り仮名 (katakana; 2025–)
  RegisterStatus status = RegisterStatus::kGenzai;
  std::vector<Event> koseki_jiko = {};  // 戸籍事項
  std::vector<Person> persons = {};     // in register order

  // Returns the 筆頭者's name as written in references to the register: 山川健一 (no space),
  // as in 【従前戸籍】青葉県みなと市桜町二丁目１５番地　山川健一.
  std::string HittoshaFullName() const;
  // Returns the 筆頭者's name as printed in the certificate header: 山川　健一.
  std::string HittoshaDisplayName() const;
  // Returns the full name of a member as printed in 【父】【母】: 氏 + 名, no space.
  std::string FullNameOf(const Person& person) const;
  // Returns the person with this seq, or nullptr.
  const Person* FindPerson(int seq) const;

  friend bool operator==(const Register&, const Register&) = default;
};

// Returns 現在 / 除籍 / 改製原.
std::string_view RegisterStatusName(RegisterStatus status);

}  // namespace koseki::domain
