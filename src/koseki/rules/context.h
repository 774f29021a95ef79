// What a rule sees besides the entry: the day of receipt, the receiving municipality, the
// registers attached to the case (and only those — need-to-know), which municipalities are
// hosted on this server, and the office calendar.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/domain/register.h"
#include "koseki/rules/calendar.h"

namespace koseki::rules {

struct AttachedRegister {
  std::string ref;          // "R1", "R2", … in attachment order
  std::string register_id;  // store id
  std::uint64_t version = 0;
  domain::Register value;
};

// A notification filed at another office and forwarded (送付) here: the entries it writes
// record when it arrived and who accepted it (【送付を受けた日】【受理者】).
struct Forwarded {
  std::chrono::year_month_day arrived_on;  // 送付を受けた日
  std::string accepted_by;  // 受理者: 架空県架空町長, 在サンパウロ総領事
};

// Returns the mayor of a municipality as a register names the 受理者: "<municipality>長".
inline std::string MayorOf(std::string_view municipality) {
  return std::string(municipality) + "長";
}

struct RuleContext {
  // 届出日: the day of receipt here, or for a 送付 the 受理日 at the office that accepted it
  // (every deadline and the date of a 創設的届出 run from it).
  std::chrono::year_month_day received_on;
  std::optional<Forwarded> forwarded;
  std::string municipality;  // this tenant: 青葉県みなと市
  std::string tenant_code;   // 999997
  std::vector<AttachedRegister> registers;
  // Returns the tenant code of a municipality hosted on this server, if any.
  std::function<std::optional<std::string>(std::string_view municipality)> hosted_tenant;
  const Calendar* calendar = nullptr;  // never null when evaluating

  // Returns the attachment with this ref, or nullptr.
  const AttachedRegister* Find(std::string_view ref) const;
  // Returns the 受理者 of filings received here (MayorOf(municipality)).
  std::string Mayor() const { return MayorOf(municipality); }
};

// Returns the municipality part of a 本籍 (up to its 市/区/町/村, through a 郡 if present):
// 青葉県みなと市桜町二丁目１５番地 → 青葉県みなと市. Heuristic over the address text; a 本籍
// without a recognizable municipality returns it unchanged.
std::string MunicipalityOf(std::string_view honseki);

}  // namespace koseki::rules
