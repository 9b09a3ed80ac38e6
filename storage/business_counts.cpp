#include "storage/business_counts.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {

result<BusinessCounts> business_counts(SQLite::Database& db) {
    return guarded([&] {
        BusinessCounts counts;
        {
            Prepared visits(db,
                            "SELECT COUNT(*), COALESCE(SUM(v.complete = 0), 0) FROM visits v "
                            "LEFT JOIN visit_voids w ON w.visit_number = v.number AND "
                            "w.withdrawn = 1 WHERE w.visit_number IS NULL");
            visits->executeStep();
            counts.visits = visits->getColumn(0).getInt64();
            counts.visits_incomplete = visits->getColumn(1).getInt64();
        }
        {
            Prepared demands(db,
                             "SELECT COUNT(*) FROM demands WHERE status NOT IN ('completed', "
                             "'infeasible', 'withdrawn')");
            demands->executeStep();
            counts.demands_open = demands->getColumn(0).getInt64();
        }
        {
            Prepared risks(db,
                           "SELECT kind, COUNT(*) FROM risks WHERE status = 'open' GROUP BY kind");
            while (risks->executeStep()) {
                counts.risks_open[risks->getColumn(0).getString()] = risks->getColumn(1).getInt64();
            }
        }
        {
            // A run key is the job's name, then ':' (scheduled) or '#' (an operator's repeat).
            Prepared jobs(db,
                          "SELECT CASE WHEN instr(run_key, '#') > 0 AND instr(run_key, '#') < "
                          "instr(run_key, ':') THEN substr(run_key, 1, instr(run_key, '#') - 1) "
                          "ELSE substr(run_key, 1, instr(run_key, ':') - 1) END AS job, "
                          "COUNT(*), MAX(ran_at) FROM job_runs GROUP BY job");
            while (jobs->executeStep()) {
                counts.jobs[jobs->getColumn(0).getString()] = {jobs->getColumn(1).getInt64(),
                                                               jobs->getColumn(2).getInt64()};
            }
        }
        return counts;
    });
}

}  // namespace ledgerbot::storage
