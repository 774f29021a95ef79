// Registers for the tests of the 出生届 / 死亡届 rules: fictional registers of 青葉県みなと市
// built in code. The shared helpers (Attach, MakeContext, Certificate, GoldenDiff, …) are in
// fixtures.h. For tests only; never link into production code.
//
// The registers (本籍 in 青葉県みなと市; fictional people):
//   domain::testing::ExampleRegister()  山川健一 (DOMAIN.md §1.5);
//   ExampleRegisterBeforeDeath()        the same register before 健一's death was recorded: no
//                                       死亡 on 健一, no 配偶者の死亡 on 美咲, 健一 not 除籍;
//   UminoRegister()                     海野大輔 (筆頭者) and 彩 (妻), married 令和２年, with 湊
//                                       (長男, 令和５年) — a 嫡出子 is born;
//   MoritaParentsRegister()             森田和夫 (筆頭者) and 京子 (妻) with さくら (長女, adult,
//                                       single) and 悠 (長男) — さくら's child of unmarried
//                                       parents triggers 戸籍法17条;
//   SoleMemberRegister()                石田文子, the sole member of her register after 分籍 —
//                                       her death closes it.
#pragma once

#include "koseki/domain/register.h"
#include "koseki/rules/testing/fixtures.h"

namespace koseki::rules::testing::core {

domain::Register ExampleRegisterBeforeDeath();
domain::Register UminoRegister();
domain::Register MoritaParentsRegister();
domain::Register SoleMemberRegister();

// The workflow tests print registers under this name.
using ::koseki::rules::testing::Certificate;

}  // namespace koseki::rules::testing::core
