#include "app/metrics.hpp"

#include <prometheus/text_serializer.h>

namespace ledgerbot::app {

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("ledgerbot_http_requests_total")
                    .Help("HTTP requests by route and status")
                    .Register(*registry_)),
      refused_(prometheus::BuildCounter()
                   .Name("ledgerbot_ingest_refused_total")
                   .Help("Inbound requests refused before storage, by reason")
                   .Register(*registry_)),
      ignored_(prometheus::BuildCounter()
                   .Name("ledgerbot_ingest_ignored_total")
                   .Help("Valid callbacks acknowledged without storing them, by adapter")
                   .Register(*registry_)),
      stored_(prometheus::BuildCounter()
                  .Name("ledgerbot_events_stored_total")
                  .Help("Events committed to the inbox")
                  .Register(*registry_)
                  .Add({})),
      duplicates_(prometheus::BuildCounter()
                      .Name("ledgerbot_events_duplicate_total")
                      .Help("Redelivered events acknowledged without storing them again")
                      .Register(*registry_)
                      .Add({})),
      processed_(prometheus::BuildCounter()
                     .Name("ledgerbot_events_processed_total")
                     .Help("Events whose decision was committed")
                     .Register(*registry_)
                     .Add({})),
      failed_(prometheus::BuildCounter()
                  .Name("ledgerbot_events_failed_total")
                  .Help("Events the engine could not process (parked as failed)")
                  .Register(*registry_)
                  .Add({})),
      read_ahead_(prometheus::BuildCounter()
                      .Name("ledgerbot_reports_read_ahead_total")
                      .Help("Reports read ahead of the store thread (read), and found read when "
                            "handled (used) or not (missed)")
                      .Register(*registry_)),
      notices_(prometheus::BuildCounter()
                   .Name("ledgerbot_notices_total")
                   .Help("Outbound notice attempts by channel and outcome (sent, retry, dead)")
                   .Register(*registry_)),
      inbox_depth_(prometheus::BuildGauge()
                       .Name("ledgerbot_inbox_depth")
                       .Help("Stored events not yet processed")
                       .Register(*registry_)
                       .Add({})),
      inbox_lag_events_(prometheus::BuildGauge()
                            .Name("ledgerbot_inbox_lag_events")
                            .Help("Acknowledged events not yet processed (received and pending)")
                            .Register(*registry_)
                            .Add({})),
      inbox_lag_seconds_(prometheus::BuildGauge()
                             .Name("ledgerbot_inbox_lag_seconds")
                             .Help("Age of the oldest acknowledged event not yet processed")
                             .Register(*registry_)
                             .Add({})),
      outbox_depth_(prometheus::BuildGauge()
                        .Name("ledgerbot_outbox_depth")
                        .Help("Notices waiting to be delivered")
                        .Register(*registry_)
                        .Add({})),
      outbox_dead_(prometheus::BuildGauge()
                       .Name("ledgerbot_outbox_dead")
                       .Help("Notices parked as dead after the last attempt failed")
                       .Register(*registry_)
                       .Add({})),
      outbox_failing_(prometheus::BuildGauge()
                          .Name("ledgerbot_outbox_failing")
                          .Help("Pending notices that have failed at least once")
                          .Register(*registry_)
                          .Add({})),
      evidence_fetches_(prometheus::BuildCounter()
                            .Name("ledgerbot_evidence_fetches_total")
                            .Help("Evidence image downloads by outcome (fetched, retry, failed)")
                            .Register(*registry_)),
      evidence_(prometheus::BuildGauge()
                    .Name("ledgerbot_evidence")
                    .Help("Evidence items by fetch status (pending, fetched, failed)")
                    .Register(*registry_)),
      visits_(prometheus::BuildGauge()
                  .Name("ledgerbot_visit_records")
                  .Help("Visit records kept (withdrawn ones not counted), by completeness")
                  .Register(*registry_)),
      demands_open_(prometheus::BuildGauge()
                        .Name("ledgerbot_demands_open")
                        .Help("Ledger demands not completed, infeasible or withdrawn")
                        .Register(*registry_)
                        .Add({})),
      risks_open_(prometheus::BuildGauge()
                      .Name("ledgerbot_risks_open")
                      .Help("Open risks in the register, by kind")
                      .Register(*registry_)),
      job_runs_(prometheus::BuildGauge()
                    .Name("ledgerbot_job_runs")
                    .Help("Runs of each scheduled job recorded in job_runs")
                    .Register(*registry_)),
      job_last_run_(prometheus::BuildGauge()
                        .Name("ledgerbot_job_last_run_timestamp_seconds")
                        .Help("When each scheduled job last ran (unix seconds)")
                        .Register(*registry_)) {}

