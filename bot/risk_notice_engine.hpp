#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_event.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// 【风险提示】 (第九条（四）): only members in the compliance role may raise one; it is recorded
/// against the project (R-n), the lead is asked to acknowledge with `/确认 R3`, the
/// acknowledgement is recorded ("由项目负责人将风险揭示内容记载到台账"), and a notice nobody
/// acknowledged in time is escalated to the department head and the compliance member who
/// raised it (the hourly `risk-escalation` job).
class RiskNoticeEngine {
public:
    explicit RiskNoticeEngine(const EngineSettings& settings) : settings_(settings) {}

    /// A 【风险提示】 or `/确认 R3`; nullopt for any other message.
    std::optional<Decision> on_message(const InboundEvent& message, const State& state) const;
    Decision escalate(const InboundEvent& tick, const State& state) const;

    /// True when the text opens with a configured risk header (【风险提示】 or [风险提示]).
    static bool has_header(std::string_view text, const RiskNoticeSettings& settings);

private:
    Decision raise(const InboundEvent& message, const State& state) const;
    Decision acknowledge(const InboundEvent& message, std::string_view argument,
                         const State& state) const;

    const EngineSettings& settings_;
};

}  // namespace ledgerbot::bot
