#pragma once

#include "bot/decision.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

/// Notices that cannot be delivered are answers, reminders and risk alerts nobody gets.
namespace ledgerbot::bot::operations {

/// A delivery_failing event (one per outage, from the outbox dispatcher): one summary to
/// compliance and to each administrator, and an audit entry.
Decision alert_failing_delivery(const model::InboundEvent& event, const State& state,
                                const settings::EngineSettings& settings);

}  // namespace ledgerbot::bot::operations
