#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/outbox_repair.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// One ledger inbox row as an operator sees it (`ledgerbot inbox list`): what arrived and how
/// processing went, without the message text.
struct InboxRow {
    std::int64_t id = 0;
    std::string dedup_key;
    std::string source;
    std::string chat_id;
    std::string type;  ///< the event's type (message, image, tick…)
    std::string status;
    int deliveries = 0;
    std::int64_t received_at = 0;
    std::optional<std::int64_t> processed_at;
    std::string error;
};

/// Events that failed processing, and putting one back in line once the cause is fixed (a
/// bug fixed by an upgrade, a config corrected). The engine then handles it like any event.
class InboxRepair {
public:
    explicit InboxRepair(SQLite::Database& db) : db_(db) {}

    /// Events not done (pending and failed), or the failed ones only, oldest first.
    result<std::vector<InboxRow>> list(bool failed_only, int limit);
    /// A failed event becomes pending again; audited with the error it had.
    result<RetryResult> retry(std::int64_t id, const std::string& actor, std::int64_t now);
    result<std::optional<InboxRow>> find(std::int64_t id);
    /// How many notices processing the event stored.
    result<std::int64_t> notices_of(std::int64_t id);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
