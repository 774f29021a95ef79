# Compiler flags shared by every koseki target. Warnings are errors; hardening in release;
# sanitizers in the asan preset (the one `make test` and CI run).
add_library(koseki_flags INTERFACE)
target_compile_options(koseki_flags INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
if(CMAKE_BUILD_TYPE STREQUAL "Release")
  target_compile_options(koseki_flags INTERFACE -D_FORTIFY_SOURCE=2 -fstack-protector-strong
    -fstack-clash-protection -fcf-protection)
  target_link_options(koseki_flags INTERFACE -Wl,-z,relro,-z,now)
endif()
if(KOSEKI_SANITIZE)
  target_compile_options(koseki_flags INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(koseki_flags INTERFACE -fsanitize=address,undefined)
endif()
