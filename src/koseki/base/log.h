// Diagnostic logging facade over spdlog: structured `event key=value` lines with opaque ids
// only. Never pass personal data here (names, 本籍, dates of persons, free text). The audit
// trail is a separate module and never goes through this logger.
#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

namespace koseki::log {

using Field = std::pair<std::string_view, std::string_view>;

void Info(std::string_view event, std::initializer_list<Field> fields = {});
void Warn(std::string_view event, std::initializer_list<Field> fields = {});
void Error(std::string_view event, std::initializer_list<Field> fields = {});

// Silences everything below warnings (CLI default) or restores info output.
void SetVerbose(bool verbose);

}  // namespace koseki::log
