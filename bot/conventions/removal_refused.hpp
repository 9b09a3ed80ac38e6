#pragma once

#include "bot/decision.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::conventions {

/// A `/移出` the bridge refused for good (a notice_refused event for a member_removal notice):
/// the member is still in the group and nobody was told. The group is marked as one the bot may
/// not remove from (the bridge says so again on its next event if that changes), the pending
/// request is forgotten so that it may be asked again, and whoever asked is told to remove the
/// member by hand. Other refused notices decide nothing here.
Decision on_notice_refused(const model::InboundEvent& event, const State& state,
                           const settings::EngineSettings& settings);

}  // namespace ledgerbot::bot::conventions
