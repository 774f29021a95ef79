// The rule of each notification type, defined in its own file (rules/<type>.cc); RuleFor()
// (notification_rule.cc) maps a NotificationType to one of these.
#pragma once

#include "koseki/rules/notification_rule.h"

namespace koseki::rules::internal {

const NotificationRule& ShusseiRule();        // shussei.cc     出生届
const NotificationRule& ShibouRule();         // shibou.cc      死亡届
const NotificationRule& KoninRule();          // konin.cc       婚姻届
const NotificationRule& RikonRule();          // rikon.cc       離婚届
const NotificationRule& YoshiEngumiRule();    // yoshi_engumi.cc 養子縁組届
const NotificationRule& YoshiRienRule();      // yoshi_rien.cc  養子離縁届
const NotificationRule& NinchiRule();         // ninchi.cc      認知届
const NotificationRule& TensekiRule();        // tenseki.cc     転籍届
const NotificationRule& BunsekiRule();        // bunseki.cc     分籍届
const NotificationRule& NyusekiRule();        // nyuseki.cc     入籍届
const NotificationRule& FuriganaRule();       // furigana.cc    氏名の振り仮名の届
const NotificationRule& InzokuShuryoRule();   // inzoku_shuryo.cc 姻族関係終了届
const NotificationRule& FukuujiRule();        // fukuuji.cc     復氏届
const NotificationRule& KonshiZokushoRule();  // konshi_zokusho.cc 婚氏続称の届
const NotificationRule& KikaRule();           // kika.cc 帰化届

}  // namespace koseki::rules::internal
