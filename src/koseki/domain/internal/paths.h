// Item paths such as persons[1].mibun_jiko[0] used in error messages of the domain module.
// They name a position, never a value, so they may be shown to users and logged.
#pragma once

#include <cstddef>
#include <string>

namespace koseki::domain::internal {

// Returns "[i]".
inline std::string Index(std::size_t i) { return "[" + std::to_string(i) + "]"; }

}  // namespace koseki::domain::internal
