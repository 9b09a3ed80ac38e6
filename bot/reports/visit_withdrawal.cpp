#include "bot/reports/visit_withdrawal.hpp"
#include "bot/reply_routing.hpp"

#include <string>
#include <vector>

#include "bot/decision_context.hpp"
#include "bot/reports/visit_answer.hpp"
#include "bot/text/message_header.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::reports {

Decision withdraw_visit(const CommandCall& call) {
    Decision decision;
    const settings::EngineSettings& settings = call.settings;
    DecisionContext ctx(settings, call.state, decision);
    const model::InboundEvent& message = call.message;
    const std::string slash = "/" + call.command.word;
    const auto parsed = text::split_leading_id(call.command.argument, 'V');
    const std::optional<std::int64_t> number =
        parsed ? std::optional(parsed->number) : std::nullopt;
    const std::string reason = parsed ? parsed->rest : std::string{};
    const std::int64_t window_hours = settings.report.withdraw_window_seconds / 3600;
    if (!number || reason.empty()) {
        ctx.notify(reply_target(message), "visit_withdraw_refused",
                   {{"usage", true}, {"command", slash}, {"hours", window_hours}});
        return decision;
    }
    const std::string code = model::visit_code(*number);
    const auto visit = call.state.visit(*number);
    if (!visit) {
        ctx.notify(reply_target(message), "visit_withdraw_refused",
                   {{"not_found", true}, {"visit_id", code}});
        return decision;
    }
    const model::NoticeTarget target =
        confidential_reply_target(message, visit->company_id, call.state, settings.routing);
    if (visit->reporter_id != message.sender.id) {
        ctx.notify(target, "visit_withdraw_refused",
                   {{"not_reporter", true},
                    {"visit_id", code},
                    {"reporter", ctx.person_name(visit->reporter_id)}});
        return decision;
    }
    if (const auto voided = call.state.visit_void(*number)) {
        ctx.notify(target, "visit_withdraw_refused",
                   {{"already", true},
                    {"visit_id", code},
                    {"withdrawn", voided->withdrawn},
                    {"at", time::format_local_minutes(voided->at)}});
        return decision;
    }
    if (message.time > visit->reported_at + settings.report.withdraw_window_seconds) {
        ctx.notify(target, "visit_withdraw_refused",
                   {{"too_late", true},
                    {"visit_id", code},
                    {"hours", window_hours},
                    {"reported_at", time::format_local_minutes(visit->reported_at)}});
        return decision;
    }
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    model::VisitVoid withdrawal{
        *number,           reason,
        message.sender.id, staff != nullptr ? staff->name : message.sender.name,
        message.time,      true};
    decision.score_changes.emplace_back(VisitVoided{std::move(withdrawal)});
    ctx.audit(message.sender.id, "visit.withdrawn", code,
              {{"reason", reason}, {"company", visit->company_name}});
    // Its demands stay in the ledger: they may be real even if the record was not. The author
    // is shown them so a mistaken one can be closed on purpose, not silently.
    const auto details = call.state.scoring_details_of(std::vector<std::int64_t>{*number});
    const auto found = details.find(*number);
    nlohmann::json demands = nlohmann::json::array();
    if (found != details.end()) {
        demands = visit_answer::demand_rows(found->second.demands,
                                            target.kind == model::NoticeTarget::Kind::chat);
    }
    const auto infeasible = settings.ledger.commands.find("infeasible");
    ctx.notify(target, "visit_withdrawn",
               {{"visit_id", code},
                {"company", visit->company_name},
                {"reason", reason},
                {"has_demands", !demands.empty()},
                {"demands", demands},
                {"infeasible_command",
                 infeasible == settings.ledger.commands.end() || infeasible->second.empty()
                     ? std::string{}
                     : "/" + infeasible->second.front()}});
    return decision;
}

}  // namespace ledgerbot::bot::reports
