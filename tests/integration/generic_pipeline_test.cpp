#include <catch2/catch.hpp>

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "adapters/generic/generic_adapter.hpp"
#include "app/clock.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/recording_http_server.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

const std::string& kReport = kCompleteVisitReport;

TestResponse post_signed(HttpTestClient& client, const std::string& body,
                         std::int64_t timestamp = now_seconds()) {
    return client.post("/hooks/generic", body, signed_headers(kTestSecret, timestamp, body));
}

}  // namespace

TEST_CASE("health and metrics answer over real HTTP", "[integration]") {
    RunningService service;
    HttpTestClient client(service.port());
    auto health = client.get("/healthz");
    CHECK(health.status == 200);
    CHECK(nlohmann::json::parse(health.body)["database"] == true);
    auto metrics = HttpTestClient(service.ops_port()).get("/metrics");
    CHECK(metrics.status == 200);
    CHECK_THAT(metrics.body, Catch::Contains("ledgerbot_inbox_depth"));
    CHECK_THAT(metrics.body, Catch::Contains("ledgerbot_outbox_depth"));
    CHECK_THAT(metrics.body, Catch::Contains("ledgerbot_http_requests_total"));
    CHECK(client.get("/nope").status == 404);
    CHECK(client.post("/healthz", "").status == 405);
}

