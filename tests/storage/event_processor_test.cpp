#include "storage/event_processor.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "config/config_loader.hpp"
#include "storage/audit_log.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/inbox.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/sqlite_state.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::Engine;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;
using ledgerbot::storage::Database;
using ledgerbot::storage::EventProcessor;
using ledgerbot::storage::Inbox;
using ledgerbot::storage::ProcessOutcome;

constexpr std::int64_t kMessageTime = 1782878400;  // 2026-07-01 12:00 Shanghai
constexpr std::int64_t kNow = kMessageTime + 5;

const std::string kReportWithDemands =
    "【走访记录】\n"
    "企业全称：示例科技\n"
    "走访时间：2026-07-01 10:00\n"
    "走访方式：实地走访\n"
    "走访人员：张三、李四\n"
    "走访内容：了解企业融资计划\n"
    "客户反馈：希望尽快对接\n"
    "企业联系人：王总\n"
    "联系电话：13812345678\n"
    "服务需求简述：股权融资500万元；上市辅导";

const std::string kReportWithoutDemands =
    "【走访记录】\n"
    "企业全称：银川星河新材料股份有限公司\n"
    "走访时间：2026-07-01 09:00\n"
    "走访方式：电话回访\n"
    "走访人员：李四\n"
    "走访内容：回访经营情况\n"
    "客户反馈：经营正常\n"
    "企业联系人：李总 13987654321";

Engine default_engine() {
    return Engine(ledgerbot::config::load_default_settings([](std::string_view) {
                      return std::optional<std::string>{};
                  }).engine);
}

InboundEvent message(const std::string& id, std::string text) {
    InboundEvent e;
    e.id = id;
    e.source = "generic";
    e.type = EventType::message;
    e.time = kMessageTime;
    e.chat.id = "group-1";
    e.chat.kind = ChatKind::group;
    e.sender.id = "zhangsan";
    e.sender.name = "张三";
    e.text = std::move(text);
    return e;
}

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "ledger.db"};
    Engine engine = default_engine();
    std::vector<std::pair<std::int64_t, std::string>> failures;
    EventProcessor processor{db.sql(), engine, [this](std::int64_t id, const std::string& what) {
                                 failures.emplace_back(id, what);
                             }};

    Fixture() {
        auto imported = ledgerbot::storage::DirectoryRepository(db.sql()).import_companies(
            "full_name,short_names\n"
            "宁夏示例科技有限公司,示例科技\n"
            "银川星河新材料股份有限公司,星河新材\n",
            1000);
        REQUIRE(imported);
        REQUIRE(imported.value().ok());
        // Only staff report.
        auto staff = ledgerbot::storage::DirectoryRepository(db.sql()).import_staff(
            "id,name,department\nzhangsan,张三,市场发展部\n", 1000);
        REQUIRE(staff);
        REQUIRE(staff.value().ok());
    }

    std::vector<std::int64_t> store(const std::vector<InboundEvent>& events) {
        auto inserted = Inbox(db.sql()).insert_batch(events, kMessageTime);
        REQUIRE(inserted);
        std::vector<std::int64_t> ids;
        for (const auto& result : inserted.value()) {
            ids.push_back(result.inbox_id);
        }
        return ids;
    }

    ProcessOutcome process() {
        auto outcome = processor.process_pending(100, kNow);
        REQUIRE(outcome);
        return outcome.value();
    }

    std::int64_t count(const std::string& table) {
        return db.sql().execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
    }

    std::string status_of(std::int64_t inbox_id) {
        SQLite::Statement query(db.sql(), "SELECT status FROM inbox WHERE id = ?");
        query.bind(1, inbox_id);
        REQUIRE(query.executeStep());
        return query.getColumn(0).getString();
    }
};

}  // namespace

