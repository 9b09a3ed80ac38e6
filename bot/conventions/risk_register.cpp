#include "bot/conventions/risk_register.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "bot/decision_context.hpp"
#include "bot/staff_roles.hpp"
#include "bot/staff_scope.hpp"
#include "bot/text/masking.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::conventions {
namespace {

constexpr std::string_view kCompliance = "compliance";

std::string names_of(const std::vector<std::string>& ids, const DecisionContext& ctx) {
    std::string out;
    for (const std::string& id : ids) {
        if (id == kCompliance || id.empty()) {
            continue;
        }
        out += (out.empty() ? "" : "、") + ctx.person_name(id);
    }
    return out;
}

}  // namespace

nlohmann::json risk_fields(const model::Risk& risk, std::int64_t now, bool in_group,
                           const DecisionContext& ctx) {
    nlohmann::json out{
        {"risk_id", model::risk_code(risk.number)},
        {"kind_" + risk.kind, true},
        {"company", risk.company_name},
        {"text", in_group ? text::mask_sensitive(risk.summary) : risk.summary},
        {"raised_at", time::format_local_minutes(risk.raised_at)},
        {"age_days", std::max<std::int64_t>(0, (now - risk.raised_at) / 86400)},
        {"age_hours", std::max<std::int64_t>(0, (now - risk.raised_at) / 3600)},
        {"within_day", now - risk.raised_at < 86400},
        {"within_hour", now - risk.raised_at < 3600},
        {"raised_by", risk.raised_by.empty() ? std::string{} : ctx.person_name(risk.raised_by)},
        {"told_names", names_of(risk.told, ctx)},
        {"told_compliance",
         std::find(risk.told.begin(), risk.told.end(), kCompliance) != risk.told.end()},
        {"lead_name", risk.lead_id.empty() ? std::string{} : ctx.person_name(risk.lead_id)},
        {"acknowledged", risk.acknowledged_at != 0},
        {"ack_by",
         risk.acknowledged_by.empty() ? std::string{} : ctx.person_name(risk.acknowledged_by)},
        {"ack_at", risk.acknowledged_at != 0 ? time::format_local_minutes(risk.acknowledged_at)
                                             : std::string{}},
        {"ack_note", risk.ack_note},
        {"escalated", risk.escalated_at != 0},
        {"open", risk.open},
        {"closed_at",
         risk.closed_at != 0 ? time::format_local_minutes(risk.closed_at) : std::string{}},
        {"closed_by", risk.closed_by.empty() ? std::string{} : ctx.person_name(risk.closed_by)},
        {"close_reason", risk.close_reason}};
    for (const auto& [key, value] : risk.detail) {
        if (!out.contains(key)) {
            out[key] = value;
        }
    }
    if (const auto found = risk.detail.find("finding"); found != risk.detail.end()) {
        out["finding_" + found->second] = true;
    }
    return out;
}

bool may_acknowledge(const std::string& who, const model::Risk& risk, const DecisionContext& ctx) {
    const model::Company* company = ctx.directory().find_company_by_id(risk.company_id);
    return who == risk.lead_id || (company != nullptr && who == company->account_manager) ||
           ctx.is_department_head_of(who, company);
}

bool may_close(const std::string& who, const model::Risk& risk, const DecisionContext& ctx,
               const settings::EngineSettings& settings) {
    const model::StaffMember* staff = ctx.directory().find_staff(who);
    return staff != nullptr &&
           (is_compliance_staff(*staff, settings.conventions) || who == risk.raised_by);
}

