#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/model/group_member.hpp"
#include "bot/settings/convention_settings.hpp"

/// Who someone is in the centre's organisation: compliance, department heads, supervisors, and
/// the role words of in-group nicknames. Every feature asks these questions (who may confirm a
/// risk, who gets an escalation, who is a first member), so they sit below the features.
namespace ledgerbot::bot {

/// A vocabulary role word found at one end of a compacted nickname (see text::compact).
struct RoleWordMatch {
    std::string word;        ///< as configured
    std::size_t length = 0;  ///< code points it takes in the compacted nickname
};

/// The longest vocabulary word `compacted` ends (starts) with.
std::optional<RoleWordMatch> role_word_at_end(std::u32string_view compacted,
                                              const settings::ConventionSettings& settings);
std::optional<RoleWordMatch> role_word_at_start(std::u32string_view compacted,
                                                const settings::ConventionSettings& settings);

/// The vocabulary role word `nickname` ends with (longest match, width and spaces ignored), as
/// configured; nullopt when it ends with none.
std::optional<std::string> find_role_word(std::string_view nickname,
                                          const settings::ConventionSettings& settings);

bool has_any_title(const model::StaffMember& staff, const std::vector<std::string>& titles);

/// Staff with a compliance title or in a compliance department.
bool is_compliance_staff(const model::StaffMember& staff,
                         const settings::ConventionSettings& settings);

/// An internal member whose nickname's role word is one of `roles`. Nickname roles count only
/// for internal members: anyone can type 合规质效督办 into a nickname.
bool nickname_role_in(const model::GroupMember& member, const std::vector<std::string>& roles,
                      const settings::ConventionSettings& settings);

/// Staff with a compliance title or in a compliance department, or an internal member whose
/// nickname role is a compliance role.
bool is_compliance_member(const model::GroupMember& member, const model::Directory& directory,
                          const settings::ConventionSettings& settings);

/// 第九条（四）: a project group without anyone in the compliance role is an open risk.
bool has_compliance_member(const std::vector<model::GroupMember>& members,
                           const model::Directory& directory,
                           const settings::ConventionSettings& settings);

bool is_department_head(const model::StaffMember& staff,
                        const settings::ConventionSettings& settings);

/// Heads of the department (a department-head title and that department); none for "".
std::vector<const model::StaffMember*> department_heads(
    const model::Directory& directory, const settings::ConventionSettings& settings,
    const std::string& department);

/// Whether `person` heads the company's department.
bool is_department_head_of(const std::string& person, const model::Company* company,
                           const model::Directory& directory,
                           const settings::ConventionSettings& settings);

/// Staff whose supervision is their job (compliance, line directors): never punished for it.
bool is_supervisor(const model::GroupMember& member, const model::Directory& directory,
                   const settings::ConventionSettings& settings);

/// The role vocabulary joined with 、, as the texts list it.
std::string roles_text(const settings::ConventionSettings& settings);

}  // namespace ledgerbot::bot
