#include "storage/received_inbox.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdio>
#include <random>

namespace ledgerbot::storage {

SQLite::Database ReceivedInbox::open(const std::filesystem::path& path, bool read_only) {
    if (!read_only && path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    SQLite::Database db(path.string(), read_only ? SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX
                                                 : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                       SQLite::OPEN_FULLMUTEX);
    db.setBusyTimeout(5000);
    if (!read_only) {
        db.exec("PRAGMA journal_mode = WAL");
        // FULL: the COMMIT is on disk before the callback is acknowledged.
        db.exec("PRAGMA synchronous = FULL");
        // AUTOINCREMENT: a sequence number is never reused after a prune, so the ledger's
        // "taken through seq N" stays true.
        db.exec(
            "CREATE TABLE IF NOT EXISTS received ("
            " seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
            " dedup_key   TEXT    NOT NULL UNIQUE,"
            " source      TEXT    NOT NULL,"
            " chat_id     TEXT    NOT NULL,"
            " received_at INTEGER NOT NULL,"
            " event_json  TEXT    NOT NULL,"
            " deliveries  INTEGER NOT NULL DEFAULT 1)");
        // Which file this is: a ledger restored from a backup, or a received file deleted and
        // created afresh, must not trust sequence numbers of another file.
        db.exec("CREATE TABLE IF NOT EXISTS identity (id TEXT NOT NULL)");
        if (db.execAndGet("SELECT COUNT(*) FROM identity").getInt() == 0) {
            std::random_device random;
            std::string id;
            for (int i = 0; i < 4; ++i) {
                char part[9];
                std::snprintf(part, sizeof part, "%08x", random());
                id += part;
            }
            Prepared insert(db, "INSERT INTO identity (id) VALUES (?)");
            insert->bind(1, id);
            insert->exec();
        }
    }
    return db;
}

result<std::string> ReceivedInbox::identity() {
    return guarded(
        [&] { return db_.execAndGet("SELECT COALESCE(MAX(id), '') FROM identity").getString(); });
}

result<std::vector<InboxInsert>> ReceivedInbox::insert_batch(
    std::span<const bot::model::InboundEvent> events, std::int64_t received_at) {
    return guarded([&] {
        std::vector<InboxInsert> results;
        results.reserve(events.size());
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        Prepared insert(db_,
                        "INSERT INTO received (dedup_key, source, chat_id, received_at, "
                        "event_json) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (dedup_key) DO NOTHING");
        Prepared bump(
            db_,
            "UPDATE received SET deliveries = deliveries + 1 WHERE dedup_key = ? RETURNING seq");
        for (const auto& event : events) {
            const std::string key = Inbox::dedup_key(event);
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
            std::int64_t seq = 0;
            if (bump->executeStep()) {
                seq = bump->getColumn(0).getInt64();
            }
            bump->reset();
            results.push_back({seq, true});
        }
        tx.commit();
        return results;
    });
}

result<std::vector<ReceivedEvent>> ReceivedInbox::after(std::int64_t seq, int limit) {
    return guarded([&] {
        std::vector<ReceivedEvent> out;
        Prepared query(db_,
                       "SELECT seq, dedup_key, source, chat_id, received_at, event_json, "
                       "deliveries FROM received WHERE seq > ? ORDER BY seq LIMIT ?");
        query->bind(1, seq);
        query->bind(2, limit);
        while (query->executeStep()) {
            ReceivedEvent row;
            row.seq = query->getColumn(0).getInt64();
            row.dedup_key = query->getColumn(1).getString();
            row.source = query->getColumn(2).getString();
            row.chat_id = query->getColumn(3).getString();
            row.received_at = query->getColumn(4).getInt64();
            row.event_json = query->getColumn(5).getString();
            row.deliveries = query->getColumn(6).getInt();
            out.push_back(std::move(row));
        }
        return out;
    });
}

result<InboxLag> ReceivedInbox::lag_after(std::int64_t seq) {
    return guarded([&] {
        InboxLag lag;
        Prepared query(db_, "SELECT COUNT(*), MIN(received_at) FROM received WHERE seq > ?");
        query->bind(1, seq);
        if (query->executeStep()) {
            lag.events = query->getColumn(0).getInt64();
            if (!query->getColumn(1).isNull()) {
                lag.oldest_received_at = query->getColumn(1).getInt64();
            }
        }
        return lag;
    });
}

result<int> ReceivedInbox::prune(std::int64_t taken_through, std::int64_t received_before) {
    return guarded([&] {
        Prepared prune(db_, "DELETE FROM received WHERE seq <= ? AND received_at < ?");
        prune->bind(1, taken_through);
        prune->bind(2, received_before);
        return prune->exec();
    });
}

}  // namespace ledgerbot::storage