TEST_CASE("/metrics counts the ledger: visit records, open demands and risks, job runs",
          "[integration]") {
    app::ManualClock clock(now_seconds());
    RunningService service("", "", "", &clock);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(post_signed(client, message_event("m-1", kReport), clock.now_seconds()).status == 200);
    REQUIRE(post_signed(client,
                        message_event("m-2", "【走访记录】\n企业名称：示例科技\n走访时间：昨天"),
                        clock.now_seconds())
                .status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 2));
    // The ledger is counted every 15 s of the service's clock.
    clock.advance_seconds(16);
    std::string text;
    for (int i = 0; i < 200; ++i) {
        text = service.metrics_text();
        if (text.find("ledgerbot_visit_records{complete=\"false\"} 1") != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_THAT(text, Catch::Contains("ledgerbot_visit_records{complete=\"true\"} 1"));
    CHECK_THAT(text, Catch::Contains("ledgerbot_visit_records{complete=\"false\"} 1"));
    // The complete report listed two demands (股权融资, 挂牌辅导).
    CHECK_THAT(text, Catch::Contains("ledgerbot_demands_open 2"));

    // A job run (asked for by an operator) shows with its time.
    const auto config = service.database_path().parent_path() / "operator.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << service.database_path().string()
                          << "\"\n[adapters.generic]\nsecret = \"" << kTestSecret << "\"\n";
    REQUIRE(run_command(ledgerbot_binary(),
                        {"--config", config.string(), "jobs", "run", "monthly-digest"})
                .exit_code == 0);
    clock.advance_seconds(16);
    for (int i = 0; i < 200; ++i) {
        text = service.metrics_text();
        if (text.find("ledgerbot_job_runs{job=\"monthly-digest\"} 1") != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_THAT(text, Catch::Contains("ledgerbot_job_runs{job=\"monthly-digest\"} 1"));
    CHECK_THAT(text,
               Catch::Contains("ledgerbot_job_last_run_timestamp_seconds{job=\"monthly-digest\"}"));
}

TEST_CASE("a signed visit report is stored, recorded in the ledger and answered in its chat",
          "[integration]") {
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());

    auto response = post_signed(client, message_event("r-1", kReport));
    REQUIRE(response.status == 200);
    CHECK(nlohmann::json::parse(response.body)["status"] == "stored");
    // Acknowledged means committed: the received row exists the moment the 200 arrived.
    CHECK(service.count_received("SELECT COUNT(*) FROM received WHERE dedup_key = 'generic:r-1'") ==
          1);

    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    auto db = service.open_database();
    SQLite::Statement visit(db, "SELECT company_name, mode, complete, source_event_id FROM visits");
    REQUIRE(visit.executeStep());
    CHECK(visit.getColumn(0).getString() == "宁夏示例科技有限公司");
    CHECK(visit.getColumn(1).getString() == "实地走访");
    CHECK(visit.getColumn(2).getInt() == 1);
    CHECK(visit.getColumn(3).getString() == "r-1");
    CHECK(service.count("SELECT COUNT(*) FROM demands") == 2);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log") == 3);
    CHECK(service.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 1);

    auto lines = service.sink_lines();
    REQUIRE(lines.size() == 1);
    const auto notice = nlohmann::json::parse(lines[0]);
    CHECK(notice["target"]["kind"] == "chat");
    CHECK(notice["target"]["id"] == "g-demo");
    const std::string text = notice["text"];
    CHECK_THAT(text, Catch::Contains("已记录走访 V1"));
    CHECK_THAT(text, Catch::Contains("宁夏示例科技有限公司"));
    // The points the record earned are in the answer; what was written is not echoed, so no
    // phone number at all reaches the group (details: /走访 V1).
    CHECK_THAT(text, Catch::Contains("积分：李四 4 分、张三 4 分"));
    CHECK_THAT(text, !Catch::Contains("5678"));
    CHECK(std::count(text.begin(), text.end(), '\n') <= 3);
}

TEST_CASE("an incomplete report is answered with what is missing and how to supplement it",
          "[integration]") {
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(post_signed(client,
                        message_event("r-2", "【走访记录】\n企业名称：示例科技\n走访方式：电话"))
                .status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    const std::string text = nlohmann::json::parse(service.sink_lines().at(0))["text"];
    CHECK_THAT(text, Catch::Contains("还不完整"));
    CHECK_THAT(text, Catch::Contains("走访时间"));
    CHECK_THAT(text, Catch::Contains("联系电话"));
    CHECK_THAT(text, Catch::Contains("补充示例：/补充 V1 走访时间：…"));
    CHECK(service.count("SELECT complete FROM visits WHERE number = 1") == 0);
}

TEST_CASE("the same event delivered four times is stored and processed once", "[integration]") {
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const std::string body = message_event("dup-1", kReport);
    for (int i = 0; i < 4; ++i) {
        CHECK(post_signed(client, body).status == 200);
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 1);
    CHECK(service.count_received("SELECT COUNT(*) FROM received") == 1);
    CHECK(service.count_received("SELECT deliveries FROM received") == 4);
    CHECK(service.count("SELECT COUNT(*) FROM visits") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM outbox") == 1);
    CHECK(service.sink_lines().size() == 1);
}

TEST_CASE("refused requests get their status and reason and are never stored", "[integration]") {
    RunningService service;
    HttpTestClient client(service.port());
    const std::string body = message_event("bad-1", kReport);
    const std::string ts = std::to_string(now_seconds());

    struct Case {
        std::string name;
        TestResponse response;
        unsigned status;
        std::string error;
    };
    std::vector<Case> cases;
    cases.push_back(
        {"no signature", client.post("/hooks/generic", body), 401, "missing_signature"});
    cases.push_back({"wrong signature",
                     client.post("/hooks/generic", body,
                                 {{"X-Ledgerbot-Timestamp", ts},
                                  {"X-Ledgerbot-Signature", "sha256=" + std::string(64, '0')}}),
                     401, "bad_signature"});
    cases.push_back(
        {"replayed", post_signed(client, body, now_seconds() - 301), 401, "stale_timestamp"});
    cases.push_back({"invalid JSON", post_signed(client, "{\"id\":"), 400, "invalid_json"});
    cases.push_back(
        {"invalid UTF-8", post_signed(client, "{\"id\":\"\xff\xfe\"}"), 400, "invalid_utf8"});
    cases.push_back(
        {"schema", post_signed(client, R"({"id":"x","type":"message"})"), 400, "schema_violation"});
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(c.response.status == c.status);
        CHECK(nlohmann::json::parse(c.response.body)["error"] == c.error);
    }
    // Over the body limit (64 KiB here): 413 before the body is even read in full.
    const std::string huge = message_event("big-1", std::string(70000, 'x'));
    HttpTestClient fresh(service.port());
    auto too_large = post_signed(fresh, huge);
    CHECK(too_large.status == 413);
    CHECK(nlohmann::json::parse(too_large.body)["error"] == "body_too_large");
    // Not HTTP at all.
    HttpTestClient raw(service.port());
    CHECK(raw.raw("HELLO\r\n\r\n").status == 400);

    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 0);
    auto metrics = HttpTestClient(service.ops_port()).get("/metrics").body;
    CHECK_THAT(metrics,
               Catch::Contains("ledgerbot_ingest_refused_total{reason=\"bad_signature\"} 1"));
    CHECK_THAT(metrics,
               Catch::Contains("ledgerbot_ingest_refused_total{reason=\"body_too_large\"} 1"));
}

TEST_CASE("one keep-alive connection carries many requests", "[integration]") {
    RunningService service;
    HttpTestClient client(service.port());
    for (int i = 0; i < 20; ++i) {
        auto response = post_signed(client, message_event("ka-" + std::to_string(i), "hello"));
        CHECK(response.status == 200);
        CHECK(response.keep_alive);
    }
    CHECK(service.count_received("SELECT COUNT(*) FROM received") == 20);
}

TEST_CASE("notices are POSTed to the bridge signed, and retried until it answers",
          "[integration]") {
    std::atomic<int> calls{0};
    RecordingHttpServer bridge([&](const RecordedRequest&) {
        // Two failures, then success: the dispatcher must retry with backoff (0 s in tests).
        return ++calls <= 2 ? ScriptedReply{503, "{}"} : ScriptedReply{200, "{}"};
    });
    RunningService service("outbound_url = \"" + bridge.url("/bridge/out") + "\"");
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(post_signed(client, message_event("out-1", kReport)).status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1));
    CHECK(service.count("SELECT attempts FROM outbox") == 3);

    const auto requests = bridge.requests();
    REQUIRE(requests.size() == 3);
    const auto& last = requests.back();
    CHECK(last.target == "/bridge/out");
    const std::string ts = last.headers.at("X-Ledgerbot-Timestamp");
    CHECK(last.headers.at("X-Ledgerbot-Signature") ==
          adapters::generic::sign(kTestSecret, ts, last.body));
    const auto body = nlohmann::json::parse(last.body);
    CHECK(body["target"]["id"] == "g-demo");
    CHECK_THAT(body["text"].get<std::string>(), Catch::Contains("V1"));
    // Only the delivered attempt reaches the console sink.
    CHECK(service.sink_lines().size() == 1);
}

TEST_CASE("a notice the bridge keeps refusing is parked as dead once its retry budget is spent",
          "[integration]") {
    RecordingHttpServer bridge([](const RecordedRequest&) { return ScriptedReply{500, "{}"}; });
    app::ManualClock clock(now_seconds());
    RunningService service("outbound_url = \"" + bridge.url("/out") + "\"",
                           "retry_for_hours = 1\nmax_backoff_seconds = 60", "", &clock);
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(post_signed(client, message_event("dead-1", kReport)).status == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE attempts >= 3 AND status = 'pending'", 1));
    // Still retrying within the hour: many more attempts than the old fixed count allowed.
    clock.advance_seconds(50 * 60);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE attempts >= 4 AND status = 'pending'", 1));
    clock.advance_seconds(11 * 60);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'", 1));
    // Every attempt reached the bridge (compliance's outage summary went there too).
    std::int64_t tried = 0;
    for (const auto& request : bridge.requests()) {
        tried += nlohmann::json::parse(request.body)["template"] == "visit_recorded" ? 1 : 0;
    }
    CHECK(service.count("SELECT attempts FROM outbox WHERE template_id = 'visit_recorded'") ==
          tried);
    CHECK(service.sink_lines().empty());
    auto metrics = HttpTestClient(service.ops_port()).get("/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("outcome=\"dead\"} 1"));
}

TEST_CASE("a client error from the bridge is not retried", "[integration]") {
    RecordingHttpServer bridge([](const RecordedRequest&) { return ScriptedReply{400, "{}"}; });
    RunningService service("outbound_url = \"" + bridge.url("/out") + "\"");
    service.import_demo_directory();
    HttpTestClient client(service.port());
    REQUIRE(post_signed(client, message_event("4xx-1", kReport)).status == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'", 1));
    CHECK(bridge.requests().size() == 1);
}

TEST_CASE("per-target rate limits space out notices to one chat", "[integration]") {
    RunningService service("",
                           "rate_per_minute = 2\n[outbox.channel_rate_per_minute]\ngeneric = 2");
    service.import_demo_directory();
    HttpTestClient client(service.port());
    for (int i = 0; i < 3; ++i) {
        REQUIRE(post_signed(client, message_event("rl-" + std::to_string(i), kReport)).status ==
                200);
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // The third waits for a token (30 s at 2 a minute) instead of being sent or failed.
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 2);
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 0") ==
          1);
    CHECK(service.count(
              "SELECT COUNT(*) FROM outbox WHERE next_attempt_at > strftime('%s','now')") == 1);
}

TEST_CASE("shutdown commits every acknowledged event before the process ends", "[integration]") {
    RunningService service;
    {
        HttpTestClient client(service.port());
        for (int i = 0; i < 50; ++i) {
            REQUIRE(post_signed(client, message_event("sd-" + std::to_string(i), "hi")).status ==
                    200);
        }
    }
    service.stop();
    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 50);
}

