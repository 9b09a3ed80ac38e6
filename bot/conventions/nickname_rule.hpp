#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bot/model/directory.hpp"
#include "bot/model/group_member.hpp"
#include "bot/settings/convention_settings.hpp"

namespace ledgerbot::bot::conventions {

/// What is wrong with an in-group nickname (第九条（三）: 姓名 + 项目工种或职务).
enum class NicknameProblem {
    none,
    not_checked,   ///< an external member while check_external_nicknames is off
    empty,         ///< no nickname set
    missing_role,  ///< a name without a role word (张三)
    missing_name,  ///< a role word without a name (项目负责人)
    name_mismatch,  ///< the name is not the staff directory's name (张三丰-项目负责人 for 张三)
    unknown_role,      ///< something after the name that is not in the vocabulary (张三-经理)
    role_before_name,  ///< the role first (项目负责人-张三)
};

/// Stable code for templates, logs and tests, e.g. "name_mismatch".
std::string_view to_code(NicknameProblem problem);

struct NicknameVerdict {
    bool ok = false;  ///< nothing to enforce (problem is none or not_checked)
    NicknameProblem problem = NicknameProblem::none;
    std::string name_part;  ///< the name as written, separators and spaces dropped
    /// The role word as configured (项目专员2 for 项目专员２); for unknown_role the text that
    /// stands where the role should be.
    std::string role;
    std::string expected_name;  ///< the directory's name; empty when nobody can know it
    /// A conforming nickname to show the member, e.g. 张三-项目负责人: the expected name (or the
    /// name written), the role written or one suggested by the member's titles, and the first
    /// configured separator. Empty when no name is known at all.
    std::string expected_example;
};

/// Checks `nickname` for `member`. Staff are found in the directory by id first, then (internal
/// members only) by their platform name; the name part must equal the directory's name. An
/// internal member missing from the directory is held to their platform name; an external
/// member's name part is only required to be present, since nobody knows their real name.
NicknameVerdict check_nickname(std::string_view nickname, const model::GroupMember& member,
                               const model::Directory& directory,
                               const settings::ConventionSettings& settings);

}  // namespace ledgerbot::bot::conventions
