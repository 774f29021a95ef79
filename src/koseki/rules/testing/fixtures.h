// What every rules test needs besides its registers: a RuleContext for a filing received in
// 青葉県みなと市, entries built from key/value lists, the codes of the findings, the certificate
// text of a register compared with a golden file in src/koseki/rules/testdata/, and
// domain::ValidateRegister over a change set. The registers themselves are in
// core_fixtures.h (出生届, 死亡届), family_fixtures.h (婚姻届, 離婚届) and misc_fixtures.h (the
// other types). For tests only; never link into production code.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/register.h"
#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/notification.h"
#include "koseki/rules/notification_rule.h"

namespace koseki::rules::testing {

// The receiving municipality and its tenant code.
inline constexpr std::string_view kHere = "青葉県みなと市";
inline constexpr std::string_view kHereTenant = "999997";
// A municipality hosted on the same server, and one that is not hosted.
inline constexpr std::string_view kHosted = "東海県南浜市";
inline constexpr std::string_view kHostedTenant = "999998";
inline constexpr std::string_view kNotHosted = "青葉県北原市";
// The 受付日 of a filing whose test does not choose one: 令和８年１１月１６日 (a Monday).
inline constexpr std::string_view kReceivedOn = "2026-11-16";

// ---- Registers ----------------------------------------------------------------------------

// The sources of a recorded event other than a filing received here: transcribed from an
// earlier register (移記), and recorded ex officio (職権).
inline const domain::EventSource kIki{.kind = domain::SourceKind::kIki};
inline const domain::EventSource kShokken{.kind = domain::SourceKind::kShokken};

// Returns a 出生 event: 【出生日】【出生地】【届出日】【届出人】, dates in ISO.
domain::Event BirthEvent(std::string_view born, std::string place, std::string_view filed,
                         std::string filer, domain::EventSource source = {});
// Returns a 婚姻 event as recorded in the marital register: 【婚姻日】【配偶者氏名】【従前戸籍】.
domain::Event MarriageEvent(std::string_view on, std::string spouse, std::string previous,
                            domain::EventSource source = {});
// Returns a 分籍 event as recorded in the new register: 【分籍日】【従前戸籍】.
domain::Event BunsekiEvent(std::string_view on, std::string previous);
// Returns the 戸籍事項 of a register made on `on`: 戸籍編製【編製日】.
domain::Event HenseiEvent(std::string_view on);
// Returns the 戸籍事項 of the 平成15年 (2003-03-15) computerization: 戸籍改製, ex officio.
domain::Event KaiseiEvent();

// Returns a current register at `honseki` whose members and 筆頭者 have the 氏 `uji`, the
// 筆頭者's 名 being `hittosha_mei`, with `koseki_jiko` as its one 戸籍事項 and no persons yet.
domain::Register EmptyRegister(std::string honseki, std::string uji, std::string hittosha_mei,
                               domain::Event koseki_jiko);

// Returns an attachment "R<n>" with store id "reg-<n>" and version 10 + n.
AttachedRegister Attach(int n, domain::Register value);

// Returns the context of a filing received in 青葉県みなと市 (tenant 999997) on `received_on`
// (ISO), with the Japanese office calendar; 東海県南浜市 is hosted as tenant 999998.
RuleContext MakeContext(std::vector<AttachedRegister> registers,
                        std::string_view received_on = kReceivedOn);

// ---- Entries ------------------------------------------------------------------------------

using Values = std::vector<std::pair<std::string, std::string>>;

// Returns `values` with `key` set to `value`: replaced where present, appended otherwise.
Values With(Values values, std::string_view key, std::string_view value);
// Returns `values` with every key of `more` set as by With(values, key, value), in order.
Values With(Values values, const Values& more);
// Returns `values` without `key`.
Values Without(Values values, std::string_view key);

// Builds an entry of `type` from values and acknowledgements (code → reason).
Entry MakeEntry(NotificationType type, const Values& values, const Values& acknowledgements = {});
// Evaluates the rule of `type` on MakeEntry(type, values, acknowledgements).
Evaluation EvaluateWith(NotificationType type, const Values& values, const RuleContext& context,
                        const Values& acknowledgements = {});

// Returns the codes of the findings, in order.
std::vector<std::string> Codes(const Evaluation& evaluation);
// Returns "<code>@<field>" for each finding, in order.
std::vector<std::string> CodesWithFields(const std::vector<Finding>& findings);

// ---- Results ------------------------------------------------------------------------------

// Returns the 全部事項証明 text of `reg` with the fixed options of the rules tests
// (令和８年１２月１日, 青葉県みなと市長　　北村　誠, 発行番号 1), or "<error: id detail>" if it
// cannot be printed.
std::string Certificate(const domain::Register& reg);

// Compares `actual` with src/koseki/rules/testdata/<name>. Returns "" if equal, otherwise a
// line diff (- expected, + actual). With KOSEKI_UPDATE_GOLDENS=1 in the environment the file
// is (re)written and "" returned — review every line before committing.
std::string GoldenDiff(const std::string& actual, const std::string& name);

// Compares the certificates of one scenario with their goldens: each attached register of
// `context` with <scenario>_before_<n>.txt (attachment order), then each register of
// `change_set` with <scenario>_after_<n>.txt (updates, then creations). Returns "" if all are
// equal, otherwise the GoldenDiff of each that differs.
std::string ScenarioGoldenDiff(const RuleContext& context, const ChangeSet& change_set,
                               std::string_view scenario);

// Returns "" if every register of the change set passes domain::ValidateRegister, otherwise
// the first failing register's ref or label with the error's id and detail.
std::string ValidateAll(const ChangeSet& change_set);

}  // namespace koseki::rules::testing
