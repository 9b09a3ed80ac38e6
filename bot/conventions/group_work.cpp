#include "bot/conventions/group_work.hpp"

namespace ledgerbot::bot::conventions {

model::GroupMemberRecord* GroupWork::find_member(std::string_view id) {
    for (auto& m : view_.members) {
        if (m.id == id) {
            return &m;
        }
    }
    return nullptr;
}

model::GroupMemberRecord& GroupWork::member(std::string_view id) {
    if (model::GroupMemberRecord* found = find_member(id)) {
        return *found;
    }
    model::GroupMemberRecord record;
    record.id = std::string(id);
    view_.members.push_back(std::move(record));
    return view_.members.back();
}

std::vector<model::GroupMember> GroupWork::rule_members() const {
    std::vector<model::GroupMember> out;
    for (const auto& m : view_.members) {
        if (m.active()) {
            out.push_back(model::GroupMember{m.id, m.name, m.nickname, m.external});
        }
    }
    return out;
}

void GroupWork::save_into(Decision& decision) const {
    if (is_new_ || !(view_.group == original_.group)) {
        decision.group_changes.emplace_back(GroupSaved{view_.group});
    }
    for (const auto& m : view_.members) {
        const model::GroupMemberRecord* before = original_.member(m.id);
        if (is_new_ || before == nullptr || !(*before == m)) {
            decision.group_changes.emplace_back(
                MemberSaved{view_.group.source, view_.group.chat_id, m});
        }
    }
}

std::string candidate_names(const RoleCheck& check, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < check.candidates.size() && i < limit; ++i) {
        out += (out.empty() ? "" : "、") + check.candidates[i].name;
    }
    return out;
}

nlohmann::json missing_roles_json(const FirstMembersVerdict& verdict) {
    nlohmann::json rows = nlohmann::json::array();
    for (RequiredRole role : verdict.missing()) {
        nlohmann::json row{{"candidates", candidate_names(verdict.check(role))}};
        row[std::string(to_code(role))] = true;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace ledgerbot::bot::conventions
