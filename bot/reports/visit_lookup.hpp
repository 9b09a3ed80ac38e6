#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

namespace ledgerbot::bot::reports {

/// `/走访 V12`: one record in full — company, time, mode, people, every field, what is still
/// missing, evidence, supplements, findings, a void and its demands. For its reporter and
/// visitors, the company's account manager, department heads, supervisors, line directors,
/// reviewers and compliance; answered in the company's own project group or to the asker
/// directly (第十一条).
Decision show_visit(const CommandCall& call);

}  // namespace ledgerbot::bot::reports
