#include "storage/ledger_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/demand_repository.hpp"

namespace ledgerbot::storage {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

nlohmann::json values_to_json(const std::map<bot::VisitField, std::string>& values) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [field, value] : values) {
        out[std::string(bot::to_key(field))] = value;
    }
    return out;
}

std::map<bot::VisitField, std::string> values_from_json(const nlohmann::json& j) {
    std::map<bot::VisitField, std::string> out;
    for (const auto& [key, value] : j.items()) {
        if (auto field = bot::visit_field_from_key(key)) {
            out[*field] = value.get<std::string>();
        }
    }
    return out;
}

}  // namespace

void LedgerRepository::apply(const bot::LedgerChange& change) {
    std::visit(Overloaded{
                   [&](const bot::VisitRecordCreated& created) { insert_visit(created.record); },
                   [&](const bot::DemandCreated& created) { insert_demand(created.demand); },
                   [&](const bot::DemandUpdated& updated) { DemandRepository(db_).update(updated); },
                   [&](const bot::BriefingRecorded& recorded) { insert_briefing(recorded.briefing); },
               },
               change);
}

void LedgerRepository::insert_visit(const bot::VisitRecord& r) {
    SQLite::Statement insert(
        db_,
        "INSERT INTO visits (number, company_id, company_name, visit_time, mode, visitors_json, "
        "values_json, missing_json, complete, reporter_id, reporter_name, channel, chat_id, "
        "source_event_id, reported_at, raw_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)");
    nlohmann::json missing = nlohmann::json::array();
    for (auto field : r.missing) {
        missing.push_back(bot::to_key(field));
    }
    insert.bind(1, r.number);
    if (r.company_id) {
        insert.bind(2, *r.company_id);
    } else {
        insert.bind(2);
    }
    insert.bind(3, r.company_name);
    if (r.visit_time) {
        insert.bind(4, *r.visit_time);
    } else {
        insert.bind(4);
    }
    insert.bind(5, r.mode);
    insert.bind(6, nlohmann::json(r.visitors).dump());
    insert.bind(7, values_to_json(r.values).dump());
    insert.bind(8, missing.dump());
    insert.bind(9, r.complete() ? 1 : 0);
    insert.bind(10, r.reporter_id);
    insert.bind(11, r.reporter_name);
    insert.bind(12, r.channel);
    insert.bind(13, r.chat_id);
    insert.bind(14, r.source_event_id);
    insert.bind(15, r.reported_at);
    insert.bind(16, r.raw_text);
    insert.exec();
}

void LedgerRepository::insert_demand(const bot::Demand& d) {
    SQLite::Statement insert(db_,
                             "INSERT INTO demands (number, visit_number, company_id, company_name, "
                             "summary, status, collected_at, plan_deadline) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, d.number);
    insert.bind(2, d.visit_number);
    if (d.company_id) {
        insert.bind(3, *d.company_id);
    } else {
        insert.bind(3);
    }
    insert.bind(4, d.company_name);
    insert.bind(5, d.summary);
    insert.bind(6, d.status);
    insert.bind(7, d.collected_at);
    insert.bind(8, d.plan_deadline);
    insert.exec();
}

void LedgerRepository::insert_briefing(const bot::Briefing& b) {
    SQLite::Statement insert(db_,
                             "INSERT INTO briefings (number, company_id, company_name, source, "
                             "chat_id, sender_id, sender_name, at, fields_json, raw_text, "
                             "source_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, b.number);
    if (b.company_id) {
        insert.bind(2, *b.company_id);
    } else {
        insert.bind(2);
    }
    insert.bind(3, b.company_name);
    insert.bind(4, b.source);
    insert.bind(5, b.chat_id);
    insert.bind(6, b.sender_id);
    insert.bind(7, b.sender_name);
    insert.bind(8, b.time);
    insert.bind(9, nlohmann::json(b.fields).dump());
    insert.bind(10, b.raw_text);
    insert.bind(11, b.source_event_id);
    insert.exec();
}

std::int64_t LedgerRepository::next_briefing_number() {
    return db_.execAndGet("SELECT COALESCE(MAX(number), 0) + 1 FROM briefings").getInt64();
}

std::int64_t LedgerRepository::next_visit_number() {
    return db_.execAndGet("SELECT COALESCE(MAX(number), 0) + 1 FROM visits").getInt64();
}

std::int64_t LedgerRepository::next_demand_number() {
    return db_.execAndGet("SELECT COALESCE(MAX(number), 0) + 1 FROM demands").getInt64();
}

result<std::optional<bot::VisitRecord>> LedgerRepository::find_visit(std::int64_t number) {
    return guarded([&]() -> std::optional<bot::VisitRecord> {
        SQLite::Statement query(
            db_,
            "SELECT number, company_id, company_name, visit_time, mode, visitors_json, "
            "values_json, missing_json, reporter_id, reporter_name, channel, chat_id, "
            "source_event_id, reported_at, raw_text FROM visits WHERE number = ?");
        query.bind(1, number);
        if (!query.executeStep()) {
            return std::nullopt;
        }
        bot::VisitRecord r;
        r.number = query.getColumn(0).getInt64();
        if (!query.getColumn(1).isNull()) {
            r.company_id = query.getColumn(1).getInt64();
        }
        r.company_name = query.getColumn(2).getString();
        if (!query.getColumn(3).isNull()) {
            r.visit_time = query.getColumn(3).getInt64();
        }
        r.mode = query.getColumn(4).getString();
        r.visitors = nlohmann::json::parse(query.getColumn(5).getString())
                         .get<std::vector<std::string>>();
        r.values = values_from_json(nlohmann::json::parse(query.getColumn(6).getString()));
        for (const auto& key : nlohmann::json::parse(query.getColumn(7).getString())) {
            if (auto field = bot::visit_field_from_key(key.get<std::string>())) {
                r.missing.push_back(*field);
            }
        }
        r.reporter_id = query.getColumn(8).getString();
        r.reporter_name = query.getColumn(9).getString();
        r.channel = query.getColumn(10).getString();
        r.chat_id = query.getColumn(11).getString();
        r.source_event_id = query.getColumn(12).getString();
        r.reported_at = query.getColumn(13).getInt64();
        r.raw_text = query.getColumn(14).getString();
        return r;
    });
}

result<std::vector<bot::Demand>> LedgerRepository::demands_of_visit(
    std::int64_t visit_number) {
    return guarded([&] {
        std::vector<bot::Demand> out;
        SQLite::Statement query(db_,
                                "SELECT number, visit_number, company_id, company_name, summary, "
                                "status, collected_at FROM demands WHERE visit_number = ? "
                                "ORDER BY number");
        query.bind(1, visit_number);
        while (query.executeStep()) {
            bot::Demand d;
            d.number = query.getColumn(0).getInt64();
            d.visit_number = query.getColumn(1).getInt64();
            if (!query.getColumn(2).isNull()) {
                d.company_id = query.getColumn(2).getInt64();
            }
            d.company_name = query.getColumn(3).getString();
            d.summary = query.getColumn(4).getString();
            d.status = query.getColumn(5).getString();
            d.collected_at = query.getColumn(6).getInt64();
            out.push_back(std::move(d));
        }
        return out;
    });
}

}  // namespace ledgerbot::storage
