#include "storage/outbox.hpp"

#include <SQLiteCpp/Statement.h>

namespace ledgerbot::storage {

void Outbox::enqueue(const bot::model::Notice& notice, std::optional<std::int64_t> inbox_id,
                     std::int64_t now) {
    SQLite::Statement insert(
        db_,
        "INSERT INTO outbox (inbox_id, channel, target_kind, target_id, reply_handle, "
        "template_id, fields_json, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?)");
    if (inbox_id) {
        insert.bind(1, *inbox_id);
    } else {
        insert.bind(1);
    }
    insert.bind(2, notice.target.channel);
    insert.bind(3, std::string(bot::model::to_string(notice.target.kind)));
    insert.bind(4, notice.target.id);
    insert.bind(5, notice.target.reply_handle);
    insert.bind(6, notice.template_id);
    insert.bind(7, notice.fields.dump());
    insert.bind(8, now);
    insert.bind(9, now);
    insert.exec();
}

result<std::vector<OutboxItem>> Outbox::due(std::int64_t now, int limit) {
    return guarded([&] {
        std::vector<OutboxItem> out;
        SQLite::Statement query(
            db_,
            "SELECT id, channel, target_kind, target_id, reply_handle, template_id, fields_json, "
            "attempts, created_at FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?");
        query.bind(1, now);
        query.bind(2, limit);
        while (query.executeStep()) {
            OutboxItem item;
            item.id = query.getColumn(0).getInt64();
            item.notice.target.channel = query.getColumn(1).getString();
            item.notice.target.kind = query.getColumn(2).getString() == "user"
                                          ? bot::model::NoticeTarget::Kind::user
                                          : bot::model::NoticeTarget::Kind::chat;
            item.notice.target.id = query.getColumn(3).getString();
            item.notice.target.reply_handle = query.getColumn(4).getString();
            item.notice.template_id = query.getColumn(5).getString();
            item.notice.fields = nlohmann::json::parse(query.getColumn(6).getString());
            item.attempts = query.getColumn(7).getInt();
            item.created_at = query.getColumn(8).getInt64();
            out.push_back(std::move(item));
        }
        return out;
    });
}

result<void> Outbox::mark_sent(std::int64_t id, std::int64_t now) {
    return guarded([&] {
        SQLite::Statement update(db_,
                                 "UPDATE outbox SET status = 'sent', sent_at = ?, "
                                 "attempts = attempts + 1 WHERE id = ?");
        update.bind(1, now);
        update.bind(2, id);
        update.exec();
    });
}

result<void> Outbox::mark_failed(std::int64_t id, const std::string& error,
                                 std::int64_t next_attempt_at, bool dead) {
    return guarded([&] {
        SQLite::Statement update(
            db_,
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
            "status = CASE WHEN ? THEN 'dead' ELSE status END WHERE id = ?");
        update.bind(1, error);
        update.bind(2, next_attempt_at);
        update.bind(3, dead ? 1 : 0);
        update.bind(4, id);
        update.exec();
    });
}

result<void> Outbox::defer(std::int64_t id, std::int64_t next_attempt_at) {
    return guarded([&] {
        SQLite::Statement update(db_, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?");
        update.bind(1, next_attempt_at);
        update.bind(2, id);
        update.exec();
    });
}

result<OutboxCounts> Outbox::counts() {
    return guarded([&] {
        OutboxCounts counts;
        SQLite::Statement query(db_, "SELECT status, COUNT(*) FROM outbox GROUP BY status");
        while (query.executeStep()) {
            const std::string status = query.getColumn(0).getString();
            const std::int64_t n = query.getColumn(1).getInt64();
            if (status == "pending") {
                counts.pending = n;
            } else if (status == "sent") {
                counts.sent = n;
            } else if (status == "dead") {
                counts.dead = n;
            }
        }
        return counts;
    });
}

}  // namespace ledgerbot::storage
