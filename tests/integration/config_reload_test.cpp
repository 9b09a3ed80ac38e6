#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/running_service.hpp"
#include "tests/integration/service_process.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot::testing;

namespace {

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Waits until the log holds `count` lines containing `needle`.
bool wait_for_log(const std::filesystem::path& log, const std::string& needle, int count) {
    for (int i = 0; i < 250; ++i) {
        const std::string text = read_all(log);
        int found = 0;
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
            ++found;
        }
        if (found >= count) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

unsigned post_signed(std::uint16_t port, const std::string& secret, const std::string& id) {
    HttpTestClient client(port);
    const std::string body = message_event(id, "你好");
    return client.post("/hooks/generic", body, signed_headers(secret, now_seconds(), body)).status;
}

}  // namespace

TEST_CASE(
    "SIGHUP rotates the generic secret and the log level without a restart; a broken edit "
    "changes nothing",
    "[integration][reload]") {
    TempDir dir;
    const auto config = dir / "ledgerbot.toml";
    const auto secrets = dir / "secrets.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                          << "\"\n[server]\nlisten_port = 0\nops_listen_port = 0\n"
                          << "[adapters.generic]\nconsole_sink = \"\"\n";
    const auto write_secrets = [&](const std::string& text) { std::ofstream(secrets) << text; };
    write_secrets("[adapters.generic]\nsecret = \"old-secret\"\n");
    REQUIRE(
        run_command(kBinary, {"--config", config.string(), "--config", secrets.string(), "migrate"})
            .exit_code == 0);
    // The service reads both files, as the installed unit runs it with its secrets file.
    const auto log = dir / "serve.log";
    ServiceProcess service(config, log, {secrets});
    REQUIRE(post_signed(service.port(), "old-secret", "r1") == 200);
    REQUIRE(post_signed(service.port(), "new-secret", "r2") == 401);

    // Rotation, step 1: the new secret in front, the old one still accepted.
    write_secrets(
        "[adapters.generic]\nsecret = \"new-secret\"\nprevious_secrets = [\"old-secret\"]\n"
        "[log]\nlevel = \"debug\"\n");
    service.signal(SIGHUP);
    REQUIRE(wait_for_log(log, "config reloaded", 1));
    CHECK_THAT(read_all(log), Catch::Contains("log level info → debug"));
    CHECK(post_signed(service.port(), "new-secret", "r3") == 200);
    CHECK(post_signed(service.port(), "old-secret", "r4") == 200);

    // A broken edit: logged, and the running service keeps what it had.
    write_secrets("[adapters.generic]\nsecret = \n");
    service.signal(SIGHUP);
    REQUIRE(wait_for_log(log, "the config was not reloaded, nothing changed", 1));
    CHECK(post_signed(service.port(), "old-secret", "r5") == 200);

    // Step 2: the old secret dropped.
    write_secrets("[adapters.generic]\nsecret = \"new-secret\"\n");
    service.signal(SIGHUP);
    REQUIRE(wait_for_log(log, "config reloaded", 2));
    CHECK(post_signed(service.port(), "old-secret", "r6") == 401);
    CHECK(post_signed(service.port(), "new-secret", "r7") == 200);
    // Still the same process: SIGHUP never stopped it.
    CHECK(post_signed(service.port(), "new-secret", "r8") == 200);
}
