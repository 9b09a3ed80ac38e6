#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/decision.hpp"
#include "bot/model/group_registry.hpp"
#include "bot/model/notice.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

/// What every feature needs while it builds a decision: who notices go to, how people are named
/// in them, the audit trail and the risk register.
namespace ledgerbot::bot {

/// Who gets what, and the names and times the texts show.
class DecisionContext {
public:
    DecisionContext(const settings::EngineSettings& settings, const State& state,
                    Decision& decision)
        : settings_(settings), state_(state), decision_(decision) {}

    const settings::ConventionSettings& rules() const { return settings_.conventions; }
    const model::Directory& directory() const { return state_.directory(); }
    const State& state() const { return state_; }
    Decision& decision() { return decision_; }

    std::optional<model::NoticeTarget> owner_target(const model::GroupRecord& group) const;
    /// Who acts as the group's owner: the owner, or where the bot account owns the group, the
    /// company's account manager.
    std::string acting_owner_id(const model::GroupRecord& group) const;
    /// The group itself when the bot can post there, else its owner.
    std::optional<model::NoticeTarget> group_target(const model::GroupRecord& group) const;
    /// An internal member directly; an external one through the group (or its owner).
    std::optional<model::NoticeTarget> member_target(const model::GroupRecord& group,
                                                     const model::GroupMemberRecord& member) const;
    model::NoticeTarget person_target(const std::string& source,
                                      const std::string& person_id) const;
    std::vector<model::NoticeTarget> compliance_targets(const model::GroupRecord& group) const;
    /// Compliance as reached from a channel (for risks about no particular group).
    std::vector<model::NoticeTarget> compliance_targets(const std::string& source) const;

    void notify(std::optional<model::NoticeTarget> target, std::string template_id,
                nlohmann::json fields);
    void notify_compliance(const model::GroupRecord& group, const std::string& template_id,
                           const nlohmann::json& fields);
    void notify_compliance(const std::string& source, const std::string& template_id,
                           const nlohmann::json& fields);
    void audit(std::string actor, std::string action, std::string subject, nlohmann::json detail);
    /// Raises a risk about a project group and returns its number. Its lead is the group's
    /// owner, else the company's account manager; `told` lists who its notices went to.
    std::int64_t raise_risk(const model::GroupRecord& group, std::string kind, std::string subject,
                            std::map<std::string, std::string> detail,
                            std::vector<std::string> told, std::int64_t time);
    /// Numbers a risk filled in by the caller (number and audit are set here) and raises it.
    std::int64_t raise_risk(model::Risk risk);
    /// What a notice about risk `number` adds so its readers can answer it (risk_footer partial):
    /// the number and the acknowledge command.
    void add_risk_fields(nlohmann::json& fields, std::int64_t number) const;
    /// The bot closes a risk whose cause went away.
    void close_risk(std::int64_t number, std::int64_t time, std::string reason);

    /// The directory's name, else the platform's name, else the nickname, else the id.
    std::string person_name(std::string_view id, const model::GroupView* view = nullptr) const;
    std::string member_name(const model::GroupMemberRecord& member) const;
    std::string owner_name(const model::GroupView& view) const;
    const model::Company* company_of(const model::GroupRecord& group) const;
    /// Heads of the department (a department-head title and that department); none for "".
    std::vector<const model::StaffMember*> department_heads(const std::string& department) const;
    /// Whether `person` heads the company's department.
    bool is_department_head_of(const std::string& person, const model::Company* company) const;
    /// The role vocabulary joined with 、, as the texts list it.
    std::string roles_text() const;
    /// Staff whose supervision is their job (compliance, line directors): never punished for it.
    bool is_supervisor(const model::GroupMemberRecord& member) const;
    static std::string local_time(std::int64_t unix_seconds);
    static std::string group_subject(const model::GroupRecord& group);

private:
    const settings::EngineSettings& settings_;
    const State& state_;
    Decision& decision_;
    std::int64_t risks_raised_ = 0;
};

}  // namespace ledgerbot::bot
