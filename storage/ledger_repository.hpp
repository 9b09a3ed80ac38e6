#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// Visit records, their supplements and evidence, and service demands (企业服务需求台账).
///
/// `apply`, the next numbers and the reads the engine's state uses (`visit`, `latest_visit_by`,
/// `evidence_count`) run inside the caller's transaction and throw SQLite::Exception, so the
/// event processor can tell a busy database from a bug. `find_visit` and `demands_of_visit`
/// are for callers outside it and return errors instead.
class LedgerRepository {
public:
    explicit LedgerRepository(SQLite::Database& db) : db_(db) {}

    /// Applies one change within the caller's transaction.
    void apply(const bot::LedgerChange& change);

    std::int64_t next_visit_number();
    std::int64_t next_demand_number();
    std::int64_t next_briefing_number();

    std::optional<bot::model::VisitRecord> visit(std::int64_t number);
    /// The highest-numbered record `reporter_id` reported in that chat.
    std::optional<bot::model::VisitRecord> latest_visit_by(const std::string& reporter_id,
                                                           const std::string& channel,
                                                           const std::string& chat_id);
    std::int64_t evidence_count(std::int64_t visit_number);
    std::optional<bot::model::EvidenceWait> evidence_wait(const std::string& by_id,
                                                          const std::string& channel,
                                                          const std::string& chat_id);
    /// Records whose visit time (else report time) is in [from, to], oldest first.
    /// The records of these companies whose visit time (else report time) is in [from, to],
    /// oldest first.
    /// bot::State::visits_for_journal: one read, without values and raw text.
    std::vector<bot::model::VisitRecord> visits_for_journal(
        const std::vector<std::int64_t>& numbers);
    std::vector<bot::model::VisitRecord> company_visits_between(
        const std::vector<std::int64_t>& companies, std::int64_t from, std::int64_t to);
    std::vector<bot::model::VisitRecord> visits_between(std::int64_t from, std::int64_t to);

    result<std::optional<bot::model::VisitRecord>> find_visit(std::int64_t number);
    result<std::vector<bot::model::Demand>> demands_of_visit(std::int64_t visit_number);

private:
    void insert_visit(const bot::model::VisitRecord& record);
    void insert_demand(const bot::model::Demand& demand);
    void insert_briefing(const bot::model::Briefing& briefing);
    void supplement_visit(const bot::VisitRecordSupplemented& supplement);
    void insert_evidence(const bot::model::Evidence& evidence);
    void record_fetch(const bot::EvidenceFetchRecorded& recorded);
    void insert_wait(const bot::model::EvidenceWait& wait);

    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
