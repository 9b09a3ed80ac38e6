#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/console/console_views.hpp"
#include "bot/time/quarter.hpp"

namespace ledgerbot::bot::console {

/// 走访: the quarter's records the viewer may read (as `/走访 V12` decides), newest first,
/// optionally of companies whose name contains `company`. Each row: number, visit_id, company,
/// reporter, visited_at, mode, complete, missing_text, evidence, findings, voided, withdrawn.
nlohmann::json visits_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings, const time::Quarter& quarter,
                           const std::string& company);

/// One record for the viewer: visit_detail's fields plus number and may_review (a director's
/// 核查 and 作废); {"not_found": true} or {"not_allowed": true} otherwise.
nlohmann::json visit_view(const ConsoleViewer& viewer, std::int64_t number, const State& state,
                          const settings::EngineSettings& settings);

/// 覆盖 (第六条): each company the viewer covers that must be visited every quarter, with its
/// visits in `quarter` and its last visit, and per account manager how many are covered.
nlohmann::json coverage_view(const ConsoleViewer& viewer, const State& state,
                             const settings::EngineSettings& settings,
                             const time::Quarter& quarter);

}  // namespace ledgerbot::bot::console
