// Test fixtures for the 婚姻届 and 離婚届 rules: fictional registers of 青葉県みなと市 built in
// code, a RuleContext with a chosen 受付日, and golden-file comparison of certificate text.
// For tests only; never link into production code.
//
// The registers (本籍 in 青葉県みなと市; fictional people):
//   domain::testing::ExampleRegister()  山川健一 (DOMAIN.md §1.5): 拓也 (長男, single) marries;
//   KawakamiRegister          川上正一 (筆頭者) and 由美 (妻), 花子 (長女) and 健太 (長男), both
//   adult
//                             and single — brides, and the sibling case;
//   KawakamiParentsRegister   川上清 (筆頭者, widower; 文子 除籍 by 死亡) and 修 (二男, single):
//                             正一 left before the 平成15年 改製, so he is not in it — the
//                             grandfather and uncle of 花子 (close-relative cases);
//   MoritaRegister            森田和也, sole member after 分籍 — a 筆頭者 whom a bride joins;
//   AokiRegister              青木誠 (筆頭者) and さくら (妻) with two minor children, 陽斗 (長男)
//                             and 美月 (長女) — divorces;
//   MatsuiRegister            松井武 and 良子, さくら (長女, 除籍 by 婚姻 to 青木誠) and 翼 — the
//                             register さくら returns to (復籍).
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

namespace koseki::rules::testing::family {

// The receiving municipality, a municipality hosted on this server (tenant 999998), and one
// that is not hosted.
inline constexpr std::string_view kHere = "青葉県みなと市";
inline constexpr std::string_view kHosted = "東海県南浜市";
inline constexpr std::string_view kHostedTenant = "999998";
inline constexpr std::string_view kNotHosted = "青葉県北原市";

domain::Register KawakamiRegister();
domain::Register KawakamiParentsRegister();
domain::Register MoritaRegister();
domain::Register AokiRegister();
domain::Register MatsuiRegister();

// Returns an attachment "R<n>" with store id "reg-<n>" and version 10 + n.
AttachedRegister Attach(int n, domain::Register value);
// Returns the context of a filing received in 青葉県みなと市 on `received_on` (ISO), with the
// Japanese office calendar.
RuleContext MakeContext(std::vector<AttachedRegister> registers, std::string_view received_on);

using Values = std::vector<std::pair<std::string, std::string>>;
// Evaluates `type` with these entry values and acknowledgements (code → reason).
Evaluation EvaluateWith(NotificationType type, const Values& values, const RuleContext& context,
                        const Values& acknowledgements = {});

// Returns the codes of the findings, in order.
std::vector<std::string> Codes(const Evaluation& evaluation);

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

}  // namespace koseki::rules::testing::family
