#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/recording_http_server.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

TEST_CASE(
    "Notices outlive a bridge outage longer than a few backoffs: each delivered once, "
    "in order, and the outage summarised once",
    "[integration][outbox]") {
    std::atomic<bool> down{true};
    RecordingHttpServer bridge([&](const RecordedRequest&) {
        return down ? ScriptedReply{503, "{}"} : ScriptedReply{200, "{}"};
    });
    app::ManualClock clock(now_seconds());
    RunningService service(
        "outbound_url = \"" + bridge.url("/out") + "\"",
        "retry_for_hours = 24\nalert_after_minutes = 30\ninitial_backoff_seconds = 2\n"
        "max_backoff_seconds = 300",
        "[notices]\nadmin_ids = [\"admin01\"]\nadmin_channel = \"generic\"\n", &clock);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    for (int i = 0; i < 5; ++i) {
        const std::string body = message_event("outage-" + std::to_string(i), kCompleteVisitReport);
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE attempts > 0", 1));

    // Two hours of outage, in steps of a minute: far past the 8 attempts (about 4 minutes) that
    // used to park a notice as dead.
    for (int minute = 0; minute < 120; ++minute) {
        clock.advance_seconds(60);
        std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'") == 0);
    // Only the head of the chat's queue was tried; the four behind it waited their turn.
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'visit_recorded' AND "
                        "attempts > 0") == 1);
    // After 30 minutes of failing, one summary (to compliance and the admin), once.
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE source = 'outbox'", 1));
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.failing'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'delivery_failing' AND "
                        "target_id = 'admin01'") == 1);

    down = false;
    // The bridge is back. An attempt already on the wire when it came back still got a 503 and
    // its retry is set from the manual clock, so time moves on in backoff-sized steps until
    // everything went out (a bounded number of steps: no notice is dropped or parked).
    const auto delivered_after_outage = [&](const std::string& sql, std::int64_t expected) {
        for (int step = 0; step < 20; ++step) {
            clock.advance_seconds(300);
            for (int i = 0; i < 25; ++i) {
                if (service.count(sql) == expected) {
                    return true;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        return false;
    };
    REQUIRE(delivered_after_outage(
        "SELECT COUNT(*) FROM outbox WHERE template_id = 'visit_recorded' AND status = 'sent'", 5));
    REQUIRE(delivered_after_outage(
        "SELECT COUNT(*) FROM outbox WHERE template_id = 'delivery_failing' AND status = 'sent' "
        "AND target_id = 'admin01'",
        1));

    // Every notice delivered once, the chat's in the order they were decided.
    std::vector<std::int64_t> delivered;
    std::set<std::int64_t> unique;
    const auto sent = service.sink_lines();
    for (const auto& line : sent) {
        const auto notice = nlohmann::json::parse(line);
        if (notice["template"] == "visit_recorded") {
            delivered.push_back(notice["notice_id"].get<std::int64_t>());
            unique.insert(notice["notice_id"].get<std::int64_t>());
        }
    }
    CHECK(delivered.size() == 5);
    CHECK(unique.size() == 5);
    CHECK(std::is_sorted(delivered.begin(), delivered.end()));
}
