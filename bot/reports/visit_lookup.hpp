#pragma once

#include <nlohmann/json.hpp>

#include "bot/decision.hpp"
#include "bot/decision_context.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/directory.hpp"
#include "bot/model/ledger_types.hpp"

namespace ledgerbot::bot::reports {

/// `/走访 V12`: one record in full — company, time, mode, people, every field, what is still
/// missing, evidence, supplements, findings, a void and its demands. For its reporter and
/// visitors, the company's account manager, department heads, supervisors, line directors,
/// reviewers and compliance; answered in the company's own project group or to the asker
/// directly (第十一条).
Decision show_visit(const CommandCall& call);

/// Who may read a record: its reporter and visitors, the company's account manager, the heads
/// of the reporter's department, supervisors, line directors, reviewers and compliance.
bool may_read_visit(const model::StaffMember& staff, const model::VisitRecord& visit,
                    const DecisionContext& ctx, const settings::EngineSettings& settings);

/// One record as visit_detail shows it (`in_group` masks phone and ID numbers).
nlohmann::json visit_detail_fields(const model::VisitRecord& visit, const State& state,
                                   const settings::EngineSettings& settings, bool in_group);

}  // namespace ledgerbot::bot::reports
