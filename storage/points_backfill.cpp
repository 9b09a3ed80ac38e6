#include "storage/points_backfill.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/audit_log.hpp"
#include "storage/points_repository.hpp"
#include "storage/score_repository.hpp"
#include "storage/sha256.hpp"

namespace ledgerbot::storage {
namespace {

constexpr const char* kBuiltKey = "points_journal_built";

/// A table posted before the journal: its spreadsheet attachment has the cells as posted.
std::optional<bot::model::PublishedTable> posted_table(const nlohmann::json& fields,
                                                       std::int64_t posted_at) {
    const auto attachment = fields.find("attachment");
    if (attachment == fields.end() || !attachment->is_object() || fields.value("draft", false)) {
        return std::nullopt;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& cells : attachment->value("rows", nlohmann::json::array())) {
        if (!cells.is_array() || cells.size() < 7) {
            continue;
        }
        rows.push_back({{"number", std::stoi(cells[0].get<std::string>())},
                        {"company", cells[1]},
                        {"department", cells[2]},
                        {"manager", cells[3]},
                        {"truthfulness", cells[4]},
                        {"quality", cells[5]},
                        {"total", cells[6]}});
    }
    const nlohmann::json totals = attachment->value("totals", nlohmann::json::array());
    nlohmann::json table{{"rows", rows},
                         {"totals",
                          {{"truthfulness", totals.size() == 3 ? totals[0] : nlohmann::json("0")},
                           {"quality", totals.size() == 3 ? totals[1] : nlohmann::json("0")},
                           {"total", totals.size() == 3 ? totals[2] : nlohmann::json("0")}}},
                         {"adjustments", nlohmann::json::array()},
                         {"adjustment_totals", nlohmann::json::object()}};
    const std::string version = sha256_hex(rows.dump()).substr(0, 8);
    table["version"] = version;
    return bot::model::PublishedTable{fields.value("week", ""),
                                      fields.value("line", ""),
                                      version,
                                      std::move(table),
                                      fields.value("unreviewed", true) ? "" : "(reviewed)",
                                      0,
                                      posted_at};
}

}  // namespace

BackfillCounts build_points_journal_once(SQLite::Database& db, const bot::Engine& engine,
                                         SqliteState& state, std::int64_t now) {
    SQLite::Transaction transaction(db);
    Prepared done(db, "SELECT 1 FROM meta WHERE key = ?");
    done->bind(1, kBuiltKey);
    if (done->executeStep()) {
        return {};
    }
    BackfillCounts counts;
    counts.built = true;
    state.refresh();
    const bot::Decision decision = engine.rebuild_points(state, now);
    ScoreRepository scores(db);
    for (const auto& change : decision.score_changes) {
        if (const auto* entered = std::get_if<bot::PointsEntered>(&change)) {
            counts.entries += entered->entries.size();
        }
        scores.apply(change);
    }
    // The weeks already posted are stored as they were posted. The journal is built before
    // them, so every entry is dated when it was earned; where a posted week differs from the
    // journal's sum of it (something changed after the post), the posted table stands.
    PointsRepository points(db);
    Prepared posted(db,
                    "SELECT fields_json, created_at FROM outbox WHERE template_id = "
                    "'score_table' ORDER BY id");
    while (posted->executeStep()) {
        const nlohmann::json fields =
            nlohmann::json::parse(posted->getColumn(0).getString(), nullptr, false);
        if (fields.is_discarded()) {
            continue;  // redacted by retention
        }
        if (const auto table = posted_table(fields, posted->getColumn(1).getInt64());
            table && !table->week.empty() && points.publish(*table)) {
            ++counts.published_tables;
        }
    }
    Prepared mark(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
    mark->bind(1, kBuiltKey);
    mark->bind(2, std::to_string(now));
    mark->exec();
    if (counts.entries > 0 || counts.published_tables > 0) {
        // A new database has nothing to build: only the mark is written.
        AuditLog(db).append(bot::AuditEntry{std::string(bot::kBotActor),
                                            "points.journal_built",
                                            "point_entries",
                                            {{"entries", counts.entries},
                                             {"published_tables", counts.published_tables}}},
                            now, "");
    }
    transaction.commit();
    return counts;
}

}  // namespace ledgerbot::storage
