#include "koseki/rules/notification_rule.h"

#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules {

const NotificationRule& RuleFor(NotificationType type) {
  switch (type) {
    case NotificationType::kShussei:
      return internal::ShusseiRule();
    case NotificationType::kShibou:
      return internal::ShibouRule();
    case NotificationType::kKonin:
      return internal::KoninRule();
    case NotificationType::kRikon:
      return internal::RikonRule();
    case NotificationType::kYoshiEngumi:
      return internal::YoshiEngumiRule();
    case NotificationType::kYoshiRien:
      return internal::YoshiRienRule();
    case NotificationType::kNinchi:
      return internal::NinchiRule();
    case NotificationType::kTenseki:
      return internal::TensekiRule();
    case NotificationType::kBunseki:
      return internal::BunsekiRule();
    case NotificationType::kNyuseki:
      return internal::NyusekiRule();
    case NotificationType::kFurigana:
      return internal::FuriganaRule();
    case NotificationType::kInzokuShuryo:
      return internal::InzokuShuryoRule();
    case NotificationType::kFukuuji:
      return internal::FukuujiRule();
    case NotificationType::kKonshiZokusho:
      return internal::KonshiZokushoRule();
    case NotificationType::kKika:
      return internal::KikaRule();
  }
  return internal::ShusseiRule();  // unreachable for a valid enumerator
}

}  // namespace koseki::rules
