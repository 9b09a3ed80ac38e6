#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// One outbox row as an operator sees it (`ledgerbot outbox list`): where it goes and how its
/// delivery went, without the notice's fields (they may hold personal data).
struct OutboxRow {
    std::int64_t id = 0;
    std::string status;  ///< pending, sent or dead
    std::string channel;
    std::string target_kind;
    std::string target_id;
    std::string template_id;
    int attempts = 0;
    std::int64_t created_at = 0;
    std::int64_t next_attempt_at = 0;
    std::optional<std::int64_t> sent_at;
    std::string last_error;
};

/// What a retry found and did (the inbox's retry answers the same way).
enum class RetryResult { retried, not_found, already_pending, already_done };

/// The operator's view of undelivered notices and the one repair they need: a dead notice put
/// back in line after the cause is fixed. Every change is audited in its own transaction.
class OutboxRepair {
public:
    explicit OutboxRepair(SQLite::Database& db) : db_(db) {}

    /// Notices not sent (pending and dead), or the dead ones only, oldest first.
    result<std::vector<OutboxRow>> list(bool dead_only, int limit);
    result<std::optional<OutboxRow>> find(std::int64_t id);

    /// A dead notice becomes pending, due now, with a fresh retry budget; its last error stays
    /// for the record. A sent notice is never sent again.
    result<RetryResult> retry(std::int64_t id, const std::string& actor, std::int64_t now);
    /// Every dead notice, in one transaction; returns their ids.
    result<std::vector<std::int64_t>> retry_dead(const std::string& actor, std::int64_t now);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
