#include "bot/conventions/nickname_rule.hpp"

#include <algorithm>

#include "bot/staff_roles.hpp"
#include "bot/text/compact.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::conventions {
namespace {

using text::compact;

// The role to put in an example when the nickname shows none: a vocabulary word among the
// member's directory titles (王五 is 项目负责人), the compliance role for compliance staff, and
// otherwise the vocabulary's first word.
std::string suggested_role(const model::StaffMember* staff,
                           const settings::ConventionSettings& settings) {
    if (staff) {
        for (const auto& word : settings.role_words) {
            if (staff->has_title(word)) {
                return word;
            }
        }
        if (is_compliance_staff(*staff, settings) && !settings.compliance_roles.empty()) {
            return settings.compliance_roles.front();
        }
    }
    return settings.role_words.empty() ? std::string() : settings.role_words.front();
}

}  // namespace

std::string_view to_code(NicknameProblem problem) {
    switch (problem) {
        case NicknameProblem::none:
            return "none";
        case NicknameProblem::not_checked:
            return "not_checked";
        case NicknameProblem::empty:
            return "empty";
        case NicknameProblem::missing_role:
            return "missing_role";
        case NicknameProblem::missing_name:
            return "missing_name";
        case NicknameProblem::name_mismatch:
            return "name_mismatch";
        case NicknameProblem::unknown_role:
            return "unknown_role";
        case NicknameProblem::role_before_name:
            return "role_before_name";
    }
    return "unknown";
}

NicknameVerdict check_nickname(std::string_view nickname, const model::GroupMember& member,
                               const model::Directory& directory,
                               const settings::ConventionSettings& settings) {
    NicknameVerdict verdict;
    const model::StaffMember* staff = model::find_member_staff(member, directory);
    if (staff) {
        verdict.expected_name = staff->name;
    } else if (!member.external) {
        verdict.expected_name = member.name;
    }

    const std::u32string separators = text::first_code_points(settings.nickname_separators);
    const std::u32string folded = text::compact(nickname);
    const std::u32string_view core = text::trim_any(folded, separators);
    const auto set = [&](NicknameProblem problem, std::u32string_view name, std::string role) {
        verdict.problem = problem;
        verdict.name_part = text::encode_utf8(text::trim_any(name, separators));
        verdict.role = std::move(role);
    };

    if (member.external && !settings.check_external_nicknames) {
        set(NicknameProblem::not_checked, core, {});
    } else if (core.empty()) {
        set(NicknameProblem::empty, {}, {});
    } else if (auto role = role_word_at_end(core, settings)) {
        const std::u32string_view name =
            text::trim_any(core.substr(0, core.size() - role->length), separators);
        if (name.empty()) {
            set(NicknameProblem::missing_name, {}, role->word);
        } else if (!verdict.expected_name.empty() &&
                   model::normalize_name(text::encode_utf8(name)) !=
                       model::normalize_name(verdict.expected_name)) {
            set(NicknameProblem::name_mismatch, name, role->word);
        } else {
            set(NicknameProblem::none, name, role->word);
        }
    } else if (auto first = role_word_at_start(core, settings);
               first && !text::trim_any(core.substr(first->length), separators).empty()) {
        set(NicknameProblem::role_before_name, core.substr(first->length), first->word);
    } else {
        // No role word: either just a name (missing_role) or a name and something that is not in
        // the vocabulary (unknown_role). With a known name the split is exact; otherwise the last
        // separator is the best guess.
        const std::u32string expected = text::compact(verdict.expected_name);
        const std::size_t last_separator = core.find_last_of(separators);
        if (!expected.empty() && model::normalize_name(text::encode_utf8(core)) ==
                                     model::normalize_name(verdict.expected_name)) {
            set(NicknameProblem::missing_role, core, {});
        } else if (!expected.empty() && text::starts_with(core, expected)) {
            set(NicknameProblem::unknown_role, expected,
                text::encode_utf8(text::trim_any(core.substr(expected.size()), separators)));
        } else if (last_separator != std::u32string_view::npos) {
            set(NicknameProblem::unknown_role, core.substr(0, last_separator),
                text::encode_utf8(core.substr(last_separator + 1)));
        } else {
            set(NicknameProblem::missing_role, core, {});
        }
    }
    verdict.ok =
        verdict.problem == NicknameProblem::none || verdict.problem == NicknameProblem::not_checked;

    std::string example_name = verdict.expected_name;
    if (example_name.empty()) {
        example_name = !verdict.name_part.empty() ? verdict.name_part : member.name;
    }
    if (example_name.empty()) {
        // Nobody knows the name (an external member with no nickname and no platform name): the
        // template shows the general form instead of an example.
        return verdict;
    }
    const bool role_in_vocabulary =
        !verdict.role.empty() && verdict.problem != NicknameProblem::unknown_role;
    const std::string separator =
        settings.nickname_separators.empty() ? std::string() : settings.nickname_separators.front();
    verdict.expected_example =
        example_name + separator +
        (role_in_vocabulary ? verdict.role : suggested_role(staff, settings));
    return verdict;
}

}  // namespace ledgerbot::bot::conventions
