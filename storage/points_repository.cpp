#include "storage/points_repository.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

namespace ledgerbot::storage {
namespace {

constexpr const char* kEntryColumns =
    "id, at, recorded_at, person_id, person_name, department, line, company_id, company, "
    "visit_number, demand_number, item, axis, rule, points, share, adjusts_week, detail";

bot::model::PointEntry entry_from_row(SQLite::Statement& q) {
    bot::model::PointEntry e;
    e.id = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getInt64();
    e.recorded_at = q.getColumn(2).getInt64();
    e.person_id = q.getColumn(3).getString();
    e.person_name = q.getColumn(4).getString();
    e.department = q.getColumn(5).getString();
    e.line = q.getColumn(6).getString();
    if (!q.getColumn(7).isNull()) {
        e.company_id = q.getColumn(7).getInt64();
    }
    e.company = q.getColumn(8).getString();
    e.visit_number = q.getColumn(9).getInt64();
    e.demand_number = q.getColumn(10).getInt64();
    e.item = q.getColumn(11).getString();
    e.axis = q.getColumn(12).getString();
    e.rule = q.getColumn(13).getString();
    e.points = q.getColumn(14).getDouble();
    e.share = q.getColumn(15).getDouble();
    e.adjusts_week = q.getColumn(16).getString();
    e.detail = nlohmann::json::parse(q.getColumn(17).getString());
    return e;
}

bot::model::PublishedTable table_from_row(SQLite::Statement& q) {
    return bot::model::PublishedTable{
        q.getColumn(0).getString(), q.getColumn(1).getString(),
        q.getColumn(2).getString(), nlohmann::json::parse(q.getColumn(3).getString()),
        q.getColumn(4).getString(), q.getColumn(5).getInt64(),
        q.getColumn(6).getInt64()};
}

constexpr const char* kTableColumns =
    "week, line, version, table_json, approved_by, approved_at, published_at";

}  // namespace

void PointsRepository::append(const std::vector<bot::model::PointEntry>& entries) {
    Prepared insert(
        db_,
        "INSERT INTO point_entries (at, recorded_at, person_id, person_name, department, line, "
        "company_id, company, visit_number, demand_number, item, axis, rule, points, share, "
        "adjusts_week, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const bot::model::PointEntry& e : entries) {
        insert->reset();
        insert->clearBindings();
        insert->bind(1, e.at);
        insert->bind(2, e.recorded_at);
        insert->bind(3, e.person_id);
        insert->bind(4, e.person_name);
        insert->bind(5, e.department);
        insert->bind(6, e.line);
        if (e.company_id) {
            insert->bind(7, *e.company_id);
        }
        insert->bind(8, e.company);
        insert->bind(9, e.visit_number);
        insert->bind(10, e.demand_number);
        insert->bind(11, e.item);
        insert->bind(12, e.axis);
        insert->bind(13, e.rule);
        insert->bind(14, e.points);
        insert->bind(15, e.share);
        insert->bind(16, e.adjusts_week);
        insert->bind(17, e.detail.dump());
        insert->exec();
    }
}

bool PointsRepository::publish(const bot::model::PublishedTable& table) {
    Prepared insert(db_, std::string("INSERT OR IGNORE INTO published_tables (") + kTableColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, table.week);
    insert->bind(2, table.line);
    insert->bind(3, table.version);
    insert->bind(4, table.table.dump());
    insert->bind(5, table.approved_by);
    insert->bind(6, table.approved_at);
    insert->bind(7, table.published_at);
    return insert->exec() == 1;
}

std::vector<bot::model::PointEntry> PointsRepository::of_visits(
    const std::vector<std::int64_t>& visit_numbers) {
    std::vector<bot::model::PointEntry> out;
    Prepared query(db_, std::string("SELECT ") + kEntryColumns +
                            " FROM point_entries WHERE visit_number = ? ORDER BY id");
    for (const std::int64_t number : visit_numbers) {
        query->reset();
        query->bind(1, number);
        while (query->executeStep()) {
            out.push_back(entry_from_row(query));
        }
    }
    return out;
}

std::vector<bot::model::PointEntry> PointsRepository::between(std::int64_t from, std::int64_t to) {
    Prepared query(db_, std::string("SELECT ") + kEntryColumns +
                            " FROM point_entries WHERE at BETWEEN ? AND ? ORDER BY id");
    query->bind(1, from);
    query->bind(2, to);
    std::vector<bot::model::PointEntry> out;
    while (query->executeStep()) {
        out.push_back(entry_from_row(query));
    }
    return out;
}

std::optional<bot::model::PublishedTable> PointsRepository::published(const std::string& week,
                                                                      const std::string& line) {
    Prepared query(db_, std::string("SELECT ") + kTableColumns +
                            " FROM published_tables WHERE week = ? AND line = ?");
    query->bind(1, week);
    query->bind(2, line);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return table_from_row(query);
}

std::vector<bot::model::PublishedTable> PointsRepository::published_weeks(const std::string& week) {
    Prepared query(db_, std::string("SELECT ") + kTableColumns +
                            " FROM published_tables WHERE week = ? ORDER BY rowid");
    query->bind(1, week);
    std::vector<bot::model::PublishedTable> out;
    while (query->executeStep()) {
        out.push_back(table_from_row(query));
    }
    return out;
}

std::int64_t PointsRepository::count() {
    return single_int64(db_, "SELECT COUNT(*) FROM point_entries");
}

}  // namespace ledgerbot::storage
