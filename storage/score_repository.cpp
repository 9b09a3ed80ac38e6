#include "storage/score_repository.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/demand_repository.hpp"
#include "storage/overloaded.hpp"
#include "storage/points_repository.hpp"

namespace ledgerbot::storage {

void ScoreRepository::apply(const bot::ScoreChange& change) {
    std::visit(
        Overloaded{
            [&](const bot::FindingRecorded& recorded) {
                const bot::model::VisitFinding& f = recorded.finding;
                Prepared insert(
                    db_,
                    "INSERT INTO visit_findings (visit_number, kind, reason, by_id, by_name, at, "
                    "deadline) VALUES (?, ?, ?, ?, ?, ?, ?)");
                insert->bind(1, f.visit_number);
                insert->bind(2, f.kind);
                insert->bind(3, f.reason);
                insert->bind(4, f.by_id);
                insert->bind(5, f.by_name);
                insert->bind(6, f.at);
                insert->bind(7, f.deadline);
                insert->exec();
            },
            [&](const bot::VisitVoided& voided) {
                const bot::model::VisitVoid& v = voided.voided;
                // The first void stands; voiding again changes nothing (the engine refuses it).
                Prepared insert(db_,
                                "INSERT OR IGNORE INTO visit_voids (visit_number, reason, "
                                "by_id, by_name, at, withdrawn) VALUES (?, ?, ?, ?, ?, ?)");
                insert->bind(1, v.visit_number);
                insert->bind(2, v.reason);
                insert->bind(3, v.by_id);
                insert->bind(4, v.by_name);
                insert->bind(5, v.at);
                insert->bind(6, v.withdrawn ? 1 : 0);
                insert->exec();
            },
            [&](const bot::ScoreReviewed& reviewed) {
                const bot::model::ScoreReview& r = reviewed.review;
                // Approving a later version replaces the approval of an earlier one; the audit
                // trail keeps each.
                Prepared insert(db_,
                                "INSERT OR REPLACE INTO score_reviews (week, line, by_id, "
                                "at, version) VALUES (?, ?, ?, ?, ?)");
                insert->bind(1, r.week);
                insert->bind(2, r.line);
                insert->bind(3, r.by_id);
                insert->bind(4, r.at);
                insert->bind(5, r.version);
                insert->exec();
            },
            [&](const bot::PointsEntered& entered) {
                PointsRepository(db_).append(entered.entries);
            },
            [&](const bot::TablePublished& published) {
                PointsRepository(db_).publish(published.table);
            },
        },
        change);
}

std::vector<bot::model::VisitFinding> ScoreRepository::findings(std::int64_t visit_number) {
    Prepared query(db_,
                   "SELECT visit_number, kind, reason, by_id, by_name, at, deadline FROM "
                   "visit_findings WHERE visit_number = ? ORDER BY id");
    query->bind(1, visit_number);
    std::vector<bot::model::VisitFinding> out;
    while (query->executeStep()) {
        out.push_back(bot::model::VisitFinding{
            query->getColumn(0).getInt64(), query->getColumn(1).getString(),
            query->getColumn(2).getString(), query->getColumn(3).getString(),
            query->getColumn(4).getString(), query->getColumn(5).getInt64(),
            query->getColumn(6).getInt64()});
    }
    return out;
}

namespace {

// The records of [from, to] by the time scoring places them at, for the detail queries.
constexpr const char* kInRange =
    " JOIN visits v ON v.number = x.visit_number WHERE COALESCE(v.visit_time, v.reported_at) "
    "BETWEEN ? AND ?";

}  // namespace

std::map<std::int64_t, bot::model::VisitScoringDetails> ScoreRepository::details_between(
    std::int64_t from, std::int64_t to) {
    std::map<std::int64_t, bot::model::VisitScoringDetails> out;
    const auto run = [&](const std::string& sql, const auto& read) {
        Prepared query(db_, sql);
        query->bind(1, from);
        query->bind(2, to);
        while (query->executeStep()) {
            read(query, out[query->getColumn(0).getInt64()]);
        }
    };
    run(std::string("SELECT x.visit_number, x.kind, x.reason, x.by_id, x.by_name, x.at, "
                    "x.deadline FROM visit_findings x") +
            kInRange + " ORDER BY x.id",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.findings.push_back(bot::model::VisitFinding{
                q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
                q.getColumn(6).getInt64()});
        });
    run(std::string("SELECT x.visit_number, x.reason, x.by_id, x.by_name, x.at, x.withdrawn FROM "
                    "visit_voids x") +
            kInRange,
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.voided =
                bot::model::VisitVoid{q.getColumn(0).getInt64(),  q.getColumn(1).getString(),
                                      q.getColumn(2).getString(), q.getColumn(3).getString(),
                                      q.getColumn(4).getInt64(),  q.getColumn(5).getInt() != 0};
        });
    run(std::string("SELECT x.visit_number, x.at FROM visit_supplements x") + kInRange +
            " ORDER BY x.at, x.id",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.supplement_times.push_back(q.getColumn(1).getInt64());
        });
    run(std::string("SELECT x.visit_number, COUNT(*) FROM visit_evidence x") + kInRange +
            " AND x.fetch_status != 'failed' GROUP BY x.visit_number",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.evidence = q.getColumn(1).getInt64();
        });
    for (auto& demand : DemandRepository(db_).of_visits_between(from, to)) {
        out[demand.visit_number].demands.push_back(std::move(demand));
    }
    return out;
}

