// 地方公共団体コード (local government code, JIS X 0402 with its check digit): the tenant id.
//
// Six digits: prefecture (2) + municipality (3) + check digit. The check digit is
// (11 − (d1×6 + d2×5 + d3×4 + d4×3 + d5×2) mod 11) mod 10 — "the last digit of 11 minus the
// remainder", so remainder 0 gives 1 and remainder 1 gives 0.
#pragma once

#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::app {

// Returns the check digit (0–9) for the first five digits of `code`; `code` must hold at least
// five ASCII digits.
int MunicipalityCheckDigit(std::string_view code);

// Returns `code` if it is six ASCII digits with a correct check digit; InvalidArgument
// (KSK-TENANT-001 malformed, KSK-TENANT-002 wrong check digit) otherwise.
Result<std::string> ValidateMunicipalityCode(std::string_view code);

}  // namespace koseki::app
