#pragma once

#include <optional>

#include "bot/conventions/group_work.hpp"
#include "bot/decision.hpp"
#include "bot/decision_context.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::conventions {

/// 第九条 as decisions: keeps the group registry from group events and snapshots, and raises
/// the reminders, risks and violations of the group conventions. Every enforcement names its
/// article, says what was seen and what to do (the templates), and is audited.
///
/// Timing: the group name and self-leave rules act on the event; first members, compliance
/// presence and the name's grace period are checked on each group event and by the hourly
/// `conventions-check` job; nicknames by the `nickname-evening` (remind) and `nickname-morning`
/// (risk) jobs.
class ConventionEngine {
public:
    explicit ConventionEngine(const settings::EngineSettings& settings) : settings_(settings) {}

    /// A group event (created, renamed, members, nicknames, owner, dismissed, snapshot).
    Decision on_group_event(const model::InboundEvent& event, const State& state) const;

    /// Tick handlers.
    Decision check_groups(const model::InboundEvent& tick, const State& state) const;
    Decision remind_nicknames(const model::InboundEvent& tick, const State& state) const;
    Decision escalate_nicknames(const model::InboundEvent& tick, const State& state) const;

    /// `/阶段完成 …` and `/建群 …`: `argument` is what follows the command word.
    Decision settle_departure(const model::InboundEvent& message, std::string_view argument,
                              const State& state, bool left_on_own) const;
    Decision stage_done(const model::InboundEvent& message, std::string_view argument,
                        const State& state) const;
    Decision remove_member(const model::InboundEvent& message, std::string_view argument,
                           const State& state) const;
    Decision create_group(const model::InboundEvent& message, std::string_view argument,
                          const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

/// The dispatch tables' handlers.
Decision on_group_event(const model::InboundEvent& event, const State& state,
                        const settings::EngineSettings& settings);
Decision mark_stage_done(const CommandCall& call);
/// `/确认退群 张三` and `/已移出 张三`: the owner (or lead, or department head) settles a
/// member who is gone without a word of how: a self-leave violation, or a normal removal.
Decision confirm_self_leave(const CommandCall& call);
Decision confirm_removed(const CommandCall& call);
/// `/移出 张三`: the owner (or lead, or department head) has the bot remove a member from a
/// group the bot account may remove from; the removal is said in the group.
Decision remove_member(const CommandCall& call);

/// Records a member's self-leave as a violation of 第九条（二）: the audit entry, a risk, the
/// owner and compliance told. Returns the risk's number.
std::int64_t record_self_leave(GroupWork& work, const model::GroupMemberRecord& member,
                               std::int64_t time, DecisionContext& ctx);
Decision create_project_group(const CommandCall& call);
Decision check_groups(const JobCall& call);
Decision remind_nicknames(const JobCall& call);
Decision escalate_nicknames(const JobCall& call);

}  // namespace ledgerbot::bot::conventions
