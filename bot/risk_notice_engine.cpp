#include "bot/risk_notice_engine.hpp"

#include <algorithm>
#include <cctype>

#include "bot/chat_command.hpp"
#include "bot/convention_context.hpp"
#include "bot/first_members_rule.hpp"
#include "bot/masking.hpp"
#include "bot/message_header.hpp"
#include "bot/text.hpp"

namespace ledgerbot::bot {
namespace {

using conventions::Context;

// Raising a notice is a permission, so it comes from the directory (compliance titles or
// department) only: anyone can type 合规质效督办 into a nickname.
bool is_compliance_sender(const InboundEvent& message, const Context& ctx) {
    if (message.sender.external) {
        return false;
    }
    const GroupMember member{message.sender.id, message.sender.name, "", false};
    return find_member_staff(member, ctx.directory()) != nullptr &&
           is_compliance_member(member, ctx.directory(), ctx.rules());
}

// Who leads the project: the group's owner, else the company's account manager.
std::string lead_of(const std::optional<GroupView>& group, const Company* company) {
    if (group && !group->group.owner_id.empty()) {
        return group->group.owner_id;
    }
    return company != nullptr ? company->account_manager : std::string{};
}

}  // namespace

bool RiskNoticeEngine::has_header(std::string_view text, const RiskNoticeSettings& settings) {
    return text_after_header(text, settings.headers).has_value();
}

std::optional<Decision> RiskNoticeEngine::on_message(const InboundEvent& message,
                                                     const State& state) const {
    if (text_after_header(message.text, settings_.risk_notices.headers)) {
        return raise(message, state);
    }
    const auto command = parse_chat_command(message.text);
    const auto& words = settings_.risk_notices.acknowledge_commands;
    if (command && std::find(words.begin(), words.end(), command->word) != words.end()) {
        return acknowledge(message, command->argument, state);
    }
    return std::nullopt;
}

Decision RiskNoticeEngine::raise(const InboundEvent& message, const State& state) const {
    Decision decision;
    Context ctx(settings_, state, decision);
    const std::string text = *text_after_header(message.text, settings_.risk_notices.headers);
    std::optional<GroupView> group;
    if (message.chat.kind == ChatKind::group) {
        group = state.group(message.source, message.chat.id);
        if (group && !group->group.enforced()) {
            group.reset();
        }
    }
    if (!is_compliance_sender(message, ctx)) {
        ctx.notify(reply_target(message), "risk_notice_refused", {{"not_compliance", true}});
        return decision;
    }
    const Company* company = group ? ctx.company_of(group->group)
                                   : ctx.directory().find_company_in_text(text);
    if (company == nullptr || text.empty()) {
        ctx.notify(reply_target(message), "risk_notice_refused",
                   {{text.empty() ? "empty" : "company_unknown", true}});
        return decision;
    }

    Risk risk;
    risk.number = state.next_risk_number();
    risk.kind = "notice";
    risk.source = message.source;
    risk.chat_id = message.chat.id;
    risk.company_id = company->id;
    risk.company_name = company->full_name;
    risk.summary = text;
    risk.raised_at = message.time;
    risk.raised_by = message.sender.id;
    risk.lead_id = lead_of(group, company);
    decision.group_changes.emplace_back(RiskRaised{risk});
    ctx.audit(message.sender.id, "risk.notice_raised", risk_code(risk.number),
              {{"company", company->full_name}, {"chat", message.chat.id}, {"text", text}});

    const bool in_group = message.chat.kind == ChatKind::group;
    const std::string lead_name =
        risk.lead_id.empty() ? std::string{}
                             : ctx.person_name(risk.lead_id, group ? &*group : nullptr);
    nlohmann::json fields{{"risk_id", risk_code(risk.number)},
                          {"company", company->full_name},
                          {"text", in_group ? mask_sensitive(text) : text},
                          {"lead_name", lead_name},
                          {"raised_by", ctx.person_name(message.sender.id)},
                          {"command", "/" + settings_.risk_notices.acknowledge_commands.front()}};
    ctx.notify(reply_target(message), "risk_notice_recorded", fields);
    if (!risk.lead_id.empty() && !(message.chat.kind == ChatKind::direct &&
                                   message.sender.id == risk.lead_id)) {
        // Directly too: the lead may not read the group, and a customer group cannot be
        // written to at all. Directly, the text is the staff member's to see unmasked.
        fields["text"] = text;
        ctx.notify(ctx.person_target(message.source, risk.lead_id), "risk_notice_recorded",
                   fields);
    }
    return decision;
}

Decision RiskNoticeEngine::acknowledge(const InboundEvent& message, std::string_view argument,
                                       const State& state) const {
    Decision decision;
    Context ctx(settings_, state, decision);
    const std::string command = "/" + settings_.risk_notices.acknowledge_commands.front();
    const auto number = parse_numbered_id(argument, 'R');
    if (!number) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"usage", true}, {"command", command}});
        return decision;
    }
    const auto risk = state.risk(*number);
    if (!risk || risk->kind != "notice") {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"not_found", true}, {"risk_id", risk_code(*number)}, {"command", command}});
        return decision;
    }
    const Company* company = ctx.directory().find_company_by_id(risk->company_id);
    if (risk->acknowledged_at != 0) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"already", true},
                    {"risk_id", risk_code(*number)},
                    {"by_name", ctx.person_name(risk->acknowledged_by)},
                    {"at", Context::local_time(risk->acknowledged_at)}});
        return decision;
    }
    // The lead, the company's account manager or a head of its department.
    const std::string& who = message.sender.id;
    const bool allowed = who == risk->lead_id ||
                         (company != nullptr && who == company->account_manager) ||
                         ctx.is_department_head_of(who, company);
    if (!allowed) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"not_lead", true},
                    {"risk_id", risk_code(*number)},
                    {"lead_name", ctx.person_name(risk->lead_id)}});
        return decision;
    }
    decision.group_changes.emplace_back(RiskAcknowledged{*number, who, message.time});
    ctx.audit(who, "risk.acknowledged", risk_code(*number),
              {{"company", risk->company_name}, {"text", risk->summary}});
    const nlohmann::json fields{{"risk_id", risk_code(*number)},
                                {"company", risk->company_name},
                                {"by_name", ctx.person_name(who)},
                                {"at", Context::local_time(message.time)}};
    ctx.notify(reply_target(message), "risk_acknowledged", fields);
    if (!risk->raised_by.empty() && risk->raised_by != who) {
        ctx.notify(ctx.person_target(risk->source, risk->raised_by), "risk_acknowledged", fields);
    }
    return decision;
}

Decision RiskNoticeEngine::escalate(const InboundEvent& tick, const State& state) const {
    Decision decision;
    Context ctx(settings_, state, decision);
    const std::int64_t after = settings_.risk_notices.escalate_after_seconds;
    for (const Risk& risk : state.unacknowledged_notices()) {
        if (risk.escalated_at != 0 || tick.time < risk.raised_at + after) {
            continue;
        }
        const Company* company = ctx.directory().find_company_by_id(risk.company_id);
        const nlohmann::json fields{{"risk_id", risk_code(risk.number)},
                                    {"company", risk.company_name},
                                    {"text", risk.summary},
                                    {"raised_at", Context::local_time(risk.raised_at)},
                                    {"raised_by", ctx.person_name(risk.raised_by)},
                                    {"lead_name", ctx.person_name(risk.lead_id)},
                                    {"hours", after / 3600}};
        std::vector<std::string> to;
        for (const StaffMember* head :
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
        ctx.audit(std::string(conventions::kBotActor), "risk.escalated", risk_code(risk.number),
                  {{"to", to}, {"company", risk.company_name}});
    }
    return decision;
}

}  // namespace ledgerbot::bot
