#include "bot/conventions/removal_refused.hpp"

#include <string>

#include "bot/conventions/group_work.hpp"
#include "bot/decision_context.hpp"

namespace ledgerbot::bot::conventions {

Decision on_notice_refused(const model::InboundEvent& event, const State& state,
                           const settings::EngineSettings& settings) {
    Decision decision;
    if (!event.refused || event.refused->template_id != "member_removal") {
        return decision;
    }
    const model::RefusedNotice& refused = *event.refused;
    const nlohmann::json& fields = refused.fields;
    if (!fields.contains("remove_member") || !fields["remove_member"].is_object()) {
        return decision;
    }
    DecisionContext ctx(settings, state, decision);
    const std::string member_id = fields["remove_member"].value("id", "");
    const std::string name = fields["remove_member"].value("name", member_id);
    const std::string group_name = fields.value("group_name", "");
    if (auto view = state.group(refused.channel, refused.target_id)) {
        GroupWork work(*view, false);
        work.edit().bot_can_remove = false;
        if (model::GroupMemberRecord* member = work.find_member(member_id)) {
            member->removal_requested_at = 0;
        }
        work.save_into(decision);
        ctx.audit(std::string(kBotActor), "member.removal_refused",
                  DecisionContext::group_subject(view->group),
                  {{"member", member_id}, {"name", name}, {"error", refused.error}});
    }
    // Told where the request was answered: in the group if it was typed there, else directly.
    const nlohmann::json answer_to = fields.value("answer_to", nlohmann::json::object());
    if (!answer_to.is_object() || answer_to.value("id", "").empty()) {
        return decision;
    }
    const model::NoticeTarget target{answer_to.value("channel", ""),
                                     answer_to.value("kind", "") == "user"
                                         ? model::NoticeTarget::Kind::user
                                         : model::NoticeTarget::Kind::chat,
                                     answer_to.value("id", ""), ""};
    // The WeChat bridge answers 409 when the bot account no longer owns or administers the
    // group; anything else is the platform's own refusal.
    const bool not_permitted = refused.error.find("HTTP 409") != std::string::npos;
    ctx.notify(target, "member_removal_refused",
               {{"who", name},
                {"group_name", group_name},
                {"not_permitted", not_permitted},
                {"removed_command", "/" + settings.conventions.confirm_removed_commands.front()}});
    return decision;
}

}  // namespace ledgerbot::bot::conventions
