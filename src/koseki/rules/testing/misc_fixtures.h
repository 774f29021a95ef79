// Registers for the tests of the rules of 養子縁組, 養子離縁, 認知, 転籍, 分籍 and 入籍: fictional
// registers of 青葉県みなと市 built in code. The shared helpers (Attach, MakeContext,
// Certificate, GoldenDiff, …) are in fixtures.h. For tests only; never link into production
// code.
//
// The registers (all 本籍 in 青葉県みなと市 unless noted; fictional people):
//   OgawaRegister         小川浩 (筆頭者) and 由美 (妻), 翔太 (長男, adult), 大輔 (二男, 除籍
//                         by 婚姻), 彩 (長女, a minor) — 分籍, 転籍, and the adopters of 養子縁組;
//   NakamuraRegister      中村正 (筆頭者) and 久美子 (妻), 健太 (長男, adult) — an adult
//                         adoptee, and the adopters of a married adoptee (民法810条但書);
//   SuzukiRegister        鈴木大介 and 愛, 蓮 (長男, 10 years old) — a minor adoptee;
//   MoriRegister          森由紀 (筆頭者 after 分籍) and her daughter 陽菜 (born out of
//                         wedlock); `acknowledged` adds the father's 認知 on 陽菜 (【認知者の戸籍】
//                         his parents' register, or his own one) — 認知 and 入籍;
//   TakahashiParentsRegister
//                         高橋隆 and 和子 with their son 悠斗 (the father of 陽菜, still a child
//                         member): `acknowledged` adds his 認知 entry;
//   TakahashiOwnRegister  悠斗 as 筆頭者 of his own register (after 分籍); `acknowledged`
//                         likewise.
#pragma once

#include "koseki/domain/register.h"
#include "koseki/rules/testing/fixtures.h"

namespace koseki::rules::testing::misc {

domain::Register OgawaRegister();
domain::Register NakamuraRegister();
domain::Register SuzukiRegister();
domain::Register MoriRegister(bool acknowledged, bool father_in_own_register = false);
domain::Register TakahashiParentsRegister(bool acknowledged);
domain::Register TakahashiOwnRegister(bool acknowledged);

}  // namespace koseki::rules::testing::misc
