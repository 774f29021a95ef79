// The state check of `koseki audit verify`: does what the store holds now agree with what the
// audit logs say was written (docs/security.md, "State against the log")?
//
// Every committed row (store/row_commitment.h) must be named by exactly one logged write with
// the same digest (or, for the rows an installation held before row commitments, by the
// baseline that restated them: audit/baseline.h); every logged write must still have its row; every
// register's head must be the highest version its log recorded. Someone who edits, inserts or
// deletes such a row with plain SQL — a register head set back, a tenant renamed, a setting added,
// a certificate issue deleted, a 受付番号 rewritten — makes the state disagree with a log they
// cannot rewrite unseen (checkpoints, witness, entry MACs). Needs no key: digests only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "koseki/audit/verifier.h"
#include "koseki/base/result.h"
#include "koseki/store/backend.h"

namespace koseki::audit {

struct StateFinding {
  std::string log;          // the log whose entry is concerned ("" for a row no log names)
  std::uint64_t index = 0;  // that entry's index (a row no log names: 0)
  // For operators: table, tenant, key and number of the row, and what disagrees; never row
  // contents (the ids are opaque).
  std::string detail;
};

// Returns DataLoss KSK-AUDIT-060 describing `first` (log, index and row in the internal detail).
Error StateMismatch(const StateFinding& first);

// Collects the logs' writes, then compares them with the store.
class StateCheck {
 public:
  // Adds the writes of one log (LogVerifier::TakeWrites).
  void AddLog(const std::string& log, std::vector<LoggedWrite> writes);
  // Compares with every row the store holds. Returns the disagreements, the
  // first (by log, then index) first; at most kMaxFindings. Errors only if the store cannot
  // be read.
  Result<std::vector<StateFinding>> Run(store::Backend& backend);

 private:
  struct Logged {
    std::string log;
    std::uint64_t index = 0;
    store::RowCommitment row;
    bool restated = false;
    bool seen = false;
  };
  std::vector<Logged> logged_;
};

}  // namespace koseki::audit
