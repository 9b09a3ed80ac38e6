#include "bot/console/visits_view.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bot/decision_context.hpp"
#include "bot/reports/visit_answer.hpp"
#include "bot/reports/visit_lookup.hpp"
#include "bot/scoring/score_commands.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::console {
namespace {

bool name_contains(const model::VisitRecord& visit, const model::Directory& directory,
                   const std::string& wanted) {
    if (wanted.empty()) {
        return true;
    }
    const std::string needle = model::normalize_name(wanted);
    if (model::normalize_name(visit.company_name).find(needle) != std::string::npos) {
        return true;
    }
    const model::Company* company = directory.find_company_by_id(visit.company_id);
    return company != nullptr &&
           std::any_of(company->short_names.begin(), company->short_names.end(),
                       [&](const std::string& name) {
                           return model::normalize_name(name).find(needle) != std::string::npos;
                       });
}

std::int64_t visited_at(const model::VisitRecord& visit) {
    return visit.visit_time.value_or(visit.reported_at);
}

}  // namespace

nlohmann::json visits_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings, const time::Quarter& quarter,
                           const std::string& company) {
    Decision unused;
    const DecisionContext ctx(settings, state, unused);
    const model::StaffMember* staff = state.directory().find_staff(viewer.id);
    const auto details = state.scoring_details(quarter.from, quarter.to);
    const model::VisitScoringDetails none;
    nlohmann::json rows = nlohmann::json::array();
    std::vector<model::VisitRecord> visits = state.visits_between(quarter.from, quarter.to);
    std::reverse(visits.begin(), visits.end());
    for (const model::VisitRecord& visit : visits) {
        if (staff == nullptr || !reports::may_read_visit(*staff, visit, ctx, settings) ||
            !name_contains(visit, state.directory(), company)) {
            continue;
        }
        const auto found = details.find(visit.number);
        const model::VisitScoringDetails& d = found == details.end() ? none : found->second;
        rows.push_back(
            {{"number", visit.number},
             {"visit_id", model::visit_code(visit.number)},
             {"company", visit.company_name},
             {"reporter", ctx.person_name(visit.reporter_id)},
             {"visited_at", time::format_local_minutes(visited_at(visit))},
             {"mode", visit.mode},
             {"complete", visit.complete()},
             {"missing_text", reports::visit_answer::labels_text(visit.missing, settings.report)},
             {"evidence", d.evidence},
             {"findings", static_cast<std::int64_t>(d.findings.size())},
             {"voided", d.voided.has_value() && !d.voided->withdrawn},
             {"withdrawn", d.voided.has_value() && d.voided->withdrawn}});
    }
    return {{"rows", rows},
            {"count", rows.size()},
            {"has_rows", !rows.empty()},
            {"quarter", quarter.label},
            {"company_filter", company}};
}

nlohmann::json visit_view(const ConsoleViewer& viewer, std::int64_t number, const State& state,
                          const settings::EngineSettings& settings) {
    Decision unused;
    const DecisionContext ctx(settings, state, unused);
    const auto visit = state.visit(number);
    if (!visit) {
        return {{"not_found", true}, {"visit_id", model::visit_code(number)}};
    }
    const model::StaffMember* staff = state.directory().find_staff(viewer.id);
    if (staff == nullptr || !reports::may_read_visit(*staff, *visit, ctx, settings)) {
        return {{"not_allowed", true},
                {"visit_id", model::visit_code(number)},
                {"company", visit->company_name}};
    }
    nlohmann::json fields = reports::visit_detail_fields(*visit, state, settings, false);
    fields["number"] = number;
    fields["visited_at"] = time::format_local_minutes(visited_at(*visit));
    fields["may_review"] =
        !fields.value("voided", false) && !fields.value("withdrawn", false) &&
        scoring::may_review_record(staff, *visit, settings.scores, state.directory());
    return fields;
}

nlohmann::json coverage_view(const ConsoleViewer& viewer, const State& state,
                             const settings::EngineSettings& settings,
                             const time::Quarter& quarter) {
    Decision unused;
    const DecisionContext ctx(settings, state, unused);
    const std::vector<std::int64_t> visited = state.companies_visited(quarter.from, quarter.to);
    const std::set<std::int64_t> covered(visited.begin(), visited.end());
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> visits;  // count, last
    for (const model::VisitRecord& visit : state.visits_between(quarter.from, quarter.to)) {
        if (visit.company_id) {
            auto& [count, last] = visits[*visit.company_id];
            ++count;
            last = std::max(last, visited_at(visit));
        }
    }
    struct Manager {
        std::int64_t companies = 0;
        std::int64_t covered = 0;
    };
    std::map<std::string, Manager> managers;
    nlohmann::json rows = nlohmann::json::array();
    for (const model::Company& company : state.directory().companies()) {
        if (!viewer.scope.covers(company) || !settings::must_be_covered(company, settings.ledger)) {
            continue;
        }
        const bool is_covered = covered.count(company.id) > 0;
        const auto found = visits.find(company.id);
        const std::string manager = company.account_manager.empty()
                                        ? std::string{}
                                        : ctx.person_name(company.account_manager);
        Manager& counts = managers[manager];
        ++counts.companies;
        counts.covered += is_covered ? 1 : 0;
        rows.push_back({{"company", company.full_name},
                        {"department", company.department},
                        {"manager", manager},
                        {"covered", is_covered},
                        {"visits", found == visits.end() ? 0 : found->second.first},
                        {"last_visit", found == visits.end()
                                           ? std::string{}
                                           : time::format_local_minutes(found->second.second)}});
    }
    std::stable_sort(
        rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
            return !a["covered"].get<bool>() && b["covered"].get<bool>();  // gaps first
        });
    nlohmann::json by_manager = nlohmann::json::array();
    std::int64_t total = 0;
    std::int64_t total_covered = 0;
    for (const auto& [name, counts] : managers) {
        by_manager.push_back({{"manager", name},
                              {"companies", counts.companies},
                              {"covered", counts.covered},
                              {"gaps", counts.companies - counts.covered}});
        total += counts.companies;
        total_covered += counts.covered;
    }
    return {{"rows", rows},
            {"has_rows", !rows.empty()},
            {"managers", by_manager},
            {"quarter", quarter.label},
            {"total", total},
            {"total_covered", total_covered},
            {"total_gaps", total - total_covered}};
}

}  // namespace ledgerbot::bot::console
