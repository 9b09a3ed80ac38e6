#pragma once

#include <cstdint>

#include <SQLiteCpp/Database.h>

#include "bot/engine.hpp"
#include "storage/sqlite_state.hpp"

namespace ledgerbot::storage {

struct BackfillCounts {
    bool built = false;  ///< false: the journal existed already, nothing was done
    std::size_t entries = 0;
    std::size_t published_tables = 0;
};

/// The upgrade to the points journal, once per database: every visit's points entered dated
/// when they were earned (as the journal would have entered them), and each week already posted
/// stored as published from the outbox rows that carried it, so those weeks stay as they were
/// posted. Marked done in `meta` and audited, all in one transaction.
BackfillCounts build_points_journal_once(SQLite::Database& db, const bot::Engine& engine,
                                         SqliteState& state, std::int64_t now);

}  // namespace ledgerbot::storage
