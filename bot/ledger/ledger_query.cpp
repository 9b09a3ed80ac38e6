#include "bot/ledger/ledger_query.hpp"
#include "bot/ledger/demand_withdrawal.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "bot/decision_context.hpp"
#include "bot/ledger/demand_fields.hpp"
#include "bot/staff_scope.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::ledger {
namespace {

// Besides the role's scope: the demand's owner, and who reported or made the visit it came from.
bool covers(const StaffScope& scope, const model::Demand& demand, const State& state) {
    if (scope.covers(demand.company_id, state.directory()) || demand.owner_id == scope.person) {
        return true;
    }
    const auto visit = demand.visit_number != 0 ? state.visit(demand.visit_number) : std::nullopt;
    if (!visit) {
        return false;
    }
    const model::StaffMember* staff = state.directory().find_staff(scope.person);
    return visit->reporter_id == scope.person ||
           (staff != nullptr && std::find(visit->visitors.begin(), visit->visitors.end(),
                                          staff->name) != visit->visitors.end());
}

/// A demand row with what the lists add: overdue, the latest follow-up.
nlohmann::json row_fields(const model::Demand& demand, const State& state, std::int64_t now) {
    nlohmann::json row = demand_fields(demand);
    row["overdue"] =
        demand.status == "collected" && demand.plan_deadline != 0 && now > demand.plan_deadline;
    row["collected_on"] = time::format_date(time::local_date(demand.collected_at));
    const auto history = state.demand_history(demand.number);
    row["has_last"] = !history.empty();
    if (!history.empty()) {
        row["last_on"] = time::format_date(time::local_date(history.back().at));
        row["last_text"] = history.back().text;
    }
    return row;
}

std::string value_of(const model::VisitRecord* visit, model::VisitField field) {
    if (visit == nullptr) {
        return {};
    }
    const auto it = visit->values.find(field);
    return it == visit->values.end() ? std::string{} : it->second;
}

/// One ledger row with the 第七条 columns as values (storage::LedgerRow's keys): the app turns
/// the rows into the file when the notice is sent, exactly as they were when asked for.
nlohmann::json ledger_row(const model::Demand& demand, const State& state,
                          const DecisionContext& ctx) {
    const std::optional<model::VisitRecord> visit =
        demand.visit_number != 0 ? state.visit(demand.visit_number) : std::nullopt;
    const model::VisitRecord* v = visit ? &*visit : nullptr;
    std::string industry = value_of(v, model::VisitField::industry);
    if (industry.empty()) {
        if (const model::Company* company = ctx.directory().find_company_by_id(demand.company_id)) {
            industry = company->industry;
        }
    }
    const std::string contact = value_of(v, model::VisitField::contact);
    const std::string phone = value_of(v, model::VisitField::phone);
    nlohmann::json follow_ups = nlohmann::json::array();
    for (const model::DemandHistoryEntry& entry : state.demand_history(demand.number)) {
        follow_ups.push_back(
            {{"at", entry.at}, {"actor", ctx.person_name(entry.actor)}, {"text", entry.text}});
    }
    nlohmann::json row{
        {"demand_number", demand.number},
        {"visit_number", demand.visit_number},
        {"company_name", demand.company_name},
        {"business_status", value_of(v, model::VisitField::business_status)},
        {"industry", industry},
        {"demand", demand.summary},
        {"matchable", value_of(v, model::VisitField::matchable_services)},
        {"status", demand.status},
        {"reporter", v != nullptr ? ctx.person_name(v->reporter_id) : std::string{}},
        {"contact", contact.empty() || phone.empty() ? contact + phone : contact + " " + phone},
        {"owner_name", demand.owner_name},
        {"contract_signed", demand.contracted_at != 0},
        {"completion_percent", demand.completion_percent},
        {"revenue_yuan", demand.revenue_yuan},
        {"follow_ups", std::move(follow_ups)}};
    if (v != nullptr && v->visit_time) {
        row["visit_time"] = *v->visit_time;
    }
    return row;
}

}  // namespace

