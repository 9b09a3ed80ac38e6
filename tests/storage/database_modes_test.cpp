#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::storage::binary_schema_version;
using ledgerbot::storage::Database;
using ledgerbot::storage::DatabaseRefused;
using ledgerbot::storage::OpenMode;

// A database file at `version` of the schema: the first `version` migrations applied by hand,
// as an older binary would have left it.
void make_at_version(const std::filesystem::path& path, int version) {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT "
        "NULL, applied_at INTEGER NOT NULL)");
    for (const auto& migration : ledgerbot::storage::migrations()) {
        if (migration.version > version) {
            break;
        }
        db.exec(std::string(migration.sql));
        db.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) +
                ", 'x', 0)");
    }
}

}  // namespace

TEST_CASE("A missing database is created only by the migrating mode", "[database]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "var" / "ledger.db";
    for (OpenMode mode : {OpenMode::read_only, OpenMode::read_write}) {
        CHECK_THROWS_MATCHES(Database(path, mode), DatabaseRefused,
                             Catch::Matchers::Predicate<DatabaseRefused>([&](const auto& e) {
                                 return std::string(e.what()).find(path.string()) !=
                                        std::string::npos;
                             }));
        CHECK_FALSE(std::filesystem::exists(path));
    }
    Database created(path, OpenMode::migrate);
    CHECK(created.schema_version() == binary_schema_version());
}

TEST_CASE("A schema newer than the binary is refused by every mode, naming both versions",
          "[database]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledger.db";
    { Database current(path); }
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO schema_migrations VALUES (" +
                std::to_string(binary_schema_version() + 3) + ", 'from the future', 0)");
    }
    for (OpenMode mode : {OpenMode::migrate, OpenMode::read_write, OpenMode::read_only}) {
        try {
            Database db(path, mode);
            FAIL("opened a database from a newer binary");
        } catch (const DatabaseRefused& e) {
            CHECK_THAT(e.what(), Contains(std::to_string(binary_schema_version() + 3)));
            CHECK_THAT(e.what(), Contains("binary's " + std::to_string(binary_schema_version())));
        }
    }
}

TEST_CASE("An older schema is migrated only by the migrating mode, after a backup", "[database]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledger.db";
    make_at_version(path, binary_schema_version() - 1);
    for (OpenMode mode : {OpenMode::read_only, OpenMode::read_write}) {
        CHECK_THROWS_WITH(Database(path, mode), Contains("run `ledgerbot migrate`"));
    }
    int backed_up_at = 0;
    std::filesystem::path backup;
    Database migrated(path, OpenMode::migrate, [&](SQLite::Database& db, int from) {
        backed_up_at = from;
        backup =
            ledgerbot::storage::backup_before_migration(db, dir / "backups", 2, from, 1795435200);
    });
    CHECK(backed_up_at == binary_schema_version() - 1);
    CHECK(migrated.schema_version() == binary_schema_version());
    REQUIRE(std::filesystem::exists(backup));
    CHECK(backup.filename().string().starts_with(
        "ledgerbot-v" + std::to_string(binary_schema_version() - 1) + "-"));
    SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
    CHECK(copy.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt() ==
          binary_schema_version() - 1);
    CHECK(ledgerbot::storage::integrity_problems(copy).empty());
}

TEST_CASE("A read-only database cannot be written through", "[database]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledger.db";
    { Database created(path); }
    Database reader(path, OpenMode::read_only);
    CHECK_THROWS(reader.sql().exec("INSERT INTO meta (key, value) VALUES ('x', 'y')"));
}

TEST_CASE("Migration backups keep the newest few", "[database]") {
    ledgerbot::testing::TempDir dir;
    Database db(dir / "ledger.db");
    std::vector<std::filesystem::path> taken;
    for (int i = 0; i < 4; ++i) {
        taken.push_back(ledgerbot::storage::backup_before_migration(db.sql(), dir / "backups", 2, 1,
                                                                    1795435200 + i));
    }
    CHECK_FALSE(std::filesystem::exists(taken[0]));
    CHECK_FALSE(std::filesystem::exists(taken[1]));
    CHECK(std::filesystem::exists(taken[2]));
    CHECK(std::filesystem::exists(taken[3]));
}
