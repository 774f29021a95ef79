#include "koseki/render/watermark.h"

#include <string>

namespace koseki::render {

std::string WatermarkLine(const Watermark& mark) {
  std::string line;
  for (const std::string* field :
       {&mark.login, &mark.device, &mark.viewed_at, &mark.receipt_number}) {
    if (field->empty()) continue;
    if (!line.empty()) line += "  ";
    line += *field;
  }
  return line;
}

}  // namespace koseki::render
