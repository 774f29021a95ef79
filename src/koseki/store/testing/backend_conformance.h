// The Backend conformance suite: the contract of store::Backend (backend.h), as tests that every
// backend must pass with identical answers (SQLite's differential-testing idea). Each backend
// instantiates it once with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, BackendConformanceTest,
//                            ::testing::Values(BackendFactory{"sqlite", OpenSqliteIn}),
//                            BackendFactoryName);
//
// and links the object library koseki_store_conformance. Backend-specific behaviour (files,
// migrations, triggers against raw SQL) stays in the backend's own tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "koseki/store/backend.h"

namespace koseki::store::testing {

struct BackendFactory {
  std::string name;  // the test name suffix, e.g. "sqlite"
  // Opens a backend storing its data under `dir` (an empty, private directory per test). Called
  // again with the same `dir`, it opens the same store anew, as another process would. Returns
  // nullptr (and records a test failure) if it cannot.
  std::function<std::unique_ptr<Backend>(const std::filesystem::path& dir)> open;
};

// For INSTANTIATE_TEST_SUITE_P: names each instantiation after its backend.
std::string BackendFactoryName(const ::testing::TestParamInfo<BackendFactory>& info);
// Prints a factory in test failures by its name.
inline void PrintTo(const BackendFactory& factory, std::ostream* os) { *os << factory.name; }

// Appends entry `index` to `log` (bytes {index + 1}, leaf hash 32 × index) with the nodes it
// completes (hash bytes = level), as audit::AuditLog would.
Result<void> AppendAuditRow(Backend& backend, std::string_view log, std::uint64_t index);

// Fixture: per test, a fresh directory and an open backend holding tenants 990001 and 990002.
class BackendConformanceTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens a second backend on the same store (another process, as far as the backend knows).
  std::unique_ptr<Backend> OpenAnother();
  Backend& backend() { return *backend_; }
  // Creates a register of tenant 990001 with one version and one index row.
  void CreateRegisterWithOneVersion();

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Backend> backend_;
};

}  // namespace koseki::store::testing
