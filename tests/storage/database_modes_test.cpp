#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/group_repository.hpp"
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

// 示例科技's project group on `source` (room-1) with one member, as an older binary stored them.
void insert_project_group(SQLite::Database& db, const std::string& source,
                          const std::string& member_row) {
    db.exec(
        "INSERT INTO groups (source, chat_id, name, kind, company_id, company_name, can_post, "
        "tracks_nicknames, created_at) VALUES ('" +
        source +
        "', 'room-1', '宁夏示例科技有限公司服务项目专属服务群', 'project', 1, "
        "'宁夏示例科技有限公司', 1, 1, 0)");
    db.exec("INSERT INTO group_members (source, chat_id, member_id, name, nickname) VALUES ('" +
            source + "', 'room-1', " + member_row + ")");
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

TEST_CASE("Upgrading to the Chinese risk register turns stored English summaries into details",
          "[database][risks]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledger.db";
    make_at_version(path, 6);
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
        insert_project_group(db, "generic", "'wangwu', '王五', '王五 专员'");
        db.exec(
            "INSERT INTO risks (number, kind, source, chat_id, company_id, company_name, subject, "
            "summary, raised_at) VALUES "
            "(1, 'nickname', 'generic', 'room-1', 1, '宁夏示例科技有限公司', 'wangwu', "
            "'王五 nickname missing_role', 10), "
            "(2, 'sla', '', '', 1, '宁夏示例科技有限公司', 'D3', "
            "'D3 has no plan and owner after 3 working days', 20), "
            "(3, 'notice', 'generic', 'room-1', 1, '宁夏示例科技有限公司', '', '企业涉诉', 30)");
    }
    Database upgraded(path, OpenMode::migrate);
    ledgerbot::storage::GroupRepository groups(upgraded.sql());
    const auto nickname = groups.risk(1);
    REQUIRE(nickname.has_value());
    CHECK(nickname->summary.empty());
    CHECK(nickname->detail.at("group") == "宁夏示例科技有限公司服务项目专属服务群");
    CHECK(nickname->detail.at("member") == "王五");
    CHECK(groups.risk(2)->detail.at("demand") == "D3");
    CHECK(groups.risk(2)->summary.empty());
    CHECK(groups.risk(3)->summary == "企业涉诉");  // compliance's own words stay
    CHECK(groups.risk(3)->told.empty());
}

TEST_CASE("A member's removal request is kept across an upgrade and read back as saved",
          "[database][groups]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledger.db";
    make_at_version(path, 13);
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
        insert_project_group(db, "wechaty", "'lisi', '李四', '李四-财务专员'");
    }
    Database upgraded(path, OpenMode::migrate);
    ledgerbot::storage::GroupRepository groups(upgraded.sql());
    auto view = groups.find("wechaty", "room-1");
    REQUIRE(view);
    REQUIRE(view->members.size() == 1);
    CHECK(view->members[0].removal_requested_at == 0);  // never asked before the upgrade

    ledgerbot::bot::model::GroupMemberRecord member = view->members[0];
    member.removal_requested_at = 1796000000;
    groups.apply(ledgerbot::bot::MemberSaved{"wechaty", "room-1", member});
    view = groups.find("wechaty", "room-1");
    REQUIRE(view);
    REQUIRE(view->members.size() == 1);
    CHECK(view->members[0] == member);
}
