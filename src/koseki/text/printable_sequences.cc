#include "koseki/text/printable_sequences.h"

#include <algorithm>
#include <span>
#include <string>

#include "koseki/text/internal/utf8.h"
#include "koseki/text/name.h"

namespace koseki::text {
namespace {

// Returns whether the font can print `base` followed by `selectors`. The format-14 cmap maps a
// base and one selector; a second selector would be dropped, and a selector with no base
// before it (`base` is then a selector itself) draws nothing.
bool IsPrintableCharacter(char32_t base, std::u32string_view selectors) {
  if (IsVariationSelector(base)) return false;
  if (selectors.empty()) return true;
  return selectors.size() == 1 && IsPrintableVariationSequence(base, selectors.front());
}

}  // namespace

bool IsPrintableVariationSequence(char32_t base, char32_t selector) {
  const std::span<const internal::VariationSequence> table = internal::PrintableSequenceTable();
  return std::binary_search(table.begin(), table.end(),
                            internal::VariationSequence{base, selector});
}

std::optional<UnprintableCharacter> FirstUnprintableSequence(std::string_view name) {
  std::size_t pos = 0;
  for (std::size_t index = 0; pos < name.size(); ++index) {
    const std::size_t start = pos;
    const std::optional<char32_t> base = internal::DecodeOne(name, pos);
    if (!base) {
      ++pos;  // ValidateName refuses ill-formed UTF-8; nothing here can name such a byte.
      continue;
    }
    // The character runs from its base over every selector that follows it.
    std::u32string selectors;
    while (pos < name.size()) {
      std::size_t next = pos;
      const std::optional<char32_t> c = internal::DecodeOne(name, next);
      if (!c || !IsVariationSelector(*c)) break;
      selectors += *c;
      pos = next;
    }
    if (!IsPrintableCharacter(*base, selectors)) {
      return UnprintableCharacter{index, std::string(name.substr(start, pos - start))};
    }
  }
  return std::nullopt;
}

std::size_t PrintableVariationSequenceCount() { return internal::PrintableSequenceTable().size(); }

}  // namespace koseki::text
