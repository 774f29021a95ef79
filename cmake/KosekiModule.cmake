# koseki_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#   A static library `koseki_<NAME>` for one module of src/koseki/<NAME>. Module dependencies
#   are expressed only through these links (ARCHITECTURE.md: enforced by CMake, not discipline).
function(koseki_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(koseki_${name} STATIC ${ARG_SOURCES})
  target_include_directories(koseki_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(koseki_${name} PUBLIC koseki_flags ${ARG_PUBLIC_DEPS}
                                        PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# koseki_test(NAME [ONE_PROCESS] SOURCES ... DEPS ... [PROPERTIES ...])
#   One GoogleTest executable, its tests registered with ctest one by one; with ONE_PROCESS the
#   whole executable is one ctest test, for suites whose shared set-up (SetUpTestSuite) costs
#   more than their tests, so that it runs once instead of once per test.
function(koseki_test name)
  cmake_parse_arguments(ARG "ONE_PROCESS" "" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE koseki_flags ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  if(ARG_ONE_PROCESS)
    add_test(NAME ${name} COMMAND ${name})
    if(ARG_PROPERTIES)
      set_tests_properties(${name} PROPERTIES ${ARG_PROPERTIES})
    endif()
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${ARG_PROPERTIES})
  endif()
endfunction()
