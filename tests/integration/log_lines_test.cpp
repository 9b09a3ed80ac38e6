#include "app/logging/log_lines.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>
#include <nlohmann/json.hpp>

#include "tests/integration/running_service.hpp"
#include "tests/support/http_test_client.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;
using app::logging::LineFormat;

namespace {

// The process's default logger replaced by one writing to a string, for the test's lifetime.
class CapturedLog {
public:
    explicit CapturedLog(LineFormat format) : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
        auto logger = std::make_shared<spdlog::logger>("captured", sink);
        logger->set_formatter(std::make_unique<app::logging::LineFormatter>(format));
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::istringstream in(out_.str());
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

const std::regex kShanghaiTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00)");

}  // namespace

TEST_CASE("A log line carries the Shanghai time with its offset and the fields, as text or JSON",
          "[log]") {
    const nlohmann::ordered_json fields{
        {"event", "generic:e1"}, {"chat", "g demo"}, {"notices", 2}};
    {
        CapturedLog log(LineFormat::text);
        app::logging::log_fields(spdlog::level::info, "event processed", fields);
        spdlog::warn("a plain line");
        const auto lines = log.lines();
        REQUIRE(lines.size() == 2);
        CHECK(std::regex_search(lines[0], kShanghaiTime));
        CHECK_THAT(lines[0], Catch::Contains(" info event processed "));
        CHECK_THAT(lines[0], Catch::Contains("event=generic:e1"));
        CHECK_THAT(lines[0], Catch::Contains("chat=\"g demo\""));  // quoted: it holds a space
        CHECK_THAT(lines[0], Catch::Contains("notices=2"));
        CHECK_THAT(lines[1], Catch::EndsWith("warning a plain line"));  // no fields left over
    }
    {
        CapturedLog log(LineFormat::json);
        app::logging::log_fields(spdlog::level::info, "event processed", fields);
        spdlog::info("bytes \xff not UTF-8");
        const auto lines = log.lines();
        REQUIRE(lines.size() == 2);
        const auto first = nlohmann::json::parse(lines[0]);
        CHECK(std::regex_match(first["time"].get<std::string>(), kShanghaiTime));
        CHECK(first["level"] == "info");
        CHECK(first["message"] == "event processed");
        CHECK(first["event"] == "generic:e1");
        CHECK(first["notices"] == 2);
        const auto second = nlohmann::json::parse(lines[1]);  // still valid JSON
        CHECK_FALSE(second.contains("event"));
    }
    CHECK_THROWS(app::logging::line_format("xml"));
}

TEST_CASE("Each processed event and each delivery is one log line, without the message text",
          "[log][integration]") {
    CapturedLog log(LineFormat::json);
    RunningService service;
    service.import_demo_directory();
    HttpTestClient client(service.port());
    const std::string body = message_event("log-1", kCompleteVisitReport);
    REQUIRE(client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND template_id = 'visit_recorded'", 1));

    nlohmann::json processed;
    nlohmann::json delivered;
    for (const auto& line : log.lines()) {
        // The report's words never reach the log at info.
        CHECK_THAT(line, !Catch::Contains("了解年度融资计划"));
        CHECK_THAT(line, !Catch::Contains("13912345678"));
        const auto record = nlohmann::json::parse(line);
        if (record["message"] == "event processed" && record["event"] == "generic:log-1") {
            CHECK(processed.is_null());  // once
            processed = record;
        }
        if (record["message"] == "notice delivery" && record["template"] == "visit_recorded") {
            delivered = record;
        }
    }
    REQUIRE(processed.is_object());
    CHECK(processed["adapter"] == "generic");
    CHECK(processed["chat"] == "g-demo");
    CHECK(processed["type"] == "message");
    CHECK(processed["outcome"] == "done");
    CHECK(processed["notices"].get<int>() >= 1);
    CHECK(processed["duration_ms"].get<double>() >= 0);
    REQUIRE(delivered.is_object());
    CHECK(delivered["outcome"] == "sent");
    CHECK(delivered["channel"] == "generic");
    CHECK(delivered["attempt"] == 1);
}
