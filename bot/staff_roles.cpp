#include "bot/staff_roles.hpp"

#include <algorithm>

#include "bot/text/compact.hpp"

namespace ledgerbot::bot {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

template <typename Matches>
std::optional<RoleWordMatch> longest_role_word(const settings::ConventionSettings& settings,
                                               Matches matches) {
    std::optional<RoleWordMatch> best;
    for (const auto& word : settings.role_words) {
        const std::u32string folded = text::compact(word);
        if (!folded.empty() && matches(folded) && (!best || folded.size() > best->length)) {
            best = RoleWordMatch{word, folded.size()};
        }
    }
    return best;
}

}  // namespace

std::optional<RoleWordMatch> role_word_at_end(std::u32string_view compacted,
                                              const settings::ConventionSettings& settings) {
    return longest_role_word(
        settings, [&](std::u32string_view word) { return text::ends_with(compacted, word); });
}

std::optional<RoleWordMatch> role_word_at_start(std::u32string_view compacted,
                                                const settings::ConventionSettings& settings) {
    return longest_role_word(
        settings, [&](std::u32string_view word) { return text::starts_with(compacted, word); });
}

std::optional<std::string> find_role_word(std::string_view nickname,
                                          const settings::ConventionSettings& settings) {
    const std::u32string separators = text::first_code_points(settings.nickname_separators);
    const std::u32string folded = text::compact(nickname);
    if (auto role = role_word_at_end(text::trim_any(folded, separators), settings)) {
        return role->word;
    }
    return std::nullopt;
}

bool has_any_title(const model::StaffMember& staff, const std::vector<std::string>& titles) {
    return std::any_of(titles.begin(), titles.end(),
                       [&](const std::string& title) { return staff.has_title(title); });
}

bool is_compliance_staff(const model::StaffMember& staff,
                         const settings::ConventionSettings& settings) {
    return has_any_title(staff, settings.compliance_titles) ||
           contains(settings.compliance_departments, staff.department);
}

bool nickname_role_in(const model::GroupMember& member, const std::vector<std::string>& roles,
                      const settings::ConventionSettings& settings) {
    if (member.external) {
        return false;
    }
    const std::optional<std::string> role = find_role_word(member.nickname, settings);
    return role && contains(roles, *role);
}

bool is_compliance_member(const model::GroupMember& member, const model::Directory& directory,
                          const settings::ConventionSettings& settings) {
    if (const model::StaffMember* staff = model::find_member_staff(member, directory);
        staff && is_compliance_staff(*staff, settings)) {
        return true;
    }
    return nickname_role_in(member, settings.compliance_roles, settings);
}

bool has_compliance_member(const std::vector<model::GroupMember>& members,
                           const model::Directory& directory,
                           const settings::ConventionSettings& settings) {
    return std::any_of(members.begin(), members.end(), [&](const model::GroupMember& member) {
        return is_compliance_member(member, directory, settings);
    });
}

bool is_department_head(const model::StaffMember& staff,
                        const settings::ConventionSettings& settings) {
    return has_any_title(staff, settings.department_head_titles);
}

std::vector<const model::StaffMember*> department_heads(
    const model::Directory& directory, const settings::ConventionSettings& settings,
    const std::string& department) {
    std::vector<const model::StaffMember*> out;
    if (department.empty()) {
        return out;
    }
    for (const auto& staff : directory.staff()) {
        if (staff.department == department && is_department_head(staff, settings)) {
            out.push_back(&staff);
        }
    }
    return out;
}

bool is_department_head_of(const std::string& person, const model::Company* company,
                           const model::Directory& directory,
                           const settings::ConventionSettings& settings) {
    if (company == nullptr) {
        return false;
    }
    const auto heads = department_heads(directory, settings, company->department);
    return std::any_of(heads.begin(), heads.end(),
                       [&](const model::StaffMember* head) { return head->id == person; });
}

bool is_supervisor(const model::GroupMember& member, const model::Directory& directory,
                   const settings::ConventionSettings& settings) {
    if (member.external) {
        return false;
    }
    if (is_compliance_member(member, directory, settings)) {
        return true;
    }
    const model::StaffMember* staff = model::find_member_staff(member, directory);
    return staff != nullptr && has_any_title(*staff, settings.supervisor_titles);
}

std::string roles_text(const settings::ConventionSettings& settings) {
    std::string out;
    for (const auto& role : settings.role_words) {
        out += (out.empty() ? "" : "、") + role;
    }
    return out;
}

}  // namespace ledgerbot::bot
