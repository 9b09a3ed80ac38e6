#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/model/group_member.hpp"
#include "bot/settings/convention_settings.hpp"

namespace ledgerbot::bot::conventions {

/// The three roles 第九条（二） says the lead must invite first.
enum class RequiredRole {
    executor,         ///< 承做人员
    department_head,  ///< 部门负责人
    compliance,       ///< 合规负责人 (合规质效督办, 第九条（四）)
};

inline constexpr RequiredRole kRequiredRoles[] = {
    RequiredRole::executor, RequiredRole::department_head, RequiredRole::compliance};

/// Stable code, e.g. "department_head".
std::string_view to_code(RequiredRole role);

/// A staff member who would fill a role if invited.
struct RoleCandidate {
    std::string id;
    std::string name;
    std::string department;

    bool operator==(const RoleCandidate&) const = default;
};

struct RoleCheck {
    RequiredRole role = RequiredRole::executor;
    bool present = false;
    std::vector<std::string> member_ids;  ///< the group members who fill it
    /// Staff of the directory who would fill it (the company's department first), so a reminder
    /// can say whom to invite. Filled whether or not the role is present.
    std::vector<RoleCandidate> candidates;
};

struct FirstMembersVerdict {
    std::vector<RoleCheck> roles;  ///< one per RequiredRole, in kRequiredRoles order

    bool complete() const;
    std::vector<RequiredRole> missing() const;
    const RoleCheck& check(RequiredRole role) const;
};

/// Which of the first members are in the group. `company` is the group's company (its
/// department and account manager decide the department head and an executor); `owner_id` is the
/// group owner (the lead, 承揽人员), who fills the executor role only when
/// `owner_counts_as_executor` is set.
///
/// Who fills a role:
///  - executor: a member other than the owner who is the company's account manager (when
///    `account_manager_is_executor`), has an executor title in the directory, or is internal and
///    carries an executor role word in their nickname (张三-项目负责人);
///  - department head: staff with a department-head title of the company's department; any
///    department head when the company has no department or the directory lists no head for it;
///  - compliance: see is_compliance_member (staff_roles.hpp).
/// Nickname roles count only for internal members: anyone can type 合规质效督办 into a nickname.
FirstMembersVerdict check_first_members(const std::vector<model::GroupMember>& members,
                                        const model::Company& company, std::string_view owner_id,
                                        const model::Directory& directory,
                                        const settings::ConventionSettings& settings);

}  // namespace ledgerbot::bot::conventions
