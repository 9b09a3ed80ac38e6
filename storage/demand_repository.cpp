#include "storage/demand_repository.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

namespace ledgerbot::storage {

void DemandRepository::update(const bot::DemandUpdated& updated) {
    const bot::model::Demand& d = updated.demand;
    Prepared update(
        db_,
        "UPDATE demands SET status = ?, plan_deadline = ?, plan = ?, owner_id = ?, owner_name = ?, "
        "planned_at = ?, contracted_at = ?, completion_percent = ?, revenue_yuan = ?, "
        "referral_department = ?, referred_by = ?, referral_landed_at = ?, closed_at = ?, "
        "infeasible_reason = ?, sla_reminded_at = ?, sla_escalated_at = ?, progress_at = ? "
        "WHERE number = ?");
    update->bind(1, d.status);
    update->bind(2, d.plan_deadline);
    update->bind(3, d.plan);
    update->bind(4, d.owner_id);
    update->bind(5, d.owner_name);
    update->bind(6, d.planned_at);
    update->bind(7, d.contracted_at);
    update->bind(8, d.completion_percent);
    update->bind(9, d.revenue_yuan);
    update->bind(10, d.referral_department);
    update->bind(11, d.referred_by);
    update->bind(12, d.referral_landed_at);
    update->bind(13, d.closed_at);
    update->bind(14, d.infeasible_reason);
    update->bind(15, d.sla_reminded_at);
    update->bind(16, d.sla_escalated_at);
    update->bind(17, d.progress_at);
    update->bind(18, d.number);
    if (update->exec() != 1) {
        throw SQLite::Exception("demand " + std::to_string(d.number) + " does not exist");
    }
    if (updated.history) {
        const bot::model::DemandHistoryEntry& h = *updated.history;
        Prepared insert(db_,
                        "INSERT INTO demand_history (demand_number, at, actor, action, "
                        "text) VALUES (?, ?, ?, ?, ?)");
        insert->bind(1, h.demand_number);
        insert->bind(2, h.at);
        insert->bind(3, h.actor);
        insert->bind(4, h.action);
        insert->bind(5, h.text);
        insert->exec();
    }
}

std::vector<bot::model::Demand> DemandRepository::query(const std::string& where,
                                                        std::int64_t number) {
    return query(where,
                 number != 0 ? std::vector<std::int64_t>{number} : std::vector<std::int64_t>{});
}

namespace {

constexpr const char* kDemandSelect =
    "SELECT d.number, d.visit_number, d.company_id, d.company_name, d.summary, d.status, "
    "d.collected_at, COALESCE(v.channel, d.channel), d.plan_deadline, d.plan, d.owner_id, "
    "d.owner_name, d.planned_at, d.contracted_at, d.completion_percent, d.revenue_yuan, "
    "d.referral_department, d.referred_by, d.referral_landed_at, d.closed_at, "
    "d.infeasible_reason, d.sla_reminded_at, d.sla_escalated_at, d.progress_at FROM demands d "
    "LEFT JOIN visits v ON v.number = d.visit_number ";

std::vector<bot::model::Demand> read_demands(SQLite::Statement& query) {
    std::vector<bot::model::Demand> out;
    while (query.executeStep()) {
        bot::model::Demand d;
        d.number = query.getColumn(0).getInt64();
        d.visit_number = query.getColumn(1).getInt64();
        if (!query.getColumn(2).isNull()) {
            d.company_id = query.getColumn(2).getInt64();
        }
        d.company_name = query.getColumn(3).getString();
        d.summary = query.getColumn(4).getString();
        d.status = query.getColumn(5).getString();
        d.collected_at = query.getColumn(6).getInt64();
        d.channel = query.getColumn(7).getString();
        d.plan_deadline = query.getColumn(8).getInt64();
        d.plan = query.getColumn(9).getString();
        d.owner_id = query.getColumn(10).getString();
        d.owner_name = query.getColumn(11).getString();
        d.planned_at = query.getColumn(12).getInt64();
        d.contracted_at = query.getColumn(13).getInt64();
        d.completion_percent = query.getColumn(14).getInt();
        d.revenue_yuan = query.getColumn(15).getInt64();
        d.referral_department = query.getColumn(16).getString();
        d.referred_by = query.getColumn(17).getString();
        d.referral_landed_at = query.getColumn(18).getInt64();
        d.closed_at = query.getColumn(19).getInt64();
        d.infeasible_reason = query.getColumn(20).getString();
        d.sla_reminded_at = query.getColumn(21).getInt64();
        d.sla_escalated_at = query.getColumn(22).getInt64();
        d.progress_at = query.getColumn(23).getInt64();
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

std::vector<bot::model::Demand> DemandRepository::query(
    const std::string& where, const std::vector<std::int64_t>& parameters) {
    Prepared query(db_, std::string(kDemandSelect) + where + " ORDER BY d.number");
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        query->bind(static_cast<int>(i) + 1, parameters[i]);
    }
    return read_demands(query);
}

std::map<std::int64_t, std::vector<bot::model::Demand>> DemandRepository::of_visits(
    const std::vector<std::int64_t>& visit_numbers) {
    // One statement for all of them: the points journal asks for a company's whole year.
    Prepared query(db_, std::string(kDemandSelect) +
                            "WHERE d.visit_number IN (SELECT value FROM json_each(?)) "
                            "ORDER BY d.number");
    query->bind(1, nlohmann::json(visit_numbers).dump());
    std::map<std::int64_t, std::vector<bot::model::Demand>> out;
    for (auto& demand : read_demands(query)) {
        out[demand.visit_number].push_back(std::move(demand));
    }
    return out;
}

std::optional<bot::model::Demand> DemandRepository::find(std::int64_t number) {
    auto found = query("WHERE d.number = ?", number);
    if (found.empty()) {
        return std::nullopt;
    }
    return std::move(found.front());
}

std::vector<bot::model::Demand> DemandRepository::awaiting_plan() {
    return query("WHERE d.status = 'collected'");
}

std::vector<bot::model::Demand> DemandRepository::of_company(std::int64_t company_id) {
    return query("WHERE d.company_id = ? AND d.status != 'withdrawn'", company_id);
}

std::vector<bot::model::Demand> DemandRepository::open_of_company(std::int64_t company_id) {
    return query(
        "WHERE d.company_id = ? AND d.status NOT IN ('completed', 'infeasible', "
        "'withdrawn')",
        company_id);
}

std::vector<bot::model::Demand> DemandRepository::all_open() {
    return query("WHERE d.status NOT IN ('completed', 'infeasible', 'withdrawn')");
}

std::vector<bot::model::Demand> DemandRepository::of_visits_between(std::int64_t from,
                                                                    std::int64_t to) {
    return query("WHERE COALESCE(v.visit_time, v.reported_at) BETWEEN ? AND ?", {from, to});
}

std::vector<bot::model::Demand> DemandRepository::without_visit() {
    return query("WHERE d.visit_number IS NULL");
}

std::vector<bot::model::Demand> DemandRepository::of_visit(std::int64_t visit_number) {
    return query("WHERE d.visit_number = ?", visit_number);
}

std::vector<bot::model::DemandHistoryEntry> DemandRepository::history(std::int64_t number) {
    Prepared query(db_,
                   "SELECT demand_number, at, actor, action, text FROM demand_history "
                   "WHERE demand_number = ? ORDER BY id");
    query->bind(1, number);
    std::vector<bot::model::DemandHistoryEntry> out;
    while (query->executeStep()) {
        out.push_back(bot::model::DemandHistoryEntry{
            query->getColumn(0).getInt64(), query->getColumn(1).getInt64(),
            query->getColumn(2).getString(), query->getColumn(3).getString(),
            query->getColumn(4).getString()});
    }
    return out;
}

}  // namespace ledgerbot::storage
