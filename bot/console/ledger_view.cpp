#include "bot/console/ledger_view.hpp"

#include <algorithm>
#include <set>

#include "bot/ledger/demand_fields.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::console {
namespace {

constexpr const char* kStatuses[] = {"collected", "planned", "contracted", "completed",
                                     "infeasible"};

bool name_matches(const model::Company& company, const std::string& wanted) {
    const std::string needle = model::normalize_name(wanted);
    if (model::normalize_name(company.full_name).find(needle) != std::string::npos) {
        return true;
    }
    return std::any_of(company.short_names.begin(), company.short_names.end(),
                       [&](const std::string& name) {
                           return model::normalize_name(name).find(needle) != std::string::npos;
                       });
}

bool is_overdue(const model::Demand& demand, std::int64_t now) {
    return demand.status == "collected" && demand.plan_deadline != 0 && demand.plan_deadline < now;
}

}  // namespace

std::vector<model::Demand> ledger_demands(const ConsoleViewer& viewer, const State& state,
                                          const LedgerFilter& filter, std::int64_t now) {
    std::vector<model::Demand> out;
    for (const model::Company& company : state.directory().companies()) {
        if (!viewer.scope.covers(company) ||
            (!filter.department.empty() && company.department != filter.department) ||
            (!filter.company.empty() && !name_matches(company, filter.company))) {
            continue;
        }
        for (model::Demand& demand : state.company_demands(company.id)) {
            if (demand.status == "withdrawn" || (filter.status == "open" && !demand.open()) ||
                (!filter.status.empty() && filter.status != "open" &&
                 demand.status != filter.status) ||
                (filter.overdue && !is_overdue(demand, now))) {
                continue;
            }
            out.push_back(std::move(demand));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const model::Demand& a, const model::Demand& b) { return a.number > b.number; });
    return out;
}

nlohmann::json ledger_view(const ConsoleViewer& viewer, const State& state,
                           const LedgerFilter& filter, std::int64_t now, LedgerPage page) {
    const std::vector<model::Demand> demands = ledger_demands(viewer, state, filter, now);
    // A year of a centre's demands is thousands of rows, each with its history: a page is read
    // and rendered, not the lot.
    const std::size_t size = std::max<std::size_t>(page.size, 1);
    const std::size_t pages = std::max<std::size_t>((demands.size() + size - 1) / size, 1);
    const std::size_t number = std::clamp<std::size_t>(page.number, 1, pages);
    const std::size_t begin = (number - 1) * size;
    const std::size_t end = std::min(begin + size, demands.size());
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = begin; i < end; ++i) {
        const model::Demand& demand = demands[i];
        nlohmann::json row = ledger::demand_fields(demand);
        const model::Company* company = state.directory().find_company_by_id(demand.company_id);
        row["department"] = company != nullptr ? company->department : std::string{};
        row["visit_id"] =
            demand.visit_number != 0 ? model::visit_code(demand.visit_number) : std::string{};
        row["collected_at"] = time::format_local_minutes(demand.collected_at);
        row["overdue"] = is_overdue(demand, now);
        nlohmann::json history = nlohmann::json::array();
        for (const model::DemandHistoryEntry& entry : state.demand_history(demand.number)) {
            const model::StaffMember* actor = state.directory().find_person(entry.actor);
            history.push_back({{"at", time::format_local_minutes(entry.at)},
                               {"actor", actor != nullptr ? actor->name : entry.actor},
                               {"text", entry.text}});
        }
        row["has_history"] = !history.empty();
        row["history"] = std::move(history);
        rows.push_back(std::move(row));
    }
    std::set<std::string> departments;
    for (const model::Company& company : state.directory().companies()) {
        if (viewer.scope.covers(company) && !company.department.empty()) {
            departments.insert(company.department);
        }
    }
    nlohmann::json department_options = nlohmann::json::array();
    for (const std::string& department : departments) {
        department_options.push_back(
            {{"name", department}, {"selected", department == filter.department}});
    }
    nlohmann::json status_options = nlohmann::json::array();
    status_options.push_back(
        {{"open", true}, {"code", "open"}, {"selected", filter.status == "open"}});
    for (const char* status : kStatuses) {
        status_options.push_back(
            {{status, true}, {"code", status}, {"selected", filter.status == status}});
    }
    return {{"rows", rows},
            {"count", demands.size()},
            {"has_rows", !rows.empty()},
            {"page", number},
            {"pages", pages},
            {"has_pages", pages > 1},
            {"first", rows.empty() ? 0 : begin + 1},
            {"last", end},
            {"has_prev", number > 1},
            {"prev_page", number - 1},
            {"has_next", number < pages},
            {"next_page", number + 1},
            {"departments", department_options},
            {"statuses", status_options},
            {"company_filter", filter.company},
            {"overdue_filter", filter.overdue}};
}

}  // namespace ledgerbot::bot::console
