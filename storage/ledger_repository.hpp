#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// Visit records and service demands (企业服务需求台账).
class LedgerRepository {
public:
    explicit LedgerRepository(SQLite::Database& db) : db_(db) {}

    /// Applies one change within the caller's transaction.
    void apply(const bot::LedgerChange& change);

    std::int64_t next_visit_number();
    std::int64_t next_demand_number();
    std::int64_t next_briefing_number();

    result<std::optional<bot::VisitRecord>> find_visit(std::int64_t number);
    result<std::vector<bot::Demand>> demands_of_visit(std::int64_t visit_number);

private:
    void insert_visit(const bot::VisitRecord& record);
    void insert_demand(const bot::Demand& demand);
    void insert_briefing(const bot::Briefing& briefing);

    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
