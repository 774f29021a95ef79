// The access log: one JSON object per line, one line per request the server answers.
//
// A line holds what operators need to follow traffic and nothing more: time, request id,
// method, path (without query string or fragment), status, response bytes, duration, the
// device's tenant and the first 16 hex digits of its certificate fingerprint. Never cookies,
// query strings, bodies or anything else a person typed. Pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace koseki::web {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the request began
  std::string_view request_id;
  std::string_view method;  // empty if the request line did not parse
  std::string_view target;  // the raw request target; the query string is dropped here
  int status = 0;
  std::uint64_t response_bytes = 0;  // header and body as written
  std::int64_t duration_us = 0;      // first byte of the request to the response written
  std::string_view tenant_code;
  std::string_view device_fingerprint_hex;  // the full fingerprint; cut to 16 digits here
};

// Returns `entry` as one JSON object without a trailing newline, e.g.
// {"time":"2026-12-04T01:02:03.000004Z","request_id":"…","method":"GET","path":"/menu",
//  "status":200,"bytes":1234,"duration_us":560,"tenant":"131016","device":"0123456789abcdef"}
// Strings are escaped; bytes outside printable ASCII become \u00XX, so a line stays valid JSON
// whatever a client sent as its target.
std::string FormatAccessLogLine(const AccessLogEntry& entry);

// Returns the path of a request target: everything before '?' or '#'.
std::string_view PathOfTarget(std::string_view target);

}  // namespace koseki::web
