#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_event.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// The service-demand ledger's commands (第七、八条) and the 3-working-day plan check:
///   /方案 D7 负责人：张三 方案：…     plan and named owner (collected → planned)
///   /签约 D7                          service agreement signed (→ contracted)
///   /进度 D7 完成比例：60% 收入：12万  completion ratio and revenue under the agreement
///   /转介 D7 部门：投行业务部          referral to another department
///   /转介落地 D7                      the referral landed (by the receiving department)
///   /完结 D7                          service completed (→ completed)
///   /不可行 D7 原因：…                 cannot be done (→ infeasible)
/// Each one is checked for permission, appended to the demand's follow-up history and audited.
class DemandCommands {
public:
    explicit DemandCommands(const EngineSettings& settings) : settings_(settings) {}

    std::optional<Decision> on_command(const InboundEvent& message, const State& state) const;
    /// The `sla-check` job: on the deadline day, a reminder to the account manager; after it, an
    /// escalation to the department head and compliance (a risk). Skips non-working days.
    Decision check_plan_deadlines(const InboundEvent& tick, const State& state) const;

private:
    const EngineSettings& settings_;
};

}  // namespace ledgerbot::bot
