#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

namespace ledgerbot::bot::reports {

/// `/撤回 V12 原因`: the reporter withdraws a record posted by mistake within the configured
/// window after reporting it. The record is kept and marked, earns nothing (the points journal
/// takes back what it gave) and no longer counts as a visit; audited. After the window, or for
/// anyone else, only a line director's void (/复核 作废 V12) remains.
Decision withdraw_visit(const CommandCall& call);

}  // namespace ledgerbot::bot::reports