TEST_CASE("A pending report is applied with its demands, notice, audit and done mark together",
          "[processor]") {
    Fixture f;
    const auto ids = f.store({message("msg-1", kReportWithDemands)});

    const ProcessOutcome outcome = f.process();

    CHECK(outcome.processed == 1);
    CHECK(outcome.failed == 0);
    CHECK(outcome.notices == 1);

    ledgerbot::storage::LedgerRepository ledger(f.db.sql());
    auto visit = ledger.find_visit(1);
    REQUIRE(visit);
    REQUIRE(visit.value().has_value());
    CHECK(visit.value()->company_name == "宁夏示例科技有限公司");
    CHECK(visit.value()->company_id.has_value());
    CHECK(visit.value()->source_event_id == "msg-1");
    CHECK(visit.value()->complete());
    auto demands = ledger.demands_of_visit(1);
    REQUIRE(demands);
    REQUIRE(demands.value().size() == 2);
    CHECK(demands.value()[0].number == 1);
    CHECK(demands.value()[1].number == 2);
    CHECK(demands.value()[1].summary == "上市辅导");

    SQLite::Statement outbox(f.db.sql(),
                             "SELECT inbox_id, template_id, target_kind, target_id, fields_json, "
                             "next_attempt_at FROM outbox");
    REQUIRE(outbox.executeStep());
    CHECK(outbox.getColumn(0).getInt64() == ids[0]);
    CHECK(outbox.getColumn(1).getString() == "visit_recorded");
    CHECK(outbox.getColumn(2).getString() == "chat");
    CHECK(outbox.getColumn(3).getString() == "group-1");
    const auto fields = nlohmann::json::parse(outbox.getColumn(4).getString());
    CHECK(fields.at("record_id") == "V1");
    CHECK(outbox.getColumn(5).getInt64() == kNow);
    CHECK_FALSE(outbox.executeStep());

    CHECK(f.count("audit_log") == 3);
    CHECK(f.db.sql().execAndGet("SELECT source_event FROM audit_log WHERE seq = 1").getString() ==
          "generic:msg-1");
    auto verified = ledgerbot::storage::AuditLog(f.db.sql()).verify();
    REQUIRE(verified);
    CHECK(verified.value().ok);

    CHECK(f.status_of(ids[0]) == "done");
    CHECK(f.db.sql().execAndGet("SELECT processed_at FROM inbox").getInt64() == kNow);
}

TEST_CASE("Processing again does nothing once every event is done", "[processor]") {
    Fixture f;
    f.store({message("msg-1", kReportWithDemands), message("msg-2", "大家好")});
    REQUIRE(f.process().processed == 2);

    const ProcessOutcome again = f.process();

    CHECK(again.processed == 0);
    CHECK(again.failed == 0);
    CHECK(again.notices == 0);
    CHECK(f.count("visits") == 1);
    CHECK(f.count("demands") == 2);
    CHECK(f.count("outbox") == 1);
    CHECK(f.count("audit_log") == 3);
}

TEST_CASE("A redelivered event is not processed a second time", "[processor]") {
    Fixture f;
    f.store({message("msg-1", kReportWithDemands)});
    REQUIRE(f.process().processed == 1);

    f.store({message("msg-1", kReportWithDemands)});
    CHECK(f.process().processed == 0);
    CHECK(f.count("visits") == 1);
    CHECK(f.count("outbox") == 1);
}

TEST_CASE("Events are processed in arrival order and numbers continue", "[processor]") {
    Fixture f;
    InboundEvent joined = message("evt-join", "");
    joined.type = EventType::member_joined;
    const auto ids = f.store({message("msg-1", kReportWithDemands), message("msg-2", "收到"),
                              joined, message("msg-3", kReportWithoutDemands)});
    f.store({message("msg-4", kReportWithDemands)});

    const ProcessOutcome outcome = f.process();

    CHECK(outcome.processed == 5);
    CHECK(outcome.notices == 3);
    for (const auto id : ids) {
        CHECK(f.status_of(id) == "done");
    }
    ledgerbot::storage::LedgerRepository ledger(f.db.sql());
    auto second = ledger.find_visit(2);
    REQUIRE(second);
    REQUIRE(second.value().has_value());
    CHECK(second.value()->source_event_id == "msg-3");
    CHECK(second.value()->company_name == "银川星河新材料股份有限公司");
    auto third = ledger.demands_of_visit(3);
    REQUIRE(third);
    REQUIRE(third.value().size() == 2);
    CHECK(third.value()[0].number == 3);
    CHECK(third.value()[1].number == 4);
    auto verified = ledgerbot::storage::AuditLog(f.db.sql()).verify();
    REQUIRE(verified);
    CHECK(verified.value().ok);
    CHECK(verified.value().entries == 3 + 1 + 3);
}

TEST_CASE("The limit caps how many events one call processes", "[processor]") {
    Fixture f;
    const auto ids =
        f.store({message("msg-1", "一"), message("msg-2", "二"), message("msg-3", "三")});

    auto first = f.processor.process_pending(2, kNow);
    REQUIRE(first);
    CHECK(first.value().processed == 2);
    CHECK(f.status_of(ids[2]) == "pending");
    CHECK(f.process().processed == 1);
    CHECK(f.status_of(ids[2]) == "done");
}

