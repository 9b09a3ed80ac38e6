#include "storage/inbox_import.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace ledgerbot::storage {
namespace {

std::int64_t read_cursor(SQLite::Database& ledger) {
    return single_int64(ledger, "SELECT taken_through FROM inbox_import WHERE id = 1");
}

}  // namespace

result<std::int64_t> taken_through(SQLite::Database& ledger) {
    return guarded([&] { return read_cursor(ledger); });
}

result<std::vector<ReceivedEvent>> received_to_take(SQLite::Database& ledger,
                                                    ReceivedInbox& received, int limit) {
    return guarded([&] {
        // Another received file than the one the cursor counts in (the ledger was restored, or
        // the file was deleted): start again from its beginning; the ledger's unique dedup key
        // keeps what it already holds from being taken twice.
        auto file = received.identity();
        if (!file) {
            throw std::system_error(file.error(), "reading the received inbox");
        }
        const std::string known =
            single_string(ledger, "SELECT received_id FROM inbox_import WHERE id = 1");
        if (known != file.value()) {
            SQLite::Transaction tx(ledger, SQLite::TransactionBehavior::IMMEDIATE);
            Prepared reset(
                ledger, "UPDATE inbox_import SET taken_through = 0, received_id = ? WHERE id = 1");
            reset->bind(1, file.value());
            reset->exec();
            tx.commit();
        }
        auto rows = received.after(read_cursor(ledger), limit);
        if (!rows) {
            throw std::system_error(rows.error(), "reading the received inbox");
        }
        return std::move(rows.value());
    });
}

ImportOutcome take_within(SQLite::Database& ledger, const std::vector<ReceivedEvent>& rows) {
    ImportOutcome outcome;
    // Re-read under the write lock: only this thread takes events, but a second process must
    // not make two copies either.
    outcome.taken_through = read_cursor(ledger);
    if (rows.empty()) {
        return outcome;
    }
    Prepared insert(ledger,
                    "INSERT INTO inbox (dedup_key, source, chat_id, received_at, "
                    "event_json, deliveries) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (dedup_key) DO NOTHING");
    for (const ReceivedEvent& row : rows) {
        if (row.seq <= outcome.taken_through) {
            continue;
        }
        insert->bind(1, row.dedup_key);
        insert->bind(2, row.source);
        insert->bind(3, row.chat_id);
        insert->bind(4, row.received_at);
        insert->bind(5, row.event_json);
        insert->bind(6, row.deliveries);
        (insert->exec() == 1 ? outcome.taken : outcome.already_known) += 1;
        insert->reset();
        outcome.taken_through = row.seq;
    }
    Prepared cursor(ledger, "UPDATE inbox_import SET taken_through = ? WHERE id = 1");
    cursor->bind(1, outcome.taken_through);
    cursor->exec();
    return outcome;
}

result<ImportOutcome> take_received(SQLite::Database& ledger, ReceivedInbox& received, int limit) {
    BOOST_OUTCOME_TRY(rows, received_to_take(ledger, received, limit));  // NOLINT
    return guarded([&]() -> ImportOutcome {
        if (rows.empty()) {
            ImportOutcome outcome;
            outcome.taken_through = read_cursor(ledger);
            return outcome;
        }
        SQLite::Transaction tx(ledger, SQLite::TransactionBehavior::IMMEDIATE);
        ImportOutcome outcome = take_within(ledger, rows);
        tx.commit();
        return outcome;
    });
}

}  // namespace ledgerbot::storage
