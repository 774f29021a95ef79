#include "koseki/domain/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::domain {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using testing::Day;
using testing::ExampleCertificateOptions;
using testing::ExampleRegister;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(KOSEKI_DOMAIN_TESTDATA) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// DOMAIN.md §1.5 as the register prints it today: the one line where they part is the widow
// 美咲's, printed there with 【配偶者区分】妻 — the register removes a survivor's mark when the
// marriage ends by death (domain/marriage_end.h). The testdata files stay DOMAIN.md's text.
std::string ExamplePage(const std::string& name) {
  std::string page = ReadTestdata(name);
  const std::string widow = "【生年月日】昭和３３年１月２５日　　【配偶者区分】妻";
  if (const auto at = page.find(widow); at != std::string::npos) {
    page.replace(at, widow.size(), "【生年月日】昭和３３年１月２５日");
  }
  return page;
}

// Returns the lines of `page` without their '\n'.
std::vector<std::string> LinesOf(const std::string& page) {
  std::vector<std::string> lines;
  std::stringstream ss(page);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return lines;
}

TEST(CertificateTest, ZenbuExampleMatchesDomainMdByteForByte) {
  Result<std::vector<std::string>> pages =
      RenderCertificatePages(ExampleRegister(), ExampleCertificateOptions());
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(2));
  EXPECT_EQ((*pages)[0], ExamplePage("zenbu_example_page1.txt"));
  EXPECT_EQ((*pages)[1], ExamplePage("zenbu_example_page2.txt"));
  EXPECT_NE(ExamplePage("zenbu_example_page1.txt"), ReadTestdata("zenbu_example_page1.txt"));
}

TEST(CertificateTest, FixtureFilesAreNotEmpty) {
  // Guards the golden test against a missing fixture that would read as "".
  EXPECT_THAT(ReadTestdata("zenbu_example_page1.txt"), HasSubstr("全部事項証明"));
  EXPECT_THAT(ReadTestdata("zenbu_example_page2.txt"), HasSubstr("以下余白"));
}

TEST(CertificateTest, TextJoinsPagesWithFormFeed) {
  Result<std::string> text = RenderCertificateText(ExampleRegister(), ExampleCertificateOptions());
  ASSERT_THAT(text, IsOk());
  EXPECT_EQ(*text,
            ExamplePage("zenbu_example_page1.txt") + "\f" + ExamplePage("zenbu_example_page2.txt"));
}

TEST(CertificateTest, NoLineHasTrailingSpaces) {
  Result<std::string> text = RenderCertificateText(ExampleRegister(), ExampleCertificateOptions());
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, Not(HasSubstr(" \n")));
  EXPECT_THAT(*text, Not(HasSubstr("\u3000\n")));
}

TEST(CertificateTest, KojinPrintsOnlyTheSelectedPersonAndTheKojinSentence) {
  CertificateOptions options = ExampleCertificateOptions();
  options.kind = CertificateKind::kKojin;
  options.selected_seqs = {4};
  Result<std::vector<std::string>> pages = RenderCertificatePages(ExampleRegister(), options);
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(1));
  const std::string expected =
      std::string(56, ' ') +
      "（１の１）　　個人事項証明\n"
      "本　　籍　　青葉県みなと市桜町二丁目１５番地\n"
      "氏　　名　　山川　健一\n"
      "────────────────────────────────────────────\n"
      "戸籍事項\n"
      "　戸籍改製　　　【改製日】平成１５年３月１５日\n"
      "　　　　　　　　【改製事由】平成６年法務省令第５１号附則第２条第１項による改製\n"
      "────────────────────────────────────────────\n"
      "戸籍に記録されている者　　【名】拓也\n"
      "\n"
      "　　　　　　　　　　　　　【生年月日】昭和６２年１２月１日\n"
      "　　　　　　　　　　　　　【父】山川健一\n"
      "　　　　　　　　　　　　　【母】山川美咲\n"
      "　　　　　　　　　　　　　【続柄】長男\n"
      "身分事項\n"
      "　出　　生　　　【出生日】昭和６２年１２月１日\n"
      "　　　　　　　　【出生地】青葉県みなと市\n"
      "　　　　　　　　【届出日】昭和６２年１２月８日\n"
      "　　　　　　　　【届出人】父\n" +
      std::string(68, ' ') +
      "以下余白\n"
      "\n"
      "　これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。\n"
      "\n"
      "　　令和７年１月１０日\n"
      "\n"
      "　　　　　　　　　　　　　　　　　　青葉県みなと市長　　北村　誠　　　［職印］\n"
      "発行番号０００１２３\n";
  EXPECT_EQ((*pages)[0], expected);
}

