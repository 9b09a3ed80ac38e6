#include "storage/outbox_repair.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/audit_log.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {
namespace {

constexpr const char* kOutboxColumns =
    "id, status, channel, target_kind, target_id, template_id, attempts, created_at, "
    "next_attempt_at, sent_at, COALESCE(last_error, '')";

OutboxRow outbox_row_from(SQLite::Statement& query) {
    OutboxRow row;
    row.id = query.getColumn(0).getInt64();
    row.status = query.getColumn(1).getString();
    row.channel = query.getColumn(2).getString();
    row.target_kind = query.getColumn(3).getString();
    row.target_id = query.getColumn(4).getString();
    row.template_id = query.getColumn(5).getString();
    row.attempts = query.getColumn(6).getInt();
    row.created_at = query.getColumn(7).getInt64();
    row.next_attempt_at = query.getColumn(8).getInt64();
    if (!query.getColumn(9).isNull()) {
        row.sent_at = query.getColumn(9).getInt64();
    }
    row.last_error = query.getColumn(10).getString();
    return row;
}

std::optional<OutboxRow> find_outbox_row(SQLite::Database& db, std::int64_t id) {
    Prepared query(db, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?");
    query->bind(1, id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return outbox_row_from(query);
}

void requeue(SQLite::Database& db, const OutboxRow& row, const std::string& actor,
             std::int64_t now) {
    Prepared update(db,
                    "UPDATE outbox SET status = 'pending', attempts = 0, first_failed_at = NULL, "
                    "next_attempt_at = ? WHERE id = ? AND status = 'dead'");
    update->bind(1, now);
    update->bind(2, row.id);
    update->exec();
    AuditLog(db).append({actor,
                         "outbox.retried",
                         "notice " + std::to_string(row.id),
                         {{"template", row.template_id},
                          {"channel", row.channel},
                          {"target", row.target_kind + ":" + row.target_id},
                          {"attempts", row.attempts},
                          {"last_error", row.last_error}}},
                        now, "cli");
}

}  // namespace

result<std::vector<OutboxRow>> OutboxRepair::list(bool dead_only, int limit) {
    return guarded([&] {
        Prepared query(db_, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE " +
                                (dead_only ? "status = 'dead'" : "status != 'sent'") +
                                " ORDER BY id LIMIT ?");
        query->bind(1, limit);
        std::vector<OutboxRow> out;
        while (query->executeStep()) {
            out.push_back(outbox_row_from(query));
        }
        return out;
    });
}

result<std::optional<OutboxRow>> OutboxRepair::find(std::int64_t id) {
    return guarded([&] { return find_outbox_row(db_, id); });
}

result<RetryResult> OutboxRepair::retry(std::int64_t id, const std::string& actor,
                                        std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const std::optional<OutboxRow> row = find_outbox_row(db_, id);
        RetryResult outcome = RetryResult::retried;
        if (!row) {
            outcome = RetryResult::not_found;
        } else if (row->status == "pending") {
            outcome = RetryResult::already_pending;
        } else if (row->status == "sent") {
            outcome = RetryResult::already_done;
        } else {
            requeue(db_, *row, actor, now);
        }
        tx.commit();
        return outcome;
    });
}

result<std::vector<std::int64_t>> OutboxRepair::retry_dead(const std::string& actor,
                                                           std::int64_t now) {
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        std::vector<OutboxRow> dead;
        {
            Prepared query(db_, std::string("SELECT ") + kOutboxColumns +
                                    " FROM outbox WHERE status = 'dead' ORDER BY id");
            while (query->executeStep()) {
                dead.push_back(outbox_row_from(query));
            }
        }
        std::vector<std::int64_t> ids;
        for (const OutboxRow& row : dead) {
            requeue(db_, row, actor, now);
            ids.push_back(row.id);
        }
        tx.commit();
        return ids;
    });
}

}  // namespace ledgerbot::storage