Decision export_ledger(const CommandCall& call, const std::string& argument) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const model::NoticeTarget target = message.chat.kind == model::ChatKind::direct
                                           ? reply_target(message)
                                           : ctx.person_target(message.source, message.sender.id);
    const auto scope = staff_scope(message.sender.id, call.state, call.settings);
    if (!scope) {
        ctx.notify(reply_target(message), "ledger_query_refused", {{"not_staff", true}});
        return decision;
    }
    const std::string asked = text::trim(argument);
    const model::Company* company = nullptr;
    if (!asked.empty()) {
        company = ctx.directory().find_company(asked);
        if (company == nullptr) {
            company = ctx.directory().find_company_in_text(asked);
        }
        if (company == nullptr) {
            ctx.notify(reply_target(message), "export_refused",
                       {{"no_company", true}, {"asked", asked}});
            return decision;
        }
        if (!scope->covers(*company)) {
            ctx.notify(target, "ledger_query_refused",
                       {{"not_allowed", true}, {"company", company->full_name}});
            return decision;
        }
    }
    std::vector<model::Demand> demands;
    if (company != nullptr) {
        demands = call.state.company_demands(company->id);
    } else {
        for (const model::Company& each : ctx.directory().companies()) {
            if (scope->covers(each)) {
                for (model::Demand& demand : call.state.company_demands(each.id)) {
                    demands.push_back(std::move(demand));
                }
            }
        }
        std::sort(
            demands.begin(), demands.end(),
            [](const model::Demand& a, const model::Demand& b) { return a.number < b.number; });
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const model::Demand& demand : demands) {
        rows.push_back(ledger_row(demand, call.state, ctx));
    }
    const std::string title = company != nullptr ? company->full_name : std::string{};
    ctx.notify(target, "ledger_export",
               {{"company", title},
                {"rows", demands.size()},
                {"date", time::format_date(time::local_date(message.time))},
                {"attachment",
                 {{"kind", "ledger"},
                  {"company", title},
                  {"date", time::format_date(time::local_date(message.time))},
                  {"rows", std::move(rows)}}}});
    ctx.audit(scope->person, "ledger.exported", title, {{"demands", demands.size()}});
    return decision;
}

Decision show_ledger(const CommandCall& call) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string slash = "/" + call.command.word;
    const auto scope = staff_scope(message.sender.id, call.state, call.settings);
    if (!scope) {
        ctx.notify(reply_target(message), "ledger_query_refused",
                   {{"not_staff", true}, {"command", slash}});
        return decision;
    }
    const std::string argument = text::trim(call.command.argument);
    const model::Company* company = nullptr;
    if (!argument.empty()) {
        company = ctx.directory().find_company(argument);
        if (company == nullptr) {
            company = ctx.directory().find_company_in_text(argument);
        }
        if (company == nullptr) {
            ctx.notify(reply_target(message), "ledger_query_refused",
                       {{"usage", true}, {"command", slash}, {"asked", argument}});
            return decision;
        }
        if (!scope->covers(*company)) {
            ctx.notify(ctx.person_target(message.source, message.sender.id), "ledger_query_refused",
                       {{"not_allowed", true}, {"company", company->full_name}});
            return decision;
        }
    }
    std::vector<model::Demand> demands;
    if (company != nullptr) {
        demands = call.state.company_demands(company->id);
    } else {
        demands = call.state.all_open_demands();
        std::erase_if(demands,
                      [&](const model::Demand& d) { return !covers(*scope, d, call.state); });
    }
    std::sort(demands.begin(), demands.end(), [](const model::Demand& a, const model::Demand& b) {
        return a.open() != b.open() ? a.open() : a.number > b.number;
    });
    const model::NoticeTarget target =
        company != nullptr
            ? confidential_reply_target(message, company->id, call.state, call.settings.routing)
            : (message.chat.kind == model::ChatKind::direct
                   ? reply_target(message)
                   : ctx.person_target(message.source, message.sender.id));
    const std::size_t limit = static_cast<std::size_t>(call.settings.chat.list_limit);
    nlohmann::json rows = nlohmann::json::array();
    std::int64_t open = 0;
    std::int64_t overdue = 0;
    for (const model::Demand& demand : demands) {
        open += demand.open() ? 1 : 0;
        nlohmann::json row = row_fields(demand, call.state, message.time);
        row["list_company"] = company == nullptr ? demand.company_name : std::string{};
        overdue += row["overdue"].get<bool>() ? 1 : 0;
        if (rows.size() < limit) {
            rows.push_back(std::move(row));
        }
    }
    ctx.notify(target, "ledger_answer",
               {{"any", !demands.empty()},
                {"company", company != nullptr ? company->full_name : std::string{}},
                {"count", demands.size()},
                {"open", open},
                {"overdue", overdue},
                {"rows", std::move(rows)},
                {"has_more", demands.size() > limit},
                {"more", demands.size() > limit ? demands.size() - limit : 0},
                {"command", slash},
                {"demand_command", "/" + call.settings.chat.demand_commands.front()}});
    ctx.audit(scope->person, "ledger.viewed", company != nullptr ? company->full_name : "",
              {{"demands", demands.size()}});
    return decision;
}

