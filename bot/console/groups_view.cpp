#include "bot/console/groups_view.hpp"

#include <algorithm>

#include "bot/decision_context.hpp"
#include "bot/staff_roles.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::console {
namespace {

struct Moment {
    std::int64_t at = 0;
    nlohmann::json fields;
};

}  // namespace

nlohmann::json groups_view(const ConsoleViewer& viewer, const State& state,
                           const settings::EngineSettings& settings,
                           const std::vector<model::Risk>& risks) {
    Decision unused;
    const DecisionContext ctx(settings, state, unused);
    nlohmann::json groups = nlohmann::json::array();
    for (const model::GroupView& view : state.enforced_groups()) {
        const model::GroupRecord& group = view.group;
        if (!viewer.scope.covers(group.company_id, state.directory()) &&
            group.owner_id != viewer.id) {
            continue;
        }
        std::vector<Moment> timeline;
        if (group.created_at != 0) {
            timeline.push_back({group.created_at, {{"created", true}}});
        }
        nlohmann::json members = nlohmann::json::array();
        std::int64_t active = 0;
        for (const model::GroupMemberRecord& member : view.members) {
            const auto role = find_role_word(member.nickname, settings.conventions);
            const bool in_group = member.active();
            active += in_group ? 1 : 0;
            members.push_back(
                {{"name", member.name},
                 {"nickname", member.nickname},
                 {"role", role.value_or("")},
                 {"external", member.external},
                 {"owner", member.id == group.owner_id},
                 {"active", in_group},
                 {"joined_at", member.joined_at != 0 ? time::format_local_minutes(member.joined_at)
                                                     : std::string{}},
                 {"left_at",
                  member.left_at != 0 ? time::format_local_minutes(member.left_at) : std::string{}},
                 {"left_" + std::string(model::to_code(member.left_how)), true},
                 {"stage_done", member.stage_done_at != 0}});
            if (member.joined_at != 0) {
                timeline.push_back({member.joined_at, {{"joined", true}, {"who", member.name}}});
            }
            if (member.left_at != 0) {
                timeline.push_back(
                    {member.left_at,
                     {{"left", true},
                      {"who", member.name},
                      {"left_" + std::string(model::to_code(member.left_how)), true}}});
            }
        }
        std::stable_sort(members.begin(), members.end(),
                         [](const nlohmann::json& a, const nlohmann::json& b) {
                             return a["active"].get<bool>() && !b["active"].get<bool>();
                         });
        nlohmann::json group_risks = nlohmann::json::array();
        for (const model::Risk& risk : risks) {
            if (risk.source != group.source || risk.chat_id != group.chat_id) {
                continue;
            }
            group_risks.push_back({{"risk_id", model::risk_code(risk.number)},
                                   {"kind_" + risk.kind, true},
                                   {"open", risk.open},
                                   {"raised_at", time::format_local_minutes(risk.raised_at)}});
            timeline.push_back({risk.raised_at,
                                {{"risk_raised", true},
                                 {"risk_id", model::risk_code(risk.number)},
                                 {"kind_" + risk.kind, true}}});
            if (risk.closed_at != 0) {
                timeline.push_back(
                    {risk.closed_at,
                     {{"risk_closed", true}, {"risk_id", model::risk_code(risk.number)}}});
            }
        }
        std::stable_sort(timeline.begin(), timeline.end(),
                         [](const Moment& a, const Moment& b) { return a.at > b.at; });
        nlohmann::json moments = nlohmann::json::array();
        for (Moment& moment : timeline) {
            moment.fields["at"] = time::format_local_minutes(moment.at);
            moments.push_back(std::move(moment.fields));
        }
        groups.push_back(
            {{"name", group.name},
             {"company", group.company_name},
             {"expected_name",
              group.expected_name != group.name ? group.expected_name : std::string{}},
             {"owner", group.owner_id.empty() ? std::string{} : ctx.person_name(group.owner_id)},
             {"source", group.source},
             {"members", members},
             {"active_members", active},
             {"risks", group_risks},
             {"has_risks", !group_risks.empty()},
             {"timeline", moments}});
    }
    return {{"groups", groups}, {"count", groups.size()}, {"has_groups", !groups.empty()}};
}

}  // namespace ledgerbot::bot::console