TEST(CertificateTest, KojinPrintsSelectedPersonsInRegisterOrder) {
  CertificateOptions options = ExampleCertificateOptions();
  options.kind = CertificateKind::kKojin;
  options.selected_seqs = {4, 2};
  Result<std::string> text = RenderCertificateText(ExampleRegister(), options);
  ASSERT_THAT(text, IsOk());
  const auto misaki = text->find("【名】美咲");
  const auto takuya = text->find("【名】拓也");
  ASSERT_NE(misaki, std::string::npos);
  ASSERT_NE(takuya, std::string::npos);
  EXPECT_LT(misaki, takuya);
  EXPECT_THAT(*text, Not(HasSubstr("【名】健一")));
  EXPECT_THAT(*text, Not(HasSubstr("【名】真理")));
}

// The §1.5 register on a screen: the certificate's pages line for line, but for the title and
// the footers, which say it is no certificate and carry nothing a certificate is made of.
TEST(CertificateTest, AScreenViewIsTheCertificateWithoutWhatMakesItOne) {
  CertificateOptions options = ExampleCertificateOptions();
  options.screen_view = true;
  options.mayor_line.clear();  // not needed on a screen
  Result<std::vector<std::string>> view = RenderCertificatePages(ExampleRegister(), options);
  ASSERT_THAT(view, IsOk());
  ASSERT_THAT(*view, SizeIs(2));
  const std::vector<std::string> first = LinesOf((*view)[0]);
  EXPECT_EQ(first.front(),
            std::string(36, ' ') +
                "（２の１）　　画面表示（証明書ではありません）");  // ends at column 82
  const std::vector<std::string> printed = LinesOf(ExamplePage("zenbu_example_page1.txt"));
  // Same body, the last line of the page (発行番号) gone.
  EXPECT_EQ(std::vector<std::string>(first.begin() + 1, first.end()),
            std::vector<std::string>(printed.begin() + 1, printed.end() - 1));
  const std::string last = (*view)[1];
  EXPECT_THAT(last, HasSubstr("以下余白\n"));
  EXPECT_TRUE(last.ends_with("以下余白\n")) << last;
  for (const char* certificate_part :
       {"証明した書面", "令和７年１月１０日", "［職印］", "発行番号"}) {
    EXPECT_THAT((*view)[0] + last, Not(HasSubstr(certificate_part))) << certificate_part;
  }
}

TEST(CertificateTest, JosekiRegisterUsesJosekiTitleAndSentence) {
  Register reg = ExampleRegister();
  reg.status = RegisterStatus::kJoseki;
  Result<std::vector<std::string>> pages = RenderCertificatePages(reg, ExampleCertificateOptions());
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(2));
  // Right edge stays at column 82: two more full-width characters, four fewer spaces.
  EXPECT_EQ(LinesOf((*pages)[0])[0], std::string(52, ' ') + "（２の１）　　除籍全部事項証明");
  EXPECT_EQ(LinesOf((*pages)[1])[0], std::string(52, ' ') + "（２の２）　　除籍全部事項証明");
  EXPECT_THAT((*pages)[1],
              HasSubstr("\n　これは、除籍に記録されている事項の全部を証明した書面である。\n"));
  EXPECT_THAT((*pages)[1], Not(HasSubstr("戸籍に記録されている事項の全部")));
}

TEST(CertificateTest, JosekiKojinUsesJosekiKojinWording) {
  Register reg = ExampleRegister();
  reg.status = RegisterStatus::kJoseki;
  CertificateOptions options = ExampleCertificateOptions();
  options.kind = CertificateKind::kKojin;
  options.selected_seqs = {1};
  Result<std::string> text = RenderCertificateText(reg, options);
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("　　除籍個人事項証明\n"));
  EXPECT_THAT(
      *text,
      HasSubstr("これは、除籍中の一部の者について記録されている事項の全部を証明した書面である。"));
}

