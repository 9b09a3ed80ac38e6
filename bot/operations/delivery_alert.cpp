#include "bot/operations/delivery_alert.hpp"

#include "bot/decision_context.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::operations {

Decision alert_failing_delivery(const model::InboundEvent& event, const State& state,
                                const settings::EngineSettings& settings) {
    Decision decision;
    if (!event.outage) {
        return decision;
    }
    const model::DeliveryOutage& outage = *event.outage;
    DecisionContext ctx(settings, state, decision);
    const nlohmann::json fields{{"since", time::format_local_minutes(outage.since)},
                                {"failing", outage.failing},
                                {"channels", outage.channels}};
    ctx.notify_compliance(settings.routing.admin_channel, "delivery_failing", fields);
    for (const auto& admin : settings.routing.admin_ids) {
        ctx.notify(ctx.person_target(settings.routing.admin_channel, admin), "delivery_failing",
                   fields);
    }
    ctx.audit(std::string(kBotActor), "delivery.failing", "outbox",
              {{"since", outage.since},
               {"failing", outage.failing},
               {"channels", outage.channels},
               {"last_error", outage.last_error}});
    return decision;
}

}  // namespace ledgerbot::bot::operations
