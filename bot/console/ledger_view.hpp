#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/console/console_views.hpp"
#include "bot/model/ledger_types.hpp"

namespace ledgerbot::bot::console {

/// The 台账 page's filters; empty fields do not filter.
struct LedgerFilter {
    std::string company;     ///< part of a full or short name
    std::string department;  ///< the company's responsible department, exactly
    std::string status;      ///< a status code, or "open" for every unfinished one
    bool overdue = false;    ///< only demands past their 第八条 plan deadline without a plan
};

/// The demands of the companies the viewer covers that pass `filter` (withdrawn ones are
/// listed nowhere), newest first.
std::vector<model::Demand> ledger_demands(const ConsoleViewer& viewer, const State& state,
                                          const LedgerFilter& filter, std::int64_t now);

/// 台账: those demands with their follow-up history, and the filter's choices (the viewer's
/// departments, the statuses). Each row has demand_fields plus visit_id, department,
/// collected_at, overdue and history [{at, actor, text}].
nlohmann::json ledger_view(const ConsoleViewer& viewer, const State& state,
                           const LedgerFilter& filter, std::int64_t now);

}  // namespace ledgerbot::bot::console
