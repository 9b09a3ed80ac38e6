#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/state.hpp"
#include "storage/demand_repository.hpp"
#include "storage/directory_repository.hpp"
#include "storage/group_repository.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/points_repository.hpp"
#include "storage/score_repository.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {

/// The engine's view of the database, for the event processor (inside its transaction) and for
/// read-only commands such as `ledgerbot scores`. Reads throw SQLite::Exception. The directory
/// snapshot is reloaded only when an import bumped its version, so a busy server does not re-read
/// the company list per event.
class SqliteState final : public bot::State {
public:
    explicit SqliteState(SQLite::Database& db)
        : db_(db), directories_(db), ledger_(db), groups_(db) {}

    /// Loads the directory snapshot when an import changed it; call before handing it out.
    void refresh() {
        const std::int64_t version = directories_.version().value();
        if (!loaded_ || version != version_) {
            directory_ = directories_.load().value();
            version_ = version;
            loaded_ = true;
        }
    }

    const bot::model::Directory& directory() const override { return directory_; }
    /// The import version the directory snapshot was loaded at (refresh).
    std::int64_t directory_version() const { return version_; }
    std::int64_t next_visit_number() const override { return ledger_.next_visit_number(); }
    std::int64_t next_demand_number() const override { return ledger_.next_demand_number(); }
    std::int64_t next_risk_number() const override { return groups_.next_risk_number(); }
    std::optional<bot::model::VisitRecord> visit(std::int64_t number) const override {
        return ledger_.visit(number);
    }
    std::optional<bot::model::VisitRecord> latest_visit_by(
        const std::string& reporter_id, const std::string& channel,
        const std::string& chat_id) const override {
        return ledger_.latest_visit_by(reporter_id, channel, chat_id);
    }
    std::int64_t evidence_count(std::int64_t visit_number) const override {
        return ledger_.evidence_count(visit_number);
    }
    std::optional<bot::model::EvidenceWait> evidence_wait(
        const std::string& by_id, const std::string& channel,
        const std::string& chat_id) const override {
        return ledger_.evidence_wait(by_id, channel, chat_id);
    }
    std::optional<bot::model::GroupView> group(std::string_view source,
                                               std::string_view chat_id) const override {
        return groups_.find(source, chat_id);
    }
    std::vector<bot::model::GroupView> enforced_groups() const override {
        return groups_.enforced();
    }
    std::optional<bot::model::Demand> demand(std::int64_t number) const override {
        return DemandRepository(db_).find(number);
    }
    std::vector<bot::model::Demand> demands_awaiting_plan() const override {
        return DemandRepository(db_).awaiting_plan();
    }
    std::vector<bot::model::Demand> open_demands(std::int64_t company_id) const override {
        return DemandRepository(db_).open_of_company(company_id);
    }
    std::vector<bot::model::Demand> company_demands(std::int64_t company_id) const override {
        return DemandRepository(db_).of_company(company_id);
    }
    std::vector<bot::model::DemandHistoryEntry> demand_history(std::int64_t number) const override {
        return DemandRepository(db_).history(number);
    }
    std::int64_t next_briefing_number() const override { return ledger_.next_briefing_number(); }
    std::vector<bot::model::Demand> all_open_demands() const override {
        return DemandRepository(db_).all_open();
    }
    std::vector<std::int64_t> companies_visited(std::int64_t from, std::int64_t to) const override {
        Prepared query(db_,
                       "SELECT DISTINCT company_id FROM visits WHERE company_id IS NOT "
                       "NULL AND visit_time BETWEEN ? AND ? AND number NOT IN (SELECT "
                       "visit_number FROM visit_voids WHERE withdrawn = 1) ORDER BY "
                       "company_id");
        query->bind(1, from);
        query->bind(2, to);
        std::vector<std::int64_t> out;
        while (query->executeStep()) {
            out.push_back(query->getColumn(0).getInt64());
        }
        return out;
    }
    std::vector<bot::model::VisitRecord> visits_between(std::int64_t from,
                                                        std::int64_t to) const override {
        return ledger_.visits_between(from, to);
    }
    std::map<std::int64_t, bot::model::VisitScoringDetails> scoring_details(
        std::int64_t from, std::int64_t to) const override {
        return ScoreRepository(db_).details_between(from, to);
    }
    std::optional<bot::model::VisitVoid> visit_void(std::int64_t visit_number) const override {
        return ScoreRepository(db_).visit_void(visit_number);
    }
    std::optional<bot::model::ScoreReview> score_review(const std::string& week,
                                                        const std::string& line) const override {
        return ScoreRepository(db_).review(week, line);
    }
    std::vector<bot::model::VisitRecord> company_visits_between(
        const std::vector<std::int64_t>& companies, std::int64_t from,
        std::int64_t to) const override {
        return ledger_.company_visits_between(companies, from, to);
    }
    std::map<std::int64_t, bot::model::VisitScoringDetails> scoring_details_of(
        const std::vector<std::int64_t>& visit_numbers) const override {
        return ScoreRepository(db_).details_of(visit_numbers);
    }
    std::vector<bot::model::VisitRecord> visits_for_journal(
        const std::vector<std::int64_t>& numbers) const override {
        return ledger_.visits_for_journal(numbers);
    }
    std::map<std::int64_t, bot::model::VisitScoringDetails> scoring_details_for_journal(
        const std::vector<std::int64_t>& scored,
        const std::vector<std::int64_t>& cap_only) const override {
        return ScoreRepository(db_).details_of(scored, cap_only);
    }
    std::vector<std::int64_t> companies_visited_before(const std::vector<std::int64_t>& companies,
                                                       std::int64_t before) const override {
        Prepared query(db_,
                       "SELECT 1 FROM visits WHERE company_id = ? AND "
                       "COALESCE(visit_time, reported_at) < ? LIMIT 1");
        std::vector<std::int64_t> out;
        for (const std::int64_t company : companies) {
            query->reset();
            query->bind(1, company);
            query->bind(2, before);
            if (query->executeStep()) {
                out.push_back(company);
            }
        }
        return out;
    }
    std::vector<bot::model::Demand> demands_without_visit() const override {
        return DemandRepository(db_).without_visit();
    }
    std::vector<std::int64_t> omission_deadlines_between(std::int64_t from,
                                                         std::int64_t to) const override {
        return ScoreRepository(db_).omission_deadlines_between(from, to);
    }
    std::vector<bot::model::PointEntry> point_entries_of_visits(
        const std::vector<std::int64_t>& visit_numbers) const override {
        return PointsRepository(db_).of_visits(visit_numbers);
    }
    std::vector<bot::model::PointEntry> point_entries_between(std::int64_t from,
                                                              std::int64_t to) const override {
        return PointsRepository(db_).between(from, to);
    }
    std::optional<bot::model::PublishedTable> published_table(
        const std::string& week, const std::string& line) const override {
        return PointsRepository(db_).published(week, line);
    }
    std::optional<std::int64_t> last_audited(const std::string& action,
                                             const std::string& subject) const override {
        Prepared query(db_, "SELECT MAX(at) FROM audit_log WHERE action = ? AND subject = ?");
        query->bind(1, action);
        query->bind(2, subject);
        if (!query->executeStep() || query->getColumn(0).isNull()) {
            return std::nullopt;
        }
        return query->getColumn(0).getInt64();
    }
    std::optional<bot::model::Risk> risk(std::int64_t number) const override {
        return groups_.risk(number);
    }
    std::vector<bot::model::Risk> unacknowledged_notices() const override {
        return groups_.unacknowledged_notices();
    }
    std::vector<bot::model::Risk> open_risks() const override { return groups_.open_risks(); }

private:
    SQLite::Database& db_;
    DirectoryRepository directories_;
    mutable LedgerRepository ledger_;
    mutable GroupRepository groups_;
    bot::model::Directory directory_;
    std::int64_t version_ = 0;
    bool loaded_ = false;
};

}  // namespace ledgerbot::storage
