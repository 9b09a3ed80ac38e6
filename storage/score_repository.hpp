#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"

namespace ledgerbot::storage {

/// Findings, voided records and weekly reviews (第十七条). Runs inside the caller's
/// transaction; SQLite errors surface as SQLite::Exception.
class ScoreRepository {
public:
    explicit ScoreRepository(SQLite::Database& db) : db_(db) {}

    void apply(const bot::ScoreChange& change);

    std::vector<bot::model::VisitFinding> findings(std::int64_t visit_number);
    /// bot::State::scoring_details: one query per kind over the records in [from, to].
    std::map<std::int64_t, bot::model::VisitScoringDetails> details_between(std::int64_t from,
                                                                            std::int64_t to);
    /// bot::State::scoring_details_of: per record, for the few a journal update scores; of
    /// `cap_only` only what cap places need (bot::State::scoring_details_for_journal).
    std::map<std::int64_t, bot::model::VisitScoringDetails> details_of(
        const std::vector<std::int64_t>& visit_numbers,
        const std::vector<std::int64_t>& cap_only = {});
    std::vector<std::int64_t> omission_deadlines_between(std::int64_t from, std::int64_t to);
    std::optional<bot::model::VisitVoid> visit_void(std::int64_t visit_number);
    std::optional<bot::model::ScoreReview> review(const std::string& week, const std::string& line);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
