// QR codes as SVG: the module matrix (finder patterns, version sizes, capacity) and the SVG
// built from it (size, safety, one rectangle per run of dark modules).
#include "koseki/render/qr_svg.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "koseki/base/testing/matchers.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Modules = std::vector<std::vector<bool>>;

constexpr std::string_view kUri =
    "otpauth://totp/koseki%20%E6%B8%AF%E5%8C%BA:clerk01?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=koseki%20%E6%B8%AF%E5%8C%BA&algorithm=SHA1&digits=6&period=30";

Modules ModulesOf(std::string_view text) {
  Result<Modules> modules = internal::QrModules(text);
  EXPECT_THAT(modules, IsOk());
  return modules ? *modules : Modules();
}

std::string SvgOf(std::string_view text, int module_px = 4) {
  Result<std::string> svg = QrCodeSvg(text, module_px);
  EXPECT_THAT(svg, IsOk());
  return svg ? *svg : std::string();
}

std::size_t CountOf(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// True if the 7×7 finder pattern (dark ring, light ring, dark 3×3 core) has its top-left corner
// at (top, left).
bool HasFinderAt(const Modules& m, std::size_t top, std::size_t left) {
  for (std::size_t y = 0; y < 7; ++y) {
    for (std::size_t x = 0; x < 7; ++x) {
      const bool ring = y == 0 || y == 6 || x == 0 || x == 6;
      const bool core = y >= 2 && y <= 4 && x >= 2 && x <= 4;
      if (m[top + y][left + x] != (ring || core)) return false;
    }
  }
  return true;
}

TEST(QrModulesTest, ShortTextIsAVersion1SymbolOf21Modules) {
  const Modules m = ModulesOf("HELLO");
  ASSERT_EQ(m.size(), 21u);
  for (const auto& row : m) EXPECT_EQ(row.size(), 21u);
}

TEST(QrModulesTest, FinderPatternsSitAtThreeCorners) {
  const Modules m = ModulesOf(kUri);
  const std::size_t w = m.size();
  ASSERT_GE(w, 21u);
  EXPECT_TRUE(HasFinderAt(m, 0, 0));
  EXPECT_TRUE(HasFinderAt(m, 0, w - 7));
  EXPECT_TRUE(HasFinderAt(m, w - 7, 0));
  // The fourth corner holds data, not a finder.
  EXPECT_FALSE(HasFinderAt(m, w - 7, w - 7));
  // Each finder is separated from the data by a light row and column.
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_FALSE(m[7][i]);
    EXPECT_FALSE(m[i][7]);
    EXPECT_FALSE(m[7][w - 1 - i]);
    EXPECT_FALSE(m[w - 8][i]);
  }
}

TEST(QrModulesTest, SizeIsThatOfAQrVersionAndGrowsWithTheText) {
  std::size_t previous = 0;
  for (std::size_t length : {10u, 100u, 500u, 2000u}) {
    const Modules m = ModulesOf(std::string(length, 'x'));
    ASSERT_FALSE(m.empty());
    EXPECT_EQ((m.size() - 17) % 4, 0u) << length;
    EXPECT_GT(m.size(), previous) << length;
    previous = m.size();
  }
}

TEST(QrModulesTest, HoldsUpTo2331BytesAtLevelM) {
  EXPECT_EQ(ModulesOf(std::string(2331, 'x')).size(), 177u);  // version 40
  EXPECT_THAT(internal::QrModules(std::string(2332, 'x')), ErrorIdIs("KSK-RENDER-001"));
}

TEST(QrModulesTest, EncodesEveryByteIncludingNul) {
  // A NUL would end a C string; the code for "a\0b" must differ from the code for "a".
  EXPECT_NE(ModulesOf(std::string("a\0b", 3)), ModulesOf("a"));
}

TEST(QrCodeSvgTest, IsAStandaloneSvgWithoutScriptOrReferences) {
  const std::string svg = SvgOf(kUri);
  EXPECT_THAT(svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, EndsWith("</svg>"));
  EXPECT_THAT(svg, HasSubstr("shape-rendering=\"crispEdges\""));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("href")));
  EXPECT_THAT(svg, Not(HasSubstr("url(")));
  EXPECT_THAT(svg, Not(HasSubstr("secret")));  // the text is drawn, never written out
  EXPECT_EQ(CountOf(svg, "<path"), 1u);
  EXPECT_EQ(CountOf(svg, "<"), CountOf(svg, ">"));
}

TEST(QrCodeSvgTest, SizeFollowsTheVersionQuietZoneAndModuleSize) {
  // Version 1: 21 modules + 2 × 4 quiet = 29.
  EXPECT_THAT(SvgOf("HELLO", 4), HasSubstr("width=\"116\" height=\"116\" viewBox=\"0 0 29 29\""));
  EXPECT_THAT(SvgOf("HELLO", 1), HasSubstr("width=\"29\" height=\"29\" viewBox=\"0 0 29 29\""));
  const std::string side = std::to_string(ModulesOf(kUri).size() + 8);
  EXPECT_THAT(SvgOf(kUri, 3), HasSubstr("viewBox=\"0 0 " + side + " " + side + "\""));
}

TEST(QrCodeSvgTest, DrawsOneRectanglePerRunOfDarkModules) {
  const Modules m = ModulesOf(kUri);
  std::size_t runs = 0;
  for (std::size_t y = 0; y < m.size(); ++y) {
    for (std::size_t x = 0; x < m.size(); ++x) {
      if (m[y][x] && (x == 0 || !m[y][x - 1])) ++runs;
    }
  }
  const std::string svg = SvgOf(kUri);
  const std::size_t begin = svg.find(" d=\"") + 4;
  const std::string path = svg.substr(begin, svg.find('"', begin) - begin);
  EXPECT_EQ(CountOf(path, "M"), runs);
  EXPECT_EQ(CountOf(path, "z"), runs);
  // The first run of the top row is the top edge of the top-left finder, inside the quiet zone.
  EXPECT_THAT(path, StartsWith("M4 4h7v1h-7z"));
}

TEST(QrCodeSvgTest, RefusesEmptyAndOverlongText) {
  EXPECT_THAT(QrCodeSvg(""), ErrorIdIs("KSK-RENDER-001"));
  EXPECT_THAT(QrCodeSvg(std::string(3000, 'x')), ErrorIdIs("KSK-RENDER-001"));
  EXPECT_THAT(QrCodeSvg(std::string(100000, 'x')), ErrorIdIs("KSK-RENDER-001"));
}

TEST(QrCodeSvgTest, RefusesModuleSizesOutsideTheRange) {
  EXPECT_THAT(QrCodeSvg("HELLO", 0), ErrorIdIs("KSK-RENDER-002"));
  EXPECT_THAT(QrCodeSvg("HELLO", -4), ErrorIdIs("KSK-RENDER-002"));
  EXPECT_THAT(QrCodeSvg("HELLO", kQrMaxModulePx + 1), ErrorIdIs("KSK-RENDER-002"));
  EXPECT_THAT(QrCodeSvg("HELLO", kQrMaxModulePx), IsOk());
}

}  // namespace
}  // namespace koseki::render
