#include "koseki/audit/internal/base64.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace koseki::audit::internal {
namespace {

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

TEST(Base64Test, EncodesTheRfc4648TestVectors) {
  EXPECT_EQ(Base64Encode(Bytes("")), "");
  EXPECT_EQ(Base64Encode(Bytes("f")), "Zg==");
  EXPECT_EQ(Base64Encode(Bytes("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(Bytes("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(Bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(Base64Encode(Bytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode(Bytes("foobar")), "Zm9vYmFy");
}

TEST(Base64Test, DecodesWhatItEncodes) {
  for (const char* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(Base64DecodeCanonical(Base64Encode(Bytes(text))), Bytes(text)) << text;
  }
  const std::vector<std::uint8_t> all = {0x00, 0xff, 0xfb, 0xef, 0x3e, 0x3f};
  EXPECT_EQ(Base64DecodeCanonical(Base64Encode(all)), all);
}

TEST(Base64Test, RefusesNonCanonicalText) {
  EXPECT_EQ(Base64DecodeCanonical("Zh=="), std::nullopt);  // unused bits set
  EXPECT_EQ(Base64DecodeCanonical("Zm9="), std::nullopt);  // unused bits set
  EXPECT_EQ(Base64DecodeCanonical("Zg"), std::nullopt);    // padding missing
  EXPECT_EQ(Base64DecodeCanonical("Zg=a"), std::nullopt);  // data after padding
  EXPECT_EQ(Base64DecodeCanonical("Z==="), std::nullopt);  // too much padding
  EXPECT_EQ(Base64DecodeCanonical("Zg==Zg=="), std::nullopt);
  EXPECT_EQ(Base64DecodeCanonical("Zm9v\n"), std::nullopt);
  EXPECT_EQ(Base64DecodeCanonical("Zm-v"), std::nullopt);  // URL alphabet
}

}  // namespace
}  // namespace koseki::audit::internal
