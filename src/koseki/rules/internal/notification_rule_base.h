// The evaluation order every notification rule follows, written once so that a rule cannot get
// it wrong: a rule supplies its form, its checks and its Apply; this base runs them.
//
//   1. CheckForm: a malformed entry stops here, so that the checks may read every value as typed
//      (a required value is present, a date parses, a reference is well formed).
//   2. Check: the law (DOMAIN.md §2.3), appending findings.
//   3. The entry's acknowledgements mark their warnings, whatever the checks found, so that the
//      operator sees which warnings still need a reason.
//   4. Apply, only when no finding is an error: the ChangeSet.
#pragma once

#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/form.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/notification.h"
#include "koseki/rules/notification_rule.h"

namespace koseki::rules::internal {

// What Apply computes: the change set, or the one error that only computing it revealed (e.g. a
// 続柄 that cannot be determined).
using ChangeSetOrError = std::variant<ChangeSet, Finding>;

// The base of every notification rule (rules/<type>.cc): a rule hands its form to the constructor
// and implements Check and Apply; Evaluate, final here, runs them in the order above. `Checked` is
// what Check establishes and Apply needs: the resolved persons, the typed values, the decisions
// taken (which register the person enters, …); it may point into the context, which outlives the
// evaluation. Immutable once constructed: one instance serves all threads.
template <typename Checked>
class NotificationRuleBase : public NotificationRule {
 public:
  const FormSpec& Form() const final { return form_; }

  Evaluation Evaluate(const Entry& entry, const RuleContext& context) const final {
    Evaluation evaluation;
    evaluation.findings = CheckForm(form_, entry);
    if (!evaluation.findings.empty()) return evaluation;

    std::optional<Checked> checked = Check(entry, context, evaluation.findings);
    ApplyAcknowledgements(entry, evaluation.findings);
    if (!checked || HasError(evaluation.findings)) return evaluation;

    ChangeSetOrError applied = Apply(entry, context, *checked);
    if (Finding* error = std::get_if<Finding>(&applied)) {
      evaluation.findings.push_back(std::move(*error));
    } else {
      evaluation.change_set = std::get<ChangeSet>(std::move(applied));
      AddForwardingFields(context, *evaluation.change_set);
    }
    return evaluation;
  }

 protected:
  explicit NotificationRuleBase(FormSpec form) : form_(std::move(form)) {}

  // Applies the law to an entry that passed its form, appending a Finding per problem. Returns
  // nullopt when the checks could not go far enough to establish what Apply needs (then at least
  // one error has been appended).
  virtual std::optional<Checked> Check(const Entry& entry, const RuleContext& context,
                                       std::vector<Finding>& findings) const = 0;

  // Computes the change set of an entry whose checks found no error.
  virtual ChangeSetOrError Apply(const Entry& entry, const RuleContext& context,
                                 const Checked& checked) const = 0;

 private:
  FormSpec form_;
};

}  // namespace koseki::rules::internal
