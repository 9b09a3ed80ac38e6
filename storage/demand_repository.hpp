#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "bot/model/ledger_types.hpp"

namespace ledgerbot::storage {

/// A demand's life after collection (第七、八条): plan, owner, agreement, progress, referral,
/// closing, and its follow-up history. Runs inside the caller's transaction; SQLite errors
/// surface as SQLite::Exception to the event processor.
class DemandRepository {
public:
    explicit DemandRepository(SQLite::Database& db) : db_(db) {}

    void update(const bot::DemandUpdated& updated);

    std::optional<bot::model::Demand> find(std::int64_t number);
    std::vector<bot::model::Demand> awaiting_plan();
    std::vector<bot::model::Demand> open_of_company(std::int64_t company_id);
    std::vector<bot::model::Demand> of_company(std::int64_t company_id);
    std::vector<bot::model::Demand> all_open();
    /// The demands of every record whose visit time (else report time) is in [from, to].
    std::vector<bot::model::Demand> of_visits_between(std::int64_t from, std::int64_t to);
    /// Demands that came from no visit (/签约 <企业>).
    std::vector<bot::model::Demand> without_visit();
    /// The demands one record collected.
    std::vector<bot::model::Demand> of_visit(std::int64_t visit_number);
    /// The demands of each of the visits (visits without any are absent), in one query.
    std::map<std::int64_t, std::vector<bot::model::Demand>> of_visits(
        const std::vector<std::int64_t>& visit_numbers);
    std::vector<bot::model::DemandHistoryEntry> history(std::int64_t number);

private:
    std::vector<bot::model::Demand> query(const std::string& where, std::int64_t number = 0);
    std::vector<bot::model::Demand> query(const std::string& where,
                                          const std::vector<std::int64_t>& parameters);

    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