TEST(CertificateTest, SmallPagesGiveMorePagesWithCorrectHeadersAndFooters) {
  CertificateOptions options = ExampleCertificateOptions();
  options.lines_per_page = 24;
  Result<std::vector<std::string>> pages = RenderCertificatePages(ExampleRegister(), options);
  ASSERT_THAT(pages, IsOk());
  // Page 1: preamble + 戸籍事項 (8 body lines) cannot take 健一's 20 lines, so 健一 gets page 2.
  // Then 美咲 (16), 真理 (20), 拓也 (11 + 8 footer lines) each get a page: 5 pages.
  ASSERT_THAT(*pages, SizeIs(5));
  const char* kHeaders[] = {"（５の１）", "（５の２）", "（５の３）", "（５の４）", "（５の５）"};
  for (std::size_t i = 0; i < pages->size(); ++i) {
    const std::vector<std::string> lines = LinesOf((*pages)[i]);
    EXPECT_LE(lines.size(), 24u) << "page " << i + 1;
    EXPECT_EQ(lines.front(), std::string(56, ' ') + kHeaders[i] + "　　全部事項証明");
    EXPECT_EQ(lines.back(), "発行番号０００１２３");
    const std::string& before_last = lines[lines.size() - 2];
    if (i + 1 < pages->size()) {
      EXPECT_EQ(before_last, std::string(68, ' ') + "以下次頁") << "page " << i + 1;
    } else {
      EXPECT_THAT((*pages)[i], HasSubstr("以下余白"));
    }
  }
  // 本籍 and 氏名 only on page 1.
  EXPECT_THAT((*pages)[0], HasSubstr("本　　籍"));
  for (std::size_t i = 1; i < pages->size(); ++i) {
    EXPECT_THAT((*pages)[i], Not(HasSubstr("本　　籍")));
    EXPECT_THAT((*pages)[i], Not(HasSubstr("氏　　名")));
  }
  // Blocks are not split when they fit on a page.
  EXPECT_THAT((*pages)[1], HasSubstr("【名】健一"));
  EXPECT_THAT((*pages)[1], HasSubstr("【届出人】親族　山川美咲"));
}

TEST(CertificateTest, ABlockLongerThanAPageIsSplitLineByLine) {
  CertificateOptions options = ExampleCertificateOptions();
  options.lines_per_page = kMinLinesPerPage;
  Result<std::vector<std::string>> pages = RenderCertificatePages(ExampleRegister(), options);
  ASSERT_THAT(pages, IsOk());
  std::string all;
  for (const std::string& page : *pages) {
    EXPECT_LE(LinesOf(page).size(), static_cast<std::size_t>(kMinLinesPerPage));
    all += page;
  }
  // Every line of the example still appears, in order.
  std::size_t from = 0;
  for (const std::string& line :
       LinesOf(ExamplePage("zenbu_example_page1.txt") + ExamplePage("zenbu_example_page2.txt"))) {
    if (line.find("全部事項証明") != std::string::npos ||
        line.find("以下次頁") != std::string::npos || line.find("発行番号") != std::string::npos ||
        line.empty()) {
      continue;
    }
    const std::size_t at = all.find(line, from);
    ASSERT_NE(at, std::string::npos) << "line missing after split";
    from = at + line.size();
  }
}

TEST(CertificateTest, FieldsPrintInTemplateOrderWhateverOrderTheyWereAdded) {
  Register reg = ExampleRegister();
  Event& birth = reg.persons[3].mibun_jiko[0];
  std::reverse(birth.fields.begin(), birth.fields.end());
  Result<std::vector<std::string>> pages = RenderCertificatePages(reg, ExampleCertificateOptions());
  ASSERT_THAT(pages, IsOk());
  EXPECT_EQ((*pages)[1], ReadTestdata("zenbu_example_page2.txt"));
}

TEST(CertificateTest, NestedTagsPrintIndentedUnderTheirHeading) {
  Register reg = ExampleRegister();
  reg.persons[3].mibun_jiko.push_back(
      MakeEvent("名の変更", {TextField("名", "拓哉"), TextField("従前の記録", ""),
                             DateField("名の変更日", Day("2010-04-01"))}));
  Result<std::string> text = RenderCertificateText(reg, ExampleCertificateOptions());
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("\n　名の変更　　　【名の変更日】平成２２年４月１日\n"
                               "　　　　　　　　【従前の記録】\n"
                               "　　　　　　　　　【名】拓哉\n"));
}

TEST(CertificateTest, AdoptiveParentsPrintAfterTheBiologicalOnes) {
  Register reg = ExampleRegister();
  Person& takuya = reg.persons[3];
  takuya.yofu = "谷口一郎";
  takuya.yo_zokugara = "養子";
  takuya.mibun_jiko.push_back(MakeEvent(
      "養子縁組", {DateField("縁組日", Day("2015-04-01")), TextField("養父氏名", "谷口一郎")}));
  Result<std::string> text = RenderCertificateText(reg, ExampleCertificateOptions());
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("【続柄】長男\n"
                               "　　　　　　　　　　　　　【養父】谷口一郎\n"
                               "　　　　　　　　　　　　　【続柄】養子\n"
                               "身分事項\n"));
}

