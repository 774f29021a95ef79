#include "koseki/app/municipality_code.h"

#include <algorithm>
#include <array>

namespace koseki::app {

int MunicipalityCheckDigit(std::string_view code) {
  constexpr std::array<int, 5> kWeights{6, 5, 4, 3, 2};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (code[i] - '0') * kWeights[i];
  return (11 - sum % 11) % 10;
}

Result<std::string> ValidateMunicipalityCode(std::string_view code) {
  const bool six_digits = code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
                            return c >= '0' && c <= '9';
                          });
  if (!six_digits) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-TENANT-001",
                     "地方公共団体コードは６桁の数字で指定してください。", "code is not 6 digits");
  }
  if (MunicipalityCheckDigit(code) != code[5] - '0') {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-TENANT-002",
                     "地方公共団体コードの検査数字が一致しません。", "check digit mismatch");
  }
  return std::string(code);
}

}  // namespace koseki::app
