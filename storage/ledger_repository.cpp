#include "storage/ledger_repository.hpp"
#include "storage/statement_cache.hpp"

#include <algorithm>
#include <string_view>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <sqlite3.h>

#include "storage/demand_repository.hpp"
#include "storage/overloaded.hpp"

namespace ledgerbot::storage {
namespace {

nlohmann::json values_to_json(const std::map<bot::model::VisitField, std::string>& values) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [field, value] : values) {
        out[std::string(bot::model::to_key(field))] = value;
    }
    return out;
}

std::map<bot::model::VisitField, std::string> values_from_json(const nlohmann::json& j) {
    std::map<bot::model::VisitField, std::string> out;
    for (const auto& [key, value] : j.items()) {
        if (auto field = bot::model::visit_field_from_key(key)) {
            out[*field] = value.get<std::string>();
        }
    }
    return out;
}

nlohmann::json missing_to_json(const std::vector<bot::model::VisitField>& missing) {
    nlohmann::json out = nlohmann::json::array();
    for (auto field : missing) {
        out.push_back(bot::model::to_key(field));
    }
    return out;
}

void bind_optional(SQLite::Statement& statement, int index,
                   const std::optional<std::int64_t>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind(index);
    }
}

constexpr const char* kVisitColumns =
    "number, company_id, company_name, visit_time, mode, visitors_json, values_json, "
    "missing_json, reporter_id, reporter_name, channel, chat_id, source_event_id, reported_at, "
    "raw_text";

