#include "koseki/web/access_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace koseki::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

AccessLogEntry SampleEntry() {
  return AccessLogEntry{
      .time = std::chrono::system_clock::time_point(std::chrono::seconds(1796346123) +
                                                    std::chrono::microseconds(4)),
      .request_id = "00112233445566778899aabbccddeeff",
      .method = "GET",
      .target = "/menu",
      .status = 200,
      .response_bytes = 1234,
      .duration_us = 560,
      .tenant_code = "131016",
      .device_fingerprint_hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  };
}

TEST(AccessLogTest, FormatsEveryFieldAsOneJsonObject) {
  EXPECT_EQ(FormatAccessLogLine(SampleEntry()),
            "{\"time\":\"2026-12-04T01:02:03.000004Z\",\"request_id\":"
            "\"00112233445566778899aabbccddeeff\",\"method\":\"GET\",\"path\":\"/menu\","
            "\"status\":200,\"bytes\":1234,\"duration_us\":560,\"tenant\":\"131016\","
            "\"device\":\"0123456789abcdef\"}");
}

TEST(AccessLogTest, DropsTheQueryStringAndFragment) {
  AccessLogEntry entry = SampleEntry();
  entry.target = "/search?name=secret#part";
  const std::string line = FormatAccessLogLine(entry);
  EXPECT_THAT(line, HasSubstr("\"path\":\"/search\""));
  EXPECT_THAT(line, Not(HasSubstr("secret")));
  EXPECT_THAT(line, Not(HasSubstr("part")));
}

TEST(AccessLogTest, EscapesQuotesControlAndNonAsciiBytes) {
  AccessLogEntry entry = SampleEntry();
  entry.target = "/a\"b\\c\x01\xe6\x88\xb8";
  EXPECT_THAT(FormatAccessLogLine(entry),
              HasSubstr("\"path\":\"/a\\\"b\\\\c\\u0001\\u00e6\\u0088\\u00b8\""));
}

TEST(AccessLogTest, CapsVeryLongPaths) {
  AccessLogEntry entry = SampleEntry();
  const std::string target = "/" + std::string(5000, 'x');
  entry.target = target;
  EXPECT_LT(FormatAccessLogLine(entry).size(), 1000u);
}

TEST(AccessLogTest, LeavesUnknownDeviceAndMethodEmpty) {
  AccessLogEntry entry = SampleEntry();
  entry.method = "";
  entry.tenant_code = "";
  entry.device_fingerprint_hex = "";
  const std::string line = FormatAccessLogLine(entry);
  EXPECT_THAT(line, HasSubstr("\"method\":\"\""));
  EXPECT_THAT(line, HasSubstr("\"tenant\":\"\",\"device\":\"\"}"));
}

TEST(AccessLogTest, PathOfTargetStopsAtQueryOrFragment) {
  EXPECT_EQ(PathOfTarget("/a/b?c=d"), "/a/b");
  EXPECT_EQ(PathOfTarget("/a#b"), "/a");
  EXPECT_EQ(PathOfTarget("/plain"), "/plain");
  EXPECT_EQ(PathOfTarget(""), "");
}

}  // namespace
}  // namespace koseki::web
