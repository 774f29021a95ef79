// Validation findings: errors block an entry; warnings need an acknowledgement with a reason
// before the entry can be submitted (e.g. 失期, a late filing, is a warning — not a rejection).
#pragma once

#include <string>
#include <vector>

namespace koseki::rules {

enum class Severity { kError, kWarning };

struct Finding {
  Severity severity = Severity::kError;
  // Stable code, e.g. "RULE-KONIN-AGE". Acknowledgements refer to warnings by this code.
  std::string code;
  // For the operator and examiner, in Japanese. Never echoes a name or address: it may name
  // fields and state facts such as ages and day counts.
  std::string message;
  std::string field = {};     // the form field concerned, if any
  bool acknowledged = false;  // warnings only: the entry carries a reason for this code

  friend bool operator==(const Finding&, const Finding&) = default;
};

// True if any finding is an error, or a warning without acknowledgement.
bool Blocks(const std::vector<Finding>& findings);

}  // namespace koseki::rules
