#include "koseki/rules/finding.h"

namespace koseki::rules {

bool Blocks(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    if (f.severity == Severity::kError) return true;
    if (f.severity == Severity::kWarning && !f.acknowledged) return true;
  }
  return false;
}

}  // namespace koseki::rules
