#pragma once

#include <cstdint>

#include <SQLiteCpp/Database.h>

namespace ledgerbot::storage {

struct RetentionCounts {
    std::int64_t events_redacted = 0;
    std::int64_t notices_purged = 0;
};

/// Applies a retention run inside the caller's transaction. A processed inbox event received
/// before `raw_before` keeps only its ids, type, times, chat id and sender id, plus the sha256 of
/// the original JSON (so a copy kept elsewhere can still be matched); pending and failed events
/// are kept whole for the operators. A notice sent before `sent_before` loses its fields.
RetentionCounts apply_retention(SQLite::Database& db, std::int64_t raw_before,
                                std::int64_t sent_before, std::int64_t now);

}  // namespace ledgerbot::storage
