#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/inbound_event.hpp"
#include "storage/inbox.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// One event as it was received, before the ledger took it.
struct ReceivedEvent {
    std::int64_t seq = 0;
    std::string dedup_key;
    std::string source;
    std::string chat_id;
    std::int64_t received_at = 0;
    std::string event_json;
    int deliveries = 1;
};

/// How far processing is behind what was acknowledged.
struct InboxLag {
    std::int64_t events = 0;
    std::optional<std::int64_t> oldest_received_at;  ///< of the oldest event not yet taken
};

/// The acknowledgement side of the inbox: an append-only SQLite file of its own (WAL, FULL
/// sync) with one writer, the ingest thread. A callback is acknowledged once its event is
/// committed here; nothing that processes events ever writes to this file's tables, so an
/// acknowledgement never waits behind report parsing or ledger writes. The store thread reads
/// it through its own connection and takes events into the ledger (see inbox_import.hpp).
/// A redelivered event (same source and id) is stored once; its delivery count goes up.
class ReceivedInbox {
public:
    /// Opens (creating when missing) the file and its table. Throws on a startup failure.
    static SQLite::Database open(const std::filesystem::path& path, bool read_only = false);

    explicit ReceivedInbox(SQLite::Database& db) : db_(db) {}

    /// Stores a batch in one transaction: one fsync for many callbacks.
    result<std::vector<InboxInsert>> insert_batch(std::span<const bot::model::InboundEvent> events,
                                                  std::int64_t received_at);

    /// A random id the file got when it was created.
    result<std::string> identity();

    /// Events after `seq`, oldest first.
    result<std::vector<ReceivedEvent>> after(std::int64_t seq, int limit);

    /// Events after `seq` and the arrival time of the first of them.
    result<InboxLag> lag_after(std::int64_t seq);

    /// Forgets events the ledger has taken (seq up to `taken_through`) that arrived before
    /// `received_before`: they are kept that long only so a late redelivery is still known.
    result<int> prune(std::int64_t taken_through, std::int64_t received_before);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
