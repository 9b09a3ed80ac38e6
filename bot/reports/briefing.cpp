#include "bot/reports/briefing.hpp"
#include "bot/reply_routing.hpp"

#include "bot/decision_context.hpp"
#include "bot/text/labelled_fields.hpp"
#include "bot/text/masking.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::reports {

Decision record_briefing(const HeaderCall& call) {
    const model::InboundEvent& message = call.message;
    const State& state = call.state;
    const std::string& body = call.body;
    Decision decision;
    DecisionContext ctx(call.settings, state, decision);
    const model::StaffMember* staff = ctx.directory().find_staff(message.sender.id);
    if (staff == nullptr || message.sender.external) {
        ctx.notify(reply_target(message), "briefing_refused", {{"not_staff", true}});
        return decision;
    }
    const model::Company* company = nullptr;
    if (message.chat.kind == model::ChatKind::group) {
        if (const auto group = state.group(message.source, message.chat.id);
            group && group->group.enforced()) {
            company = ctx.company_of(group->group);
        }
    }
    if (company == nullptr) {
        company = ctx.directory().find_company_in_text(body);
    }
    if (company == nullptr) {
        ctx.notify(reply_target(message), "briefing_refused", {{"company_unknown", true}});
        return decision;
    }

    const text::LabelledFields parsed = text::labelled_fields(body, call.settings.briefing.labels);
    model::Briefing briefing;
    briefing.number = state.next_briefing_number();
    briefing.company_id = company->id;
    briefing.company_name = company->full_name;
    briefing.source = message.source;
    briefing.chat_id = message.chat.id;
    briefing.sender_id = staff->id;
    briefing.sender_name = staff->name;
    briefing.time = message.time;
    briefing.fields = parsed.values;
    briefing.raw_text = message.text;
    briefing.source_event_id = message.id;

    const bool in_group = message.chat.kind == model::ChatKind::group;
    nlohmann::json understood = nlohmann::json::array();
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& field : call.settings.briefing.fields) {
        const auto labels = call.settings.briefing.labels.find(field);
        const std::string label =
            labels == call.settings.briefing.labels.end() || labels->second.empty()
                ? field
                : labels->second.front();
        const auto value = parsed.values.find(field);
        if (value == parsed.values.end() || value->second.empty()) {
            missing.push_back({{"label", label}});
        } else {
            understood.push_back(
                {{"label", label},
                 {"value", in_group ? text::mask_sensitive(value->second) : value->second}});
        }
    }
    const std::string code = model::briefing_code(briefing.number);
    // The briefing becomes a line of every open demand's follow-up history.
    nlohmann::json demands = nlohmann::json::array();
    for (const model::Demand& demand : state.open_demands(company->id)) {
        decision.changes.emplace_back(
            DemandUpdated{demand, model::DemandHistoryEntry{demand.number, message.time, staff->id,
                                                            "briefing", code + " " + body}});
        demands.push_back(model::demand_code(demand.number));
    }
    decision.changes.emplace(decision.changes.begin(), BriefingRecorded{briefing});
    ctx.audit(staff->id, "briefing.recorded", code,
              {{"company", company->full_name}, {"chat", message.chat.id}, {"demands", demands}});
    ctx.notify(reply_target(message), "briefing_recorded",
               {{"briefing_id", code},
                {"company", company->full_name},
                {"reporter", staff->name},
                {"understood", understood},
                {"has_missing", !missing.empty()},
                {"missing", missing},
                {"has_demands", !demands.empty()},
                {"demands", demands}});
    return decision;
}

}  // namespace ledgerbot::bot::reports