std::map<std::int64_t, bot::model::VisitScoringDetails> ScoreRepository::details_of(
    const std::vector<std::int64_t>& visit_numbers, const std::vector<std::int64_t>& cap_only) {
    std::map<std::int64_t, bot::model::VisitScoringDetails> out;
    std::vector<std::int64_t> all = visit_numbers;
    all.insert(all.end(), cap_only.begin(), cap_only.end());
    for (const std::int64_t number : all) {
        out[number];
    }
    // One query per kind of detail for all the visits (a company's year is scored at once),
    // not four per visit.
    const std::string numbers = nlohmann::json(all).dump();
    const std::string scored = cap_only.empty() ? numbers : nlohmann::json(visit_numbers).dump();
    const auto run = [&](const char* sql, const auto& read, const std::string& over = {}) {
        Prepared query(db_, sql);
        query->bind(1, over.empty() ? numbers : over);
        while (query->executeStep()) {
            read(*query, out[query->getColumn(0).getInt64()]);
        }
    };
    run("SELECT visit_number, kind, reason, by_id, by_name, at, deadline FROM visit_findings "
        "WHERE visit_number IN (SELECT value FROM json_each(?)) ORDER BY id",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.findings.push_back(bot::model::VisitFinding{
                q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
                q.getColumn(6).getInt64()});
        });
    run("SELECT visit_number, reason, by_id, by_name, at, withdrawn FROM visit_voids "
        "WHERE visit_number IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            if (!d.voided) {
                d.voided =
                    bot::model::VisitVoid{q.getColumn(0).getInt64(),  q.getColumn(1).getString(),
                                          q.getColumn(2).getString(), q.getColumn(3).getString(),
                                          q.getColumn(4).getInt64(),  q.getColumn(5).getInt() != 0};
            }
        });
    run("SELECT visit_number, at FROM visit_supplements "
        "WHERE visit_number IN (SELECT value FROM json_each(?)) ORDER BY at, id",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.supplement_times.push_back(q.getColumn(1).getInt64());
        });
    run(
        "SELECT visit_number, COUNT(*) FROM visit_evidence "
        "WHERE visit_number IN (SELECT value FROM json_each(?)) AND fetch_status != 'failed' "
        "GROUP BY visit_number",
        [](SQLite::Statement& q, bot::model::VisitScoringDetails& d) {
            d.evidence = q.getColumn(1).getInt64();
        },
        scored);
    if (visit_numbers.empty()) {
        return out;
    }
    for (auto& [number, demands] : DemandRepository(db_).of_visits(visit_numbers)) {
        out[number].demands = std::move(demands);
    }
    return out;
}

std::vector<std::int64_t> ScoreRepository::omission_deadlines_between(std::int64_t from,
                                                                      std::int64_t to) {
    Prepared query(db_,
                   "SELECT DISTINCT visit_number FROM visit_findings WHERE kind = "
                   "'omission' AND deadline BETWEEN ? AND ? ORDER BY visit_number");
    query->bind(1, from);
    query->bind(2, to);
    std::vector<std::int64_t> out;
    while (query->executeStep()) {
        out.push_back(query->getColumn(0).getInt64());
    }
    return out;
}

std::optional<bot::model::VisitVoid> ScoreRepository::visit_void(std::int64_t visit_number) {
    Prepared query(
        db_,
        "SELECT visit_number, reason, by_id, by_name, at, withdrawn FROM visit_voids WHERE "
        "visit_number = ?");
    query->bind(1, visit_number);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return bot::model::VisitVoid{
        query->getColumn(0).getInt64(),  query->getColumn(1).getString(),
        query->getColumn(2).getString(), query->getColumn(3).getString(),
        query->getColumn(4).getInt64(),  query->getColumn(5).getInt() != 0};
}

std::optional<bot::model::ScoreReview> ScoreRepository::review(const std::string& week,
                                                               const std::string& line) {
    Prepared query(
        db_,
        "SELECT week, line, by_id, at, version FROM score_reviews WHERE week = ? AND line = ?");
    query->bind(1, week);
    query->bind(2, line);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return bot::model::ScoreReview{query->getColumn(0).getString(), query->getColumn(1).getString(),
                                   query->getColumn(2).getString(), query->getColumn(3).getInt64(),
                                   query->getColumn(4).getString()};
}

}  // namespace ledgerbot::storage
