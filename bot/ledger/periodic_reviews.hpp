#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::ledger {

/// The scheduled reviews of the ledger:
///  - 第六条 quarterly coverage: every listed company is visited (phone or on site) at least
///    once a quarter. `coverage-reminder` (before quarter end) tells each account manager which
///    of their companies have no visit yet; `coverage-gaps` (after it) tells each department head
///    and compliance which companies were missed. The quarter is the tick's period (2026-Q4).
///  - 第十二条 monthly digest: each department head gets the department's unfinished demands.
class PeriodicReviews {
public:
    explicit PeriodicReviews(const settings::EngineSettings& settings) : settings_(settings) {}

    Decision remind_coverage(const model::InboundEvent& tick, const State& state) const;
    Decision report_coverage_gaps(const model::InboundEvent& tick, const State& state) const;
    Decision monthly_digest(const model::InboundEvent& tick, const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

Decision remind_coverage(const JobCall& call);
Decision report_coverage_gaps(const JobCall& call);
Decision send_monthly_digest(const JobCall& call);

}  // namespace ledgerbot::bot::ledger
