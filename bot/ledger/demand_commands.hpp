#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::ledger {

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
    explicit DemandCommands(const settings::EngineSettings& settings) : settings_(settings) {}

    /// One of the commands above; `command.word` says which.
    Decision update(const model::InboundEvent& message, const text::ChatCommand& command,
                    const State& state) const;
    /// The `sla-check` job: on the deadline day, a reminder to the account manager; after it, an
    /// escalation to the department head and compliance (a risk). Skips non-working days.
    Decision check_plan_deadlines(const model::InboundEvent& tick, const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

Decision update_demand(const CommandCall& call);
Decision check_plan_deadlines(const JobCall& call);

}  // namespace ledgerbot::bot::ledger
