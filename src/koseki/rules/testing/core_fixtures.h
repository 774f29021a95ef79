// Test fixtures for the framework and for the 出生届 / 死亡届 rules: fictional registers of
// 青葉県みなと市 built in code, a RuleContext with a chosen 受付日, and golden-file comparison of
// certificate text. For tests only; never link into production code.
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

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/domain/register.h"
#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/notification.h"
#include "koseki/rules/notification_rule.h"

namespace koseki::rules::testing::core {

// The receiving municipality, a municipality hosted on this server, and one that is not.
inline constexpr std::string_view kHere = "青葉県みなと市";
inline constexpr std::string_view kHereTenant = "999997";
inline constexpr std::string_view kHosted = "東海県南浜市";
inline constexpr std::string_view kHostedTenant = "999996";
inline constexpr std::string_view kNotHosted = "青葉県北原市";

domain::Register ExampleRegisterBeforeDeath();
domain::Register UminoRegister();
domain::Register MoritaParentsRegister();
domain::Register SoleMemberRegister();

// Returns an attachment "R<n>" with store id "reg-<n>" and version 10 + n.
AttachedRegister Attach(int n, domain::Register value);
// Returns the context of a filing received in 青葉県みなと市 on `received_on` (ISO), with the
// Japanese office calendar.
RuleContext MakeContext(std::vector<AttachedRegister> registers, std::string_view received_on);

using Values = std::vector<std::pair<std::string, std::string>>;
// Builds an entry of `type` from values and acknowledgements (code → reason).
Entry MakeEntry(NotificationType type, const Values& values, const Values& acknowledgements = {});

// Returns "<code>@<field>" for each finding, in order.
std::vector<std::string> Codes(const std::vector<Finding>& findings);

// Returns the 全部事項証明 text of `reg` with the fixed options of the rules tests
// (令和８年１２月１日, 青葉県みなと市長　　北村　誠, 発行番号 1), or "<error: id>" if it cannot be
// printed.
std::string Certificate(const domain::Register& reg);

// Compares `actual` with the file at `path`. Returns "" if equal, otherwise a line diff
// (- expected, + actual). With KOSEKI_UPDATE_GOLDENS=1 the file is (re)written and "" returned
// — review every line before committing.
std::string GoldenDiffAt(const std::string& actual, const std::string& path);

#ifdef KOSEKI_RULES_TESTDATA
// GoldenDiffAt for src/koseki/rules/testdata/<name>; the directory is known to the test
// target only, hence inline here.
inline std::string GoldenDiff(const std::string& actual, const std::string& name) {
  return GoldenDiffAt(actual, std::string(KOSEKI_RULES_TESTDATA) + "/" + name);
}
#endif

// Returns "" if every register of the change set passes domain::ValidateRegister, otherwise
// the first error's id and detail.
std::string ValidateAll(const ChangeSet& change_set);

}  // namespace koseki::rules::testing::core
