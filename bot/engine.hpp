#pragma once

#include "bot/decision.hpp"
#include "bot/inbound_event.hpp"
#include "bot/report_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

struct EngineSettings {
    ReportSettings report;
};

/// The bot core: one normalized event and the current state in, one decision out. Pure: it
/// reads no clock (time comes with the event), no files and no database.
class Engine {
public:
    explicit Engine(EngineSettings settings) : settings_(std::move(settings)) {}

    Decision handle(const InboundEvent& event, const State& state) const;

    const EngineSettings& settings() const { return settings_; }

private:
    using JobHandler = Decision (Engine::*)(const InboundEvent& tick, const State& state) const;

    Decision handle_message(const InboundEvent& event, const State& state) const;
    /// A scheduler tick: runs the handler registered for `tick.job` (see kJobHandlers in
    /// engine.cpp); a job without one decides nothing, so a job can be scheduled before its
    /// feature exists.
    Decision handle_tick(const InboundEvent& tick, const State& state) const;

    EngineSettings settings_;
};

}  // namespace ledgerbot::bot
