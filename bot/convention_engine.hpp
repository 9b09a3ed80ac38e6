#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_event.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

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
    explicit ConventionEngine(const EngineSettings& settings) : settings_(settings) {}

    /// A group event (created, renamed, members, nicknames, owner, dismissed, snapshot).
    Decision on_group_event(const InboundEvent& event, const State& state) const;

    /// Tick handlers.
    Decision check_groups(const InboundEvent& tick, const State& state) const;
    Decision remind_nicknames(const InboundEvent& tick, const State& state) const;
    Decision escalate_nicknames(const InboundEvent& tick, const State& state) const;

    /// `/阶段完成 …` and `/建群 …`; nullopt when the message is not one of them.
    std::optional<Decision> on_command(const InboundEvent& message, const State& state) const;

private:
    Decision stage_done(const InboundEvent& message, std::string_view argument,
                        const State& state) const;
    Decision create_group(const InboundEvent& message, std::string_view argument,
                          const State& state) const;

    const EngineSettings& settings_;
};

}  // namespace ledgerbot::bot
