#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

std::filesystem::path write_config(const TempDir& dir, const std::filesystem::path& database) {
    const auto config = dir / "cli.toml";
    std::ofstream(config)
        << "[storage]\ndatabase_path = \"" << database.string()
        << "\"\n[log]\nlevel = \"info\"\n[server]\nlisten_port = 0\nops_listen_port = 0\n"
        << "[schedule]\nenabled = false\n";
    return config;
}

// Every command that opens the database, with arguments that would otherwise work.
std::vector<std::vector<std::string>> commands(const TempDir& dir) {
    const auto companies = dir / "companies.csv";
    const auto staff = dir / "staff.csv";
    std::ofstream(companies) << "full_name,short_names\n宁夏示例科技有限公司,示例科技\n";
    std::ofstream(staff) << "id,name,department,titles\nzhangsan,张三,市场发展部,客户经理\n";
    return {
        {"import", "companies", companies.string()},
        {"import", "staff", staff.string()},
        {"export", "ledger", "--format", "csv", "--out", (dir / "ledger.csv").string()},
        {"export", "evidence", "--week", "2026-W47", "--out", (dir / "evidence-out").string()},
        {"scores", "--week", "2026-W47"},
        {"audit", "verify"},
        {"backup", "--out", (dir / "copy.db").string()},
    };
}

}  // namespace

TEST_CASE("A database path that does not exist is created only by migrate and serve",
          "[integration][database]") {
    TempDir dir;
    const auto database = dir / "missing" / "ledger.db";
    const auto config = write_config(dir, database);
    for (auto args : commands(dir)) {
        args.insert(args.begin(), {"--config", config.string()});
        const CommandRun run = run_command(ledgerbot_binary(), args);
        INFO(args[2] << " " << args[3]);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.err, Catch::Contains(database.string()));
        CHECK_THAT(run.err, Catch::Contains("does not exist"));
        CHECK_FALSE(std::filesystem::exists(database));
    }
    const CommandRun migrate =
        run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"});
    CHECK(migrate.exit_code == 0);
    CHECK_THAT(migrate.err, Catch::Contains("creating the database " + database.string()));
    CHECK(std::filesystem::exists(database));
}

TEST_CASE("A database from a newer binary is refused by every command, naming both versions",
          "[integration][database]") {
    TempDir dir;
    const auto database = dir / "ledger.db";
    { storage::Database created(database); }
    const int newer = storage::binary_schema_version() + 1;
    {
        SQLite::Database db(database.string(), SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(newer) + ", 'x', 0)");
    }
    const auto config = write_config(dir, database);
    auto all = commands(dir);
    all.push_back({"migrate"});
    all.push_back({"serve"});
    for (auto args : all) {
        args.insert(args.begin(), {"--config", config.string()});
        const CommandRun run = run_command(ledgerbot_binary(), args);
        INFO(args[2]);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.err, Catch::Contains("schema version " + std::to_string(newer)));
        CHECK_THAT(run.err,
                   Catch::Contains("binary's " + std::to_string(storage::binary_schema_version())));
    }
}

TEST_CASE(
    "A backup taken under write load restores to a sound database, never under a "
    "running service",
    "[integration][database][backup]") {
    RunningService service;
    service.import_demo_directory();
    std::atomic<bool> writing{true};
    std::atomic<int> posted{0};
    std::thread writer([&] {
        HttpTestClient client(service.port());
        while (writing) {
            const std::string body =
                message_event("load-" + std::to_string(posted.load()), kCompleteVisitReport);
            if (client
                    .post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                    .status == 200) {
                ++posted;
            }
        }
    });
    // At least 20 in the ledger (acknowledged events reach it from the received file).
    while (service.count("SELECT COUNT(*) FROM inbox") < 20) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    TempDir out;
    const auto config = write_config(out, service.database_path());
    const auto backup = out / "backup.db";
    const CommandRun run = run_command(
        ledgerbot_binary(), {"--config", config.string(), "backup", "--out", backup.string()});
    const int posted_by_then = posted;
    writing = false;
    writer.join();
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("backup: "));
    CHECK(std::filesystem::exists(out / "backup.db.evidence.csv"));

    // The service holds its database: restore refuses to touch it.
    const CommandRun refused =
        run_command(ledgerbot_binary(), {"--config", config.string(), "restore", backup.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("running"));

    {
        SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
        CHECK(storage::integrity_problems(copy).empty());
        const int stored = copy.execAndGet("SELECT COUNT(*) FROM inbox").getInt();
        CHECK(stored >= 20);
        CHECK(stored <= posted_by_then + 1);
    }
    service.stop();

    // Restored into a fresh place, it is a database every command accepts.
    TempDir restored_dir;
    const auto restored = restored_dir / "ledger.db";
    const auto restored_config = write_config(restored_dir, restored);
    const CommandRun restore = run_command(
        ledgerbot_binary(), {"--config", restored_config.string(), "restore", backup.string()});
    CHECK(restore.exit_code == 0);
    const CommandRun verify =
        run_command(ledgerbot_binary(), {"--config", restored_config.string(), "audit", "verify"});
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out, Catch::Contains("audit trail intact"));
    const CommandRun damaged_restore = run_command(
        ledgerbot_binary(), {"--config", restored_config.string(), "restore", config.string()});
    CHECK(damaged_restore.exit_code != 0);
}

TEST_CASE("A command line with a wrong or missing argument gets its usage and exit code 2",
          "[integration][cli]") {
    TempDir dir;
    const auto config = write_config(dir, dir / "ledger.db");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"export", "evidence", "--out", (dir / "x").string()}, "--visit or --week"},
        {{"scores", "--week", "2026-W47", "--format", "pdf"}, "pdf"},
        {{"export", "evidence", "--visit", "V1", "--week", "2026-W47", "--out", "x"}, "excludes"},
        {{"no-such-command"}, "subcommand"},
    };
    for (const auto& [args, says] : cases) {
        std::vector<std::string> full{"--config", config.string()};
        full.insert(full.end(), args.begin(), args.end());
        const CommandRun run = run_command(ledgerbot_binary(), full);
        INFO(args[0]);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.err, Catch::Contains(says));
        CHECK_THAT(run.err, Catch::Contains("--help"));
    }
}

TEST_CASE("migrate backs the database up before migrating it, and refuses under a running service",
          "[integration][cli]") {
    TempDir dir;
    const auto database = dir / "ledger.db";
    const auto config = write_config(dir, database);
    REQUIRE(run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"}).exit_code ==
            0);
    {
        // The schema one version back: the last migration undone.
        SQLite::Database db(database.string(), SQLite::OPEN_READWRITE);
        db.exec("ALTER TABLE group_members DROP COLUMN removal_requested_at");
        db.exec("DELETE FROM schema_migrations WHERE version = " +
                std::to_string(storage::binary_schema_version()));
    }
    const CommandRun migrated =
        run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"});
    INFO(migrated.out << migrated.err);
    CHECK(migrated.exit_code == 0);
    CHECK_THAT(migrated.out, Catch::Contains("backed up the database at schema version " +
                                             std::to_string(storage::binary_schema_version() - 1)));
    std::size_t backups = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "backups")) {
        backups += entry.path().filename().string().starts_with("ledgerbot-v") ? 1 : 0;
    }
    CHECK(backups == 1);

    RunningService service;
    const auto service_config = write_config(dir, service.database_path());
    const CommandRun refused =
        run_command(ledgerbot_binary(), {"--config", service_config.string(), "migrate"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Catch::Contains("a ledgerbot service is running"));
}
