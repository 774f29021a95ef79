// NotificationRule: one per notification type (rules/<type>.cc), pure: entry + context →
// findings + ChangeSet. No I/O; the same inputs always give the same outputs.
//
// Evaluate() first runs CheckForm; if the form has errors it stops there. Otherwise it applies
// the law (validations of DOMAIN.md §2.3) and, when no finding is an error, computes the
// ChangeSet. Warnings are marked acknowledged when the entry carries a reason for their code.
// Every rule inherits that order from internal::NotificationRuleBase
// (internal/notification_rule_base.h) and supplies only its form, its checks and its Apply.
#pragma once

#include <optional>
#include <vector>

#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/form.h"

namespace koseki::rules {

struct Evaluation {
  std::vector<Finding> findings;
  std::optional<ChangeSet> change_set;  // present iff no finding is an error

  bool Blocked() const { return Blocks(findings); }
};

class NotificationRule {
 public:
  virtual ~NotificationRule() = default;
  virtual const FormSpec& Form() const = 0;
  virtual Evaluation Evaluate(const Entry& entry, const RuleContext& context) const = 0;
};

// Returns the rule of `type` (never null; rules are stateless singletons).
const NotificationRule& RuleFor(NotificationType type);

}  // namespace koseki::rules
