#include "storage/database.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "storage/migrations.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::storage::Database;
using ledgerbot::storage::migrations;

std::set<std::string> tables_of(SQLite::Database& db) {
    std::set<std::string> out;
    SQLite::Statement query(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (query.executeStep()) {
        out.insert(query.getColumn(0).getString());
    }
    return out;
}

int migration_rows(SQLite::Database& db) {
    return db.execAndGet("SELECT COUNT(*) FROM schema_migrations").getInt();
}

}  // namespace

TEST_CASE("Opening a new database file applies every migration", "[database]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");

    REQUIRE_FALSE(migrations().empty());
    CHECK(db.schema_version() == migrations().back().version);
    CHECK(migration_rows(db.sql()) == static_cast<int>(migrations().size()));
    const auto tables = tables_of(db.sql());
    for (const char* table : {"inbox", "outbox", "companies", "staff", "visits", "demands",
                              "audit_log", "meta", "job_runs", "schema_migrations"}) {
        INFO(table);
        CHECK(tables.count(table) == 1);
    }
    CHECK(std::filesystem::exists(dir / "ledger.db"));
}

TEST_CASE("Migration versions are unique and ascending", "[database]") {
    int previous = 0;
    for (const auto& migration : migrations()) {
        CHECK(migration.version > previous);
        CHECK_FALSE(migration.description.empty());
        previous = migration.version;
    }
}

TEST_CASE("Migrating again or re-opening the file applies nothing twice", "[database]") {
    ledgerbot::testing::TempDir dir;
    {
        Database db(dir / "ledger.db");
        db.sql().exec("INSERT INTO meta (key, value) VALUES ('marker', 'kept')");
        CHECK(db.migrate() == 0);
    }
    Database reopened(dir / "ledger.db");
    CHECK(reopened.migrate() == 0);
    CHECK(reopened.schema_version() == migrations().back().version);
    CHECK(migration_rows(reopened.sql()) == static_cast<int>(migrations().size()));
    CHECK(reopened.sql().execAndGet("SELECT value FROM meta WHERE key = 'marker'").getString() ==
          "kept");
}

TEST_CASE("The database runs in WAL mode with foreign keys enforced", "[database]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");

    CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(db.sql().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL

    // WAL is a property of the file: a plain second connection sees it too.
    SQLite::Database other((dir / "ledger.db").string(), SQLite::OPEN_READONLY);
    CHECK(other.execAndGet("PRAGMA journal_mode").getString() == "wal");

    // Foreign keys: a demand cannot point at a visit that does not exist.
    CHECK_THROWS_AS(db.sql().exec("INSERT INTO demands (number, visit_number, summary, status, "
                                  "collected_at) VALUES (1, 99, 'x', 'collected', 0)"),
                    SQLite::Exception);
}

TEST_CASE("A database path in a directory that does not exist yet is created", "[database]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "var" / "nested" / "ledger.db");
    CHECK(std::filesystem::exists(dir / "var" / "nested" / "ledger.db"));
    CHECK(db.path() == dir / "var" / "nested" / "ledger.db");
}