void Metrics::set_business(const storage::BusinessCounts& counts) {
    visits_.Add({{"complete", "true"}})
        .Set(static_cast<double>(counts.visits - counts.visits_incomplete));
    visits_.Add({{"complete", "false"}}).Set(static_cast<double>(counts.visits_incomplete));
    demands_open_.Set(static_cast<double>(counts.demands_open));
    // Kinds closed since the last refresh go to 0 rather than keep their old value.
    for (const auto& kind : risk_kinds_seen_) {
        if (counts.risks_open.count(kind) == 0) {
            risks_open_.Add({{"kind", kind}}).Set(0);
        }
    }
    for (const auto& [kind, open] : counts.risks_open) {
        risks_open_.Add({{"kind", kind}}).Set(static_cast<double>(open));
        risk_kinds_seen_.insert(kind);
    }
    for (const auto& [job, stats] : counts.jobs) {
        job_runs_.Add({{"job", job}}).Set(static_cast<double>(stats.runs));
        job_last_run_.Add({{"job", job}}).Set(static_cast<double>(stats.last_ran_at));
    }
}

void Metrics::count_request(const std::string& route, unsigned status) {
    requests_.Add({{"route", route}, {"status", std::to_string(status)}}).Increment();
}

void Metrics::count_refused(const std::string& reason) {
    refused_.Add({{"reason", reason}}).Increment();
}

void Metrics::count_ignored(const std::string& adapter) {
    ignored_.Add({{"adapter", adapter}}).Increment();
}

void Metrics::count_stored(bool duplicate) {
    (duplicate ? duplicates_ : stored_).Increment();
}

void Metrics::count_processed(int processed, int failed) {
    processed_.Increment(processed);
    failed_.Increment(failed);
}

void Metrics::count_read_ahead(std::int64_t read, std::int64_t used, std::int64_t missed) {
    read_ahead_.Add({{"outcome", "read"}}).Increment(static_cast<double>(read));
    read_ahead_.Add({{"outcome", "used"}}).Increment(static_cast<double>(used));
    read_ahead_.Add({{"outcome", "missed"}}).Increment(static_cast<double>(missed));
}

void Metrics::count_notice(const std::string& channel, const std::string& outcome) {
    notices_.Add({{"channel", channel}, {"outcome", outcome}}).Increment();
}

void Metrics::set_depths(double inbox, double outbox, double dead) {
    inbox_depth_.Set(inbox);
    outbox_depth_.Set(outbox);
    outbox_dead_.Set(dead);
}

void Metrics::set_inbox_lag(double events, double oldest_age_seconds) {
    inbox_lag_events_.Set(events);
    inbox_lag_seconds_.Set(oldest_age_seconds);
}

void Metrics::set_failing_notices(double failing) {
    outbox_failing_.Set(failing);
}

void Metrics::count_evidence_fetch(const std::string& outcome) {
    evidence_fetches_.Add({{"outcome", outcome}}).Increment();
}

void Metrics::set_evidence(double pending, double fetched, double failed) {
    evidence_.Add({{"status", "pending"}}).Set(pending);
    evidence_.Add({{"status", "fetched"}}).Set(fetched);
    evidence_.Add({{"status", "failed"}}).Set(failed);
}

std::string Metrics::serialize() const {
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace ledgerbot::app
