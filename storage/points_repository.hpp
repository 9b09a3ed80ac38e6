#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/points.hpp"
#include "bot/model/score_review.hpp"

namespace ledgerbot::storage {

/// The points journal and the published weekly tables (第十七条). Both are append-only: the
/// schema's triggers refuse an UPDATE or DELETE of either, so 考评有据 holds even against SQL
/// typed by hand. Runs inside the caller's transaction; SQLite errors surface as
/// SQLite::Exception.
class PointsRepository {
public:
    explicit PointsRepository(SQLite::Database& db) : db_(db) {}

    void append(const std::vector<bot::model::PointEntry>& entries);
    /// A week's table is published once: a second publication of it is refused (false).
    bool publish(const bot::model::PublishedTable& table);

    std::vector<bot::model::PointEntry> of_visits(const std::vector<std::int64_t>& visit_numbers);
    std::vector<bot::model::PointEntry> between(std::int64_t from, std::int64_t to);
    std::optional<bot::model::PublishedTable> published(const std::string& week,
                                                        const std::string& line);
    std::vector<bot::model::PublishedTable> published_weeks(const std::string& week);
    std::int64_t count();

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
