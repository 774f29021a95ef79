// The one table of event kinds: printed column label, tags in print order, value type per
// tag, where the kind may be recorded, and whether it is carried over (移記) by default.
//
// Tag lists and orders follow DOMAIN.md §1.3/§1.4, with §1.4a winning where they differ. A
// kind that has several forms (婚姻 on the joining vs the leaving side, 離婚 by agreement vs by
// a court, 養子縁組 for the adoptee vs the adopter, …) has one template holding the union of
// the tags, ordered so that every form prints in its own order. Items marked (from memory) or
// (UNVERIFIED) in DOMAIN.md are corrected here, in one place.
//
// The table is static data; all functions are pure and thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace koseki::domain {

enum class TagType {
  kText,         // free text: names, places, 父/母/親族　氏名 …
  kDate,         // text::JapaneseDate, printed in the era calendar (令和６年…)
  kWesternDate,  // text::JapaneseDate printed in the Western calendar (西暦１９９０年…): a
                 // foreign national's dates, who has no 和暦 record of their own
  kTime,         // TimeOfDay, or text for an inexact time (推定…, …から…までの間)
  kHeading,      // no value: 【従前の記録】, which introduces the indented tags after it
};

struct TagSpec {
  std::string_view tag;
  TagType type = TagType::kText;
  // For a tag printed indented under a heading tag (【名】 under 【従前の記録】): that heading.
  std::string_view under = {};
};

// Where an event kind is recorded.
enum class EventScope {
  kKosekiJiko,  // 戸籍事項: about the register
  kMibunJiko,   // 身分事項: about one person
};

struct EventTemplate {
  std::string_view kind;   // key stored in Event::kind, e.g. "出生"
  std::string_view label;  // left column as printed, e.g. "出　　生"; past six characters
                           // it continues on the next row (氏の振り仮名 / の変更)
  EventScope scope = EventScope::kMibunJiko;
  std::span<const TagSpec> tags;  // in print order
  bool transcribable = false;     // 移記対象 by default (施行規則37条, DOMAIN.md §1.4a)
  // If the event carries this tag it is the side that is never carried over (the adopter's
  // 養子縁組, the father's 認知), whatever `transcribable` says.
  std::string_view not_transcribable_with_tag = {};
};

// Returns the template for `kind`, or nullptr for an unknown kind.
const EventTemplate* FindEventTemplate(std::string_view kind);

// Returns every template, in a stable order (for documentation and tests).
std::span<const EventTemplate> AllEventTemplates();

// Returns the spec of `tag` within `tmpl`, or nullptr; `position` receives its print index.
const TagSpec* FindTag(const EventTemplate& tmpl, std::string_view tag,
                       std::size_t* position = nullptr);

}  // namespace koseki::domain