Decision show_demand(const CommandCall& call) {
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string slash = "/" + call.command.word;
    // /需求 D3, or /需求 D3 删除 [原因] (also glued: /需求D3删除).
    const auto parsed = text::split_leading_id(call.command.argument, 'D');
    const auto number = parsed ? std::optional(parsed->number) : std::nullopt;
    if (number && !parsed->rest.empty()) {
        const auto& deletes = call.settings.chat.demand_delete_words;
        for (const std::string& word : deletes) {
            if (parsed->rest.starts_with(word)) {
                // 删除，识别错了 / 删除：重复: the reason as typed, without the separator.
                std::string reason = parsed->rest.substr(word.size());
                for (bool cut = true; cut;) {
                    cut = false;
                    reason = text::trim(reason);
                    for (std::string_view mark : {",", ":", "，", "：", "、"}) {
                        if (reason.starts_with(mark)) {
                            reason.erase(0, mark.size());
                            cut = true;
                        }
                    }
                }
                return withdraw_demand(call, *number, reason);
            }
        }
        ctx.notify(reply_target(message), "ledger_query_refused",
                   {{"demand_usage", true}, {"command", slash}, {"delete_word", deletes.front()}});
        return decision;
    }
    if (!number) {
        ctx.notify(reply_target(message), "ledger_query_refused",
                   {{"demand_usage", true}, {"command", slash}});
        return decision;
    }
    const std::string code = model::demand_code(*number);
    const auto demand = call.state.demand(*number);
    if (!demand) {
        ctx.notify(reply_target(message), "ledger_query_refused",
                   {{"not_found", true}, {"demand_id", code}});
        return decision;
    }
    const auto scope = staff_scope(message.sender.id, call.state, call.settings);
    if (!scope || !covers(*scope, *demand, call.state)) {
        ctx.notify(ctx.person_target(message.source, message.sender.id), "ledger_query_refused",
                   {{scope ? "not_allowed" : "not_staff", true},
                    {"demand_id", code},
                    {"company", demand->company_name},
                    {"command", slash}});
        return decision;
    }
    nlohmann::json fields = row_fields(*demand, call.state, message.time);
    nlohmann::json history = nlohmann::json::array();
    for (const model::DemandHistoryEntry& entry : call.state.demand_history(*number)) {
        history.push_back({{"at", time::format_local_minutes(entry.at)},
                           {"by", ctx.person_name(entry.actor)},
                           {"text", entry.text}});
    }
    fields["has_history"] = !history.empty();
    fields["history"] = std::move(history);
    fields["visit_id"] =
        demand->visit_number != 0 ? model::visit_code(demand->visit_number) : std::string{};
    fields["referred_by"] =
        demand->referred_by.empty() ? std::string{} : ctx.person_name(demand->referred_by);
    ctx.notify(
        confidential_reply_target(message, demand->company_id, call.state, call.settings.routing),
        "demand_detail", std::move(fields));
    ctx.audit(scope->person, "demand.viewed", code, {{"company", demand->company_name}});
    return decision;
}

}  // namespace ledgerbot::bot::ledger
