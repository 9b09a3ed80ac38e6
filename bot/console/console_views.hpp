#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/model/group_registry.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/staff_scope.hpp"
#include "bot/state.hpp"
#include "bot/time/score_period.hpp"

/// What the web console's pages show, as template fields, decided here so that the console
/// scopes data by the same roles as the chat answers: compliance sees everything, a line
/// director the line, a department head the department, everyone else their own projects.
namespace ledgerbot::bot::console {

/// A signed-in staff member and what they answer for.
struct ConsoleViewer {
    std::string id;
    std::string name;
    std::string department;
    StaffScope scope;
    bool compliance = false;
    bool admin = false;                       ///< the service's administrators (routing.admin_ids)
    std::vector<std::string> director_lines;  ///< lines whose weekly table they approve
    bool reviewer = false;                    ///< a reviewer title: sees every line's table
};

/// nullopt for someone outside the staff directory (or deactivated): they may not sign in.
std::optional<ConsoleViewer> console_viewer(const std::string& user_id, const State& state,
                                            const settings::EngineSettings& settings);

/// The viewer's header fields: name, department, one flag role_<compliance | reviewer | director |
/// head | lead>, admin.
nlohmann::json viewer_fields(const ConsoleViewer& viewer);

/// 风险: the open risks the viewer's roles cover (oldest first), then those closed since
/// `closed_since` (newest first), each with may_acknowledge / may_close for the viewer.
/// `risks` is the whole register.
nlohmann::json risks_view(const std::vector<model::Risk>& risks, const ConsoleViewer& viewer,
                          const State& state, const settings::EngineSettings& settings,
                          std::int64_t now, std::int64_t closed_since);

/// 积分: every line's table of `week` the viewer may see (their lines; every line for
/// reviewers and compliance): the published table exactly as published, else the draft from
/// the journal with its version and whether the viewer approves it. `bars` draws the week's
/// totals per account manager (an SVG bar chart from the same rows). `ranking`: the year's
/// ranking of departments and lines so far (ranking_fields, plus year).
nlohmann::json scores_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings, const time::ScorePeriod& week);

}  // namespace ledgerbot::bot::console
