#include "storage/inbox_repair.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/audit_log.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {
namespace {

constexpr const char* kRowColumns =
    "id, dedup_key, source, chat_id, COALESCE(json_extract(event_json, '$.type'), ''), status, "
    "deliveries, received_at, processed_at, COALESCE(error, '')";

InboxRow row_from(SQLite::Statement& query) {
    InboxRow row;
    row.id = query.getColumn(0).getInt64();
    row.dedup_key = query.getColumn(1).getString();
    row.source = query.getColumn(2).getString();
    row.chat_id = query.getColumn(3).getString();
    row.type = query.getColumn(4).getString();
    row.status = query.getColumn(5).getString();
    row.deliveries = query.getColumn(6).getInt();
    row.received_at = query.getColumn(7).getInt64();
    if (!query.getColumn(8).isNull()) {
        row.processed_at = query.getColumn(8).getInt64();
    }
    row.error = query.getColumn(9).getString();
    return row;
}

std::optional<InboxRow> find_row(SQLite::Database& db, std::int64_t id) {
    Prepared query(db, std::string("SELECT ") + kRowColumns + " FROM inbox WHERE id = ?");
    query->bind(1, id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return row_from(query);
}

}  // namespace

result<std::vector<InboxRow>> InboxRepair::list(bool failed_only, int limit) {
    return guarded([&] {
        Prepared query(db_, std::string("SELECT ") + kRowColumns + " FROM inbox WHERE " +
                                (failed_only ? "status = 'failed'" : "status != 'done'") +
                                " ORDER BY id LIMIT ?");
        query->bind(1, limit);
        std::vector<InboxRow> out;
        while (query->executeStep()) {
            out.push_back(row_from(query));
        }
        return out;
    });
}

result<std::optional<InboxRow>> InboxRepair::find(std::int64_t id) {
    return guarded([&] { return find_row(db_, id); });
}

result<std::int64_t> InboxRepair::notices_of(std::int64_t id) {
    return guarded([&] {
        Prepared query(db_, "SELECT COUNT(*) FROM outbox WHERE inbox_id = ?");
        query->bind(1, id);
        query->executeStep();
        return query->getColumn(0).getInt64();
    });
}

result<RetryResult> InboxRepair::retry(std::int64_t id, const std::string& actor,
                                       std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        RetryResult outcome = RetryResult::retried;
        const std::optional<InboxRow> row = find_row(db_, id);
        if (!row) {
            outcome = RetryResult::not_found;
        } else if (row->status == "pending") {
            outcome = RetryResult::already_pending;
        } else if (row->status == "done") {
            outcome = RetryResult::already_done;
        } else {
            Prepared update(db_,
                            "UPDATE inbox SET status = 'pending', processed_at = NULL, error = "
                            "NULL WHERE id = ? AND status = 'failed'");
            update->bind(1, id);
            update->exec();
            AuditLog(db_).append({actor,
                                  "inbox.retried",
                                  "event " + std::to_string(id),
                                  {{"event", row->dedup_key},
                                   {"type", row->type},
                                   {"chat", row->chat_id},
                                   {"error", row->error}}},
                                 now, "cli");
        }
        tx.commit();
        return outcome;
    });
}

}  // namespace ledgerbot::storage