TEST_CASE("a request whose body stops short is refused with a logged reason and not stored",
          "[integration]") {
    RunningService service;
    HttpTestClient client(service.port());
    const std::string body = message_event("trunc-1", "hello");
    const std::string ts = std::to_string(now_seconds());
    std::string request =
        "POST /hooks/generic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "X-Ledgerbot-Timestamp: " +
        ts + "\r\nX-Ledgerbot-Signature: " + adapters::generic::sign(kTestSecret, ts, body) +
        "\r\nContent-Length: " + std::to_string(body.size() + 100) + "\r\n\r\n" + body;
    {
        // Send the head and a short body, then close our side: the server sees end of stream.
        boost::asio::io_context io;
        boost::asio::ip::tcp::socket socket(io);
        socket.connect({boost::asio::ip::make_address("127.0.0.1"), service.port()});
        boost::asio::write(socket, boost::asio::buffer(request));
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send);
        char buffer[256];
        boost::system::error_code ec;
        socket.read_some(boost::asio::buffer(buffer), ec);  // the server closes without storing
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(service.count("SELECT COUNT(*) FROM inbox") == 0);
    CHECK_THAT(HttpTestClient(service.ops_port()).get("/metrics").body,
               Catch::Contains("ledgerbot_ingest_refused_total{reason=\"truncated_body\"} 1"));
}

