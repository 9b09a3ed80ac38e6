#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

/// A visit report (走访记录) becomes a record V-n: parsed, stored, its stated demands numbered,
/// and answered with what was understood and what is missing.
namespace ledgerbot::bot::reports {

/// A message with a report header, or free text that reads like a report.
bool is_visit_report(const model::InboundEvent& message, const State& state,
                     const settings::EngineSettings& settings);

/// Free text that reads as a visit that happened but names no listed company.
bool is_unlisted_visit(const model::InboundEvent& message, const State& state,
                       const settings::EngineSettings& settings);
/// Tells the author the message was not recorded and how to name the company (nothing is
/// recorded; a direct chat only: in a group it may be talk among colleagues).
Decision answer_unlisted_visit(const model::InboundEvent& event,
                               const settings::EngineSettings& settings);

Decision record_visit(const model::InboundEvent& message, const State& state,
                      const settings::EngineSettings& settings);

/// The 【走访记录】 header's handler: the whole message is the report.
Decision record_visit_report(const HeaderCall& call);

}  // namespace ledgerbot::bot::reports
