#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>

#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {

/// How a command may use the database file.
enum class OpenMode {
    /// `serve` and `migrate`: create the file when it is missing and apply pending migrations.
    migrate,
    /// Commands that write rows (imports, repairs): the file must exist at the binary's schema.
    read_write,
    /// Commands that only read (export, scores, audit verify, backup): opened read-only.
    read_only,
};

/// Why a database cannot be opened for a command; the command line answers exit code 2.
class DatabaseRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The schema version this binary's migrations end at.
int binary_schema_version();

/// The SQLite file. Opening it sets the pragmas every connection needs (WAL, FULL sync so a
/// commit is on disk before we acknowledge, foreign keys, busy timeout) and checks the schema
/// against the binary's: a newer schema is refused by every mode, an older one is migrated only
/// in OpenMode::migrate. Startup failures throw (DatabaseRefused for the ones above).
class Database {
public:
    /// Called before pending migrations run on an existing database with data (`serve` takes
    /// a backup there); gets the version the file is at.
    using BeforeMigrate = std::function<void(SQLite::Database& db, int from_version)>;

    explicit Database(const std::filesystem::path& path, OpenMode mode = OpenMode::migrate,
                      const BeforeMigrate& before_migrate = {});

    ~Database();
    // The statement cache is registered for this connection's address.
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    SQLite::Database& sql() { return db_; }
    const std::filesystem::path& path() const { return path_; }

    /// Applies pending migrations; returns how many ran.
    int migrate();
    int schema_version();

private:
    std::filesystem::path path_;
    SQLite::Database db_;
    std::unique_ptr<StatementCache> statements_;  // released before the connection closes
};

}  // namespace ledgerbot::storage
