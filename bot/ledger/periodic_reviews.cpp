#include "bot/ledger/periodic_reviews.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bot/decision_context.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/quarter.hpp"
#include "bot/time/working_day_calendar.hpp"

namespace ledgerbot::bot::ledger {
namespace {

// Reviews concern no chat: people are reached the way the generic adapter reaches them, unless
// the routing sends that channel elsewhere (the WeCom app when configured).
constexpr const char* kReviewSource = "generic";

using time::make_quarter;
using time::Quarter;

// The quarter a tick is about: its run key's period (`coverage-gaps:2026-Q4`), else the quarter
// of its time.
Quarter quarter_of_tick(const model::InboundEvent& tick) {
    const auto at = tick.id.rfind(':');
    const std::string period = at == std::string::npos ? std::string{} : tick.id.substr(at + 1);
    if (period.size() == 7 && period[4] == '-' && period[5] == 'Q' && period[6] >= '1' &&
        period[6] <= '4' && std::all_of(period.begin(), period.begin() + 4, [](char c) {
            return c >= '0' && c <= '9';
        })) {
        return make_quarter(std::stoi(period.substr(0, 4)), period[6] - '0');
    }
    return time::quarter_at(tick.time);
}

std::vector<const model::Company*> unvisited(const Quarter& quarter, const State& state,
                                             const settings::LedgerSettings& settings) {
    const std::vector<std::int64_t> visited = state.companies_visited(quarter.from, quarter.to);
    const std::set<std::int64_t> seen(visited.begin(), visited.end());
    std::vector<const model::Company*> out;
    for (const auto& company : state.directory().companies()) {
        if (settings::must_be_covered(company, settings) && seen.count(company.id) == 0) {
            out.push_back(&company);
        }
    }
    return out;
}

nlohmann::json company_rows(const std::vector<const model::Company*>& companies,
                            const DecisionContext& ctx,
                            const std::map<std::int64_t, std::int64_t>& risk_of = {}) {
    nlohmann::json rows = nlohmann::json::array();
    for (const model::Company* company : companies) {
        rows.push_back(
            {{"company", company->full_name},
             {"risk_id", risk_of.count(company->id) != 0 ? model::risk_code(risk_of.at(company->id))
                                                         : std::string{}},
             {"department", company->department},
             {"manager", company->account_manager.empty()
                             ? std::string{}
                             : ctx.person_name(company->account_manager)}});
    }
    return rows;
}

}  // namespace

Decision remind_coverage(const JobCall& call) {
    return PeriodicReviews(call.settings).remind_coverage(call.tick, call.state);
}

Decision report_coverage_gaps(const JobCall& call) {
    return PeriodicReviews(call.settings).report_coverage_gaps(call.tick, call.state);
}

Decision send_monthly_digest(const JobCall& call) {
    return PeriodicReviews(call.settings).monthly_digest(call.tick, call.state);
}

Decision PeriodicReviews::remind_coverage(const model::InboundEvent& tick,
                                          const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const Quarter quarter = quarter_of_tick(tick);
    std::map<std::string, std::vector<const model::Company*>> by_manager;
    for (const model::Company* company : unvisited(quarter, state, settings_.ledger)) {
        if (!company->account_manager.empty()) {
            by_manager[company->account_manager].push_back(company);
        }
    }
    const int days_left =
        settings_.calendar.working_days_left_in_quarter(time::local_date(tick.time));
    for (const auto& [manager, companies] : by_manager) {
        ctx.notify(ctx.person_target(settings_.routing.direct_channel_for(kReviewSource), manager),
                   "coverage_reminder",
                   {{"quarter", quarter.label},
                    {"manager", ctx.person_name(manager)},
                    {"working_days_left", days_left},
                    {"deadline", time::format_local_minutes(quarter.to)},
                    {"companies", company_rows(companies, ctx)}});
        ctx.audit(std::string(kBotActor), "coverage.reminded", manager,
                  {{"quarter", quarter.label}, {"companies", companies.size()}});
    }
    return decision;
}

Decision PeriodicReviews::report_coverage_gaps(const model::InboundEvent& tick,
                                               const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const Quarter quarter = quarter_of_tick(tick);
    const std::vector<const model::Company*> gaps = unvisited(quarter, state, settings_.ledger);
    if (gaps.empty()) {
        return decision;
    }
    std::map<std::string, std::vector<const model::Company*>> by_department;
    for (const model::Company* company : gaps) {
        by_department[company->department].push_back(company);
    }
    const std::string ack = "/" + settings_.risk_notices.acknowledge_commands.front();
    // Each gap is a risk in the register, for its account manager to answer.
    std::map<std::int64_t, std::int64_t> risk_of;
    for (const model::Company* company : gaps) {
        model::Risk risk;
        risk.kind = "coverage";
        risk.source = settings_.routing.direct_channel_for(kReviewSource);
        risk.company_id = company->id;
        risk.company_name = company->full_name;
        risk.subject = quarter.label;
        risk.detail = {{"quarter", quarter.label}};
        for (const model::StaffMember* head : ctx.department_heads(company->department)) {
            risk.told.push_back(head->id);
        }
        risk.told.emplace_back("compliance");
        risk.raised_at = tick.time;
        risk.lead_id = company->account_manager;
        risk_of[company->id] = ctx.raise_risk(std::move(risk));
    }
    for (const auto& [department, companies] : by_department) {
        for (const model::StaffMember* head : ctx.department_heads(department)) {
            ctx.notify(
                ctx.person_target(settings_.routing.direct_channel_for(kReviewSource), head->id),
                "coverage_gaps",
                {{"quarter", quarter.label},
                 {"department", department},
                 {"ack_command", ack},
                 {"companies", company_rows(companies, ctx, risk_of)}});
        }
    }
    ctx.notify_compliance(kReviewSource, "coverage_gaps",
                          {{"quarter", quarter.label},
                           {"ack_command", ack},
                           {"companies", company_rows(gaps, ctx, risk_of)}});
    ctx.audit(std::string(kBotActor), "coverage.gaps_reported", quarter.label,
              {{"companies", gaps.size()}});
    return decision;
}

Decision PeriodicReviews::monthly_digest(const model::InboundEvent& tick,
                                         const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    std::map<std::string, nlohmann::json> by_department;
    const model::Directory& directory = ctx.directory();
    for (const model::Demand& demand : state.all_open_demands()) {
        std::string department;
        for (const auto& company : directory.companies()) {
            if (demand.company_id && company.id == *demand.company_id) {
                department = company.department;
            }
        }
        nlohmann::json row{{"demand_id", model::demand_code(demand.number)},
                           {"company", demand.company_name},
                           {"summary", demand.summary},
                           {"owner_name", demand.owner_name},
                           {"days_open", (tick.time - demand.collected_at) / 86400}};
        row["status_" + demand.status] = true;
        by_department[department].push_back(std::move(row));
    }
    for (auto& [department, rows] : by_department) {
        for (const model::StaffMember* head : ctx.department_heads(department)) {
            ctx.notify(
                ctx.person_target(settings_.routing.direct_channel_for(kReviewSource), head->id),
                "monthly_digest",
                {{"month", time::format_date(time::local_date(tick.time)).substr(0, 7)},
                 {"department", department},
                 {"count", rows.size()},
                 {"demands", rows}});
        }
        ctx.audit(std::string(kBotActor), "digest.sent", department, {{"demands", rows.size()}});
    }
    return decision;
}

}  // namespace ledgerbot::bot::ledger
