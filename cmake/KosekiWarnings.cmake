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
  # GCC 12 at -O3 reports known false positives inside libstdc++ (std::vector::insert and
  # std::string concatenation: GCC bugs 105329, 105545, 106199). They stay visible as warnings;
  # the debug and asan builds keep every warning an error.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(koseki_flags INTERFACE -Wno-error=restrict -Wno-error=stringop-overflow
      -Wno-error=stringop-overread -Wno-error=array-bounds -Wno-error=maybe-uninitialized)
  endif()
endif()
if(KOSEKI_SANITIZE)
  target_compile_options(koseki_flags INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(koseki_flags INTERFACE -fsanitize=address,undefined)
endif()
