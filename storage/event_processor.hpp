#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>

#include "bot/engine.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct ProcessOutcome {
    int processed = 0;  ///< events whose decision was committed
    int failed = 0;     ///< events the engine could not handle (bug): parked as 'failed'
    int notices = 0;    ///< outbox rows written
};

/// Runs pending inbox events through the engine. Each event is one IMMEDIATE transaction:
/// ledger changes, outbox rows, audit entries and the inbox row's 'done' mark commit together,
/// so after a crash an event is either fully applied or still pending — never half, never twice.
class EventProcessor {
public:
    using FailureLog = std::function<void(std::int64_t inbox_id, const std::string& what)>;

    EventProcessor(SQLite::Database& db, const bot::Engine& engine, FailureLog on_failure = {});
    ~EventProcessor();

    result<ProcessOutcome> process_pending(int limit, std::int64_t now);

private:
    class SqliteState;

    SQLite::Database& db_;
    const bot::Engine& engine_;
    FailureLog on_failure_;
    std::unique_ptr<SqliteState> state_;
};

}  // namespace ledgerbot::storage
