#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>

namespace ledgerbot::storage {

/// The SQLite file. Opening it sets the pragmas every connection needs (WAL, FULL sync so a
/// commit is on disk before we acknowledge, foreign keys, busy timeout) and applies any
/// migrations not yet recorded in schema_migrations. Startup failures throw.
class Database {
public:
    explicit Database(const std::filesystem::path& path);

    SQLite::Database& sql() { return db_; }
    const std::filesystem::path& path() const { return path_; }

    /// Applies pending migrations; returns how many ran. Called by the constructor too.
    int migrate();
    int schema_version();

private:
    std::filesystem::path path_;
    SQLite::Database db_;
};

}  // namespace ledgerbot::storage
