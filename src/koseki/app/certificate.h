// Issuing a certificate (記録事項証明書) as text (`koseki cert`): finds the register by 本籍 and
// 筆頭者, optionally an older version, and renders 全部事項証明 — or 個人事項証明 when persons are
// named. Each issue draws the tenant's next 発行番号 and is recorded in the tenant's audit log
// (cli.cert: register id and version, 発行番号) in the same transaction. Dated today in Japan
// (JST).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "koseki/app/koseki.h"

namespace koseki::app {

struct CertificateRequest {
  std::string tenant;
  std::string honseki;               // 本籍 as printed (spacing and width are folded)
  std::string head;                  // 筆頭者氏名 (山川健一 or 山川　健一)
  std::vector<std::string> persons;  // 個人事項証明: 名 or 氏名 of each person; empty = 全部
  std::optional<std::uint64_t> version;  // an older version of the register; empty = current
  std::string mayor_name;                // printed after "<municipality>長"; may be empty
  int lines_per_page = 0;                // 0 = the domain default
};

struct IssuedCertificate {
  std::string register_id;
  std::uint64_t version = 0;
  int issue_number = 0;
  std::string text;  // pages separated by form feeds
  audit::Receipt receipt;
};

// NotFound: KSK-APP-010 no register with this 本籍 and 筆頭者; KSK-APP-011 a named person is
// not in the register. The register's own errors otherwise.
Result<IssuedCertificate> IssueCertificate(Koseki& koseki, const CertificateRequest& request);

// Returns today's date in Japan (UTC+9, no daylight saving) for the clock's now.
std::chrono::year_month_day TodayInJapan(const Clock& clock);

}  // namespace koseki::app
