#include "storage/ledger_export.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

namespace ledgerbot::storage {
namespace {

std::string value_of(const nlohmann::json& values, const char* key) {
    const auto it = values.find(key);
    return it != values.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

result<std::vector<LedgerRow>> read_ledger(SQLite::Database& db) {
    return guarded([&] {
        Prepared query(
            db,
            "SELECT d.number, COALESCE(d.visit_number, 0), d.company_name, d.summary, d.status, "
            "v.visit_time, COALESCE(v.values_json, '{}'), COALESCE(v.reporter_name, ''), "
            "COALESCE(v.reporter_id, ''), COALESCE(c.industry, ''), d.owner_name, "
            "d.contracted_at, d.completion_percent, d.revenue_yuan "
            "FROM demands d LEFT JOIN visits v ON v.number = d.visit_number "
            "LEFT JOIN companies c ON c.id = d.company_id WHERE d.status != 'withdrawn' "
            "ORDER BY d.number");
        std::vector<LedgerRow> rows;
        while (query->executeStep()) {
            LedgerRow row;
            row.demand_number = query->getColumn(0).getInt64();
            row.visit_number = query->getColumn(1).getInt64();
            row.company_name = query->getColumn(2).getString();
            row.demand = query->getColumn(3).getString();
            row.status = query->getColumn(4).getString();
            if (!query->getColumn(5).isNull()) {
                row.visit_time = query->getColumn(5).getInt64();
            }
            const auto values =
                nlohmann::json::parse(query->getColumn(6).getString(), nullptr, false);
            row.business_status = value_of(values, "business_status");
            row.industry = value_of(values, "industry");
            if (row.industry.empty()) {
                row.industry = query->getColumn(9).getString();
            }
            row.matchable = value_of(values, "matchable_services");
            const std::string contact = value_of(values, "contact");
            const std::string phone = value_of(values, "phone");
            row.contact =
                contact.empty() || phone.empty() ? contact + phone : contact + " " + phone;
            row.reporter = query->getColumn(7).getString();
            if (row.reporter.empty()) {
                row.reporter = query->getColumn(8).getString();
            }
            row.owner_name = query->getColumn(10).getString();
            row.contract_signed = query->getColumn(11).getInt64() != 0;
            row.completion_percent = query->getColumn(12).getInt();
            row.revenue_yuan = query->getColumn(13).getInt64();
            rows.push_back(std::move(row));
        }
        Prepared history(db,
                         "SELECT h.demand_number, h.at, COALESCE(s.name, h.actor), h.text "
                         "FROM demand_history h LEFT JOIN staff s ON s.id = h.actor "
                         "ORDER BY h.id");
        while (history->executeStep()) {
            const std::int64_t number = history->getColumn(0).getInt64();
            for (auto& row : rows) {
                if (row.demand_number == number) {
                    row.follow_ups.push_back(LedgerRow::FollowUp{
                        history->getColumn(1).getInt64(), history->getColumn(2).getString(),
                        history->getColumn(3).getString()});
                }
            }
        }
        return rows;
    });
}

}  // namespace ledgerbot::storage
