#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/model/inbound_event.hpp"
#include "storage/audit_log.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/recording_http_server.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

// The operator's config: the same database the running service uses.
std::filesystem::path operator_config(const RunningService& service) {
    const auto path = service.database_path().parent_path() / "operator.toml";
    std::ofstream(path) << "[storage]\ndatabase_path = \"" << service.database_path().string()
                        << "\"\n[adapters.generic]\nsecret = \"" << kTestSecret << "\"\n";
    return path;
}

CommandRun run_cli(const std::filesystem::path& config, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--config", config.string()});
    return run_command(ledgerbot_binary(), arguments);
}

}  // namespace

TEST_CASE("outbox list and retry: a dead notice is sent after the cause is fixed, audited",
          "[integration][repair]") {
    std::atomic<int> status{400};
    RecordingHttpServer bridge([&](const RecordedRequest&) {
        return ScriptedReply{status.load(), "{}"};
    });
    RunningService service("outbound_url = \"" + bridge.url("/out") + "\"");
    service.import_demo_directory();
    const auto config = operator_config(service);
    HttpTestClient client(service.port());
    const std::string body = message_event("repair-1", kCompleteVisitReport);
    REQUIRE(client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    // 400 is refused for good: the answer is dead at once.
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'", 1));

    const CommandRun dead = run_cli(config, {"outbox", "list", "--dead"});
    INFO(dead.out << dead.err);
    CHECK(dead.exit_code == 0);
    CHECK_THAT(dead.out, Catch::Contains("visit_recorded"));
    CHECK_THAT(dead.out, Catch::Contains("generic:chat:g-demo"));
    CHECK_THAT(dead.out, Catch::Contains("400"));
    // Fields (the report's content) are not listed.
    CHECK_THAT(dead.out, !Catch::Contains("13912345678"));

    // Wrong arguments get the usage, exit 2, and change nothing.
    CHECK(run_cli(config, {"outbox", "retry"}).exit_code == 2);
    CHECK(run_cli(config, {"outbox", "retry", "1", "--dead"}).exit_code == 2);
    CHECK(run_cli(config, {"outbox", "retry", "abc"}).exit_code == 2);
    const CommandRun missing = run_cli(config, {"outbox", "retry", "999"});
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.err, Catch::Contains("there is no notice 999"));

    status = 200;
    const CommandRun retried = run_cli(config, {"outbox", "retry", "--dead"});
    INFO(retried.out << retried.err);
    CHECK(retried.exit_code == 0);
    CHECK_THAT(retried.out, Catch::Contains("1 dead notice(s) queued again"));
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND template_id = 'visit_recorded'", 1));
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retried' AND "
                        "actor LIKE 'operator:%'") == 1);

    // A sent notice is never sent again.
    const std::int64_t sent_id = service.count(
        "SELECT id FROM outbox WHERE status = 'sent' AND template_id = 'visit_recorded'");
    const CommandRun again = run_cli(config, {"outbox", "retry", std::to_string(sent_id)});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Catch::Contains("never sent again"));
    CHECK(run_cli(config, {"outbox", "list"}).out == "no undelivered notices\n");
}

