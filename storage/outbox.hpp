#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/notice.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct OutboxItem {
    std::int64_t id = 0;
    bot::model::Notice notice;
    int attempts = 0;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> first_failed_at;  ///< the retry budget runs from here
};

/// Notices failing right now: the pending ones that have failed at least once.
struct DeliveryFailures {
    std::int64_t failing = 0;
    std::int64_t since = 0;  ///< the earliest first failure among them
    std::string channels;    ///< comma separated
    std::string last_error;  ///< of the oldest one
    bool told = false;       ///< a summary of this outage was already stored
};

/// What one delivery attempt came to, to be recorded (`Outbox::record`).
struct DeliveryOutcome {
    enum class Kind { sent, failed, deferred };
    std::int64_t id = 0;
    Kind kind = Kind::sent;
    std::int64_t now = 0;
    std::int64_t next_attempt_at = 0;  ///< failed: the retry; deferred: when the limit allows
    bool dead = false;                 ///< failed for good
    std::string error;
};

struct OutboxCounts {
    std::int64_t pending = 0;
    std::int64_t sent = 0;
    std::int64_t dead = 0;
};

/// Notices waiting to be delivered. Rows are written in the same transaction as the decision
/// that produced them, so a crash can neither lose a notice nor send one for an undone change.
class Outbox {
public:
    explicit Outbox(SQLite::Database& db) : db_(db) {}

    /// Inserts within the caller's transaction. True when no earlier notice to the same target
    /// is pending: this one can go out now, so the dispatcher is worth waking.
    bool enqueue(const bot::model::Notice& notice, std::optional<std::int64_t> inbox_id,
                 std::int64_t now);

    /// Due notices, each the oldest pending one of its target: a notice waits behind an earlier
    /// one to the same chat or person, so each target reads them in order.
    result<std::vector<OutboxItem>> due(std::int64_t now, int limit);
    result<void> mark_sent(std::int64_t id, std::int64_t now);
    /// Counts an attempt (the first failure is remembered); the item comes back at
    /// `next_attempt_at`, or is parked as dead.
    result<void> mark_failed(std::int64_t id, const std::string& error,
                             std::int64_t next_attempt_at, bool dead, std::int64_t now);
    result<DeliveryFailures> failures();
    /// Remembers that the outage that began at `since` was summarised.
    result<void> record_alert(std::int64_t since, std::int64_t now);
    /// Moves an item later without counting an attempt (rate limit reached).
    result<void> defer(std::int64_t id, std::int64_t next_attempt_at);
    /// Records the outcomes of several deliveries in one transaction: one commit (one fsync)
    /// for what a pass of the dispatcher sent, not one per notice.
    result<void> record(const std::vector<DeliveryOutcome>& outcomes);
    result<OutboxCounts> counts();

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
