// The one place that picks and opens the store's backend for an installation's Location.
//
// Today every location is a data directory holding one SQLite database (DIR/koseki.db); a
// PostgreSQL location (a connection string) will be chosen here too. Nothing else in app names a
// concrete backend or the database file: callers ask whether an installation exists and get a
// store::Backend. This file and the store's own tests and benchmarks are the only code linking
// koseki_store_sqlite.
#pragma once

#include <memory>

#include "koseki/app/location.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::app {

// Returns whether `location` holds an installation's store. Opens and creates nothing.
bool HasInstallation(const Location& location);

// Returns OK if `location` holds an installation's store; NotFound (KSK-APP-001) otherwise.
Result<void> RequireInstallation(const Location& location);

// Returns OK unless `location` holds an installation's store; AlreadyExists (KSK-APP-002) if it
// does.
Result<void> RequireNoInstallation(const Location& location);

// Opens the store of the installation at `location` (applying missing schema migrations).
// NotFound (KSK-APP-001) if there is none; the backend's errors otherwise (KSK-STORE-0NN).
Result<std::unique_ptr<store::Backend>> OpenBackend(const Location& location);
// Opens it for reading only (the audit commands: an auditor may verify a read-only copy):
// nothing is created, migrated or written. Same errors.
Result<std::unique_ptr<store::Backend>> OpenBackendReadOnly(const Location& location);

// Creates the store of a new installation at `location`: the data directory (mode 0700) if
// missing, and an empty database in it. AlreadyExists (KSK-APP-002) if an installation is
// there; Unavailable (KSK-STORE-020) if the data directory cannot be created or used.
Result<std::unique_ptr<store::Backend>> CreateBackend(const Location& location);

}  // namespace koseki::app
