#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/conventions/first_members_rule.hpp"
#include "bot/decision.hpp"
#include "bot/model/group_member.hpp"
#include "bot/model/group_registry.hpp"

namespace ledgerbot::bot::conventions {

/// A group being changed by one event or check. Records what changed so that only changed rows
/// are saved, and numbers risks raised within one decision consecutively.
class GroupWork {
public:
    GroupWork(model::GroupView view, bool is_new)
        : original_(view), view_(std::move(view)), is_new_(is_new) {}

    /// The group's row for changing: it will be saved.
    model::GroupRecord& edit() { return view_.group; }
    const model::GroupRecord& group() const { return view_.group; }
    const model::GroupView& view() const { return view_; }
    bool is_new() const { return is_new_; }

    /// The member's record for changing (it will be saved), or nullptr when unknown.
    model::GroupMemberRecord* find_member(std::string_view id);
    /// The member's record for changing; a new record when the bot has never seen them.
    model::GroupMemberRecord& member(std::string_view id);
    /// The active members as the rules see them.
    std::vector<model::GroupMember> rule_members() const;

    /// Adds the rows that differ from what was loaded to the decision.
    void save_into(Decision& decision) const;

private:
    model::GroupView original_;
    model::GroupView view_;
    bool is_new_ = false;
};

/// The first candidate's name per role, joined with 、, for "可邀请：…".
std::string candidate_names(const RoleCheck& check, std::size_t limit = 3);
/// Template rows for the missing roles: [{executor|department_head|compliance: true, candidates}].
nlohmann::json missing_roles_json(const FirstMembersVerdict& verdict);

}  // namespace ledgerbot::bot::conventions
