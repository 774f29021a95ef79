#include "koseki/domain/certificate.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <utility>
#include <variant>

#include "koseki/domain/event_templates.h"
#include "koseki/domain/validation.h"
#include "koseki/text/name.h"

namespace koseki::domain {
namespace {

// ---- Printed wording (data; DOMAIN.md §1.2 item 8) ----

struct Wording {
  RegisterStatus status;
  CertificateKind kind;
  std::string_view title;
  std::string_view sentence;
};

// The 全部 sentence is seen in a public sample [src]; the others are from memory.
constexpr Wording kWordings[] = {
    {RegisterStatus::kGenzai, CertificateKind::kZenbu, "全部事項証明",
     "これは、戸籍に記録されている事項の全部を証明した書面である。"},
    {RegisterStatus::kGenzai, CertificateKind::kKojin, "個人事項証明",
     "これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。"},
    {RegisterStatus::kJoseki, CertificateKind::kZenbu, "除籍全部事項証明",
     "これは、除籍に記録されている事項の全部を証明した書面である。"},
    {RegisterStatus::kJoseki, CertificateKind::kKojin, "除籍個人事項証明",
     "これは、除籍中の一部の者について記録されている事項の全部を証明した書面である。"},
};

constexpr std::string_view kHonsekiLabel = "本　　籍　　";
constexpr std::string_view kShimeiLabel = "氏　　名　　";
constexpr std::string_view kUjiFuriganaLabel = "氏の振り仮名　";  // UNVERIFIED (§1.6)
constexpr std::string_view kKosekiJikoHeading = "戸籍事項";
constexpr std::string_view kMibunJikoHeading = "身分事項";
constexpr std::string_view kPersonLabel = "戸籍に記録されている者";
constexpr std::string_view kJosekiMark = "　［除　籍］";
constexpr std::string_view kRuleChar = "─";  // U+2500
constexpr std::string_view kContinued = "以下次頁";
constexpr std::string_view kBlankRest = "以下余白";
// The title of a register shown on a screen: says what it is not, in the picture itself.
constexpr std::string_view kScreenViewTitle = "画面表示（証明書ではありません）";
constexpr std::string_view kSeal = "　　　［職印］";
constexpr std::string_view kIssueNumberLabel = "発行番号";
constexpr std::string_view kSpace = "\u3000";

// ---- Geometry (§1.5) ----
constexpr int kRuleLength = 44;         // ─ characters
constexpr int kHeaderRightColumn = 82;  // display columns, the header's right edge
constexpr int kMarkerRightColumn = 76;  // display columns, 以下次頁 / 以下余白 right edge
constexpr int kEventValueColumn = 8;    // full-width characters before 【tag】 in events
constexpr std::size_t kEventLabelChars = 6;  // the label column, at least one space after it
constexpr int kPersonValueColumn = 13;  // full-width characters before 【名】【生年月日】…
constexpr int kNestedIndent = 1;        // extra indent under 【従前の記録】 (UNVERIFIED)
constexpr int kMayorIndent = 18;        // full-width spaces before the mayor line
constexpr int kSentenceIndent = 1;
constexpr int kDateIndent = 2;
constexpr std::size_t kContinuedFooterLines = 2;  // 以下次頁, 発行番号
constexpr std::size_t kFinalFooterLines = 8;      // 以下余白 … 発行番号

using Lines = std::vector<std::string>;

std::string FullWidthSpaces(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kSpace;
  return out;
}

// Returns the width in display columns: ASCII and half-width katakana 1, variation selectors
// 0, everything else 2.
int DisplayWidth(std::string_view s) {
  Result<std::u32string> decoded = text::DecodeUtf8(s);
  if (!decoded) return static_cast<int>(s.size());
  int width = 0;
  for (char32_t c : *decoded) {
    if (text::IsVariationSelector(c)) continue;
    width += (c < 0x80 || (c >= 0xFF61 && c <= 0xFF9F)) ? 1 : 2;
  }
  return width;
}

std::string RightAligned(std::string_view s, int right_column) {
  const int pad = std::max(0, right_column - DisplayWidth(s));
  return std::string(static_cast<std::size_t>(pad), ' ') + std::string(s);
}

std::string Rule() {
  std::string out;
  for (int i = 0; i < kRuleLength; ++i) out += kRuleChar;
  return out;
}

std::string ValueText(const TagSpec* spec, const FieldValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* d = std::get_if<text::JapaneseDate>(&value)) {
    const bool western = spec != nullptr && spec->type == TagType::kWesternDate;
    return western ? d->ToSeireki() : d->ToWareki();
  }
  const auto& t = std::get<TimeOfDay>(value);
  // The register was validated, so the time is in range.
  return text::FormatTimeOfDay(t.hour, t.minute).value_or(std::string());
}

// Splits an event label into the rows of its column, kEventLabelChars characters each.
std::vector<std::string> LabelRows(std::string_view label) {
  const std::u32string chars = text::DecodeUtf8(label).value_or(std::u32string());
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < chars.size(); i += kEventLabelChars) {
    rows.push_back(text::EncodeUtf8(chars.substr(i, kEventLabelChars)));
  }
  return rows;
}