TEST_CASE("A directory import is seen by the next event processed", "[processor]") {
    Fixture f;
    const std::string report =
        "【走访记录】\n企业全称：吴忠市清源农业科技有限公司\n走访方式：实地走访";
    f.store({message("msg-1", report)});
    f.process();
    auto imported = ledgerbot::storage::DirectoryRepository(f.db.sql())
                        .import_companies("full_name\n吴忠市清源农业科技有限公司\n", 2000);
    REQUIRE(imported);
    REQUIRE(imported.value().ok());
    f.store({message("msg-2", report)});
    f.process();

    ledgerbot::storage::LedgerRepository ledger(f.db.sql());
    auto before = ledger.find_visit(1);
    auto after = ledger.find_visit(2);
    REQUIRE(before);
    REQUIRE(after);
    CHECK_FALSE(before.value()->company_id.has_value());
    CHECK(after.value()->company_id.has_value());
    CHECK(after.value()->company_name == "吴忠市清源农业科技有限公司");
}

TEST_CASE("An event whose handling throws is parked as failed and the next events still run",
          "[processor]") {
    Fixture f;
    // A trigger refuses every new demand, so applying a report that states demands throws; a
    // report without demands never writes one.
    f.db.sql().exec(
        "CREATE TRIGGER no_demands BEFORE INSERT ON demands BEGIN SELECT RAISE(ABORT, 'demands "
        "refused'); END");
    const auto ids =
        f.store({message("msg-1", kReportWithDemands), message("msg-2", kReportWithoutDemands)});

    const ProcessOutcome outcome = f.process();

    CHECK(outcome.failed == 1);
    CHECK(outcome.processed == 1);
    CHECK(outcome.notices == 1);
    CHECK(f.status_of(ids[0]) == "failed");
    CHECK(f.status_of(ids[1]) == "done");
    SQLite::Statement failed(f.db.sql(), "SELECT error, processed_at FROM inbox WHERE id = ?");
    failed.bind(1, ids[0]);
    REQUIRE(failed.executeStep());
    CHECK_THAT(failed.getColumn(0).getString(), Contains("demands"));
    CHECK(failed.getColumn(1).getInt64() == kNow);
    REQUIRE(f.failures.size() == 1);
    CHECK(f.failures[0].first == ids[0]);
    CHECK_THAT(f.failures[0].second, Contains("demands"));
    // Nothing of the failed event was applied; the good one got visit number 1.
    CHECK(f.count("visits") == 1);
    CHECK(f.db.sql().execAndGet("SELECT source_event_id FROM visits").getString() == "msg-2");
    CHECK(f.count("outbox") == 1);
    CHECK(f.count("audit_log") == 1);

    // A parked event is not retried.
    f.db.sql().exec("DROP TRIGGER no_demands");
    CHECK(f.process().processed == 0);
    CHECK(f.status_of(ids[0]) == "failed");
}

