#pragma once

#include <cstdint>
#include <string>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

namespace ledgerbot::bot::ledger {

/// `/需求 D3 删除 [原因]`: the author of the report a demand came from takes it back — one the
/// bot read wrongly from free text, or typed by mistake — within [report] withdraw_window_hours
/// of reporting and while it has no plan. The demand is kept with status withdrawn and a history
/// line, listed in no ledger, and audited; `/需求 D3` still shows it.
Decision withdraw_demand(const CommandCall& call, std::int64_t number, const std::string& reason);

}  // namespace ledgerbot::bot::ledger