bot::model::VisitRecord visit_from_row(SQLite::Statement& query) {
    bot::model::VisitRecord r;
    r.number = query.getColumn(0).getInt64();
    if (!query.getColumn(1).isNull()) {
        r.company_id = query.getColumn(1).getInt64();
    }
    r.company_name = query.getColumn(2).getString();
    if (!query.getColumn(3).isNull()) {
        r.visit_time = query.getColumn(3).getInt64();
    }
    r.mode = query.getColumn(4).getString();
    r.visitors =
        nlohmann::json::parse(query.getColumn(5).getString()).get<std::vector<std::string>>();
    // The journal's reads select '{}' for the values they do not need: not parsed.
    if (const char* values = query.getColumn(6).getText(); std::string_view(values) != "{}") {
        r.values = values_from_json(nlohmann::json::parse(values));
    }
    for (const auto& key : nlohmann::json::parse(query.getColumn(7).getString())) {
        if (auto field = bot::model::visit_field_from_key(key.get<std::string>())) {
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
}

}  // namespace

void LedgerRepository::apply(const bot::LedgerChange& change) {
    std::visit(
        Overloaded{
            [&](const bot::VisitRecordCreated& created) { insert_visit(created.record); },
            [&](const bot::DemandCreated& created) { insert_demand(created.demand); },
            [&](const bot::DemandUpdated& updated) { DemandRepository(db_).update(updated); },
            [&](const bot::BriefingRecorded& recorded) { insert_briefing(recorded.briefing); },
            [&](const bot::VisitRecordSupplemented& supplemented) {
                supplement_visit(supplemented);
            },
            [&](const bot::EvidenceAttached& attached) { insert_evidence(attached.evidence); },
            [&](const bot::EvidenceFetchRecorded& recorded) { record_fetch(recorded); },
            [&](const bot::EvidenceAwaited& awaited) { insert_wait(awaited.wait); },
        },
        change);
}

void LedgerRepository::insert_visit(const bot::model::VisitRecord& r) {
    Prepared insert(
        db_,
        "INSERT INTO visits (number, company_id, company_name, visit_time, mode, visitors_json, "
        "values_json, missing_json, complete, reporter_id, reporter_name, channel, chat_id, "
        "source_event_id, reported_at, raw_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)");
    insert->bind(1, r.number);
    bind_optional(insert, 2, r.company_id);
    insert->bind(3, r.company_name);
    bind_optional(insert, 4, r.visit_time);
    insert->bind(5, r.mode);
    insert->bind(6, nlohmann::json(r.visitors).dump());
    insert->bind(7, values_to_json(r.values).dump());
    insert->bind(8, missing_to_json(r.missing).dump());
    insert->bind(9, r.complete() ? 1 : 0);
    insert->bind(10, r.reporter_id);
    insert->bind(11, r.reporter_name);
    insert->bind(12, r.channel);
    insert->bind(13, r.chat_id);
    insert->bind(14, r.source_event_id);
    insert->bind(15, r.reported_at);
    insert->bind(16, r.raw_text);
    insert->exec();
}

void LedgerRepository::insert_demand(const bot::model::Demand& d) {
    Prepared insert(db_,
                    "INSERT INTO demands (number, visit_number, company_id, company_name, "
                    "summary, status, collected_at, plan_deadline, plan, owner_id, "
                    "owner_name, planned_at, contracted_at, completion_percent, "
                    "revenue_yuan, progress_at, channel) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, d.number);
    if (d.visit_number != 0) {
        insert->bind(2, d.visit_number);
    } else {
        insert->bind(2);  // not from a visit
    }
    if (d.company_id) {
        insert->bind(3, *d.company_id);
    } else {
        insert->bind(3);
    }
    insert->bind(4, d.company_name);
    insert->bind(5, d.summary);
    insert->bind(6, d.status);
    insert->bind(7, d.collected_at);
    insert->bind(8, d.plan_deadline);
    insert->bind(9, d.plan);
    insert->bind(10, d.owner_id);
    insert->bind(11, d.owner_name);
    insert->bind(12, d.planned_at);
    insert->bind(13, d.contracted_at);
    insert->bind(14, d.completion_percent);
    insert->bind(15, d.revenue_yuan);
    insert->bind(16, d.progress_at);
    insert->bind(17, d.visit_number != 0 ? std::string{} : d.channel);
    insert->exec();
}

void LedgerRepository::insert_briefing(const bot::model::Briefing& b) {
    Prepared insert(db_,
                    "INSERT INTO briefings (number, company_id, company_name, source, "
                    "chat_id, sender_id, sender_name, at, fields_json, raw_text, "
                    "source_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, b.number);
    if (b.company_id) {
        insert->bind(2, *b.company_id);
    } else {
        insert->bind(2);
    }
    insert->bind(3, b.company_name);
    insert->bind(4, b.source);
    insert->bind(5, b.chat_id);
    insert->bind(6, b.sender_id);
    insert->bind(7, b.sender_name);
    insert->bind(8, b.time);
    insert->bind(9, nlohmann::json(b.fields).dump());
    insert->bind(10, b.raw_text);
    insert->bind(11, b.source_event_id);
    insert->exec();
}

std::int64_t LedgerRepository::next_briefing_number() {
    return single_int64(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM briefings");
}

std::int64_t LedgerRepository::next_visit_number() {
    return single_int64(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM visits");
}

std::int64_t LedgerRepository::next_demand_number() {
    return single_int64(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM demands");
}

void LedgerRepository::supplement_visit(const bot::VisitRecordSupplemented& s) {
    const bot::model::VisitRecord& r = s.record;
    Prepared update(db_,
                    "UPDATE visits SET company_id = ?, company_name = ?, visit_time = ?, "
                    "mode = ?, visitors_json = ?, values_json = ?, missing_json = ?, "
                    "complete = ? WHERE number = ?");
    bind_optional(update, 1, r.company_id);
    update->bind(2, r.company_name);
    bind_optional(update, 3, r.visit_time);
    update->bind(4, r.mode);
    update->bind(5, nlohmann::json(r.visitors).dump());
    update->bind(6, values_to_json(r.values).dump());
    update->bind(7, missing_to_json(r.missing).dump());
    update->bind(8, r.complete() ? 1 : 0);
    update->bind(9, r.number);
    if (update->exec() != 1) {
        // The engine only supplements records it read in this transaction; a miss is a bug.
        throw SQLite::Exception("no visit V" + std::to_string(r.number) + " to supplement",
                                SQLITE_CONSTRAINT);
    }
    if (s.supplied.count(bot::model::VisitField::company) != 0) {
        // The ledger rows of a visit are that company's demands (第七条 企业全称).
        Prepared demands(
            db_, "UPDATE demands SET company_id = ?, company_name = ? WHERE visit_number = ?");
        bind_optional(demands, 1, r.company_id);
        demands->bind(2, r.company_name);
        demands->bind(3, r.number);
        demands->exec();
    }
    Prepared history(db_,
                     "INSERT INTO visit_supplements (visit_number, channel, event_id, "
                     "by_id, by_name, at, fields_json, previous_json) VALUES (?, ?, ?, "
                     "?, ?, ?, ?, ?)");
    history->bind(1, r.number);
    history->bind(2, s.channel);
    history->bind(3, s.event_id);
    history->bind(4, s.by_id);
    history->bind(5, s.by_name);
    history->bind(6, s.at);
    history->bind(7, values_to_json(s.supplied).dump());
    history->bind(8, values_to_json(s.previous).dump());
    history->exec();
}

void LedgerRepository::insert_evidence(const bot::model::Evidence& e) {
    // The row is its own fetch job, due at once: created in the same transaction as the
    // evidence, so no image is ever attached without its bytes being sought.
    Prepared insert(db_,
                    "INSERT INTO visit_evidence (visit_number, channel, event_id, url, "
                    "media_id, upload_id, by_id, chat_id, direct, at, fetch_status, "
                    "next_fetch_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)");
    insert->bind(1, e.visit_number);
    insert->bind(2, e.channel);
    insert->bind(3, e.event_id);
    insert->bind(4, e.url);
    insert->bind(5, e.media_id);
    insert->bind(6, e.upload_id);
    insert->bind(7, e.by_id);
    insert->bind(8, e.chat_id);
    insert->bind(9, e.direct ? 1 : 0);
    insert->bind(10, e.at);
    insert->bind(11, e.at);
    insert->exec();
}

void LedgerRepository::record_fetch(const bot::EvidenceFetchRecorded& recorded) {
    const bot::model::EvidenceFetch& f = recorded.fetch;
    Prepared update(
        db_,
        "UPDATE visit_evidence SET fetch_status = ?, fetched_at = ?, sha256 = ?, size_bytes = ?, "
        "mime = ?, width = ?, height = ?, fetch_error = ?, fetch_attempts = fetch_attempts + 1 "
        "WHERE id = ?");
    update->bind(1, f.fetched() ? "fetched" : "failed");
    if (f.fetched()) {
        update->bind(2, recorded.at);
        update->bind(3, f.sha256);
        update->bind(4, f.size);
        update->bind(5, f.mime);
        update->bind(6, f.width);
        update->bind(7, f.height);
    } else {
        for (int column = 2; column <= 7; ++column) {
            update->bind(column);
        }
    }
    update->bind(8, f.error);
    update->bind(9, f.evidence_id);
    update->exec();
}

std::optional<bot::model::VisitRecord> LedgerRepository::visit(std::int64_t number) {
    Prepared query(db_, std::string("SELECT ") + kVisitColumns + " FROM visits WHERE number = ?");
    query->bind(1, number);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return visit_from_row(query);
}

std::optional<bot::model::VisitRecord> LedgerRepository::latest_visit_by(
    const std::string& reporter_id, const std::string& channel, const std::string& chat_id) {
    Prepared query(db_, std::string("SELECT ") + kVisitColumns +
                            " FROM visits WHERE reporter_id = ? AND channel = ? AND "
                            "chat_id = ? ORDER BY number DESC LIMIT 1");
    query->bind(1, reporter_id);
    query->bind(2, channel);
    query->bind(3, chat_id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return visit_from_row(query);
}

void LedgerRepository::insert_wait(const bot::model::EvidenceWait& wait) {
    Prepared insert(db_,
                    "INSERT INTO evidence_waits (visit_number, by_id, channel, chat_id, at) "
                    "VALUES (?, ?, ?, ?, ?)");
    insert->bind(1, wait.visit_number);
    insert->bind(2, wait.by_id);
    insert->bind(3, wait.channel);
    insert->bind(4, wait.chat_id);
    insert->bind(5, wait.at);
    insert->exec();
}

std::optional<bot::model::EvidenceWait> LedgerRepository::evidence_wait(
    const std::string& by_id, const std::string& channel, const std::string& chat_id) {
    Prepared query(db_,
                   "SELECT visit_number, at FROM evidence_waits WHERE by_id = ? AND "
                   "channel = ? AND chat_id = ? ORDER BY at DESC, id DESC LIMIT 1");
    query->bind(1, by_id);
    query->bind(2, channel);
    query->bind(3, chat_id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return bot::model::EvidenceWait{query->getColumn(0).getInt64(), by_id, channel, chat_id,
                                    query->getColumn(1).getInt64()};
}

std::int64_t LedgerRepository::evidence_count(std::int64_t visit_number) {
    // Evidence whose bytes could not be fetched is no longer evidence anyone can check.
    Prepared query(
        db_,
        "SELECT COUNT(*) FROM visit_evidence WHERE visit_number = ? AND fetch_status != 'failed'");
    query->bind(1, visit_number);
    query->executeStep();
    return query->getColumn(0).getInt64();
}

std::vector<bot::model::VisitRecord> LedgerRepository::visits_between(std::int64_t from,
                                                                      std::int64_t to) {
    Prepared query(db_, std::string("SELECT ") + kVisitColumns +
                            " FROM visits WHERE COALESCE(visit_time, reported_at) "
                            "BETWEEN ? AND ? ORDER BY COALESCE(visit_time, "
                            "reported_at), number");
    query->bind(1, from);
    query->bind(2, to);
    std::vector<bot::model::VisitRecord> out;
    while (query->executeStep()) {
        out.push_back(visit_from_row(query));
    }
    return out;
}

std::vector<bot::model::VisitRecord> LedgerRepository::visits_for_journal(
    const std::vector<std::int64_t>& numbers) {
    // As company_visits_between reads them: the values and the raw text are not scored.
    Prepared query(db_,
                   "SELECT number, company_id, company_name, visit_time, mode, visitors_json, "
                   "'{}', missing_json, reporter_id, reporter_name, channel, chat_id, "
                   "source_event_id, reported_at, '' FROM visits WHERE number IN "
                   "(SELECT value FROM json_each(?)) ORDER BY number");
    query->bind(1, nlohmann::json(numbers).dump());
    std::vector<bot::model::VisitRecord> out;
    while (query->executeStep()) {
        out.push_back(visit_from_row(query));
    }
    return out;
}

std::vector<bot::model::VisitRecord> LedgerRepository::company_visits_between(
    const std::vector<std::int64_t>& companies, std::int64_t from, std::int64_t to) {
    // Field values and raw text stay unread: every journal update reads the company's year,
    // and parsing values_json was most of that read's cost in the ingest profile.
    Prepared query(db_,
                   "SELECT number, company_id, company_name, visit_time, mode, visitors_json, "
                   "'{}', missing_json, reporter_id, reporter_name, channel, chat_id, "
                   "source_event_id, reported_at, '' FROM visits WHERE company_id = ? AND "
                   "COALESCE(visit_time, reported_at) BETWEEN ? AND ?");
    std::vector<bot::model::VisitRecord> out;
    for (const std::int64_t company : companies) {
        query->reset();
        query->bind(1, company);
        query->bind(2, from);
        query->bind(3, to);
        while (query->executeStep()) {
            out.push_back(visit_from_row(query));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::pair{a.visit_time.value_or(a.reported_at), a.number} <
               std::pair{b.visit_time.value_or(b.reported_at), b.number};
    });
    return out;
}

result<std::optional<bot::model::VisitRecord>> LedgerRepository::find_visit(std::int64_t number) {
    return guarded([&] { return visit(number); });
}

result<std::vector<bot::model::Demand>> LedgerRepository::demands_of_visit(
    std::int64_t visit_number) {
    return guarded([&] {
        std::vector<bot::model::Demand> out;
        Prepared query(db_,
                       "SELECT number, visit_number, company_id, company_name, summary, "
                       "status, collected_at FROM demands WHERE visit_number = ? "
                       "ORDER BY number");
        query->bind(1, visit_number);
        while (query->executeStep()) {
            bot::model::Demand d;
            d.number = query->getColumn(0).getInt64();
            d.visit_number = query->getColumn(1).getInt64();
            if (!query->getColumn(2).isNull()) {
                d.company_id = query->getColumn(2).getInt64();
            }
            d.company_name = query->getColumn(3).getString();
            d.summary = query->getColumn(4).getString();
            d.status = query->getColumn(5).getString();
            d.collected_at = query->getColumn(6).getInt64();
            out.push_back(std::move(d));
        }
        return out;
    });
}

}  // namespace ledgerbot::storage
