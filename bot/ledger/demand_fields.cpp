#include "bot/ledger/demand_fields.hpp"

#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::ledger {

nlohmann::json demand_fields(const model::Demand& demand) {
    nlohmann::json fields{
        {"demand_id", model::demand_code(demand.number)},
        {"company", demand.company_name},
        {"summary", demand.summary},
        {"plan", demand.plan},
        {"owner_name", demand.owner_name},
        {"completion_percent", demand.completion_percent},
        {"revenue_yuan", demand.revenue_yuan},
        {"referral_department", demand.referral_department},
        {"reason", demand.infeasible_reason},
        {"deadline", demand.plan_deadline != 0 ? time::format_local_minutes(demand.plan_deadline)
                                               : std::string{}}};
    fields["status_" + demand.status] = true;
    fields[demand.status] = true;
    return fields;
}

}  // namespace ledgerbot::bot::ledger