TEST(CertificateTest, InexactDatesAndTextTimesPrintAsWritten) {
  Register reg = ExampleRegister();
  Event& death = reg.persons[0].mibun_jiko[2];
  death.fields[0].value = text::JapaneseDate::Inexact("推定令和６年１１月２０日");
  death.fields[1].value = std::string("推定午後３時");
  Result<std::string> text = RenderCertificateText(reg, ExampleCertificateOptions());
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("【死亡日】推定令和６年１１月２０日\n"));
  EXPECT_THAT(*text, HasSubstr("【死亡時分】推定午後３時\n"));
}

TEST(CertificateTest, EmptyRegisterPrintsHeaderAndClosingOnly) {
  Register reg = ExampleRegister();
  reg.koseki_jiko.clear();
  reg.persons.clear();
  Result<std::vector<std::string>> pages = RenderCertificatePages(reg, ExampleCertificateOptions());
  ASSERT_THAT(pages, IsOk());
  ASSERT_THAT(*pages, SizeIs(1));
  EXPECT_THAT((*pages)[0], HasSubstr("────\n" + std::string(68, ' ') + "以下余白\n"));
}

TEST(CertificateTest, FuriganaPrintsOnlyWhenRecorded) {
  Register reg = ExampleRegister();
  reg.uji_furigana = "ヤマカワ";
  reg.persons[3].mei_furigana = "タクヤ";
  Result<std::vector<std::string>> pages = RenderCertificatePages(reg, ExampleCertificateOptions());
  ASSERT_THAT(pages, IsOk());
  EXPECT_THAT((*pages)[0], HasSubstr("氏　　名　　山川　健一\n氏の振り仮名　ヤマカワ\n────"));
  EXPECT_THAT(pages->back(), HasSubstr("【名】拓也\n"
                                       "　　　　　　　　　　　　　【名の振り仮名】タクヤ\n"
                                       "\n"
                                       "　　　　　　　　　　　　　【生年月日】"));
}

TEST(CertificateTest, KaiseiGenRegisterIsRefused) {
  Register reg = ExampleRegister();
  reg.status = RegisterStatus::kKaiseiGen;
  EXPECT_THAT(RenderCertificatePages(reg, ExampleCertificateOptions()),
              ErrorIdIs("KSK-DOMAIN-025"));
}

TEST(CertificateTest, InexactIssueDateIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.issue_date = text::JapaneseDate::Inexact("令和７年１月");
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-020"));
}

TEST(CertificateTest, IssueNumberOutOfRangeIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.issue_number = 1000000;
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-021"));
  options.issue_number = -1;
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-021"));
}

TEST(CertificateTest, IssueNumberIsZeroPaddedToSixFullWidthDigits) {
  CertificateOptions options = ExampleCertificateOptions();
  options.issue_number = 999999;
  Result<std::string> text = RenderCertificateText(ExampleRegister(), options);
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("\n発行番号９９９９９９\n"));
  options.issue_number = 7;
  text = RenderCertificateText(ExampleRegister(), options);
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr("\n発行番号０００００７\n"));
}

TEST(CertificateTest, LinesPerPageBelowMinimumIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.lines_per_page = kMinLinesPerPage - 1;
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-022"));
}

TEST(CertificateTest, KojinWithoutSelectionIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.kind = CertificateKind::kKojin;
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-023"));
}

TEST(CertificateTest, KojinWithUnknownOrDuplicateSeqIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.kind = CertificateKind::kKojin;
  options.selected_seqs = {9};
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-023"));
  options.selected_seqs = {2, 2};
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-023"));
}

TEST(CertificateTest, MayorLineWithLineBreakIsRefused) {
  CertificateOptions options = ExampleCertificateOptions();
  options.mayor_line = "青葉県みなと市長\n北村　誠";
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-024"));
  options.mayor_line.clear();
  EXPECT_THAT(RenderCertificatePages(ExampleRegister(), options), ErrorIdIs("KSK-DOMAIN-024"));
}

TEST(CertificateTest, InvalidRegisterIsRefusedBeforePrinting) {
  Register reg = ExampleRegister();
  reg.persons[1].zokugara = "次女";
  EXPECT_THAT(RenderCertificatePages(reg, ExampleCertificateOptions()),
              ErrorIdIs("KSK-DOMAIN-013"));
}

}  // namespace
}  // namespace koseki::domain
