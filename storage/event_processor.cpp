#include "storage/event_processor.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "bot/state.hpp"
#include "storage/audit_log.hpp"
#include "storage/directory_repository.hpp"
#include "storage/inbox.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/outbox.hpp"

namespace ledgerbot::storage {

/// The engine's view of the database. The directory snapshot is reloaded only when an import
/// bumped its version, so a busy server does not re-read the company list per event.
class EventProcessor::SqliteState final : public bot::State {
public:
    explicit SqliteState(SQLite::Database& db) : db_(db), directories_(db), ledger_(db) {}

    void refresh() {
        const std::int64_t version = directories_.version().value();
        if (!loaded_ || version != version_) {
            directory_ = directories_.load().value();
            version_ = version;
            loaded_ = true;
        }
    }

    const bot::Directory& directory() const override { return directory_; }
    std::int64_t next_visit_number() const override { return ledger_.next_visit_number(); }
    std::int64_t next_demand_number() const override { return ledger_.next_demand_number(); }

private:
    SQLite::Database& db_;
    DirectoryRepository directories_;
    mutable LedgerRepository ledger_;
    bot::Directory directory_;
    std::int64_t version_ = 0;
    bool loaded_ = false;
};

EventProcessor::EventProcessor(SQLite::Database& db, const bot::Engine& engine,
                               FailureLog on_failure)
    : db_(db),
      engine_(engine),
      on_failure_(std::move(on_failure)),
      state_(std::make_unique<SqliteState>(db)) {}

EventProcessor::~EventProcessor() = default;

result<ProcessOutcome> EventProcessor::process_pending(int limit, std::int64_t now) {
    Inbox inbox(db_);
    BOOST_OUTCOME_TRY(pending, inbox.pending(limit));  // NOLINT
    ProcessOutcome outcome_counts;
    for (const auto& item : pending) {
        std::string failure;
        auto applied = guarded([&] {
            SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
            // A row can have been processed by a previous run that crashed after commit but
            // before we noticed; the status check inside the transaction makes that harmless.
            SQLite::Statement status(db_, "SELECT status FROM inbox WHERE id = ?");
            status.bind(1, item.inbox_id);
            if (!status.executeStep() || status.getColumn(0).getString() != "pending") {
                return 0;
            }
            state_->refresh();
            bot::Decision decision;
            try {
                decision = engine_.handle(item.event, *state_);
            } catch (const std::exception& e) {
                failure = e.what();
            }
            if (!failure.empty()) {
                SQLite::Statement mark(db_,
                                       "UPDATE inbox SET status = 'failed', processed_at = ?, "
                                       "error = ? WHERE id = ?");
                mark.bind(1, now);
                mark.bind(2, failure);
                mark.bind(3, item.inbox_id);
                mark.exec();
                tx.commit();
                return 0;
            }
            LedgerRepository ledger(db_);
            for (const auto& change : decision.changes) {
                ledger.apply(change);
            }
            Outbox outbox(db_);
            for (const auto& notice : decision.notices) {
                outbox.enqueue(notice, item.inbox_id, now);
            }
            AuditLog audit(db_);
            for (const auto& entry : decision.audit) {
                audit.append(entry, item.event.time, Inbox::dedup_key(item.event));
            }
            SQLite::Statement done(
                db_, "UPDATE inbox SET status = 'done', processed_at = ? WHERE id = ?");
            done.bind(1, now);
            done.bind(2, item.inbox_id);
            done.exec();
            tx.commit();
            return static_cast<int>(decision.notices.size());
        });
        if (!applied) {
            return applied.error();
        }
        if (!failure.empty()) {
            ++outcome_counts.failed;
            if (on_failure_) {
                on_failure_(item.inbox_id, failure);
            }
            continue;
        }
        ++outcome_counts.processed;
        outcome_counts.notices += applied.value();
    }
    return outcome_counts;
}

}  // namespace ledgerbot::storage
