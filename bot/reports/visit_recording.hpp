#pragma once

#include <optional>
#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

#include "bot/model/inbound_event.hpp"
#include "bot/reports/visit_report_parser.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

/// A visit report (走访记录) becomes a record V-n: parsed, stored, its stated demands numbered,
/// and answered with what was understood and what is missing.
namespace ledgerbot::bot::reports {

/// A message with a report header, or free text that reads like a report.
bool is_visit_report(const model::InboundEvent& message, const State& state,
                     const settings::EngineSettings& settings);

/// is_visit_report, with the parse the judgement made on the way (with the sender's name, as
/// record_visit makes it), when it made one: a labelled report is then parsed once, not twice.
struct ReportCheck {
    bool is_report = false;
    std::optional<ParsedReport> parsed;
};
ReportCheck check_visit_report(const model::InboundEvent& message, const State& state,
                               const settings::EngineSettings& settings);
/// The same with only the directory, all the judgement reads: so it can be made ahead of
/// handling, away from the state (Engine::read_ahead).
ReportCheck check_visit_report(const model::InboundEvent& message,
                               const model::Directory& directory,
                               const settings::EngineSettings& settings);

/// The message parsed as `sender`'s report, as record_visit parses it (我 is the sender).
ParsedReport parse_report_of(const model::InboundEvent& message, const model::StaffMember& sender,
                             const model::Directory& directory,
                             const settings::EngineSettings& settings);

/// Free text that reads as a visit that happened but names no listed company.
bool is_unlisted_visit(const model::InboundEvent& message, const State& state,
                       const settings::EngineSettings& settings);
/// Tells the author the message was not recorded and how to name the company (nothing is
/// recorded; a direct chat only: in a group it may be talk among colleagues).
Decision answer_unlisted_visit(const model::InboundEvent& event,
                               const settings::EngineSettings& settings);

/// Records the report; `already_parsed` is check_visit_report's parse of this message, if any.
Decision record_visit(const model::InboundEvent& message, const State& state,
                      const settings::EngineSettings& settings,
                      std::optional<ParsedReport> already_parsed = std::nullopt);

/// The 【走访记录】 header's handler: the whole message is the report (parsed already when
/// `call.report_read` is given).
Decision record_visit_report(const HeaderCall& call);

}  // namespace ledgerbot::bot::reports
