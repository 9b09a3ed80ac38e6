#include "storage/database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>

#include "storage/migrations.hpp"

namespace ledgerbot::storage {
namespace {

std::filesystem::path prepare_parent(const std::filesystem::path& path) {
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    return path;
}

}  // namespace

Database::Database(const std::filesystem::path& path)
    : path_(prepare_parent(path)),
      db_(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {
    db_.exec("PRAGMA journal_mode = WAL");
    // FULL: a COMMIT has reached the disk before it returns, which is what "acknowledged only
    // after durably stored" needs. Group commit keeps the cost of that fsync per batch.
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA foreign_keys = ON");
    db_.setBusyTimeout(5000);
    migrate();
}

int Database::schema_version() {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    return db_.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
}

int Database::migrate() {
    const int current = schema_version();
    int applied = 0;
    for (const Migration& migration : migrations()) {
        if (migration.version <= current) {
            continue;
        }
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        db_.exec(std::string(migration.sql));
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
        ++applied;
    }
    return applied;
}

}  // namespace ledgerbot::storage