TEST_CASE(
    "inbox list --failed and inbox retry: a failed event is processed once its cause is "
    "fixed",
    "[integration][repair]") {
    RunningService service;
    service.import_demo_directory();
    const auto config = operator_config(service);
    {
        // An event the engine cannot read (as a bug would leave it) fails and stays failed.
        SQLite::Database db(service.database_path().string(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        db.exec(
            "INSERT INTO inbox (dedup_key, source, chat_id, received_at, event_json) VALUES "
            "('generic:broken-1', 'generic', 'g-demo', strftime('%s','now'), '{\"id\":1}')");
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'failed'", 1));
    const std::int64_t id =
        service.count("SELECT id FROM inbox WHERE dedup_key = 'generic:broken-1'");

    const CommandRun failed = run_cli(config, {"inbox", "list", "--failed"});
    INFO(failed.out << failed.err);
    CHECK(failed.exit_code == 0);
    CHECK_THAT(failed.out, Catch::Contains("generic:broken-1"));
    CHECK_THAT(failed.out, Catch::Contains("failed"));

    const CommandRun not_failed = run_cli(config, {"inbox", "retry", "999999"});
    CHECK(not_failed.exit_code == 1);
    CHECK(run_cli(config, {"inbox", "retry"}).exit_code == 2);

    {
        // The cause fixed (here: the event made readable, as an upgrade's parser would).
        SQLite::Database db(service.database_path().string(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        bot::model::InboundEvent event;
        event.id = "broken-1";
        event.source = "generic";
        event.time = now_seconds();
        event.chat.id = "g-demo";
        event.chat.name = "宁夏示例科技有限公司服务项目专属服务群";
        event.sender.id = "zhangsan";
        event.sender.name = "张三";
        event.text = kCompleteVisitReport;
        SQLite::Statement fix(db, "UPDATE inbox SET event_json = ? WHERE id = ?");
        fix.bind(1, nlohmann::json(event).dump());
        fix.bind(2, id);
        fix.exec();
    }
    const CommandRun retried = run_cli(config, {"inbox", "retry", std::to_string(id)});
    INFO(retried.out << retried.err);
    CHECK(retried.exit_code == 0);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM inbox WHERE dedup_key = 'generic:broken-1' AND status = 'done'", 1));
    CHECK(service.count("SELECT COUNT(*) FROM visits") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'inbox.retried'") == 1);
    // Done is done: a second retry is refused and nothing is recorded twice.
    CHECK(run_cli(config, {"inbox", "retry", std::to_string(id)}).exit_code == 1);
    CHECK(service.count("SELECT COUNT(*) FROM visits") == 1);
}

TEST_CASE("jobs list and jobs run: a period runs once through the inbox, again only when asked",
          "[integration][repair]") {
    RunningService service;
    service.import_demo_directory();
    const auto config = operator_config(service);

    CHECK(run_cli(config, {"jobs", "run", "no-such-job"}).exit_code == 2);
    const CommandRun bad_period =
        run_cli(config, {"jobs", "run", "score-draft", "--period", "2026-13"});
    CHECK(bad_period.exit_code == 2);
    CHECK_THAT(bad_period.err, Catch::Contains("its periods look like"));

    const CommandRun ran = run_cli(config, {"jobs", "run", "monthly-digest"});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    CHECK_THAT(ran.out, Catch::Contains("monthly-digest:"));
    CHECK_THAT(ran.out, Catch::Contains(" ran at "));
    CHECK(service.count("SELECT COUNT(*) FROM job_runs WHERE run_key LIKE 'monthly-digest:%'") ==
          1);

    const CommandRun twice = run_cli(config, {"jobs", "run", "monthly-digest"});
    CHECK(twice.exit_code == 1);
    CHECK_THAT(twice.err, Catch::Contains("already ran"));
    CHECK(service.count("SELECT COUNT(*) FROM job_runs WHERE run_key LIKE 'monthly-digest%'") == 1);

    const CommandRun again = run_cli(config, {"jobs", "run", "monthly-digest", "--again"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(service.count("SELECT COUNT(*) FROM job_runs WHERE run_key LIKE 'monthly-digest#%'") ==
          1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'job.run_requested'") == 2);

    const CommandRun listed = run_cli(config, {"jobs", "list"});
    CHECK(listed.exit_code == 0);
    CHECK_THAT(listed.out, Catch::Contains("monthly-digest#again-"));
    CHECK_THAT(listed.out, Catch::Contains("monthly 1 09:00"));
}

TEST_CASE("audit show filters the trail; audit export writes it with hashes that verify",
          "[integration][repair]") {
    RunningService service;
    service.import_demo_directory();
    const auto config = operator_config(service);
    HttpTestClient client(service.port());
    for (int i = 0; i < 3; ++i) {
        const std::string body = message_event("audit-" + std::to_string(i), kCompleteVisitReport);
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.recorded'",
                                   3));

    const CommandRun shown =
        run_cli(config, {"audit", "show", "--action", "visit.", "--format", "jsonl"});
    INFO(shown.out << shown.err);
    REQUIRE(shown.exit_code == 0);
    std::istringstream lines(shown.out);
    int recorded = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto entry = nlohmann::json::parse(line);
        CHECK(entry.at("action").get<std::string>().rfind("visit.", 0) == 0);
        recorded += entry.at("action") == "visit.recorded" ? 1 : 0;
    }
    CHECK(recorded == 3);
    CHECK(run_cli(config, {"audit", "show", "--since", "tomorrow"}).exit_code == 2);
    CHECK(run_cli(config, {"audit", "show", "--since", "2099-01-01"}).out ==
          "no audit entries match\n");

    const auto file = service.database_path().parent_path() / "audit.jsonl";
    const CommandRun exported = run_cli(config, {"audit", "export", "--out", file.string()});
    INFO(exported.out << exported.err);
    REQUIRE(exported.exit_code == 0);
    CHECK_THAT(exported.out, Catch::Contains("chain verified"));
    // The file alone proves the chain: each hash covers its row and the previous hash.
    std::ifstream in(file);
    std::string previous = "genesis";
    std::int64_t rows = 0;
    for (std::string line; std::getline(in, line);) {
        const auto entry = nlohmann::json::parse(line);
        CHECK(entry.at("prev_hash") == previous);
        CHECK(entry.at("hash") == storage::AuditLog::entry_hash(
                                      previous, entry.at("seq"), entry.at("at_unix"),
                                      entry.at("actor"), entry.at("action"), entry.at("subject"),
                                      entry.at("detail_json"), entry.at("source_event")));
        previous = entry.at("hash");
        ++rows;
    }
    CHECK(rows == service.count("SELECT COUNT(*) FROM audit_log"));
}
