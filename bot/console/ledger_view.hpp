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

/// Which rows of the ledger a page shows: the `number`th `size` (1-based; a number past the
/// last page shows the last).
struct LedgerPage {
    std::size_t number = 1;
    std::size_t size = 100;
};

/// 台账: one page of those demands with their follow-up history, and the filter's choices (the
/// viewer's departments, the statuses). Each row has demand_fields plus visit_id, department,
/// collected_at, overdue and history [{at, actor, text}]. count is all the demands that pass;
/// page, pages, first and last (1-based row numbers), has_prev and has_next say where the page
/// is.
nlohmann::json ledger_view(const ConsoleViewer& viewer, const State& state,
                           const LedgerFilter& filter, std::int64_t now, LedgerPage page = {});

}  // namespace ledgerbot::bot::console
