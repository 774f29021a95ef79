#include "koseki/web/access_log.h"

#include <cstdio>
#include <ctime>

namespace koseki::web {
namespace {

// The path is capped so that a 16 KiB request target cannot make a 16 KiB log line.
constexpr std::size_t kMaxLoggedPath = 512;
constexpr std::size_t kFingerprintPrefix = 16;

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string FormatTime(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[128];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long>(micros));
  return text;
}

}  // namespace

std::string_view PathOfTarget(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

std::string FormatAccessLogLine(const AccessLogEntry& entry) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  line += FormatTime(entry.time);
  line += "\",\"request_id\":";
  AppendJsonString(line, entry.request_id);
  line += ",\"method\":";
  AppendJsonString(line, entry.method);
  line += ",\"path\":";
  AppendJsonString(line, PathOfTarget(entry.target).substr(0, kMaxLoggedPath));
  line += ",\"status\":";
  line += std::to_string(entry.status);
  line += ",\"bytes\":";
  line += std::to_string(entry.response_bytes);
  line += ",\"duration_us\":";
  line += std::to_string(entry.duration_us);
  line += ",\"tenant\":";
  AppendJsonString(line, entry.tenant_code);
  line += ",\"device\":";
  AppendJsonString(line, entry.device_fingerprint_hex.substr(0, kFingerprintPrefix));
  line += '}';
  return line;
}

}  // namespace koseki::web
