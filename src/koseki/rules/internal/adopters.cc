#include "koseki/rules/internal/adopters.h"

#include <optional>
#include <string_view>

namespace koseki::rules::internal {

std::vector<Adopter> ResolveAdopters(const Entry& entry, const RuleContext& context,
                                     std::vector<Finding>& findings) {
  std::vector<Adopter> adopters;
  for (const char* key : {"yofu", "yobo"}) {
    if (std::optional<std::string> value = entry.Get(key)) {
      if (auto r = Resolve(context, *ParsePersonRef(*value), key, findings)) {
        adopters.push_back(Adopter{*r, FullName(*r), std::string_view(key) == "yofu"});
      }
    }
  }
  return adopters;
}

}  // namespace koseki::rules::internal
