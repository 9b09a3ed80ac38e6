#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "tests/integration/running_service.hpp"
#include "tests/integration/service_process.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/recording_http_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_images.hpp"

using namespace ledgerbot::testing;

namespace {

const std::string kReport =
    "【走访记录】\n企业名称：示例科技\n走访时间：昨天 上午10点\n走访方式：电话回访\n"
    "走访人员：张三\n走访内容：季度回访\n客户反馈：经营正常\n企业联系人：王总 13912345678";

std::int64_t count(const std::filesystem::path& db_path, const std::string& sql) {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    return db.execAndGet(sql).getInt64();
}

/// Posts events from several keep-alive connections until told to stop or the server dies.
/// Returns nothing; fills `acked` with the ids answered 200 and `sent` with every id tried.
void load(std::uint16_t port, int worker, std::atomic<bool>& stop, std::mutex& mutex,
          std::set<std::string>& acked, std::set<std::string>& sent) {
    try {
        HttpTestClient client(port);
        for (int n = 0; !stop; ++n) {
            const std::string id =
                "w" + std::to_string(worker) + "-" + std::to_string(n) + "-" + std::to_string(port);
            const std::string body = message_event(id, kReport);
            {
                std::lock_guard lock(mutex);
                sent.insert(id);
            }
            auto response = client.post("/hooks/generic", body,
                                        signed_headers(kTestSecret, now_seconds(), body));
            if (response.status == 200) {
                std::lock_guard lock(mutex);
                acked.insert(id);
            }
        }
    } catch (const std::exception&) {
        // The server was killed under us: expected.
    }
}

}  // namespace

