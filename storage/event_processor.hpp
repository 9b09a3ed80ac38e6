#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/engine.hpp"
#include "storage/inbox.hpp"
#include "storage/inbox_import.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

class SqliteState;

/// What happened to one event of a round, for the log line the app writes per event. Never the
/// message text.
struct ProcessedEvent {
    std::int64_t inbox_id = 0;
    std::string event;  ///< its dedup key: source:id
    std::string source;
    std::string chat;
    std::string type;
    std::string outcome;  ///< "done", "failed", or "skipped" (already processed by a crashed run)
    int notices = 0;
    double duration_ms = 0;
    std::string error;  ///< why it failed
};

struct ProcessOutcome {
    int processed = 0;  ///< events whose decision was committed
    int failed = 0;     ///< events that failed permanently: parked as 'failed'
    int notices = 0;    ///< outbox rows written
    /// Of them, those first in their target's queue, which can go out now (an event rolled
    /// back may leave this one too high: the cost is a needless wake-up).
    int ready_notices = 0;
    /// Each event of the round, in order; valid once the round's transaction committed.
    std::vector<ProcessedEvent> events;
    /// What was taken from the received file in the round's transaction.
    ImportOutcome taken;
    /// Pending events the round read and did not reach (it yielded), at most `limit`.
    int left = 0;
};

/// Runs pending inbox events through the engine. An event's ledger changes, outbox rows, audit
/// entries and its inbox row's 'done' mark commit together (a batch of events shares one
/// transaction, each event in its own savepoint), so after a crash an event is either fully
/// applied or still pending — never half, never twice.
/// An event that fails for a reason that would repeat (an engine bug, a constraint) is parked as
/// 'failed' with the reason so the events behind it are not blocked; a transient storage error
/// (busy, I/O, disk full), whether raised by a write or by a state read, rolls the round back
/// and leaves its events pending for the next one (the store thread backs off in between).
class EventProcessor {
public:
    using FailureLog = std::function<void(std::int64_t inbox_id, const std::string& what)>;
    /// Puts a view in front of the state the engine reads; tests use it to inject faults.
    using StateWrapper = std::function<std::unique_ptr<bot::State>(const bot::State& inner)>;
    /// The event (its dedup key given) read ahead as a report (Engine::read_ahead) with the
    /// directory of import version `directory_version`, or nullopt when there is no such
    /// reading of this very event.
    using Readings = std::function<std::optional<bot::reports::ReportCheck>(
        const bot::model::InboundEvent& event, const std::string& dedup_key,
        std::int64_t directory_version)>;

    EventProcessor(SQLite::Database& db, const bot::Engine& engine, FailureLog on_failure = {},
                   StateWrapper wrap_state = {});
    ~EventProcessor();

    /// Processes up to `limit` pending events in one transaction. `should_yield` is asked
    /// between events; when it says yes the work done so far is committed and the call returns
    /// (the store thread uses it to let waiting acknowledgements go first). `take` (read with
    /// received_to_take) is taken into the inbox in the same transaction first.
    result<ProcessOutcome> process_pending(int limit, std::int64_t now,
                                           const std::function<bool()>& should_yield = {},
                                           const std::vector<ReceivedEvent>& take = {});

    /// The points journal built from the ledger once per database (see points_backfill.hpp).
    void build_points_journal_once(std::int64_t now);

    /// Where events read ahead are found (the store thread's read-ahead thread); without it,
    /// each event is read where it is handled.
    void take_readings_from(Readings readings) { readings_ = std::move(readings); }

private:
    /// Applies one event's decision inside the caller's transaction; returns the notices
    /// written, or -1 when the event was no longer pending (`recheck`: it was read as pending
    /// before the transaction began). Throws on any failure.
    int apply_one(const PendingEvent& item, std::int64_t now, bool recheck);
    void mark_failed(std::int64_t inbox_id, const std::string& why, std::int64_t now);

    SQLite::Database& db_;
    const bot::Engine& engine_;
    FailureLog on_failure_;
    std::unique_ptr<SqliteState> state_;
    std::unique_ptr<bot::State> wrapped_state_;
    Readings readings_;
    int ready_notices_ = 0;  // of the round in progress
};

}  // namespace ledgerbot::storage
