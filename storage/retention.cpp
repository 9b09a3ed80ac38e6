#include "storage/retention.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

#include "storage/sha256.hpp"

namespace ledgerbot::storage {
namespace {

std::string redacted(const std::string& original) {
    const nlohmann::json event = nlohmann::json::parse(original, nullptr, false);
    nlohmann::json out{{"redacted", true}, {"sha256", sha256_hex(original)}};
    if (!event.is_object()) {
        return out.dump();
    }
    for (const char* key : {"id", "source", "type", "time", "job"}) {
        if (event.contains(key)) {
            out[key] = event[key];
        }
    }
    if (const auto chat = event.find("chat"); chat != event.end() && chat->is_object()) {
        out["chat"] = {{"id", chat->value("id", "")}, {"kind", chat->value("kind", "group")}};
    }
    if (const auto sender = event.find("sender"); sender != event.end() && sender->is_object()) {
        out["sender"] = {{"id", sender->value("id", "")}};
    }
    return out.dump();
}

}  // namespace

RetentionCounts apply_retention(SQLite::Database& db, std::int64_t raw_before,
                                std::int64_t sent_before, std::int64_t now) {
    RetentionCounts counts;
    std::vector<std::pair<std::int64_t, std::string>> rows;
    {
        Prepared old(db,
                     "SELECT id, event_json FROM inbox WHERE status = 'done' AND "
                     "redacted_at IS NULL AND received_at < ?");
        old->bind(1, raw_before);
        while (old->executeStep()) {
            rows.emplace_back(old->getColumn(0).getInt64(), old->getColumn(1).getString());
        }
    }
    Prepared redact(db, "UPDATE inbox SET event_json = ?, redacted_at = ? WHERE id = ?");
    for (const auto& [id, json] : rows) {
        redact->bind(1, redacted(json));
        redact->bind(2, now);
        redact->bind(3, id);
        redact->exec();
        redact->reset();
        ++counts.events_redacted;
    }
    Prepared purge(db,
                   "UPDATE outbox SET fields_json = '{}', reply_handle = '', purged_at = "
                   "? WHERE status = 'sent' AND purged_at IS NULL AND sent_at < ?");
    purge->bind(1, now);
    purge->bind(2, sent_before);
    counts.notices_purged = purge->exec();
    return counts;
}

}  // namespace ledgerbot::storage
