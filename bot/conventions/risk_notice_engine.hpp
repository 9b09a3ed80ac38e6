#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::conventions {

/// 【风险提示】 (第九条（四）): only members in the compliance role may raise one; it is recorded
/// against the project (R-n), the lead is asked to acknowledge with `/确认 R3` (risk_register),
/// the acknowledgement is recorded ("由项目负责人将风险揭示内容记载到台账"), and a notice nobody
/// acknowledged in time is escalated to the department head and the compliance member who
/// raised it (the hourly `risk-escalation` job).
class RiskNoticeEngine {
public:
    explicit RiskNoticeEngine(const settings::EngineSettings& settings) : settings_(settings) {}

    /// 【风险提示】: `text` is what follows the header.
    Decision raise(const model::InboundEvent& message, const std::string& text,
                   const State& state) const;
    Decision escalate(const model::InboundEvent& tick, const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

Decision raise_risk_notice(const HeaderCall& call);
Decision escalate_risk_notices(const JobCall& call);

}  // namespace ledgerbot::bot::conventions
