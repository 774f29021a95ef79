// Events (事項) recorded in a register: register-level 戸籍事項 and per-person 身分事項.
//
// An Event is one entry such as 出生 or 婚姻: a kind, the tagged fields printed as 【tag】value,
// where the value came from (届出 / 職権 / 移記), and whether it is carried over (移記) when the
// person moves to a new register. Values are typed so that rules can compute with dates:
// text, a text::JapaneseDate, or a time of day.
//
// Tags are stored without the brackets ("出生日", printed 【出生日】). Which tags an event kind
// may carry, and the order they are printed in, is data in event_templates.h; fields may be
// added in any order. Plain values: copyable, no invariants enforced on construction — call
// ValidateEvent() (validation.h) before trusting one from outside.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "koseki/text/japanese_date.h"

namespace koseki::domain {

// A time of day as recorded for 死亡時分; printed 午後３時４５分.
struct TimeOfDay {
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59
  friend bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
};

// Text (names, places, free wording), a date, or a time. An empty text is only valid for a
// heading tag such as 【従前の記録】.
using FieldValue = std::variant<std::string, text::JapaneseDate, TimeOfDay>;

struct Field {
  std::string tag = {};  // without brackets: "出生日"
  FieldValue value = {};
  friend bool operator==(const Field&, const Field&) = default;
};

// Where an entry came from.
enum class SourceKind {
  kTodokede,  // 届出: a notification was filed
  kShokken,   // 職権: recorded ex officio by the mayor
  kIki,       // 移記: transcribed from a previous register
};

struct EventSource {
  SourceKind kind = SourceKind::kTodokede;
  std::string uketsuke_bango = {};  // 受付番号 of the notification (届出 only; may be empty)
  std::string iki_moto =
      {};  // 移記元: the register it was transcribed from (移記 only; may be empty)
  friend bool operator==(const EventSource&, const EventSource&) = default;
};

struct Event {
  std::string kind = {};  // template key: "出生", "婚姻", "戸籍改製", …
  std::vector<Field> fields = {};
  EventSource source = {};
  bool transcribable = false;  // 移記対象

  // Returns the value of `tag`, or nullptr if the event has no such field.
  const FieldValue* Find(std::string_view tag) const;
  // Returns the date in `tag` if that field exists and holds a date.
  std::optional<text::JapaneseDate> DateOf(std::string_view tag) const;
  // Returns the text in `tag` if that field exists and holds text.
  std::optional<std::string> TextOf(std::string_view tag) const;

  friend bool operator==(const Event&, const Event&) = default;
};

// Builds an event whose 移記 flag is the template's default for `kind` and these fields
// (e.g. 養子縁組 on the adopter's side is not transcribed). Unknown kinds get `false`.
Event MakeEvent(std::string kind, std::vector<Field> fields, EventSource source = {});

// Returns a field holding text / a date / a time; shorthand for building events in code.
Field TextField(std::string tag, std::string text);
Field DateField(std::string tag, text::JapaneseDate date);
Field TimeField(std::string tag, int hour, int minute);

}  // namespace koseki::domain
