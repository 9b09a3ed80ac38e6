#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include <SQLiteCpp/Statement.h>

#include "app/clock.hpp"
#include "tests/integration/running_service.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

constexpr std::int64_t kEvening = 1795435200;  // 2026-11-23 20:00 Shanghai
constexpr std::int64_t kDay = 86400;

const std::string kSchedule =
    "[schedule]\ncheck_interval_seconds = 1\nmax_lateness_hours = 2\n"
    "[[schedule.jobs]]\nname = \"nickname-evening\"\nat = \"daily 20:00\"\nenabled = true\n";

const std::string kTicks = "SELECT COUNT(*) FROM inbox WHERE source = 'scheduler'";

std::string done_tick(const std::string& run_key) {
    return "SELECT COUNT(*) FROM inbox WHERE dedup_key = 'scheduler:" + run_key +
           "' AND status = 'done'";
}

}  // namespace

TEST_CASE(
    "a slot passed on the injected clock is stored and processed once, across restarts, "
    "and only the latest missed slot runs after downtime",
    "[integration][scheduler]") {
    app::ManualClock clock(kEvening - 60);
    RunningService service("", "", kSchedule, &clock);

    // Before 20:00 nothing is due.
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 0);

    // Across 20:00: exactly one tick, keyed by the day, processed and recorded as a run.
    clock.set_seconds(kEvening + 30);
    REQUIRE(service.wait_for_count(done_tick("nickname-evening:2026-11-23"), 1));
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 1);
    {
        auto db = service.open_database();
        SQLite::Statement tick(db,
                               "SELECT json_extract(event_json, '$.type'), "
                               "json_extract(event_json, '$.job'), "
                               "json_extract(event_json, '$.time') FROM inbox "
                               "WHERE source = 'scheduler'");
        REQUIRE(tick.executeStep());
        CHECK(tick.getColumn(0).getString() == "tick");
        CHECK(tick.getColumn(1).getString() == "nickname-evening");
        CHECK(tick.getColumn(2).getInt64() == kEvening);
    }
    CHECK(service.count("SELECT COUNT(*) FROM job_runs "
                        "WHERE run_key = 'nickname-evening:2026-11-23'") == 1);

    // A restart at the same time neither stores nor even offers the slot again.
    service.restart();
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 1);
    // Not offered again: the received file counts every delivery (the ledger took the first).
    CHECK(service.count_received("SELECT deliveries FROM received WHERE source = 'scheduler'") ==
          1);

    // Down over the 24th and 25th at 20:00, back at 20:30 on the 25th: only the 25th runs.
    service.stop();
    clock.set_seconds(kEvening + 2 * kDay + 1800);
    service.restart();
    REQUIRE(service.wait_for_count(done_tick("nickname-evening:2026-11-25"), 1));
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 2);
    CHECK(service.count_received("SELECT COUNT(*) FROM received "
                                 "WHERE dedup_key = 'scheduler:nickname-evening:2026-11-24'") == 0);
    CHECK(service.count("SELECT COUNT(*) FROM job_runs") == 2);

    // Back more than max_lateness_hours after the last missed slot: nothing runs.
    service.stop();
    clock.set_seconds(kEvening + 4 * kDay + 2 * 3600 + 60);
    service.restart();
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 2);

    // The next slot on time runs as usual.
    clock.set_seconds(kEvening + 5 * kDay);
    REQUIRE(service.wait_for_count(done_tick("nickname-evening:2026-11-28"), 1));
    CHECK(service.wait_for_taken());
    CHECK(service.count(kTicks) == 3);
}
