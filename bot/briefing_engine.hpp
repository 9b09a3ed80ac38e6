#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_event.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// 【简报】 (第九条（五）): progress reached offline (meetings, calls) announced in the project
/// group — 形式、时间、参与人员、邀约情况、阶段性共识、结论性成果、下一步. Recorded as B-n against
/// the company, appended to the follow-up history of its open demands (跟进情况记录), and
/// answered with a summary and what is missing.
class BriefingEngine {
public:
    explicit BriefingEngine(const EngineSettings& settings) : settings_(settings) {}

    /// nullopt when the message is not a briefing.
    std::optional<Decision> on_message(const InboundEvent& message, const State& state) const;

private:
    const EngineSettings& settings_;
};

}  // namespace ledgerbot::bot
