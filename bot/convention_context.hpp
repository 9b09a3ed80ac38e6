#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/decision.hpp"
#include "bot/engine.hpp"
#include "bot/first_members_rule.hpp"
#include "bot/group_member.hpp"
#include "bot/state.hpp"

/// What the convention engine's parts share: one group being worked on, who notices go to, and
/// how people are named in them. Internal to bot/.
namespace ledgerbot::bot::conventions {

/// The actor of the bot's own enforcement in the audit trail.
inline constexpr std::string_view kBotActor = "ledgerbot";

/// A group being changed by one event or check. Records what changed so that only changed rows
/// are saved, and numbers risks raised within one decision consecutively.
class GroupWork {
public:
    GroupWork(GroupView view, bool is_new)
        : original_(view), view_(std::move(view)), is_new_(is_new) {}

    /// The group's row for changing: it will be saved.
    GroupRecord& edit() { return view_.group; }
    const GroupRecord& group() const { return view_.group; }
    const GroupView& view() const { return view_; }
    bool is_new() const { return is_new_; }

    /// The member's record for changing (it will be saved), or nullptr when unknown.
    GroupMemberRecord* find_member(std::string_view id);
    /// The member's record for changing; a new record when the bot has never seen them.
    GroupMemberRecord& member(std::string_view id);
    /// The active members as the rules see them.
    std::vector<GroupMember> rule_members() const;

    /// Adds the rows that differ from what was loaded to the decision.
    void save_into(Decision& decision) const;

private:
    GroupView original_;
    GroupView view_;
    bool is_new_ = false;
};

/// Who gets what, and the names and times the texts show.
class Context {
public:
    Context(const EngineSettings& settings, const State& state, Decision& decision)
        : settings_(settings), state_(state), decision_(decision) {}

    const ConventionSettings& rules() const { return settings_.conventions; }
    const Directory& directory() const { return state_.directory(); }
    const State& state() const { return state_; }
    Decision& decision() { return decision_; }

    std::optional<NoticeTarget> owner_target(const GroupRecord& group) const;
    /// The group itself when the bot can post there, else its owner.
    std::optional<NoticeTarget> group_target(const GroupRecord& group) const;
    /// An internal member directly; an external one through the group (or its owner).
    std::optional<NoticeTarget> member_target(const GroupRecord& group,
                                              const GroupMemberRecord& member) const;
    NoticeTarget person_target(const std::string& source, const std::string& person_id) const;
    std::vector<NoticeTarget> compliance_targets(const GroupRecord& group) const;
    /// Compliance as reached from a channel (for risks about no particular group).
    std::vector<NoticeTarget> compliance_targets(const std::string& source) const;

    void notify(std::optional<NoticeTarget> target, std::string template_id,
                nlohmann::json fields);
    void notify_compliance(const GroupRecord& group, const std::string& template_id,
                           const nlohmann::json& fields);
    void notify_compliance(const std::string& source, const std::string& template_id,
                           const nlohmann::json& fields);
    void audit(std::string actor, std::string action, std::string subject, nlohmann::json detail);
    /// Raises a risk and returns its number.
    std::int64_t raise_risk(const GroupRecord& group, std::string kind, std::string subject,
                            std::string summary, std::int64_t time);
    void close_risk(std::int64_t number, std::int64_t time, std::string reason);

    /// The directory's name, else the platform's name, else the nickname, else the id.
    std::string person_name(std::string_view id, const GroupView* view = nullptr) const;
    std::string member_name(const GroupMemberRecord& member) const;
    std::string owner_name(const GroupView& view) const;
    const Company* company_of(const GroupRecord& group) const;
    /// Heads of the department (a department-head title and that department); none for "".
    std::vector<const StaffMember*> department_heads(const std::string& department) const;
    /// Whether `person` heads the company's department.
    bool is_department_head_of(const std::string& person, const Company* company) const;
    /// The role vocabulary joined with 、, as the texts list it.
    std::string roles_text() const;
    /// Staff whose supervision is their job (compliance, line directors): never punished for it.
    bool is_supervisor(const GroupMemberRecord& member) const;
    static std::string local_time(std::int64_t unix_seconds);
    static std::string group_subject(const GroupRecord& group);

private:
    const EngineSettings& settings_;
    const State& state_;
    Decision& decision_;
    std::int64_t risks_raised_ = 0;
};

/// The first candidate's name per role, joined with 、, for "可邀请：…".
std::string candidate_names(const RoleCheck& check, std::size_t limit = 3);
/// Template rows for the missing roles: [{executor|department_head|compliance: true, candidates}].
nlohmann::json missing_roles_json(const FirstMembersVerdict& verdict);

}  // namespace ledgerbot::bot::conventions
