// Test fixtures for code built on the domain module: the fictional register of DOMAIN.md §1.5
// (山川家, 青葉県みなと市) built in code, and the options that print its certificate exactly as
// shown there. For tests only (link koseki_domain_testing); never use in production code.
#pragma once

#include <string_view>

#include "koseki/domain/certificate.h"
#include "koseki/domain/register.h"
#include "koseki/text/japanese_date.h"

namespace koseki::domain::testing {

// Returns the exact date for "YYYY-MM-DD"; aborts on a bad literal (test code only).
text::JapaneseDate Day(std::string_view iso);

// Returns the §1.5 register: 健一 (筆頭者, 除籍 by 死亡), 美咲 (妻), 真理 (除籍 by 婚姻), 拓也.
Register ExampleRegister();

// Returns the §1.5 options: 全部事項証明, 令和７年１月１０日, 青葉県みなと市長　　北村　誠,
// 発行番号 123, kDefaultLinesPerPage.
CertificateOptions ExampleCertificateOptions();

}  // namespace koseki::domain::testing
