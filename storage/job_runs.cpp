#include "storage/job_runs.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/audit_log.hpp"
#include "storage/inbox.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {

result<std::vector<JobRun>> recent_job_runs(SQLite::Database& db, const std::string& job,
                                            int limit) {
    return guarded([&] {
        // A run key is the job name, then ':' (scheduled) or '#' (an operator's repeat).
        Prepared query(db,
                       "SELECT run_key, ran_at FROM job_runs WHERE substr(run_key, 1, ?) = ? AND "
                       "substr(run_key, ? + 1, 1) IN (':', '#') ORDER BY ran_at DESC, rowid DESC "
                       "LIMIT ?");
        query->bind(1, static_cast<std::int64_t>(job.size()));
        query->bind(2, job);
        query->bind(3, static_cast<std::int64_t>(job.size()));
        query->bind(4, limit);
        std::vector<JobRun> out;
        while (query->executeStep()) {
            out.push_back({query->getColumn(0).getString(), query->getColumn(1).getInt64()});
        }
        return out;
    });
}

result<JobRequest> request_job_run(SQLite::Database& db, const bot::model::InboundEvent& tick,
                                   const std::string& actor, std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        JobRequest request;
        Prepared existing(db, "SELECT id, status, processed_at FROM inbox WHERE dedup_key = ?");
        existing->bind(1, Inbox::dedup_key(tick));
        if (existing->executeStep()) {
            request.inbox_id = existing->getColumn(0).getInt64();
            const std::string status = existing->getColumn(1).getString();
            if (!existing->getColumn(2).isNull()) {
                request.processed_at = existing->getColumn(2).getInt64();
            }
            request.result = status == "done"      ? JobRequestResult::already_ran
                             : status == "pending" ? JobRequestResult::already_queued
                                                   : JobRequestResult::failed_before;
            return request;
        }
        const std::vector<InboxInsert> inserted = Inbox(db).insert_within(std::span(&tick, 1), now);
        request.inbox_id = inserted.front().inbox_id;
        AuditLog(db).append(
            {actor, "job.run_requested", tick.id, {{"job", tick.job}, {"slot", tick.time}}}, now,
            "cli");
        tx.commit();
        return request;
    });
}

}  // namespace ledgerbot::storage
