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
    Decision handle_message(const InboundEvent& event, const State& state) const;

    EngineSettings settings_;
};

}  // namespace ledgerbot::bot
