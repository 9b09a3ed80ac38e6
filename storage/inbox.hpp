#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/inbound_event.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct InboxInsert {
    std::int64_t inbox_id = 0;
    bool duplicate = false;  ///< the same source + event id was stored before
};

struct PendingEvent {
    std::int64_t inbox_id = 0;
    bot::model::InboundEvent event;
    std::string parse_error;  ///< the stored JSON could not be read back (never expected)
};

/// The durable inbox. An event is acknowledged to its sender only after `insert_batch` has
/// committed it; processing happens later, from `pending`.
class Inbox {
public:
    explicit Inbox(SQLite::Database& db) : db_(db) {}

    static std::string dedup_key(const bot::model::InboundEvent& event);

    /// Stores a batch in one transaction (group commit: one fsync for many callbacks). A
    /// redelivered event is not stored again; its delivery count goes up.
    result<std::vector<InboxInsert>> insert_batch(std::span<const bot::model::InboundEvent> events,
                                                  std::int64_t received_at);

    /// insert_batch within the caller's transaction (an operator's request and its audit entry
    /// commit together). Throws SQLite::Exception.
    std::vector<InboxInsert> insert_within(std::span<const bot::model::InboundEvent> events,
                                           std::int64_t received_at);

    /// Unprocessed events in arrival order, which keeps each chat's events in order.
    result<std::vector<PendingEvent>> pending(int limit);
    result<std::int64_t> depth();
    /// When the oldest pending event arrived; nullopt when none is pending.
    result<std::optional<std::int64_t>> oldest_pending_received_at();

    /// The scheduled time of the newest tick stored for `job` (pending, done or failed), or
    /// nullopt when the job never ticked. The scheduler resumes from here after a restart.
    result<std::optional<std::int64_t>> newest_tick_time(const std::string& job);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
