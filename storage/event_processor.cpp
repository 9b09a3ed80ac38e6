#include "storage/event_processor.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "bot/state.hpp"
#include "storage/audit_log.hpp"
#include "storage/demand_repository.hpp"
#include "storage/directory_repository.hpp"
#include "storage/group_repository.hpp"
#include "storage/inbox.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/outbox.hpp"

namespace ledgerbot::storage {

/// The engine's view of the database. The directory snapshot is reloaded only when an import
/// bumped its version, so a busy server does not re-read the company list per event.
class EventProcessor::SqliteState final : public bot::State {
public:
    explicit SqliteState(SQLite::Database& db)
        : db_(db), directories_(db), ledger_(db), groups_(db) {}

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
    std::int64_t next_risk_number() const override { return groups_.next_risk_number(); }
    std::optional<bot::VisitRecord> visit(std::int64_t number) const override {
        return ledger_.visit(number);
    }
    std::optional<bot::VisitRecord> latest_visit_by(const std::string& reporter_id,
                                                    const std::string& channel,
                                                    const std::string& chat_id) const override {
        return ledger_.latest_visit_by(reporter_id, channel, chat_id);
    }
    std::int64_t evidence_count(std::int64_t visit_number) const override {
        return ledger_.evidence_count(visit_number);
    }
    std::optional<bot::GroupView> group(std::string_view source,
                                        std::string_view chat_id) const override {
        return groups_.find(source, chat_id);
    }
    std::vector<bot::GroupView> enforced_groups() const override { return groups_.enforced(); }
    std::optional<bot::Demand> demand(std::int64_t number) const override {
        return DemandRepository(db_).find(number);
    }
    std::vector<bot::Demand> demands_awaiting_plan() const override {
        return DemandRepository(db_).awaiting_plan();
    }
    std::vector<bot::Demand> open_demands(std::int64_t company_id) const override {
        return DemandRepository(db_).open_of_company(company_id);
    }
    std::int64_t next_briefing_number() const override { return ledger_.next_briefing_number(); }
    std::vector<bot::Demand> all_open_demands() const override {
        return DemandRepository(db_).all_open();
    }
    std::vector<std::int64_t> companies_visited(std::int64_t from,
                                                std::int64_t to) const override {
        SQLite::Statement query(db_,
                                "SELECT DISTINCT company_id FROM visits WHERE company_id IS NOT "
                                "NULL AND visit_time BETWEEN ? AND ? ORDER BY company_id");
        query.bind(1, from);
        query.bind(2, to);
        std::vector<std::int64_t> out;
        while (query.executeStep()) {
            out.push_back(query.getColumn(0).getInt64());
        }
        return out;
    }
    std::optional<bot::Risk> risk(std::int64_t number) const override {
        return groups_.risk(number);
    }
    std::vector<bot::Risk> unacknowledged_notices() const override {
        return groups_.unacknowledged_notices();
    }

private:
    SQLite::Database& db_;
    DirectoryRepository directories_;
    mutable LedgerRepository ledger_;
    mutable GroupRepository groups_;
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

namespace {

// Errors that another attempt may not repeat: the database is busy, the disk is full or
// failing. Anything else (a constraint, a trigger, a bug) would fail the same way every time.
constexpr int kMinimumBeforeYield = 32;

bool is_transient(int extended_code) {
    const int primary = extended_code & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
           primary == SQLITE_FULL || primary == SQLITE_NOMEM || primary == SQLITE_CANTOPEN ||
           primary == SQLITE_PROTOCOL;
}

}  // namespace

void EventProcessor::mark_failed(std::int64_t inbox_id, const std::string& why, std::int64_t now) {
    SQLite::Statement mark(db_,
                           "UPDATE inbox SET status = 'failed', processed_at = ?, error = ? "
                           "WHERE id = ? AND status = 'pending'");
    mark.bind(1, now);
    mark.bind(2, why);
    mark.bind(3, inbox_id);
    mark.exec();
}

int EventProcessor::apply_one(const PendingEvent& item, std::int64_t now) {
    // A row can have been processed by a previous run that crashed after commit but before we
    // noticed; the status check inside the transaction makes that harmless.
    SQLite::Statement status(db_, "SELECT status FROM inbox WHERE id = ?");
    status.bind(1, item.inbox_id);
    if (!status.executeStep() || status.getColumn(0).getString() != "pending") {
        return 0;
    }
    state_->refresh();
    const bot::Decision decision = engine_.handle(item.event, *state_);
    LedgerRepository ledger(db_);
    for (const auto& change : decision.changes) {
        ledger.apply(change);
    }
    GroupRepository groups(db_);
    for (const auto& change : decision.group_changes) {
        groups.apply(change);
    }
    Outbox outbox(db_);
    for (const auto& notice : decision.notices) {
        outbox.enqueue(notice, item.inbox_id, now);
    }
    AuditLog audit(db_);
    for (const auto& entry : decision.audit) {
        audit.append(entry, item.event.time, Inbox::dedup_key(item.event));
    }
    if (item.event.type == bot::EventType::tick) {
        // Operators see which runs happened, and when, here. What prevents a second run is the
        // inbox's unique dedup key on the run key; OR IGNORE keeps a replayed tick harmless.
        SQLite::Statement run(db_, "INSERT OR IGNORE INTO job_runs (run_key, ran_at) VALUES (?, ?)");
        run.bind(1, item.event.id);
        run.bind(2, now);
        run.exec();
    }
    SQLite::Statement done(db_, "UPDATE inbox SET status = 'done', processed_at = ? WHERE id = ?");
    done.bind(1, now);
    done.bind(2, item.inbox_id);
    done.exec();
    return static_cast<int>(decision.notices.size());
}

result<ProcessOutcome> EventProcessor::process_pending(int limit, std::int64_t now,
                                                       const std::function<bool()>& should_yield) {
    Inbox inbox(db_);
    BOOST_OUTCOME_TRY(pending, inbox.pending(limit));  // NOLINT
    ProcessOutcome counts;
    if (pending.empty()) {
        return counts;
    }
    std::vector<std::pair<std::int64_t, std::string>> parked;
    try {
        // One transaction for the batch (one fsync), one savepoint per event: an event that
        // fails is rolled back alone and parked, the others commit with the batch.
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        for (const auto& item : pending) {
            // At least a few per round, so processing keeps up while callbacks stream in.
            if (should_yield && counts.processed + counts.failed >= kMinimumBeforeYield &&
                should_yield()) {
                break;
            }
            std::string failure = item.parse_error;
            if (failure.empty()) {
                db_.exec("SAVEPOINT event");
                try {
                    counts.notices += apply_one(item, now);
                    db_.exec("RELEASE event");
                    ++counts.processed;
                    continue;
                } catch (const SQLite::Exception& e) {
                    if (is_transient(e.getExtendedErrorCode())) {
                        throw;  // the whole batch stays pending and is retried in order
                    }
                    failure = std::string("storage: ") + e.what();
                } catch (const std::exception& e) {
                    failure = std::string("engine: ") + e.what();
                }
                db_.exec("ROLLBACK TO event");
                db_.exec("RELEASE event");
            }
            // The event stays in the inbox as 'failed' with its reason, for an operator to
            // inspect and replay; the events behind it are not blocked.
            mark_failed(item.inbox_id, failure, now);
            parked.emplace_back(item.inbox_id, failure);
            ++counts.failed;
        }
        tx.commit();
    } catch (const SQLite::Exception& e) {
        return to_error_code(e);
    }
    if (on_failure_) {
        for (const auto& [inbox_id, why] : parked) {
            on_failure_(inbox_id, why);
        }
    }
    return counts;
}

}  // namespace ledgerbot::storage
