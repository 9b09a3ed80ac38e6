#include "storage/inbox.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace ledgerbot::storage {

std::string Inbox::dedup_key(const bot::model::InboundEvent& event) {
    return event.source + ":" + event.id;
}

result<std::vector<InboxInsert>> Inbox::insert_batch(
    std::span<const bot::model::InboundEvent> events, std::int64_t received_at) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        std::vector<InboxInsert> results = insert_within(events, received_at);
        tx.commit();
        return results;
    });
}

std::vector<InboxInsert> Inbox::insert_within(std::span<const bot::model::InboundEvent> events,
                                              std::int64_t received_at) {
    std::vector<InboxInsert> results;
    results.reserve(events.size());
    {
        Prepared insert(db_,
                        "INSERT INTO inbox (dedup_key, source, chat_id, received_at, "
                        "event_json) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (dedup_key) DO NOTHING");
        Prepared bump(db_,
                      "UPDATE inbox SET deliveries = deliveries + 1 WHERE dedup_key = ? "
                      "RETURNING id");
        for (const auto& event : events) {
            const std::string key = dedup_key(event);
            insert->bind(1, key);
            insert->bind(2, event.source);
            insert->bind(3, event.chat.id);
            insert->bind(4, received_at);
            insert->bind(5, nlohmann::json(event).dump());
            const int changed = insert->exec();
            insert->reset();
            if (changed == 1) {
                results.push_back({db_.getLastInsertRowid(), false});
                continue;
            }
            bump->bind(1, key);
            std::int64_t id = 0;
            if (bump->executeStep()) {
                id = bump->getColumn(0).getInt64();
            }
            bump->reset();
            results.push_back({id, true});
        }
    }
    return results;
}

result<std::vector<PendingEvent>> Inbox::pending(int limit) {
    return guarded([&] {
        std::vector<PendingEvent> out;
        Prepared query(
            db_, "SELECT id, event_json FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?");
        query->bind(1, limit);
        while (query->executeStep()) {
            PendingEvent pending;
            pending.inbox_id = query->getColumn(0).getInt64();
            // One unreadable row must not stop the rows behind it: report it with the row.
            try {
                pending.event = nlohmann::json::parse(query->getColumn(1).getString())
                                    .get<bot::model::InboundEvent>();
            } catch (const nlohmann::json::exception& e) {
                pending.parse_error = std::string("stored event is unreadable: ") + e.what();
            }
            out.push_back(std::move(pending));
        }
        return out;
    });
}

result<std::int64_t> Inbox::depth() {
    return guarded(
        [&] { return single_int64(db_, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'"); });
}

result<std::optional<std::int64_t>> Inbox::oldest_pending_received_at() {
    return guarded([&] {
        Prepared query(db_,
                       "SELECT received_at FROM inbox WHERE status = 'pending' "
                       "ORDER BY id LIMIT 1");
        std::optional<std::int64_t> oldest;
        if (query->executeStep()) {
            oldest = query->getColumn(0).getInt64();
        }
        return oldest;
    });
}

result<std::optional<std::int64_t>> Inbox::newest_tick_time(const std::string& job) {
    return guarded([&] {
        // Tick dedup keys are `scheduler:<job>:<period>`; a key range rather than LIKE lets
        // SQLite use the dedup_key index (';' is the character after ':').
        const std::string prefix = std::string(bot::model::kSchedulerSource) + ":" + job + ":";
        const std::string end = std::string(bot::model::kSchedulerSource) + ":" + job + ";";
        Prepared query(db_,
                       "SELECT MAX(json_extract(event_json, '$.time')) FROM inbox "
                       "WHERE dedup_key >= ? AND dedup_key < ?");
        query->bind(1, prefix);
        query->bind(2, end);
        std::optional<std::int64_t> newest;
        if (query->executeStep() && !query->getColumn(0).isNull()) {
            newest = query->getColumn(0).getInt64();
        }
        return newest;
    });
}

}  // namespace ledgerbot::storage
