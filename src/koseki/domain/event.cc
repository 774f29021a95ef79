#include "koseki/domain/event.h"

#include <utility>

#include "koseki/domain/event_templates.h"

namespace koseki::domain {

const FieldValue* Event::Find(std::string_view tag) const {
  for (const Field& f : fields) {
    if (f.tag == tag) return &f.value;
  }
  return nullptr;
}

std::optional<text::JapaneseDate> Event::DateOf(std::string_view tag) const {
  const FieldValue* v = Find(tag);
  if (v == nullptr) return std::nullopt;
  if (const auto* d = std::get_if<text::JapaneseDate>(v)) return *d;
  return std::nullopt;
}

std::optional<std::string> Event::TextOf(std::string_view tag) const {
  const FieldValue* v = Find(tag);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return std::nullopt;
}

Event MakeEvent(std::string kind, std::vector<Field> fields, EventSource source) {
  Event e{std::move(kind), std::move(fields), std::move(source), false};
  if (const EventTemplate* t = FindEventTemplate(e.kind)) {
    e.transcribable = t->transcribable;
    if (!t->not_transcribable_with_tag.empty() &&
        e.Find(t->not_transcribable_with_tag) != nullptr) {
      e.transcribable = false;
    }
  }
  return e;
}

Field TextField(std::string tag, std::string text) { return {std::move(tag), std::move(text)}; }

Field DateField(std::string tag, text::JapaneseDate date) {
  return {std::move(tag), std::move(date)};
}

Field TimeField(std::string tag, int hour, int minute) {
  return {std::move(tag), TimeOfDay{hour, minute}};
}

}  // namespace koseki::domain
