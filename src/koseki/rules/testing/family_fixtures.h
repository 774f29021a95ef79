// Registers for the tests of the 婚姻届 and 離婚届 rules: fictional registers of 青葉県みなと市
// built in code, and the parts of an entry both notifications share. The shared helpers
// (Attach, MakeContext, Certificate, GoldenDiff, …) are in fixtures.h. For tests only; never
// link into production code.
//
// The registers (本籍 in 青葉県みなと市; fictional people):
//   domain::testing::ExampleRegister()  山川健一 (DOMAIN.md §1.5): 拓也 (長男, single) marries;
//   KawakamiRegister          川上正一 (筆頭者) and 由美 (妻), 花子 (長女) and 健太 (長男),
//                             both adult and single — brides, and the sibling case;
//   KawakamiParentsRegister   川上清 (筆頭者, widower; 文子 除籍 by 死亡) and 修 (二男, single):
//                             正一 left before the 平成15年 改製, so he is not in it — the
//                             grandfather and uncle of 花子 (close-relative cases);
//   MoritaRegister            森田和也, sole member after 分籍 — a 筆頭者 whom a bride joins;
//   AokiRegister              青木誠 (筆頭者) and さくら (妻) with two minor children, 陽斗 (長男)
//                             and 美月 (長女) — divorces;
//   MatsuiRegister            松井武 and 良子, さくら (長女, 除籍 by 婚姻 to 青木誠) and 翼 — the
//                             register さくら returns to (復籍).
#pragma once

#include <string_view>

#include "koseki/domain/register.h"
#include "koseki/rules/testing/fixtures.h"

namespace koseki::rules::testing::family {

domain::Register KawakamiRegister();
domain::Register KawakamiParentsRegister();
domain::Register MoritaRegister();
domain::Register AokiRegister();
domain::Register MatsuiRegister();

// Two adult witnesses (証人) of a 婚姻届 or a 協議離婚: 佐藤一郎 (1970-01-15) and 高田幸子
// (1975-03-03).
Values AdultWitnesses();
// 大野翔 as the husband of a 婚姻届 described from his 戸籍謄本 (the husband_ext_* fields), his
// register being at `honseki` with the 筆頭者 `hittosha` — by default in 東海県南浜市, hosted on
// this server and not attached.
Values ExternalHusband(std::string_view honseki = "東海県南浜市浜町１２番地",
                       std::string_view hittosha = "大野浩");

// ワン、メイ of 中国 as the wife of a 婚姻届, a foreign national (the wife_foreign_* fields).
Values ForeignWife();

}  // namespace koseki::rules::testing::family
