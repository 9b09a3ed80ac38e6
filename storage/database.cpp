#include "storage/database.hpp"

#include <stdexcept>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "storage/migrations.hpp"

namespace ledgerbot::storage {
namespace {

// The writable connection belongs to one thread at a time (the store thread once the service
// runs; a transaction could not be shared anyway), so SQLite's per-call connection mutex is
// off: it was 4% of the store thread (perf of process_bench).
int open_flags(OpenMode mode) {
    switch (mode) {
        case OpenMode::migrate:
            return SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;
        case OpenMode::read_write:
            return SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
        case OpenMode::read_only:
            return SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX;
    }
    return SQLite::OPEN_READONLY;
}

// Only `migrate` and `serve` may create the file; anything else pointed at a missing path is a
// mistake in the configuration, not a wish for an empty ledger.
std::filesystem::path checked_path(const std::filesystem::path& path, OpenMode mode) {
    if (std::filesystem::exists(path)) {
        return path;
    }
    if (mode != OpenMode::migrate) {
        throw DatabaseRefused("database " + path.string() +
                              " does not exist (only `ledgerbot migrate` and `ledgerbot serve` "
                              "create it; check storage.database_path)");
    }
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    spdlog::info("creating the database {}", path.string());
    return path;
}

int recorded_version(SQLite::Database& db) {
    if (!db.tableExists("schema_migrations")) {
        return 0;
    }
    return db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
}

bool has_tables(SQLite::Database& db) {
    return db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").getInt() > 0;
}

}  // namespace

int binary_schema_version() {
    return migrations().back().version;
}

Database::Database(const std::filesystem::path& path, OpenMode mode,
                   const BeforeMigrate& before_migrate)
    : path_(checked_path(path, mode)), db_(path_.string(), open_flags(mode)) {
    db_.setBusyTimeout(5000);
    if (mode != OpenMode::read_only) {
        db_.exec("PRAGMA journal_mode = WAL");
        // FULL: a COMMIT has reached the disk before it returns, which is what "acknowledged
        // only after durably stored" needs. Group commit keeps the cost of that fsync per batch.
        db_.exec("PRAGMA synchronous = FULL");
    }
    db_.exec("PRAGMA foreign_keys = ON");
    // Scoring a visit reads its company's year: a page cache larger than SQLite's 2 MB default
    // keeps those reads out of the kernel as the ledger grows.
    db_.exec("PRAGMA cache_size = -16384");

    const int version = recorded_version(db_);
    const int binary = binary_schema_version();
    if (version > binary) {
        throw DatabaseRefused("database " + path_.string() + " has schema version " +
                              std::to_string(version) + ", newer than this binary's " +
                              std::to_string(binary) + "; use the newer ledgerbot with it");
    }
    if (version < binary) {
        if (mode != OpenMode::migrate) {
            throw DatabaseRefused("database " + path_.string() + " is at schema version " +
                                  std::to_string(version) + " and needs migrating to " +
                                  std::to_string(binary) + ": run `ledgerbot migrate` first");
        }
        if (before_migrate && version > 0 && has_tables(db_)) {
            before_migrate(db_, version);
        }
        migrate();
    }
    statements_ = std::make_unique<StatementCache>(db_);
}

Database::~Database() = default;

int Database::schema_version() {
    return recorded_version(db_);
}

int Database::migrate() {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    const int current = schema_version();
    int applied = 0;
    for (const Migration& migration : migrations()) {
        if (migration.version <= current) {
            continue;
        }
        if (migration.rebuilds_tables) {
            db_.exec("PRAGMA foreign_keys = OFF");  // no effect inside a transaction
        }
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        db_.exec(std::string(migration.sql));
        if (migration.rebuilds_tables) {
            SQLite::Statement check(db_, "PRAGMA foreign_key_check");
            if (check.executeStep()) {
                throw std::runtime_error("migration " + std::to_string(migration.version) +
                                         " left a broken reference in table " +
                                         check.getColumn(0).getString());
            }
        }
        SQLite::Statement record(
            db_,
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
        record.bind(1, migration.version);
        record.bind(2, std::string(migration.description));
        record.bind(
            3, static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()));
        record.exec();
        tx.commit();
        if (migration.rebuilds_tables) {
            db_.exec("PRAGMA foreign_keys = ON");
        }
        spdlog::info("database {}: migrated to schema version {} ({})", path_.string(),
                     migration.version, migration.description);
        ++applied;
    }
    return applied;
}

}  // namespace ledgerbot::storage