// Returns the lines of one event: its label in the left column on the first line, then one
// 【tag】value line per field in the template's print order.
Lines EventLines(const Event& event) {
  const EventTemplate& tmpl = *FindEventTemplate(event.kind);
  std::vector<std::pair<std::size_t, const Field*>> ordered;
  for (const Field& f : event.fields) {
    std::size_t position = 0;
    FindTag(tmpl, f.tag, &position);
    ordered.emplace_back(position, &f);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  // A label wider than its column continues on the next lines of the column (UNVERIFIED: the
  // wrapping of long 事項名 such as 氏の振り仮名の変更 is not in DOMAIN.md).
  const std::vector<std::string> label = LabelRows(tmpl.label);
  Lines lines;
  for (std::size_t i = 0; i < std::max(ordered.size(), label.size()); ++i) {
    std::string line = FullWidthSpaces(kEventValueColumn);
    if (i < label.size()) {
      const int chars = static_cast<int>(text::CountCharacters(label[i]));
      line = std::string(kSpace) + label[i] + FullWidthSpaces(kEventValueColumn - 1 - chars);
    }
    if (i < ordered.size()) {
      const Field& field = *ordered[i].second;
      const TagSpec* spec = FindTag(tmpl, field.tag);
      if (!spec->under.empty()) line += FullWidthSpaces(kNestedIndent);
      line += "【" + field.tag + "】" + ValueText(spec, field.value);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string PersonField(std::string_view tag, std::string_view value) {
  return FullWidthSpaces(kPersonValueColumn) + "【" + std::string(tag) + "】" + std::string(value);
}

Lines PersonBlock(const Person& p) {
  Lines lines;
  lines.push_back(
      std::string(kPersonLabel) +
      FullWidthSpaces(kPersonValueColumn - static_cast<int>(text::CountCharacters(kPersonLabel))) +
      "【名】" + p.mei);
  if (p.mei_furigana) lines.push_back(PersonField("名の振り仮名", *p.mei_furigana));  // UNVERIFIED
  lines.emplace_back();  // the label column's second row, where the 除籍 mark sits below

  std::string birth =
      p.removed ? std::string(kJosekiMark) +
                      FullWidthSpaces(kPersonValueColumn -
                                      static_cast<int>(text::CountCharacters(kJosekiMark)))
                : FullWidthSpaces(kPersonValueColumn);
  birth += "【生年月日】" + p.birth_date.ToWareki();
  if (p.haigusha_kubun != HaigushaKubun::kNone) {
    birth += FullWidthSpaces(2) + "【配偶者区分】" +
             (p.haigusha_kubun == HaigushaKubun::kOtto ? "夫" : "妻");
  }
  lines.push_back(std::move(birth));
  // Empty 父/母 (none recorded) are left out rather than printed as an empty tag.
  if (!p.father.empty()) lines.push_back(PersonField("父", p.father));
  if (!p.mother.empty()) lines.push_back(PersonField("母", p.mother));
  lines.push_back(PersonField("続柄", p.zokugara));
  if (!p.yofu.empty()) lines.push_back(PersonField("養父", p.yofu));
  if (!p.yobo.empty()) lines.push_back(PersonField("養母", p.yobo));
  if (!p.yo_zokugara.empty()) lines.push_back(PersonField("続柄", p.yo_zokugara));
  if (!p.mibun_jiko.empty()) {
    lines.emplace_back(kMibunJikoHeading);
    for (const Event& e : p.mibun_jiko) {
      Lines event_lines = EventLines(e);
      lines.insert(lines.end(), event_lines.begin(), event_lines.end());
    }
  }
  return lines;
}

Error Invalid(const char* id, std::string_view message, std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, id, std::string(message), std::string(detail));
}

// KSK-DOMAIN-023: an empty, duplicate or unknown 個人 selection.
Error BadSelection(std::string_view message, std::string_view detail) {
  return Invalid("KSK-DOMAIN-023", message, detail);
}

Result<std::vector<const Person*>> SelectPersons(const Register& reg,
                                                 const CertificateOptions& options) {
  std::vector<const Person*> selected;
  if (options.kind == CertificateKind::kZenbu) {
    for (const Person& p : reg.persons) selected.push_back(&p);
    return selected;
  }
  std::set<int> wanted;
  for (int seq : options.selected_seqs) {
    if (reg.FindPerson(seq) == nullptr || !wanted.insert(seq).second) {
      return BadSelection(
          "個人事項証明の対象者の指定が正しくありません（存在しない者または重複）。",
          "selected seq unknown or duplicate");
    }
  }
  if (wanted.empty()) {
    return BadSelection("個人事項証明の対象者を一人以上指定してください。", "no person selected");
  }
  for (const Person& p : reg.persons) {
    if (wanted.contains(p.seq)) selected.push_back(&p);
  }
  return selected;
}

Result<void> CheckOptions(const CertificateOptions& options) {
  if (!options.issue_date.is_exact()) {
    return Invalid("KSK-DOMAIN-020", "発行日は正確な年月日で指定してください。",
                   "inexact issue date");
  }
  if (options.issue_number < 0 || options.issue_number > 999999) {
    return Invalid("KSK-DOMAIN-021", "発行番号は0から999999までで指定してください。",
                   "issue number out of range");
  }
  if (options.lines_per_page < kMinLinesPerPage || options.lines_per_page > kMaxLinesPerPage) {
    return Invalid("KSK-DOMAIN-022", "1ページの行数が範囲外です。", "lines_per_page out of range");
  }
  if (options.screen_view) return Ok();  // no mayor line on a screen view
  if (options.mayor_line.empty() ||
      options.mayor_line.find_first_of("\n\r\f") != std::string::npos) {
    return Invalid("KSK-DOMAIN-024", "市区町村長の職氏名の行が空欄か、改行を含んでいます。",
                   "mayor line empty or multi-line");
  }
  return Ok();
}

std::string IssueNumberLine(int number) {
  std::string digits = std::to_string(number);
  digits.insert(0, 6 - std::min<std::size_t>(6, digits.size()), '0');
  return std::string(kIssueNumberLabel) + text::ToFullWidthDigits(digits);
}

// Splits the blocks into page bodies following the rule in certificate.h.
std::vector<Lines> Paginate(Lines first_page_preamble, const std::vector<Lines>& blocks,
                            std::size_t lines_per_page) {
  constexpr std::size_t kHeaderLines = 1;
  auto fits = [&](std::size_t body, std::size_t footer) {
    return kHeaderLines + body + footer <= lines_per_page;
  };
  std::vector<Lines> pages;
  Lines current = std::move(first_page_preamble);
  bool has_block = false;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const Lines& block = blocks[b];
    const bool last = b + 1 == blocks.size();
    const std::size_t footer = last ? kFinalFooterLines : kContinuedFooterLines;
    if (has_block && !fits(current.size() + block.size(), footer)) {
      pages.push_back(std::move(current));
      current.clear();
    }
    has_block = true;
    if (fits(current.size() + block.size(), footer)) {
      current.insert(current.end(), block.begin(), block.end());
      continue;
    }
    // Longer than a page: split it line by line.
    for (std::size_t j = 0; j < block.size(); ++j) {
      const std::size_t line_footer =
          last && j + 1 == block.size() ? kFinalFooterLines : kContinuedFooterLines;
      if (!fits(current.size() + 1, line_footer)) {
        pages.push_back(std::move(current));
        current.clear();
      }
      current.push_back(block[j]);
    }
  }
  pages.push_back(std::move(current));
  return pages;
}

}  // namespace

Result<std::vector<std::string>> RenderCertificatePages(const Register& reg,
                                                        const CertificateOptions& options) {
  KOSEKI_RETURN_IF_ERROR(ValidateRegister(reg));
  KOSEKI_RETURN_IF_ERROR(CheckOptions(options));
  if (reg.status == RegisterStatus::kKaiseiGen) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-DOMAIN-025",
                     "改製原戸籍はこの様式では証明できません（原本の写しを交付してください）。",
                     "kaisei-gen register cannot be printed as kiroku jiko shomeisho");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::vector<const Person*> persons, SelectPersons(reg, options));
  const Wording* wording = nullptr;
  for (const Wording& w : kWordings) {
    if (w.status == reg.status && w.kind == options.kind) wording = &w;
  }

  Lines preamble = {std::string(kHonsekiLabel) + reg.honseki,
                    std::string(kShimeiLabel) + reg.HittoshaDisplayName()};
  if (reg.uji_furigana) preamble.push_back(std::string(kUjiFuriganaLabel) + *reg.uji_furigana);
  preamble.push_back(Rule());

  std::vector<Lines> blocks;
  if (!reg.koseki_jiko.empty()) {
    Lines block = {std::string(kKosekiJikoHeading)};
    for (const Event& e : reg.koseki_jiko) {
      Lines event_lines = EventLines(e);
      block.insert(block.end(), event_lines.begin(), event_lines.end());
    }
    blocks.push_back(std::move(block));
  }
  for (const Person* p : persons) blocks.push_back(PersonBlock(*p));
  for (std::size_t b = 0; b + 1 < blocks.size(); ++b) blocks[b].push_back(Rule());

  std::vector<Lines> bodies =
      Paginate(std::move(preamble), blocks, static_cast<std::size_t>(options.lines_per_page));
  const std::string total = text::FullWidthNumber(static_cast<long long>(bodies.size()));
  const std::string issue_number = IssueNumberLine(options.issue_number);
  std::vector<std::string> pages;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    Lines lines;
    lines.push_back(
        RightAligned("（" + total + "の" + text::FullWidthNumber(static_cast<long long>(i + 1)) +
                         "）" + FullWidthSpaces(2) +
                         std::string(options.screen_view ? kScreenViewTitle : wording->title),
                     kHeaderRightColumn));
    lines.insert(lines.end(), bodies[i].begin(), bodies[i].end());
    if (options.screen_view) {
      lines.push_back(
          RightAligned(i + 1 < bodies.size() ? kContinued : kBlankRest, kMarkerRightColumn));
    } else if (i + 1 < bodies.size()) {
      lines.push_back(RightAligned(kContinued, kMarkerRightColumn));
    } else {
      lines.push_back(RightAligned(kBlankRest, kMarkerRightColumn));
      lines.emplace_back();
      lines.push_back(FullWidthSpaces(kSentenceIndent) + std::string(wording->sentence));
      lines.emplace_back();
      lines.push_back(FullWidthSpaces(kDateIndent) + options.issue_date.ToWareki());
      lines.emplace_back();
      lines.push_back(FullWidthSpaces(kMayorIndent) + options.mayor_line + std::string(kSeal));
    }
    if (!options.screen_view) lines.push_back(issue_number);
    std::string page;
    for (const std::string& line : lines) page += line + "\n";
    pages.push_back(std::move(page));
  }
  return pages;
}

Result<std::string> RenderCertificateText(const Register& reg, const CertificateOptions& options) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> pages, RenderCertificatePages(reg, options));
  std::string out;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (i > 0) out += kPageSeparator;
    out += pages[i];
  }
  return out;
}

}  // namespace koseki::domain
