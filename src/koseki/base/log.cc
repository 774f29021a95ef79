#include "koseki/base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace koseki::log {
namespace {

std::shared_ptr<spdlog::logger> Logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("koseki");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return logger;
}

std::string Format(std::string_view event, std::initializer_list<Field> fields) {
  std::string line(event);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    line += value;
  }
  return line;
}

}  // namespace

void Info(std::string_view event, std::initializer_list<Field> fields) {
  Logger()->info(Format(event, fields));
}
void Warn(std::string_view event, std::initializer_list<Field> fields) {
  Logger()->warn(Format(event, fields));
}
void Error(std::string_view event, std::initializer_list<Field> fields) {
  Logger()->error(Format(event, fields));
}
void SetVerbose(bool verbose) {
  Logger()->set_level(verbose ? spdlog::level::info : spdlog::level::warn);
}

}  // namespace koseki::log