Decision show_risks(const CommandCall& call) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string slash = "/" + call.command.word;
    const auto scope = staff_scope(message.sender.id, call.state, call.settings);
    if (!scope) {
        ctx.notify(reply_target(message), "risk_query_refused",
                   {{"not_staff", true}, {"command", slash}});
        return decision;
    }
    const std::string argument = text::trim(call.command.argument);
    const std::vector<std::string> words = text::split_words(argument);

    // /风险 R12: one risk, open or closed.
    if (words.size() == 1) {
        if (const auto number = text::parse_numbered_id(words[0], 'R')) {
            const auto risk = call.state.risk(*number);
            if (!risk) {
                ctx.notify(reply_target(message), "risk_query_refused",
                           {{"not_found", true}, {"risk_id", model::risk_code(*number)}});
                return decision;
            }
            if (!scope->covers(risk->company_id, ctx.directory()) &&
                risk->lead_id != scope->person) {
                ctx.notify(ctx.person_target(message.source, message.sender.id),
                           "risk_query_refused",
                           {{"not_allowed", true},
                            {"risk_id", model::risk_code(*number)},
                            {"company", risk->company_name}});
                return decision;
            }
            const model::NoticeTarget target =
                internal_reply_target(message, risk->company_id, call.state, call.settings.routing);
            const bool in_group = target.kind == model::NoticeTarget::Kind::chat;
            nlohmann::json fields = risk_fields(*risk, message.time, in_group, ctx);
            fields["ack_command"] = "/" + call.settings.risk_notices.acknowledge_commands.front();
            fields["close_command"] = "/" + call.settings.risk_notices.close_commands.front();
            ctx.notify(target, "risk_detail", std::move(fields));
            ctx.audit(scope->person, "risk.viewed", model::risk_code(*number),
                      {{"company", risk->company_name}});
            return decision;
        }
    }

    // /风险 or /风险 <企业>: the open risks this person's roles cover.
    const model::Company* company = nullptr;
    if (!argument.empty()) {
        company = ctx.directory().find_company(argument);
        if (company == nullptr) {
            company = ctx.directory().find_company_in_text(argument);
        }
        if (company == nullptr) {
            ctx.notify(reply_target(message), "risk_query_refused",
                       {{"usage", true}, {"command", slash}, {"asked", argument}});
            return decision;
        }
        if (!scope->covers(*company)) {
            ctx.notify(ctx.person_target(message.source, message.sender.id), "risk_query_refused",
                       {{"not_allowed", true}, {"company", company->full_name}});
            return decision;
        }
    }
    std::vector<model::Risk> risks = call.state.open_risks();
    std::erase_if(risks, [&](const model::Risk& risk) {
        if (company != nullptr) {
            return risk.company_id != company->id;
        }
        return !scope->covers(risk.company_id, ctx.directory()) && risk.lead_id != scope->person;
    });
    std::sort(risks.begin(), risks.end(),
              [](const model::Risk& a, const model::Risk& b) { return a.number > b.number; });
    const model::NoticeTarget target =
        company != nullptr
            ? internal_reply_target(message, company->id, call.state, call.settings.routing)
            : (message.chat.kind == model::ChatKind::direct
                   ? reply_target(message)
                   : ctx.person_target(message.source, message.sender.id));
    const bool in_group = target.kind == model::NoticeTarget::Kind::chat;
    const std::size_t limit = static_cast<std::size_t>(call.settings.chat.list_limit);
    nlohmann::json items = nlohmann::json::array();
    std::int64_t unacknowledged = 0;
    for (const model::Risk& risk : risks) {
        unacknowledged += risk.acknowledged_at == 0 ? 1 : 0;
        if (items.size() < limit) {
            items.push_back(risk_fields(risk, message.time, in_group, ctx));
        }
    }
    ctx.notify(target, "risk_list",
               {{"any", !risks.empty()},
                {"count", risks.size()},
                {"unacknowledged", unacknowledged},
                {"company", company != nullptr ? company->full_name : std::string{}},
                {"scope_" + std::string(scope->kind == StaffScope::Kind::everything   ? "all"
                                        : scope->kind == StaffScope::Kind::line       ? "line"
                                        : scope->kind == StaffScope::Kind::department ? "department"
                                                                                      : "own"),
                 true},
                {"items", std::move(items)},
                {"has_more", risks.size() > limit},
                {"more", risks.size() > limit ? risks.size() - limit : 0},
                {"command", slash},
                {"ack_command", "/" + call.settings.risk_notices.acknowledge_commands.front()}});
    ctx.audit(scope->person, "risk.listed", company != nullptr ? company->full_name : "",
              {{"count", risks.size()}});
    return decision;
}

