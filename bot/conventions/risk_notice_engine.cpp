#include "bot/conventions/risk_notice_engine.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <cctype>

#include "bot/conventions/first_members_rule.hpp"
#include "bot/decision_context.hpp"
#include "bot/staff_roles.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/masking.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::conventions {
namespace {

// Raising a notice is a permission, so it comes from the directory (compliance titles or
// department) only: anyone can type 合规质效督办 into a nickname.
bool is_compliance_sender(const model::InboundEvent& message, const DecisionContext& ctx) {
    if (message.sender.external) {
        return false;
    }
    // On the generic adapter (WeChat) anyone can take a colleague's name: only ids identify.
    const bool by_id_only = message.source == model::kGenericSource;
    const model::GroupMember member{message.sender.id, by_id_only ? "" : message.sender.name, "",
                                    false};
    return model::find_member_staff(member, ctx.directory()) != nullptr &&
           is_compliance_member(member, ctx.directory(), ctx.rules());
}

// Who leads the project: the group's (acting) owner, else the company's account manager.
std::string lead_of(const std::optional<model::GroupView>& group, const model::Company* company,
                    const DecisionContext& ctx) {
    if (group) {
        if (std::string owner = ctx.acting_owner_id(group->group); !owner.empty()) {
            return owner;
        }
    }
    return company != nullptr ? company->account_manager : std::string{};
}

}  // namespace

Decision raise_risk_notice(const HeaderCall& call) {
    return RiskNoticeEngine(call.settings).raise(call.message, call.body, call.state);
}

Decision escalate_risk_notices(const JobCall& call) {
    return RiskNoticeEngine(call.settings).escalate(call.tick, call.state);
}

Decision RiskNoticeEngine::raise(const model::InboundEvent& message, const std::string& text,
                                 const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    std::optional<model::GroupView> group;
    if (message.chat.kind == model::ChatKind::group) {
        group = state.group(message.source, message.chat.id);
        if (group && !group->group.enforced()) {
            group.reset();
        }
    }
    if (!is_compliance_sender(message, ctx)) {
        ctx.notify(reply_target(message), "risk_notice_refused", {{"not_compliance", true}});
        return decision;
    }
    const model::Company* company =
        group ? ctx.company_of(group->group) : ctx.directory().find_company_in_text(text);
    if (company == nullptr || text.empty()) {
        ctx.notify(reply_target(message), "risk_notice_refused",
                   {{text.empty() ? "empty" : "company_unknown", true}});
        return decision;
    }

    model::Risk risk;
    risk.number = state.next_risk_number();
    risk.kind = "notice";
    risk.source = message.source;
    risk.chat_id = message.chat.id;
    risk.company_id = company->id;
    risk.company_name = company->full_name;
    risk.summary = text;
    risk.raised_at = message.time;
    risk.raised_by = message.sender.id;
    risk.lead_id = lead_of(group, company, ctx);
    if (!risk.lead_id.empty()) {
        risk.told.push_back(risk.lead_id);
    }
    decision.group_changes.emplace_back(RiskRaised{risk});
    ctx.audit(message.sender.id, "risk.notice_raised", model::risk_code(risk.number),
              {{"company", company->full_name}, {"chat", message.chat.id}, {"text", text}});

    const bool in_group = message.chat.kind == model::ChatKind::group;
    const std::string lead_name = risk.lead_id.empty()
                                      ? std::string{}
                                      : ctx.person_name(risk.lead_id, group ? &*group : nullptr);
    nlohmann::json fields{{"risk_id", model::risk_code(risk.number)},
                          {"company", company->full_name},
                          {"text", in_group ? text::mask_sensitive(text) : text},
                          {"lead_name", lead_name},
                          {"raised_by", ctx.person_name(message.sender.id)},
                          {"command", "/" + settings_.risk_notices.acknowledge_commands.front()}};
    ctx.notify(reply_target(message), "risk_notice_recorded", fields);
    if (!risk.lead_id.empty() &&
        !(message.chat.kind == model::ChatKind::direct && message.sender.id == risk.lead_id)) {
        // Directly too: the lead may not read the group, and a customer group cannot be
        // written to at all. Directly, the text is the staff member's to see unmasked.
        fields["text"] = text;
        ctx.notify(ctx.person_target(message.source, risk.lead_id), "risk_notice_recorded", fields);
    }
    return decision;
}

Decision RiskNoticeEngine::escalate(const model::InboundEvent& tick, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const std::int64_t after = settings_.risk_notices.escalate_after_seconds;
    for (const model::Risk& risk : state.unacknowledged_notices()) {
        if (risk.escalated_at != 0 || tick.time < risk.raised_at + after) {
            continue;
        }
        const model::Company* company = ctx.directory().find_company_by_id(risk.company_id);
        const nlohmann::json fields{{"risk_id", model::risk_code(risk.number)},
                                    {"company", risk.company_name},
                                    {"text", risk.summary},
                                    {"raised_at", DecisionContext::local_time(risk.raised_at)},
                                    {"raised_by", ctx.person_name(risk.raised_by)},
                                    {"lead_name", ctx.person_name(risk.lead_id)},
                                    {"hours", after / 3600}};
        std::vector<std::string> to;
        for (const model::StaffMember* head :
             ctx.department_heads(company != nullptr ? company->department : std::string{})) {
            to.push_back(head->id);
        }
        if (!risk.raised_by.empty() &&
            std::find(to.begin(), to.end(), risk.raised_by) == to.end()) {
            to.push_back(risk.raised_by);
        }
        for (const auto& person : to) {
            ctx.notify(ctx.person_target(risk.source, person), "risk_escalated", fields);
        }
        decision.group_changes.emplace_back(RiskEscalated{risk.number, tick.time});
        ctx.audit(std::string(kBotActor), "risk.escalated", model::risk_code(risk.number),
                  {{"to", to}, {"company", risk.company_name}});
    }
    return decision;
}

}  // namespace ledgerbot::bot::conventions