TEST_CASE("/metrics is not on the public webhook port unless a bearer token is configured",
          "[integration]") {
    {
        RunningService service;
        CHECK(HttpTestClient(service.port()).get("/metrics").status == 404);
        CHECK(HttpTestClient(service.ops_port()).get("/metrics").status == 200);
        CHECK(HttpTestClient(service.ops_port()).get("/healthz").status == 200);
        // The operations listener serves nothing else: no webhook there.
        CHECK(HttpTestClient(service.ops_port()).post("/hooks/generic", "{}").status == 404);
    }
    RunningService service("", "", "", nullptr, "metrics_token = \"scrape-token-1\"");
    HttpTestClient client(service.port());
    CHECK(client.get("/metrics").status == 401);
    CHECK(client.get("/metrics", {{"Authorization", "Bearer wrong-token"}}).status == 401);
    const auto scraped = client.get("/metrics", {{"Authorization", "Bearer scrape-token-1"}});
    CHECK(scraped.status == 200);
    CHECK_THAT(scraped.body, Catch::Contains("ledgerbot_inbox_depth"));
}

namespace {

/// The value of one sample line of the /metrics text ("name{labels} value"), or -1.
double metric_sample(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) {
        return -1;
    }
    return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE(
    "reports acknowledged while the ledger is busy are read ahead and recorded from that "
    "reading",
    "[integration]") {
    RunningService service;
    service.import_demo_directory();
    constexpr int kReports = 12;
    {
        // A long transaction holds the ledger: nothing can be taken, the reports wait in the
        // received file, and the read-ahead thread reads them meanwhile.
        SQLite::Database blocker(service.database_path().string(), SQLite::OPEN_READWRITE);
        blocker.setBusyTimeout(10000);  // the store thread may be in a round of its own
        blocker.exec("BEGIN IMMEDIATE");
        HttpTestClient client(service.port());
        for (int i = 0; i < kReports; ++i) {
            REQUIRE(
                post_signed(client, message_event("ahead-" + std::to_string(i), kReport)).status ==
                200);
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
        blocker.exec("ROLLBACK");
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", kReports));
    CHECK(service.count("SELECT COUNT(*) FROM visits WHERE company_name = '宁夏示例科技有限公司' "
                        "AND complete = 1") == kReports);
    const std::string used = "ledgerbot_reports_read_ahead_total{outcome=\"used\"}";
    double value = -1;
    for (int i = 0; i < 100 && value < kReports; ++i) {
        value = metric_sample(service.metrics_text(), used);
        if (value < kReports) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    CHECK(value == kReports);
}

TEST_CASE(
    "a report read ahead before a directory import is read again with the imported "
    "directory",
    "[integration]") {
    RunningService service;
    service.import_demo_directory();
    const std::string report =
        "【走访记录】\n企业全称：中卫市沙坡头光伏新能源有限公司\n走访时间：昨天 上午10点\n"
        "走访方式：实地走访\n走访人员：张三\n走访内容：了解融资计划\n客户反馈：希望对接银行\n"
        "企业联系人：王总 13912345678";
    {
        SQLite::Database blocker(service.database_path().string(), SQLite::OPEN_READWRITE);
        blocker.setBusyTimeout(10000);  // the store thread may be in a round of its own
        blocker.exec("BEGIN IMMEDIATE");
        HttpTestClient client(service.port());
        REQUIRE(post_signed(client, message_event("before-import", report)).status == 200);
        // Read ahead with the directory that does not list the company yet ...
        std::this_thread::sleep_for(std::chrono::seconds(1));
        // ... which an import then lists, committed before the ledger takes the report (as the
        // import command writes it: the company, and the directory's version bumped).
        blocker.exec(
            "INSERT INTO companies (full_name, updated_at) VALUES "
            "('中卫市沙坡头光伏新能源有限公司', 0)");
        blocker.exec(
            "INSERT INTO meta (key, value) VALUES ('directory_version', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1");
        blocker.exec("COMMIT");
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    CHECK(service.count("SELECT COUNT(*) FROM visits WHERE company_id IS NOT NULL AND "
                        "company_name = '中卫市沙坡头光伏新能源有限公司'") == 1);
    double missed = -1;
    for (int i = 0; i < 100 && missed < 1; ++i) {
        missed = metric_sample(service.metrics_text(),
                               "ledgerbot_reports_read_ahead_total{outcome=\"missed\"}");
        if (missed < 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    CHECK(missed == 1);
}
