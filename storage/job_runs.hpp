#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/inbound_event.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// A processed tick, as job_runs records it.
struct JobRun {
    std::string run_key;  ///< `score-draft:2026-W47`; a repeated run `score-draft#again-…:2026-W47`
    std::int64_t ran_at = 0;
};

/// The newest runs of `job`, newest first.
result<std::vector<JobRun>> recent_job_runs(SQLite::Database& db, const std::string& job,
                                            int limit);

enum class JobRequestResult { queued, already_ran, already_queued, failed_before };

struct JobRequest {
    JobRequestResult result = JobRequestResult::queued;
    std::int64_t inbox_id = 0;
    std::optional<std::int64_t> processed_at;  ///< when it ran (or failed) before
};

/// An operator's `jobs run`: the tick goes into the ledger inbox like the scheduler's, with an
/// audit entry in the same transaction. The inbox's unique dedup key (`scheduler:<run key>`)
/// keeps a period from running twice, whoever asks; an existing tick is reported, not touched.
result<JobRequest> request_job_run(SQLite::Database& db, const bot::model::InboundEvent& tick,
                                   const std::string& actor, std::int64_t now);

}  // namespace ledgerbot::storage