TEST_CASE("after SIGKILL at any moment every acknowledged event is processed exactly once",
          "[integration][crash]") {
    TempDir dir;
    const auto db_path = dir / "ledgerbot.db";
    const auto received_path = dir / "ledgerbot-received.db";
    const auto config = dir / "ledgerbot.toml";
    const auto log = dir / "ledgerbot.log";
    {
        std::ofstream out(config);
        out << "[server]\nlisten_port = 0\nops_listen_port = 0\n"
            << "[storage]\ndatabase_path = \"" << db_path.string() << "\"\n"
            << "[adapters.generic]\nsecret = \"" << kTestSecret << "\"\nconsole_sink = \""
            << (dir / "outbox.jsonl").string() << "\"\n"
            << "[outbox]\npoll_interval_ms = 20\n"
            << "[schedule]\nenabled = false\n";  // only the events the test sends
    }
    {
        const std::string import =
            kBinary + " --config " + config.string() + " migrate && " + kBinary + " --config " +
            config.string() + " import companies " + std::string(LEDGERBOT_SOURCE_DIR) +
            "/config/demo/companies.csv > /dev/null && " + kBinary + " --config " +
            config.string() + " import staff " + std::string(LEDGERBOT_SOURCE_DIR) +
            "/config/demo/staff.csv > /dev/null";
        REQUIRE(std::system(import.c_str()) == 0);
    }

    std::mutex mutex;
    std::set<std::string> acked;
    std::set<std::string> sent;
    // Three crashes: each kills the process while four connections are posting and the worker
    // is processing what earlier rounds stored.
    for (int round = 0; round < 3; ++round) {
        ServiceProcess service(config, log);
        const std::size_t acked_before = acked.size();
        std::atomic<bool> stop{false};
        std::vector<std::thread> workers;
        for (int w = 0; w < 4; ++w) {
            workers.emplace_back(
                [&, w] { load(service.port(), w + 10 * round, stop, mutex, acked, sent); });
        }
        // Kill once a good number of events have been acknowledged in this round.
        for (int i = 0; i < 1000; ++i) {
            {
                std::lock_guard lock(mutex);
                if (acked.size() >= acked_before + 150) {
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        const int status = service.kill(SIGKILL);
        CHECK(WIFSIGNALED(status));
        stop = true;
        for (auto& worker : workers) {
            worker.join();
        }
        // Nothing acknowledged may be missing, even before any restart: it is in the received
        // file (not yet taken) or already in the ledger.
        std::set<std::string> stored;
        for (const auto& [path, sql] : {std::pair{received_path, "SELECT dedup_key FROM received"},
                                        std::pair{db_path, "SELECT dedup_key FROM inbox"}}) {
            SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
            SQLite::Statement query(db, sql);
            while (query.executeStep()) {
                stored.insert(query.getColumn(0).getString());
            }
        }
        std::size_t lost = 0;
        for (const auto& id : acked) {
            lost += stored.count("generic:" + id) == 0 ? 1 : 0;
        }
        INFO("round " << round << ": " << acked.size() << " acknowledged so far");
        CHECK(lost == 0);
    }

    // The platform retries every callback it is unsure about: resend everything once more.
    ServiceProcess service(config, log);
    {
        HttpTestClient client(service.port());
        for (const auto& id : sent) {
            const std::string body = message_event(id, kReport);
            REQUIRE(
                client
                    .post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                    .status == 200);
        }
    }
    const auto total = static_cast<std::int64_t>(sent.size());
    bool drained = false;
    for (int i = 0; i < 1500 && !drained; ++i) {
        drained = count(db_path, "SELECT COUNT(*) FROM inbox WHERE status = 'done'") == total;
        if (!drained) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    REQUIRE(drained);
    CHECK(count(db_path, "SELECT COUNT(*) FROM inbox") == total);
    CHECK(count(db_path, "SELECT COUNT(*) FROM visits") == total);
    CHECK(count(db_path,
                "SELECT COUNT(*) FROM (SELECT source_event_id FROM visits GROUP BY "
                "source_event_id HAVING COUNT(*) > 1)") == 0);
    CHECK(count(db_path, "SELECT COUNT(*) FROM outbox") == total);
    // One audit entry per event (the two imports before the run are audited too).
    CHECK(count(db_path, "SELECT COUNT(*) FROM audit_log WHERE action != 'directory.imported'") ==
          total);
    CHECK(count(db_path, "SELECT COUNT(*) FROM inbox WHERE status = 'failed'") == 0);

    // And a graceful stop still works after all that.
    CHECK(WEXITSTATUS(service.kill(SIGTERM)) == 0);
}

TEST_CASE("a kill -9 between the received commit and the ledger commit loses and doubles nothing",
          "[integration][crash]") {
    TempDir dir;
    const auto db_path = dir / "ledgerbot.db";
    const auto received_path = dir / "ledgerbot-received.db";
    const auto config = dir / "ledgerbot.toml";
    const auto log = dir / "ledgerbot.log";
    {
        std::ofstream out(config);
        out << "[server]\nlisten_port = 0\nops_listen_port = 0\n"
            << "[storage]\ndatabase_path = \"" << db_path.string() << "\"\n"
            << "[adapters.generic]\nsecret = \"" << kTestSecret << "\"\nconsole_sink = \""
            << (dir / "outbox.jsonl").string() << "\"\n"
            << "[schedule]\nenabled = false\n";
    }
    {
        const std::string import =
            kBinary + " --config " + config.string() + " migrate && " + kBinary + " --config " +
            config.string() + " import companies " + std::string(LEDGERBOT_SOURCE_DIR) +
            "/config/demo/companies.csv > /dev/null && " + kBinary + " --config " +
            config.string() + " import staff " + std::string(LEDGERBOT_SOURCE_DIR) +
            "/config/demo/staff.csv > /dev/null";
        REQUIRE(std::system(import.c_str()) == 0);
    }
    constexpr int kEvents = 40;
    {
        ServiceProcess service(config, log);
        // Hold the ledger's write lock, as a long processing transaction would: the service can
        // take nothing into the ledger, yet every callback must be acknowledged.
        SQLite::Database blocker(db_path.string(), SQLite::OPEN_READWRITE);
        blocker.setBusyTimeout(10000);
        blocker.exec("BEGIN IMMEDIATE");
        HttpTestClient client(service.port());
        for (int i = 0; i < kEvents; ++i) {
            const std::string body = message_event("between-" + std::to_string(i), kReport);
            REQUIRE(
                client
                    .post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                    .status == 200);
        }
        CHECK(count(received_path, "SELECT COUNT(*) FROM received") == kEvents);
        const int status = service.kill(SIGKILL);
        CHECK(WIFSIGNALED(status));
        blocker.exec("ROLLBACK");
    }
    // Acknowledged, received, and not in the ledger: the crash fell between the two commits.
    CHECK(count(db_path, "SELECT COUNT(*) FROM visits") == 0);
    CHECK(count(db_path, "SELECT taken_through FROM inbox_import") == 0);

    ServiceProcess service(config, log);
    bool drained = false;
    for (int i = 0; i < 1500 && !drained; ++i) {
        drained = count(db_path, "SELECT COUNT(*) FROM inbox WHERE status = 'done'") == kEvents;
        if (!drained) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    REQUIRE(drained);
    // The platform resends what it was unsure of: still once each.
    {
        HttpTestClient client(service.port());
        for (int i = 0; i < kEvents; ++i) {
            const std::string body = message_event("between-" + std::to_string(i), kReport);
            REQUIRE(
                client
                    .post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                    .status == 200);
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(count(db_path, "SELECT COUNT(*) FROM visits") == kEvents);
    CHECK(count(db_path, "SELECT COUNT(*) FROM inbox") == kEvents);
    CHECK(count(db_path, "SELECT COUNT(*) FROM outbox") == kEvents);
    CHECK(count(received_path, "SELECT COUNT(*) FROM received") == kEvents);
    CHECK(count(received_path, "SELECT SUM(deliveries) FROM received") == 2 * kEvents);
    CHECK(WEXITSTATUS(service.kill(SIGTERM)) == 0);
}

TEST_CASE("a kill -9 during an evidence download leaves no partial file and the download resumes",
          "[integration][crash][evidence]") {
    TempDir dir;
    const auto db_path = dir / "ledgerbot.db";
    const auto config = dir / "ledgerbot.toml";
    const auto log = dir / "ledgerbot.log";
    // An image host that answers slowly the first time: the service is killed while it waits.
    const std::string png = png_image(64, 64);
    std::atomic<int> requests{0};
    RecordingHttpServer host([&](const RecordedRequest&) {
        ScriptedReply reply;
        reply.body = png;
        reply.content_type = "image/png";
        if (requests++ == 0) {
            reply.delay = std::chrono::milliseconds(3000);
        }
        return reply;
    });
    {
        std::ofstream out(config);
        out << "[server]\nlisten_port = 0\nops_listen_port = 0\n"
            << "[storage]\ndatabase_path = \"" << db_path.string() << "\"\n"
            << "[adapters.generic]\nsecret = \"" << kTestSecret << "\"\nconsole_sink = \""
            << (dir / "outbox.jsonl").string() << "\"\n"
            << "[outbox]\npoll_interval_ms = 20\n"
            << "[evidence]\nfirst_retry_seconds = 1\n"
            << "[schedule]\nenabled = false\n";
    }
    const std::string import =
        kBinary + " --config " + config.string() + " migrate && " + kBinary + " --config " +
        config.string() + " import companies " + std::string(LEDGERBOT_SOURCE_DIR) +
        "/config/demo/companies.csv > /dev/null && " + kBinary + " --config " + config.string() +
        " import staff " + std::string(LEDGERBOT_SOURCE_DIR) + "/config/demo/staff.csv > /dev/null";
    REQUIRE(std::system(import.c_str()) == 0);
    const auto evidence_dir = dir / "evidence";
    {
        ServiceProcess service(config, log);
        HttpTestClient client(service.port());
        const std::string report = message_event("r-1", kReport);
        REQUIRE(
            client
                .post("/hooks/generic", report, signed_headers(kTestSecret, now_seconds(), report))
                .status == 200);
        for (int i = 0; i < 500 && count(db_path, "SELECT COUNT(*) FROM visits") == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        nlohmann::json image = nlohmann::json::parse(message_event("i-1", ""));
        image.erase("text");
        image["image"] = {{"url", host.url("/call-log.png")}};
        const std::string body = image.dump();
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
        REQUIRE(host.wait_for(1, std::chrono::seconds(10)) == 1);  // the download is in flight
        // What a kill in the middle of writing the file leaves behind.
        std::filesystem::create_directories(evidence_dir / "ab" / "cd");
        std::ofstream(evidence_dir / "ab" / "cd" / "abcd.1234.partial") << "half";
        CHECK(WIFSIGNALED(service.kill(SIGKILL)));
    }
    CHECK(count(db_path, "SELECT COUNT(*) FROM visit_evidence WHERE fetch_status = 'pending'") ==
          1);

    ServiceProcess restarted(config, log);
    bool fetched = false;
    for (int i = 0; i < 1000 && !fetched; ++i) {
        fetched = count(db_path,
                        "SELECT COUNT(*) FROM visit_evidence WHERE fetch_status = 'fetched'") == 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(fetched);
    CHECK(requests >= 2);
    std::size_t files = 0;
    std::size_t partial = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(evidence_dir)) {
        if (entry.is_regular_file()) {
            ++files;
            partial += entry.path().string().ends_with(".partial") ? 1 : 0;
        }
    }
    CHECK(files == 1);
    CHECK(partial == 0);
    CHECK(WEXITSTATUS(restarted.kill(SIGTERM)) == 0);
}
