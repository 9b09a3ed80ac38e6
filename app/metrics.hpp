#pragma once

#include <memory>
#include <set>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "storage/business_counts.hpp"

namespace ledgerbot::app {

/// The service's Prometheus metrics (prometheus-cpp core), served as text on GET /metrics.
class Metrics {
public:
    Metrics();

    void count_request(const std::string& route, unsigned status);
    void count_refused(const std::string& reason);
    /// A valid callback acknowledged without storing it (an event kind the bot does not use).
    void count_ignored(const std::string& adapter);
    void count_stored(bool duplicate);
    void count_processed(int processed, int failed);
    /// Reports read ahead of the store thread (read), and how many it found read (used) or not
    /// (missed: not read yet, or read with a directory an import has since replaced).
    void count_read_ahead(std::int64_t read, std::int64_t used, std::int64_t missed);
    void count_notice(const std::string& channel, const std::string& outcome);
    void set_depths(double inbox, double outbox, double dead);
    /// Acknowledged events not yet processed, and the age of the oldest of them.
    void set_inbox_lag(double events, double oldest_age_seconds);
    /// Pending notices that have failed at least once.
    void set_failing_notices(double failing);
    /// One evidence download by outcome: fetched, retry, failed.
    void count_evidence_fetch(const std::string& outcome);
    void set_evidence(double pending, double fetched, double failed);
    /// Visits, open demands and risks, job runs: counted from the ledger now and then.
    void set_business(const storage::BusinessCounts& counts);

    std::string serialize() const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Counter>& refused_;
    prometheus::Family<prometheus::Counter>& ignored_;
    prometheus::Counter& stored_;
    prometheus::Counter& duplicates_;
    prometheus::Counter& processed_;
    prometheus::Counter& failed_;
    prometheus::Family<prometheus::Counter>& read_ahead_;
    prometheus::Family<prometheus::Counter>& notices_;
    prometheus::Gauge& inbox_depth_;
    prometheus::Gauge& inbox_lag_events_;
    prometheus::Gauge& inbox_lag_seconds_;
    prometheus::Gauge& outbox_depth_;
    prometheus::Gauge& outbox_dead_;
    prometheus::Gauge& outbox_failing_;
    prometheus::Family<prometheus::Counter>& evidence_fetches_;
    prometheus::Family<prometheus::Gauge>& evidence_;
    prometheus::Family<prometheus::Gauge>& visits_;
    prometheus::Gauge& demands_open_;
    prometheus::Family<prometheus::Gauge>& risks_open_;
    prometheus::Family<prometheus::Gauge>& job_runs_;
    prometheus::Family<prometheus::Gauge>& job_last_run_;
    std::set<std::string> risk_kinds_seen_;
};

}  // namespace ledgerbot::app
