// The JSON form of a Register: the storage serialization (encrypted by the store) and the
// import format of `koseki import` (JSON Lines: one register object per line). The schema is
// documented field by field in docs/formats.md ("Register JSON (import format)").
//
//   {"format":1,"honseki":"…","hittosha":{"uji":"山川","mei":"健一"},"uji":"山川",
//    "status":"現在","koseki_jiko":[…],"persons":[{"seq":1,"mei":"健一","sex":"男",…}]}
//
// Dates are "YYYY-MM-DD" when exact, {"text":"年月日不詳"} or {"text":"推定…","estimated":
// "YYYY-MM-DD"} otherwise; times are "HH:MM". Which JSON type a field value takes is decided by
// its tag's type in the event template. Strings are kept byte for byte (no normalization).
// ToJson() is deterministic (nlohmann::json sorts keys), so dump() of the same register
// always gives the same bytes. Pure functions, thread-safe; nothing here throws.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "koseki/base/result.h"
#include "koseki/domain/register.h"

namespace koseki::domain {

inline constexpr int kRegisterJsonFormat = 1;

// Returns the JSON form of `reg` (format 1). `reg` should have passed ValidateRegister().
nlohmann::json ToJson(const Register& reg);

// Parses and fully validates a register (ValidateRegister() included). InvalidArgument:
//   KSK-DOMAIN-037 the text is not JSON (or not UTF-8);
//   KSK-DOMAIN-030 wrong JSON shape: not an object, a missing key, a value of the wrong type;
//   KSK-DOMAIN-031 a missing or unsupported "format";
//   KSK-DOMAIN-032 a malformed or impossible date;  KSK-DOMAIN-033 a malformed time;
//   KSK-DOMAIN-034 an unknown enumeration value (sex, status, …);
//   KSK-DOMAIN-035 an unknown key (a misspelt optional key must not be silently ignored);
//   KSK-DOMAIN-036 a key given twice in one object;
//   and every KSK-DOMAIN-0NN of ValidateRegister().
// Messages name the item by its path (persons[0].birth_date), never by its value.
//
// `source` kAuthenticated is for JSON the store wrote itself and read back through an AEAD:
// it was validated when it was written and cannot have been altered since, so the semantic
// checks of ValidateRegister() are skipped (about a seventh of a lookup's work). The shape,
// types, dates and enumerations are still checked, so malformed input never yields garbage.
enum class JsonSource { kUntrusted, kAuthenticated };
Result<Register> RegisterFromJson(std::string_view json,
                                  JsonSource source = JsonSource::kUntrusted);

}  // namespace koseki::domain
