#pragma once

#include <string>

#include "bot/decision.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"
#include "bot/text/chat_command.hpp"

/// What the engine's dispatch tables hand a feature: the event, what was read from it once (the
/// command, the text after a header), the state and the settings. A feature exports plain
/// functions of these; the tables in dispatch.cpp route to them.
namespace ledgerbot::bot {

namespace reports {
struct ParsedReport;
}

/// A chat command, parsed once: `/word argument`.
struct CommandCall {
    const model::InboundEvent& message;
    const text::ChatCommand& command;  ///< the configured word and the rest of the message
    const State& state;
    const settings::EngineSettings& settings;
};

/// A message that opens with a header such as 【简报】.
struct HeaderCall {
    const model::InboundEvent& message;
    const std::string& body;  ///< the text after the header, trimmed
    const State& state;
    const settings::EngineSettings& settings;
    /// The message read as a visit report ahead of handling (Engine::read_ahead), for the
    /// header that reads one; null when it was not.
    const reports::ParsedReport* report_read = nullptr;
};

/// A scheduler tick for one job.
struct JobCall {
    const model::InboundEvent& tick;
    const State& state;
    const settings::EngineSettings& settings;
};

using CommandHandler = Decision (*)(const CommandCall& call);
using HeaderHandler = Decision (*)(const HeaderCall& call);
using JobHandler = Decision (*)(const JobCall& call);

}  // namespace ledgerbot::bot
