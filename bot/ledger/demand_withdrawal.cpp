#include "bot/ledger/demand_withdrawal.hpp"

#include "bot/decision_context.hpp"
#include "bot/reply_routing.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::ledger {

Decision withdraw_demand(const CommandCall& call, std::int64_t number, const std::string& reason) {
    Decision decision;
    const settings::EngineSettings& settings = call.settings;
    DecisionContext ctx(settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string code = model::demand_code(number);
    const std::int64_t window_hours = settings.report.withdraw_window_seconds / 3600;
    const auto demand = call.state.demand(number);
    if (!demand) {
        ctx.notify(reply_target(message), "ledger_query_refused",
                   {{"not_found", true}, {"demand_id", code}});
        return decision;
    }
    const auto visit =
        demand->visit_number != 0 ? call.state.visit(demand->visit_number) : std::nullopt;
    const model::NoticeTarget target =
        confidential_reply_target(message, demand->company_id, call.state, settings.routing);
    nlohmann::json fields{{"demand_id", code},
                          {"summary", demand->summary},
                          {"company", demand->company_name},
                          {"hours", window_hours}};
    if (!visit || visit->reporter_id != message.sender.id) {
        fields["not_author"] = true;
        fields["reporter"] = visit ? ctx.person_name(visit->reporter_id) : std::string{};
        ctx.notify(target, "demand_withdraw_refused", std::move(fields));
        return decision;
    }
    if (demand->status == "withdrawn") {
        fields["already"] = true;
        ctx.notify(target, "demand_withdraw_refused", std::move(fields));
        return decision;
    }
    if (demand->status != "collected") {
        fields["has_plan"] = true;
        ctx.notify(target, "demand_withdraw_refused", std::move(fields));
        return decision;
    }
    if (message.time > visit->reported_at + settings.report.withdraw_window_seconds) {
        fields["too_late"] = true;
        fields["reported_at"] = time::format_local_minutes(visit->reported_at);
        ctx.notify(target, "demand_withdraw_refused", std::move(fields));
        return decision;
    }
    model::Demand withdrawn = *demand;
    withdrawn.status = "withdrawn";
    withdrawn.closed_at = message.time;
    const std::string why = reason.empty() ? std::string("作者删除") : "作者删除：" + reason;
    decision.changes.emplace_back(DemandUpdated{
        withdrawn,
        model::DemandHistoryEntry{number, message.time, message.sender.id, "withdrawn", why}});
    ctx.audit(message.sender.id, "demand.withdrawn", code,
              {{"reason", reason},
               {"summary", demand->summary},
               {"company", demand->company_name},
               {"visit", model::visit_code(visit->number)}});
    fields["visit_id"] = model::visit_code(visit->number);
    fields["reason"] = reason;
    ctx.notify(target, "demand_withdrawn", std::move(fields));
    return decision;
}

}  // namespace ledgerbot::bot::ledger