TEST_CASE("A storage error that would repeat parks the event and applies nothing of it",
          "[processor]") {
    Fixture f;
    // The second demand of the report cannot be stored: the visit row and the first demand
    // were already written inside the transaction and must be rolled back with it.
    f.db.sql().exec(
        "CREATE TRIGGER refuse_listing BEFORE INSERT ON demands WHEN NEW.summary = '上市辅导' "
        "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    const auto ids =
        f.store({message("msg-1", kReportWithDemands), message("msg-2", kReportWithoutDemands)});

    auto outcome = f.processor.process_pending(100, kNow);

    REQUIRE(outcome);
    CHECK(outcome.value().failed == 1);
    CHECK(outcome.value().processed == 1);
    CHECK(f.status_of(ids[0]) == "failed");
    CHECK(f.status_of(ids[1]) == "done");
    REQUIRE(f.failures.size() == 1);
    CHECK_THAT(f.failures[0].second, Contains("refused by test"));
    // Nothing of the parked event remains; the event behind it was not blocked.
    CHECK(f.count("visits") == 1);
    CHECK(f.db.sql().execAndGet("SELECT source_event_id FROM visits").getString() == "msg-2");
    CHECK(f.count("demands") == 0);
    auto verified = ledgerbot::storage::AuditLog(f.db.sql()).verify();
    REQUIRE(verified);
    CHECK(verified.value().ok);
}

TEST_CASE("A transient storage error leaves the event pending and is returned", "[processor]") {
    Fixture f;
    const auto ids = f.store({message("msg-1", kReportWithoutDemands)});
    // Another connection holds the write lock and we do not wait for it: SQLITE_BUSY.
    f.db.sql().setBusyTimeout(0);
    SQLite::Database other(f.db.path().string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");

    auto outcome = f.processor.process_pending(100, kNow);

    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().category().name() == std::string("sqlite"));
    CHECK((outcome.error().value() & 0xFF) == SQLITE_BUSY);
    other.exec("ROLLBACK");
    CHECK(f.status_of(ids[0]) == "pending");
    CHECK(f.failures.empty());

    // Once the lock is gone the event is processed normally.
    CHECK(f.process().processed == 1);
    CHECK(f.count("visits") == 1);
}

TEST_CASE("A processed tick is marked done and its run is recorded once in job_runs",
          "[processor]") {
    Fixture f;
    InboundEvent tick;
    tick.id = "nickname-evening:2026-07-01";
    tick.source = std::string(ledgerbot::bot::model::kSchedulerSource);
    tick.type = EventType::tick;
    tick.time = kMessageTime;
    tick.job = "nickname-evening";
    const auto ids = f.store({tick, message("m-1", "你好")});

    const ProcessOutcome outcome = f.process();

    CHECK(outcome.processed == 2);
    CHECK(f.status_of(ids[0]) == "done");
    SQLite::Statement runs(f.db.sql(), "SELECT run_key, ran_at FROM job_runs");
    REQUIRE(runs.executeStep());
    CHECK(runs.getColumn(0).getString() == "nickname-evening:2026-07-01");
    CHECK(runs.getColumn(1).getInt64() == kNow);
    CHECK_FALSE(runs.executeStep());
    CHECK(f.count("outbox") == 0);
}

TEST_CASE("A report, its supplement and an evidence image in one batch each see the one before",
          "[processor][supplement][evidence]") {
    Fixture f;
    InboundEvent image = message("msg-3", "");
    image.image = ledgerbot::bot::model::ImageRef{"https://img.example/1.png", ""};
    image.time = kMessageTime + 60;
    f.store({message("msg-1",
                     "【走访记录】\n企业全称：示例科技\n走访时间：2026-07-01 10:00\n"
                     "走访方式：实地走访\n走访人员：张三\n走访内容：了解经营情况\n"
                     "客户反馈：希望对接\n企业联系人：王总"),
             message("msg-2", "/补充 V1 联系电话：13912345678 服务需求：股权融资"), image});

    const ProcessOutcome outcome = f.process();

    CHECK(outcome.processed == 3);
    CHECK(outcome.failed == 0);
    CHECK(outcome.notices == 3);
    CHECK(f.db.sql().execAndGet("SELECT complete FROM visits WHERE number = 1").getInt() == 1);
    CHECK(f.count("visit_supplements") == 1);
    CHECK(f.db.sql().execAndGet("SELECT event_id FROM visit_supplements").getString() == "msg-2");
    CHECK(f.count("demands") == 1);
    CHECK(f.count("visit_evidence") == 1);
    CHECK(f.db.sql().execAndGet("SELECT visit_number FROM visit_evidence").getInt() == 1);
    CHECK(f.db.sql()
              .execAndGet("SELECT GROUP_CONCAT(template_id, ',') FROM (SELECT template_id FROM "
                          "outbox ORDER BY id)")
              .getString() == "visit_recorded,visit_supplemented,evidence_attached");
    CHECK(f.db.sql()
              .execAndGet("SELECT GROUP_CONCAT(action, ',') FROM (SELECT action FROM audit_log "
                          "ORDER BY seq)")
              .getString() ==
          "visit.recorded,visit.supplemented,demand.collected,visit.evidence_attached");
    auto verified = ledgerbot::storage::AuditLog(f.db.sql()).verify();
    REQUIRE(verified);
    CHECK(verified.value().ok);
}

TEST_CASE(
    "A report read ahead with the directory in use is recorded from that reading; one "
    "read with another directory is read again",
    "[processor]") {
    Fixture f;
    const auto version = ledgerbot::storage::DirectoryRepository(f.db.sql()).version();
    REQUIRE(version);
    // The reading is of the other report, so the record shows which was used.
    ledgerbot::storage::SqliteState reader_state(f.db.sql());
    reader_state.refresh();
    const auto reading =
        f.engine.read_ahead(message("msg-x", kReportWithoutDemands), reader_state.directory());
    REQUIRE(reading);
    REQUIRE(reading->parsed);
    std::vector<std::string> asked;
    std::int64_t offered_version = version.value();
    f.processor.take_readings_from(
        [&](const InboundEvent&, const std::string& key, std::int64_t directory_version) {
            asked.push_back(key);
            return directory_version == offered_version
                       ? reading
                       : std::optional<ledgerbot::bot::reports::ReportCheck>{};
        });

    f.store({message("msg-1", kReportWithDemands)});
    f.process();
    offered_version = version.value() + 1;  // as if made before an import the ledger has seen
    f.store({message("msg-2", kReportWithDemands)});
    f.process();

    CHECK(asked == std::vector<std::string>{"generic:msg-1", "generic:msg-2"});
    ledgerbot::storage::LedgerRepository ledger(f.db.sql());
    auto used = ledger.find_visit(1);
    auto read_again = ledger.find_visit(2);
    REQUIRE(used);
    REQUIRE(read_again);
    CHECK(used.value()->company_name == "银川星河新材料股份有限公司");
    CHECK(read_again.value()->company_name == "宁夏示例科技有限公司");
}
