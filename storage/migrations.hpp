#pragma once

#include <span>
#include <string_view>

namespace ledgerbot::storage {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;
    /// The migration rebuilds a table (SQLite cannot change a column's constraints in place):
    /// it runs with foreign keys off, and `PRAGMA foreign_key_check` must find nothing before
    /// it commits (SQLite's documented procedure for schema changes).
    bool rebuilds_tables = false;
};

/// Numbered schema migrations, oldest first. Append only: a released migration never changes.
std::span<const Migration> migrations();

}  // namespace ledgerbot::storage
