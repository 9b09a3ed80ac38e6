#pragma once

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_event.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// The scheduled reviews of the ledger:
///  - 第六条 quarterly coverage: every listed company is visited (phone or on site) at least
///    once a quarter. `coverage-reminder` (before quarter end) tells each account manager which
///    of their companies have no visit yet; `coverage-gaps` (after it) tells each department head
///    and compliance which companies were missed. The quarter is the tick's period (2026-Q4).
///  - 第十二条 monthly digest: each department head gets the department's unfinished demands.
class PeriodicReviews {
public:
    explicit PeriodicReviews(const EngineSettings& settings) : settings_(settings) {}

    Decision remind_coverage(const InboundEvent& tick, const State& state) const;
    Decision report_coverage_gaps(const InboundEvent& tick, const State& state) const;
    Decision monthly_digest(const InboundEvent& tick, const State& state) const;

private:
    const EngineSettings& settings_;
};

}  // namespace ledgerbot::bot
