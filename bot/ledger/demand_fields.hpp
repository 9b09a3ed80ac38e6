#pragma once

#include <nlohmann/json.hpp>

#include "bot/model/ledger_types.hpp"

namespace ledgerbot::bot::ledger {

/// A demand as the ledger's texts show it: id, company, summary, plan, owner, progress, deadline,
/// and its status as status_<code> and as <code> (the demand_status partial's flags).
nlohmann::json demand_fields(const model::Demand& demand);

}  // namespace ledgerbot::bot::ledger
