#include "bot/conventions/first_members_rule.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "bot/staff_roles.hpp"

namespace ledgerbot::bot::conventions {
namespace {

// Department heads of the company's department; all department heads when there are none, so a
// company filed under a department without a listed head still gets a useful answer.
std::vector<const model::StaffMember*> department_heads_for(
    const model::Company& company, const model::Directory& directory,
    const settings::ConventionSettings& settings) {
    std::vector<const model::StaffMember*> own;
    std::vector<const model::StaffMember*> all;
    for (const auto& staff : directory.staff()) {
        if (is_department_head(staff, settings)) {
            all.push_back(&staff);
            if (!company.department.empty() && staff.department == company.department) {
                own.push_back(&staff);
            }
        }
    }
    return own.empty() ? all : own;
}

RoleCandidate candidate(const model::StaffMember& staff) {
    return RoleCandidate{staff.id, staff.name, staff.department};
}

bool is_executor_staff(const model::StaffMember& staff, const model::Company& company,
                       const settings::ConventionSettings& settings) {
    return (settings.account_manager_is_executor && !company.account_manager.empty() &&
            staff.id == company.account_manager) ||
           has_any_title(staff, settings.executor_titles);
}

}  // namespace

std::string_view to_code(RequiredRole role) {
    switch (role) {
        case RequiredRole::executor:
            return "executor";
        case RequiredRole::department_head:
            return "department_head";
        case RequiredRole::compliance:
            return "compliance";
    }
    return "unknown";
}

bool FirstMembersVerdict::complete() const {
    return std::all_of(roles.begin(), roles.end(), [](const RoleCheck& r) { return r.present; });
}

std::vector<RequiredRole> FirstMembersVerdict::missing() const {
    std::vector<RequiredRole> out;
    for (const auto& check : roles) {
        if (!check.present) {
            out.push_back(check.role);
        }
    }
    return out;
}

const RoleCheck& FirstMembersVerdict::check(RequiredRole role) const {
    for (const auto& check : roles) {
        if (check.role == role) {
            return check;
        }
    }
    throw std::out_of_range("FirstMembersVerdict has no check for " + std::string(to_code(role)));
}

FirstMembersVerdict check_first_members(const std::vector<model::GroupMember>& members,
                                        const model::Company& company, std::string_view owner_id,
                                        const model::Directory& directory,
                                        const settings::ConventionSettings& settings) {
    FirstMembersVerdict verdict;
    RoleCheck executor{RequiredRole::executor, false, {}, {}};
    RoleCheck department_head{RequiredRole::department_head, false, {}, {}};
    RoleCheck compliance{RequiredRole::compliance, false, {}, {}};

    const std::vector<const model::StaffMember*> heads =
        department_heads_for(company, directory, settings);

    for (const auto& member : members) {
        const model::StaffMember* staff = model::find_member_staff(member, directory);
        const bool is_owner = !owner_id.empty() && member.id == owner_id;
        if ((!is_owner || settings.owner_counts_as_executor) &&
            ((staff && is_executor_staff(*staff, company, settings)) ||
             nickname_role_in(member, settings.executor_roles, settings))) {
            executor.member_ids.push_back(member.id);
        }
        if (staff && std::find(heads.begin(), heads.end(), staff) != heads.end()) {
            department_head.member_ids.push_back(member.id);
        }
        if (is_compliance_member(member, directory, settings)) {
            compliance.member_ids.push_back(member.id);
        }
    }

    // Candidates: the account manager first, then executor-titled staff of the company's
    // department, then those of other departments.
    std::vector<const model::StaffMember*> executors;
    if (settings.account_manager_is_executor) {
        if (const model::StaffMember* manager = directory.find_staff(company.account_manager)) {
            executors.push_back(manager);
        }
    }
    for (bool own_department : {true, false}) {
        for (const auto& staff : directory.staff()) {
            if (has_any_title(staff, settings.executor_titles) &&
                (staff.department == company.department) == own_department &&
                std::find(executors.begin(), executors.end(), &staff) == executors.end()) {
                executors.push_back(&staff);
            }
        }
    }
    for (const model::StaffMember* staff : executors) {
        if (settings.owner_counts_as_executor || staff->id != owner_id) {
            executor.candidates.push_back(candidate(*staff));
        }
    }
    for (const model::StaffMember* staff : heads) {
        department_head.candidates.push_back(candidate(*staff));
    }
    for (const auto& staff : directory.staff()) {
        if (is_compliance_staff(staff, settings)) {
            compliance.candidates.push_back(candidate(staff));
        }
    }

    for (RoleCheck* check : {&executor, &department_head, &compliance}) {
        check->present = !check->member_ids.empty();
        verdict.roles.push_back(std::move(*check));
    }
    return verdict;
}

}  // namespace ledgerbot::bot::conventions
