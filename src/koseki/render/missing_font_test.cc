// A machine without the certificate font: ctest runs this with FONTCONFIG_FILE pointing at a
// configuration without it (other fonts only). Printing must refuse, not fall back to another font.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/render/certificate_print.h"

namespace koseki::render {
namespace {

using ::koseki::testing::ErrorIdIs;

TEST(MissingFontTest, ACertificateIsRefusedRatherThanPrintedInAnotherFont) {
  const std::vector<std::string> pages = {"（１の１）　　全部事項証明\n以下余白\n"};
  EXPECT_THAT(CertificatePdf(pages, {}), ErrorIdIs("KSK-RENDER-012"));
  EXPECT_THAT(CertificatePagePng(pages[0], 800, {}), ErrorIdIs("KSK-RENDER-012"));
}

}  // namespace
}  // namespace koseki::render