Decision acknowledge_risk(const CommandCall& call) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string command = "/" + call.command.word;
    const auto parsed = text::split_leading_id(call.command.argument, 'R');
    if (!parsed) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"usage", true}, {"command", command}});
        return decision;
    }
    const std::int64_t number = parsed->number;
    const std::string& note = parsed->rest;
    const std::string code = model::risk_code(number);
    const auto risk = call.state.risk(number);
    if (!risk) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"not_found", true}, {"risk_id", code}, {"command", command}});
        return decision;
    }
    if (!risk->open) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"closed", true},
                    {"risk_id", code},
                    {"closed_at", time::format_local_minutes(risk->closed_at)}});
        return decision;
    }
    if (risk->acknowledged_at != 0) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"already", true},
                    {"risk_id", code},
                    {"by_name", ctx.person_name(risk->acknowledged_by)},
                    {"at", DecisionContext::local_time(risk->acknowledged_at)}});
        return decision;
    }
    const std::string& who = message.sender.id;
    if (message.sender.external || !may_acknowledge(who, *risk, ctx)) {
        ctx.notify(reply_target(message), "risk_ack_refused",
                   {{"not_lead", true},
                    {"risk_id", code},
                    {"lead_name",
                     risk->lead_id.empty() ? std::string{} : ctx.person_name(risk->lead_id)}});
        return decision;
    }
    decision.group_changes.emplace_back(RiskAcknowledged{number, who, message.time, note});
    ctx.audit(who, "risk.acknowledged", code,
              {{"company", risk->company_name}, {"kind", risk->kind}, {"note", note}});
    nlohmann::json fields = risk_fields(*risk, message.time, false, ctx);
    fields["by_name"] = ctx.person_name(who);
    fields["at"] = DecisionContext::local_time(message.time);
    fields["note"] = note;
    ctx.notify(internal_reply_target(message, risk->company_id, call.state, call.settings.routing),
               "risk_acknowledged", fields);
    if (!risk->raised_by.empty() && risk->raised_by != who) {
        ctx.notify(ctx.person_target(risk->source.empty() ? message.source : risk->source,
                                     risk->raised_by),
                   "risk_acknowledged", fields);
    }
    return decision;
}

Decision close_risk(const CommandCall& call) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string command = "/" + call.command.word;
    const auto parsed = text::split_leading_id(call.command.argument, 'R');
    if (!parsed || parsed->rest.empty()) {
        ctx.notify(reply_target(message), "risk_close_refused",
                   {{"usage", true}, {"command", command}});
        return decision;
    }
    const std::int64_t number = parsed->number;
    const std::string& note = parsed->rest;
    const std::string code = model::risk_code(number);
    const auto risk = call.state.risk(number);
    if (!risk) {
        ctx.notify(reply_target(message), "risk_close_refused",
                   {{"not_found", true}, {"risk_id", code}});
        return decision;
    }
    if (!risk->open) {
        ctx.notify(reply_target(message), "risk_close_refused",
                   {{"closed", true},
                    {"risk_id", code},
                    {"closed_at", time::format_local_minutes(risk->closed_at)}});
        return decision;
    }
    if (message.sender.external || !may_close(message.sender.id, *risk, ctx, call.settings)) {
        ctx.notify(reply_target(message), "risk_close_refused",
                   {{"not_allowed", true}, {"risk_id", code}});
        return decision;
    }
    decision.group_changes.emplace_back(RiskClosed{number, message.time, note, message.sender.id});
    ctx.audit(message.sender.id, "risk.closed", code,
              {{"company", risk->company_name}, {"kind", risk->kind}, {"note", note}});
    nlohmann::json fields = risk_fields(*risk, message.time, false, ctx);
    fields["by_name"] = ctx.person_name(message.sender.id);
    fields["at"] = DecisionContext::local_time(message.time);
    fields["note"] = note;
    ctx.notify(internal_reply_target(message, risk->company_id, call.state, call.settings.routing),
               "risk_closed", fields);
    if (!risk->lead_id.empty() && risk->lead_id != message.sender.id) {
        ctx.notify(
            ctx.person_target(risk->source.empty() ? message.source : risk->source, risk->lead_id),
            "risk_closed", fields);
    }
    return decision;
}

}  // namespace ledgerbot::bot::conventions
