#include "bot/console/console_views.hpp"

#include <algorithm>
#include <map>

#include "bot/conventions/risk_register.hpp"
#include "bot/decision_context.hpp"
#include "bot/scoring/score_fields.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/scoring/score_table.hpp"
#include "bot/staff_roles.hpp"

namespace ledgerbot::bot::console {
namespace {

// The chart's drawing area in SVG user units; bars scale to the largest total.
constexpr double kChartWidth = 640;
constexpr double kBarHeight = 22;
constexpr double kLabelWidth = 150;

bool sees_risk(const model::Risk& risk, const ConsoleViewer& viewer,
               const model::Directory& directory) {
    return viewer.scope.covers(risk.company_id, directory) || risk.lead_id == viewer.id;
}

/// Totals per account manager over a table's rows, largest first, as bars of an SVG chart.
nlohmann::json bars_of(const nlohmann::json& rows) {
    std::map<std::string, double> totals;
    for (const nlohmann::json& row : rows) {
        totals[row.value("manager", "")] += std::stod(row.value("total", "0"));
    }
    std::vector<std::pair<std::string, double>> sorted(totals.begin(), totals.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    double largest = 0;
    for (const auto& [name, total] : sorted) {
        largest = std::max(largest, total);
    }
    nlohmann::json bars = nlohmann::json::array();
    double y = 0;
    for (const auto& [name, total] : sorted) {
        const double width =
            largest > 0 ? std::max(0.0, total) / largest * (kChartWidth - kLabelWidth - 60) : 0;
        bars.push_back({{"name", name},
                        {"total", scoring::format_points(total)},
                        {"y", static_cast<int>(y)},
                        {"text_y", static_cast<int>(y + kBarHeight * 0.7)},
                        {"x", static_cast<int>(kLabelWidth)},
                        {"width", static_cast<int>(width)},
                        {"value_x", static_cast<int>(kLabelWidth + width + 6)},
                        {"height", static_cast<int>(kBarHeight - 4)}});
        y += kBarHeight;
    }
    return {{"bars", bars},
            {"has_bars", !bars.empty()},
            {"chart_width", static_cast<int>(kChartWidth)},
            {"chart_height", static_cast<int>(std::max(y, kBarHeight))}};
}

}  // namespace

std::optional<ConsoleViewer> console_viewer(const std::string& user_id, const State& state,
                                            const settings::EngineSettings& settings) {
    const model::StaffMember* staff = state.directory().find_staff(user_id);
    auto scope = staff_scope(user_id, state, settings);
    if (staff == nullptr || !scope) {
        return std::nullopt;
    }
    ConsoleViewer viewer;
    viewer.id = staff->id;
    viewer.name = staff->name;
    viewer.department = staff->department;
    viewer.scope = std::move(*scope);
    viewer.compliance = is_compliance_staff(*staff, settings.conventions);
    const auto& admins = settings.routing.admin_ids;
    viewer.admin = std::find(admins.begin(), admins.end(), staff->id) != admins.end();
    viewer.reviewer = has_any_title(*staff, settings.scores.reviewer_titles);
    for (const auto& line : settings.scores.lines) {
        if (!line.director_id.empty() && line.director_id == staff->id) {
            viewer.director_lines.push_back(line.name);
        }
    }
    return viewer;
}

nlohmann::json viewer_fields(const ConsoleViewer& viewer) {
    const char* role = viewer.compliance                                   ? "role_compliance"
                       : viewer.scope.kind == StaffScope::Kind::everything ? "role_reviewer"
                       : viewer.scope.kind == StaffScope::Kind::line       ? "role_director"
                       : viewer.scope.kind == StaffScope::Kind::department ? "role_head"
                                                                           : "role_lead";
    return {{"name", viewer.name},
            {"department", viewer.department},
            {role, true},
            {"admin", viewer.admin}};
}

nlohmann::json risks_view(const std::vector<model::Risk>& risks, const ConsoleViewer& viewer,
                          const State& state, const settings::EngineSettings& settings,
                          std::int64_t now, std::int64_t closed_since) {
    Decision unused;
    DecisionContext ctx(settings, state, unused);
    nlohmann::json open = nlohmann::json::array();
    nlohmann::json closed = nlohmann::json::array();
    for (const model::Risk& risk : risks) {
        if (!sees_risk(risk, viewer, state.directory())) {
            continue;
        }
        if (!risk.open && risk.closed_at < closed_since) {
            continue;
        }
        nlohmann::json fields = conventions::risk_fields(risk, now, false, ctx);
        fields["number"] = risk.number;
        fields["may_acknowledge"] = risk.open && risk.acknowledged_at == 0 &&
                                    conventions::may_acknowledge(viewer.id, risk, ctx);
        fields["may_close"] = risk.open && conventions::may_close(viewer.id, risk, ctx, settings);
        (risk.open ? open : closed).push_back(std::move(fields));
    }
    std::reverse(closed.begin(), closed.end());
    return {{"open", open},
            {"closed", closed},
            {"open_count", open.size()},
            {"closed_count", closed.size()},
            {"has_open", !open.empty()},
            {"has_closed", !closed.empty()}};
}

nlohmann::json scores_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings,
                           const time::ScorePeriod& week) {
    const bool everything = viewer.compliance || viewer.reviewer;
    nlohmann::json tables = nlohmann::json::array();
    for (const scoring::WeekTable& current : scoring::week_tables(state, settings.scores, week)) {
        const auto& line = current.line;
        const bool mine = std::find(viewer.director_lines.begin(), viewer.director_lines.end(),
                                    line.name) != viewer.director_lines.end();
        if (!mine && !everything) {
            continue;
        }
        nlohmann::json out{{"line", line.name},
                           {"director", line.director_id.empty() ? std::string{}
                                        : state.directory().find_person(line.director_id)
                                            ? state.directory().find_person(line.director_id)->name
                                            : line.director_id}};
        const auto stored = state.published_table(week.label, line.name);
        const auto review = state.score_review(week.label, line.name);
        nlohmann::json table;
        if (stored) {
            table = stored->table;
            out["published"] = true;
            out["approved_by"] =
                stored->approved_by.empty()
                    ? std::string{}
                    : (state.directory().find_person(stored->approved_by)
                           ? state.directory().find_person(stored->approved_by)->name
                           : stored->approved_by);
            out["unreviewed"] = stored->approved_by.empty();
        } else {
            table = scoring::week_table_fields(current.rows, current.adjustments, current.version);
            out["draft"] = true;
            const bool approved = review && review->version == current.version;
            out["approved"] = approved;
            out["may_approve"] = mine && !approved;
        }
        out["table"] = table;
        out["has_rows"] = table.contains("rows") && !table["rows"].empty();
        out["has_adjustments"] = table.contains("adjustments") && !table["adjustments"].empty();
        out["chart"] = bars_of(table.value("rows", nlohmann::json::array()));
        tables.push_back(std::move(out));
    }
    nlohmann::json view = scoring::score_period_fields(week);
    // The year's ranking (第十八条) as the staff group sees it posted, up to now.
    const time::ScorePeriod year = time::year_of(week.from);
    const scoring::Ranking ranking =
        scoring::rank(scoring::visit_rows(state.point_entries_between(year.from, year.to)),
                      settings.scores, state.directory());
    view["ranking"] = scoring::ranking_fields(ranking);
    view["ranking"]["year"] = year.label;
    view["tables"] = tables;
    view["has_tables"] = !tables.empty();
    return view;
}

}  // namespace ledgerbot::bot::console
