#include "bot/staff_scope.hpp"

#include <algorithm>

#include "bot/staff_roles.hpp"

namespace ledgerbot::bot {

bool StaffScope::covers(const model::Company& company) const {
    switch (kind) {
        case Kind::everything:
            return true;
        case Kind::line:
        case Kind::department:
            return departments.count(company.department) != 0 ||
                   own_companies.count(company.id) != 0;
        case Kind::own_projects:
            return own_companies.count(company.id) != 0;
    }
    return false;
}

bool StaffScope::covers(const std::optional<std::int64_t>& company_id,
                        const model::Directory& directory) const {
    if (kind == Kind::everything) {
        return true;
    }
    const model::Company* company = directory.find_company_by_id(company_id);
    return company != nullptr && covers(*company);
}

std::optional<StaffScope> staff_scope(const std::string& person, const State& state,
                                      const settings::EngineSettings& settings) {
    const model::Directory& directory = state.directory();
    const model::StaffMember* staff = directory.find_staff(person);
    if (staff == nullptr) {
        return std::nullopt;
    }
    StaffScope scope;
    scope.person = staff->id;
    if (is_compliance_staff(*staff, settings.conventions)) {
        scope.kind = StaffScope::Kind::everything;
        return scope;
    }
    for (const settings::ScoreLineSettings& line : settings.scores.lines) {
        if (line.director_id == staff->id) {
            scope.kind = StaffScope::Kind::line;
            scope.departments.insert(line.departments.begin(), line.departments.end());
        }
    }
    // A reviewer title without a line of its own reviews any record (业务总监或上级领导).
    if (scope.kind != StaffScope::Kind::line &&
        has_any_title(*staff, settings.scores.reviewer_titles)) {
        scope.kind = StaffScope::Kind::everything;
        return scope;
    }
    if (scope.kind != StaffScope::Kind::line && is_department_head(*staff, settings.conventions) &&
        !staff->department.empty()) {
        scope.kind = StaffScope::Kind::department;
        scope.departments.insert(staff->department);
    }
    for (const model::Company& company : directory.companies()) {
        if (company.account_manager == staff->id) {
            scope.own_companies.insert(company.id);
        }
    }
    for (const model::GroupView& view : state.enforced_groups()) {
        if (view.group.owner_id == staff->id && view.group.company_id) {
            scope.own_companies.insert(*view.group.company_id);
        }
    }
    return scope;
}

}  // namespace ledgerbot::bot
