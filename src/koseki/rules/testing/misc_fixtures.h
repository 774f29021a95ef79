// Test fixtures for the rules of 養子縁組, 養子離縁, 認知, 転籍, 分籍 and 入籍: fictional registers
// of 青葉県みなと市 built in code, a RuleContext with a fixed 受付日, and golden-file comparison
// of certificate text. For tests only; never link into production code.
//
// The registers (all 本籍 in 青葉県みなと市 unless noted; fictional people):
//   OgawaRegister        小川浩 (筆頭者) and 由美 (妻), 翔太 (長男, adult), 大輔 (二男, 除籍 by
//   婚姻),
//                        彩 (長女, a minor) — 分籍, 転籍, and the adopters of 養子縁組;
//   NakamuraRegister     中村正 (筆頭者) and 久美子 (妻), 健太 (長男, adult) — an adult adoptee,
//   and
//                        the adopters of a married adoptee (民法810条但書);
//   SuzukiRegister       鈴木大介 and 愛, 蓮 (長男, 10 years old) — a minor adoptee;
//   MoriRegister         森由紀 (筆頭者 after 分籍) and her daughter 陽菜 (born out of wedlock);
//                        `acknowledged` adds the father's 認知 on 陽菜 (【認知者の戸籍】 his
//                        parents' register, or his own one) — 認知 and 入籍;
//   TakahashiParentsRegister  高橋隆 and 和子 with their son 悠斗 (the father of 陽菜, still a
//   child
//                        member): `acknowledged` adds his 認知 entry;
//   TakahashiOwnRegister 悠斗 as 筆頭者 of his own register (after 分籍); `acknowledged` likewise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/domain/register.h"
#include "koseki/rules/context.h"
#include "koseki/rules/notification.h"
#include "koseki/rules/notification_rule.h"

namespace koseki::rules::testing {

// The 受付日 of every fixture filing: 令和８年１１月１６日 (a Monday).
inline constexpr std::string_view kReceivedOn = "2026-11-16";
// The receiving municipality and its tenant code.
inline constexpr std::string_view kHere = "青葉県みなと市";
// A municipality hosted on the same server (tenant 999998), and one that is not hosted.
inline constexpr std::string_view kHostedElsewhere = "東海県南浜市";
inline constexpr std::string_view kHostedElsewhereTenant = "999998";
inline constexpr std::string_view kNotHosted = "青葉県北原市";

domain::Register OgawaRegister();
domain::Register NakamuraRegister();
domain::Register SuzukiRegister();
domain::Register MoriRegister(bool acknowledged, bool father_in_own_register = false);
domain::Register TakahashiParentsRegister(bool acknowledged);
domain::Register TakahashiOwnRegister(bool acknowledged);

// Returns an attachment "R<n>" with a fixed store id and version.
AttachedRegister Attach(int n, domain::Register value);
// Returns the context of a filing received in 青葉県みなと市 on `received_on` (ISO).
RuleContext MakeContext(std::vector<AttachedRegister> registers,
                        std::string_view received_on = kReceivedOn);

// Evaluates `type` with the given entry values.
Evaluation RunRule(NotificationType type, std::vector<std::pair<std::string, std::string>> values,
                   const RuleContext& context);

// Returns the codes of the findings, in order.
std::vector<std::string> Codes(const Evaluation& evaluation);

// Returns the 全部事項証明 text of `reg` with the fixed options of the rules tests
// (令和８年１２月１日, 青葉県みなと市長　　北村　誠, 発行番号 1), or "<error: id>" if it cannot be
// printed.
std::string Certificate(const domain::Register& reg);

// Compares `actual` with src/koseki/rules/testdata/<name>. Returns "" if they are equal,
// otherwise a line diff (- expected, + actual). With KOSEKI_UPDATE_GOLDENS=1 in the
// environment the file is (re)written and "" returned, to be reviewed before committing.
std::string GoldenDiff(const std::string& actual, const std::string& name);

// Returns "" if every register of the change set passes domain::ValidateRegister, otherwise
// the first error's id and detail.
std::string ValidateAll(const ChangeSet& change_set);

}  // namespace koseki::rules::testing
