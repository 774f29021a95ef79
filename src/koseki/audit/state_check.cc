#include "koseki/audit/state_check.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace koseki::audit {
namespace {

// The identity of a row: tenant, table, key, number (NUL never occurs in any of them).
std::string RowKey(const store::RowCommitment& row) {
  std::string key = row.tenant_code;
  key += '\0';
  key += static_cast<char>(row.table);
  key += '\0';
  key += row.key;
  key += '\0';
  key += std::to_string(row.number);
  return key;
}

std::string Describe(const store::RowCommitment& row) {
  std::string text = std::string(store::RowTableName(row.table)) + " tenant " + row.tenant_code;
  if (!row.key.empty()) text += " key " + row.key;
  text += " number " + std::to_string(row.number);
  return text;
}

// A register's head, per tenant and register id.
std::string HeadKey(std::string_view tenant, std::string_view register_id) {
  return std::string(tenant) + '\0' + std::string(register_id);
}

}  // namespace

Error StateMismatch(const StateFinding& first) {
  return MakeError(ErrorCode::kDataLoss, "KSK-AUDIT-060",
                   "データベースの内容が監査ログの記録と一致しません。データベースが改ざんされて"
                   "いる可能性があります。バックアップから復元してください。",
                   "state differs from the log: log " + first.log + " index " +
                       std::to_string(first.index) + ": " + first.detail);
}

void StateCheck::AddLog(const std::string& log, std::vector<LoggedWrite> writes) {
  logged_.reserve(logged_.size() + writes.size());
  for (LoggedWrite& write : writes) {
    logged_.push_back(Logged{log, write.index, std::move(write.row), write.restated, false});
  }
}

Result<std::vector<StateFinding>> StateCheck::Run(store::Backend& backend) {
  std::vector<StateFinding> findings;
  const auto add = [&](std::string log, std::uint64_t index, std::string detail) {
    findings.push_back(StateFinding{std::move(log), index, std::move(detail)});
  };

  std::unordered_map<std::string, std::size_t> by_row;  // RowKey → index into logged_
  // The highest logged version of each register, and the entry that logged it.
  std::unordered_map<std::string, std::size_t> head_of;
  by_row.reserve(logged_.size());
  for (std::size_t i = 0; i < logged_.size(); ++i) {
    const Logged& logged = logged_[i];
    auto [it, inserted] = by_row.emplace(RowKey(logged.row), i);
    if (!inserted) {
      const Logged& first = logged_[it->second];
      const std::string where = first.log + " " + std::to_string(first.index);
      if (logged.restated || first.restated) {
        // The baseline restates rows as they stood; one logged before it must not differ.
        if (logged.row.digest != first.row.digest) {
          add(logged.log, logged.index,
              Describe(logged.row) + ": restated differently (" + where + ")");
        }
        continue;
      }
      // One row, written twice: a log replayed or forked (e.g. a 発行番号 issued again).
      add(logged.log, logged.index,
          Describe(logged.row) + ": logged again (first at " + where + ")");
      continue;
    }
    if (logged.row.table == store::RowTable::kRegisterVersion) {
      auto [head, fresh] = head_of.emplace(HeadKey(logged.row.tenant_code, logged.row.key), i);
      if (!fresh && logged_[head->second].row.number < logged.row.number) head->second = i;
    }
  }

  KOSEKI_RETURN_IF_ERROR(backend.ScanState([&](const store::RowCommitment& row) -> Result<bool> {
    if (row.table == store::RowTable::kRegisterHead) {
      const auto head = head_of.find(HeadKey(row.tenant_code, row.key));
      const std::uint64_t logged_head =
          head == head_of.end() ? 0 : logged_[head->second].row.number;
      if (row.number != logged_head) {
        const Logged* at = head == head_of.end() ? nullptr : &logged_[head->second];
        add(at ? at->log : "", at ? at->index : 0,
            Describe(row) + ": head is " + std::to_string(row.number) +
                ", the log's last version is " + std::to_string(logged_head));
      }
      return true;
    }
    const auto it = by_row.find(RowKey(row));
    if (it == by_row.end()) {
      add("", 0, Describe(row) + ": row no log recorded");
      return true;
    }
    Logged& logged = logged_[it->second];
    logged.seen = true;
    if (logged.row.digest != row.digest) {
      add(logged.log, logged.index, Describe(row) + ": row differs from what was logged");
    }
    return true;
  }));
  for (const Logged& logged : logged_) {
    const auto it = by_row.find(RowKey(logged.row));
    if (it != by_row.end() && &logged_[it->second] == &logged && !logged.seen) {
      add(logged.log, logged.index, Describe(logged.row) + ": logged row is missing");
    }
  }

  std::stable_sort(findings.begin(), findings.end(),
                   [](const StateFinding& a, const StateFinding& b) {
                     if (a.log != b.log) return a.log < b.log;
                     return a.index < b.index;
                   });
  if (findings.size() > kMaxFindings) findings.resize(kMaxFindings);
  return findings;
}

}  // namespace koseki::audit
