// Certificate text (記録事項証明書): the 全部事項証明 and 個人事項証明 of a register, laid out as
// plain text exactly as DOMAIN.md §1.5 prints it (the golden test reproduces that example byte
// for byte). The render module draws these lines onto paper; this module decides every
// character, space and page break.
//
// Layout (all columns counted in full-width characters unless noted):
//   * page header right-aligned to display column 82 (ASCII spaces; full-width = 2 columns):
//     （２の１）　　全部事項証明 — (total の page), title 全部事項証明 / 個人事項証明, prefixed
//     with 除籍 for a 除籍 register;
//   * page 1 only: 本　　籍　　…, 氏　　名　　氏　名 (and 氏の振り仮名　… when recorded; UNVERIFIED
//     layout, DOMAIN.md §1.6), then a rule of 44 ─;
//   * the 戸籍事項 block (if any) and one block per printed person, separated by rules; event
//     labels in column 1, 【tag】value from column 8; person fields from column 13;
//   * every page but the last ends with 以下次頁 (right-aligned to display column 76) and the
//     発行番号 line; the last page ends with 以下余白, the certification sentence, the issue date,
//     the mayor line with ［職印］ and the 発行番号 line.
// No line has trailing spaces (the §1.5 example has none either); lines end with '\n'.
//
// Page breaks: lines_per_page counts every line of a page, header and footer included. Blocks
// are placed greedily: a block (with its trailing rule) goes on the current page if the page
// still fits its footer (2 lines: 以下次頁 + 発行番号; 8 lines after the last block); otherwise a
// new page starts with it. Only a block longer than a whole page is split, line by line.
// kDefaultLinesPerPage (50) breaks the §1.5 example after 美咲's block, as printed there.
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/domain/register.h"
#include "koseki/text/japanese_date.h"

namespace koseki::domain {

enum class CertificateKind {
  kZenbu,  // 全部事項証明: every person
  kKojin,  // 個人事項証明: the selected persons only
};

inline constexpr int kDefaultLinesPerPage = 50;
inline constexpr int kMinLinesPerPage = 15;
inline constexpr int kMaxLinesPerPage = 1000;

// Separates pages in RenderCertificateText (a form feed, as line printers expect).
inline constexpr std::string_view kPageSeparator = "\f";

struct CertificateOptions {
  CertificateKind kind = CertificateKind::kZenbu;
  std::vector<int> selected_seqs = {};  // 個人事項証明: Person::seq of each person to print
  text::JapaneseDate issue_date;        // 発行日; must be an exact day
  std::string mayor_line = {};  // 青葉県みなと市長　　北村　誠 (［職印］ is added)
  int issue_number = 0;         // 発行番号, 0..999999, printed ０００１２３
  int lines_per_page = kDefaultLinesPerPage;
  // A register shown on a screen (a picture for a case's operator or examiner), not a
  // certificate: the same pages and page breaks, titled 画面表示（証明書ではありません）, ending
  // with 以下次頁 / 以下余白 only — no certification sentence, date, mayor line, seal or
  // 発行番号 (mayor_line and issue_number are ignored) — so that a photograph of the screen
  // cannot pass for a certificate.
  bool screen_view = false;
};

// Returns the certificate as pages, each page its lines joined with '\n' (every line ends
// with '\n'). Refuses (InvalidArgument unless noted):
//   any ValidateRegister() error;
//   KSK-DOMAIN-020 an inexact issue date;      KSK-DOMAIN-021 issue number out of range;
//   KSK-DOMAIN-022 lines_per_page out of range; KSK-DOMAIN-023 an empty, duplicate or unknown
//   個人 selection;  KSK-DOMAIN-024 an empty mayor line or one with a line break;
//   KSK-DOMAIN-025 (FailedPrecondition) a 改製原 register, whose certificate is a copy of the
//   original and not this layout.
Result<std::vector<std::string>> RenderCertificatePages(const Register& reg,
                                                        const CertificateOptions& options);

// Returns all pages joined with kPageSeparator.
Result<std::string> RenderCertificateText(const Register& reg, const CertificateOptions& options);

}  // namespace koseki::domain
