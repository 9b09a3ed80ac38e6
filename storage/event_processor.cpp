#include "storage/event_processor.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/state.hpp"
#include "storage/audit_log.hpp"
#include "storage/demand_repository.hpp"
#include "storage/directory_repository.hpp"
#include "storage/group_repository.hpp"
#include "storage/inbox.hpp"
#include "storage/inbox_import.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/outbox.hpp"
#include "storage/points_backfill.hpp"
#include "storage/retention.hpp"
#include "storage/score_repository.hpp"
#include "storage/sqlite_state.hpp"

namespace ledgerbot::storage {

EventProcessor::EventProcessor(SQLite::Database& db, const bot::Engine& engine,
                               FailureLog on_failure, StateWrapper wrap_state)
    : db_(db),
      engine_(engine),
      on_failure_(std::move(on_failure)),
      state_(std::make_unique<SqliteState>(db)) {
    if (wrap_state) {
        wrapped_state_ = wrap_state(*state_);
    }
}

EventProcessor::~EventProcessor() = default;

void EventProcessor::build_points_journal_once(std::int64_t now) {
    const BackfillCounts counts = storage::build_points_journal_once(db_, engine_, *state_, now);
    if (counts.built) {
        spdlog::info("points journal built from the ledger: {} entries, {} posted tables stored",
                     counts.entries, counts.published_tables);
    }
}

namespace {

// Each commit writes the pages the batch touched once: the fewer commits under load, the fewer
// writes per event. 128 events take about 50 ms, the longest a waiting job is held.
constexpr int kMinimumBeforeYield = 128;

// A transient storage error raised while an event was applied: the round stops and the event
// stays pending, to be tried again after a back-off.
struct TransientFailure {
    std::error_code error;
};

}  // namespace

void EventProcessor::mark_failed(std::int64_t inbox_id, const std::string& why, std::int64_t now) {
    Prepared mark(db_,
                  "UPDATE inbox SET status = 'failed', processed_at = ?, error = ? "
                  "WHERE id = ? AND status = 'pending'");
    mark->bind(1, now);
    mark->bind(2, why);
    mark->bind(3, inbox_id);
    mark->exec();
}

int EventProcessor::apply_one(const PendingEvent& item, std::int64_t now, bool recheck) {
    if (recheck) {
        // Read as pending before this transaction: another process (a second instance, a CLI
        // run) may have processed it since. Read inside it, the row cannot have changed.
        Prepared status(db_, "SELECT status FROM inbox WHERE id = ?");
        status->bind(1, item.inbox_id);
        if (!status->executeStep() || status->getColumn(0).getString() != "pending") {
            return -1;
        }
    }
    const bot::State& state = wrapped_state_ ? *wrapped_state_ : *state_;
    const std::string source_event = Inbox::dedup_key(item.event);
    // A reading made with another directory (an import came between) is not used.
    std::optional<bot::reports::ReportCheck> read;
    if (readings_ && item.event.type == bot::model::EventType::message &&
        !item.event.text.empty()) {
        read = readings_(item.event, source_event, state_->directory_version());
    }
    const bot::Decision decision = engine_.handle(item.event, state, std::move(read));
    LedgerRepository ledger(db_);
    for (const auto& change : decision.changes) {
        ledger.apply(change);
    }
    GroupRepository groups(db_);
    for (const auto& change : decision.group_changes) {
        groups.apply(change);
    }
    ScoreRepository scores(db_);
    for (const auto& change : decision.score_changes) {
        scores.apply(change);
    }
    // The points journal follows what was just applied, in the same transaction: a crash can
    // never leave a record without its points or points without their record.
    const bot::Decision points = engine_.record_points(item.event, decision, state);
    for (const auto& change : points.score_changes) {
        scores.apply(change);
    }
    for (const auto& change : decision.maintenance) {
        const auto& run = std::get<bot::RetentionRun>(change);
        const RetentionCounts counts = apply_retention(db_, run.raw_before, run.sent_before, now);
        AuditLog(db_).append(bot::AuditEntry{std::string(bot::kBotActor),
                                             "retention.applied",
                                             "inbox",
                                             {{"events_redacted", counts.events_redacted},
                                              {"notices_purged", counts.notices_purged},
                                              {"raw_before", run.raw_before},
                                              {"sent_before", run.sent_before}}},
                             item.event.time, source_event);
    }
    Outbox outbox(db_);
    for (const auto& notice : bot::Engine::tell_points(decision.notices, points)) {
        if (outbox.enqueue(notice, item.inbox_id, now)) {
            ++ready_notices_;
        }
    }
    AuditLog(db_).append_all(decision.audit, item.event.time, source_event);
    if (item.event.type == bot::model::EventType::tick) {
        // Operators see which runs happened, and when, here. What prevents a second run is the
        // inbox's unique dedup key on the run key; OR IGNORE keeps a replayed tick harmless.
        Prepared run(db_, "INSERT OR IGNORE INTO job_runs (run_key, ran_at) VALUES (?, ?)");
        run->bind(1, item.event.id);
        run->bind(2, now);
        run->exec();
    }
    return static_cast<int>(decision.notices.size());
}

result<ProcessOutcome> EventProcessor::process_pending(int limit, std::int64_t now,
                                                       const std::function<bool()>& should_yield,
                                                       const std::vector<ReceivedEvent>& take) {
    Inbox inbox(db_);
    ProcessOutcome counts;
    ready_notices_ = 0;
    std::vector<std::pair<std::int64_t, std::string>> parked;
    try {
        // One transaction for the batch (one fsync), one savepoint per event: an event that
        // fails is rolled back alone and parked, the others commit with the batch. Events taken
        // from the received file are taken in it too, so their inbox rows are written once and
        // the cursor moves with their effects.
        std::optional<SQLite::Transaction> tx;
        if (!take.empty()) {
            tx.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
            counts.taken = take_within(db_, take);
        }
        BOOST_OUTCOME_TRY(pending, inbox.pending(limit));  // NOLINT
        if (pending.empty()) {
            if (tx) {
                tx->commit();
            }
            return counts;
        }
        const bool read_before_tx = !tx;
        if (!tx) {
            tx.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
        }
        // Once per batch: only an import changes the directory, and none can commit while
        // this transaction holds the write lock.
        try {
            state_->refresh();
        } catch (const std::system_error& e) {
            return e.code();  // rolled back; the round is tried again after a back-off
        }
        // Marked done together, in the batch's transaction, once each has been applied.
        std::vector<std::int64_t> done;
        for (const auto& item : pending) {
            // At least a few per round, so processing keeps up while callbacks stream in.
            if (should_yield && counts.processed + counts.failed >= kMinimumBeforeYield &&
                should_yield()) {
                break;
            }
            const auto started = std::chrono::steady_clock::now();
            ProcessedEvent record;
            record.inbox_id = item.inbox_id;
            record.event = Inbox::dedup_key(item.event);
            record.source = item.event.source;
            record.chat = item.event.chat.id;
            record.type = std::string(bot::model::to_string(item.event.type));
            const auto finish = [&](std::string outcome, int notices, std::string error) {
                record.outcome = std::move(outcome);
                record.notices = notices;
                record.error = std::move(error);
                record.duration_ms = std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - started)
                                         .count();
                counts.events.push_back(std::move(record));
            };
            std::string failure = item.parse_error;
            if (failure.empty()) {
                Prepared(db_, "SAVEPOINT event")->exec();
                try {
                    const int notices = apply_one(item, now, read_before_tx);
                    Prepared(db_, "RELEASE event")->exec();
                    if (notices >= 0) {
                        done.push_back(item.inbox_id);
                    }
                    counts.notices += std::max(notices, 0);
                    ++counts.processed;
                    finish(notices < 0 ? "skipped" : "done", std::max(notices, 0), "");
                    continue;
                } catch (const SQLite::Exception& e) {
                    if (is_transient(e.getExtendedErrorCode())) {
                        throw TransientFailure{to_error_code(e)};
                    }
                    failure = std::string("storage: ") + e.what();
                } catch (const std::system_error& e) {
                    // A repository's result read with .value() by the state.
                    if (is_transient(e.code())) {
                        throw TransientFailure{e.code()};
                    }
                    failure = std::string("engine: ") + e.what();
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
            finish("failed", 0, failure);
        }
        counts.left = static_cast<int>(pending.size()) - counts.processed - counts.failed;
        if (!done.empty()) {
            Prepared mark(db_,
                          "UPDATE inbox SET status = 'done', processed_at = ? "
                          "WHERE id IN (SELECT value FROM json_each(?))");
            mark->bind(1, now);
            mark->bind(2, nlohmann::json(done).dump());
            mark->exec();
        }
        tx->commit();
    } catch (const TransientFailure& transient) {
        // Rolled back whole: every event of the round stays pending and is retried in order.
        return transient.error;
    } catch (const SQLite::Exception& e) {
        return to_error_code(e);
    }
    if (on_failure_) {
        for (const auto& [inbox_id, why] : parked) {
            on_failure_(inbox_id, why);
        }
    }
    counts.ready_notices = ready_notices_;
    return counts;
}

}  // namespace ledgerbot::storage
