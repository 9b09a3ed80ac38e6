#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <SQLiteCpp/Database.h>

#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// One scheduled job's runs, from job_runs.
struct JobRunStats {
    std::int64_t runs = 0;
    std::int64_t last_ran_at = 0;
};

/// What operators and the office watch on a dashboard (/metrics), counted from the ledger.
struct BusinessCounts {
    std::int64_t visits = 0;                         ///< records kept (withdrawn ones not counted)
    std::int64_t visits_incomplete = 0;              ///< of those, still missing required fields
    std::int64_t demands_open = 0;                   ///< not completed, infeasible or withdrawn
    std::map<std::string, std::int64_t> risks_open;  ///< by kind
    std::map<std::string, JobRunStats> jobs;         ///< by job name
};

result<BusinessCounts> business_counts(SQLite::Database& db);

}  // namespace ledgerbot::storage
