#include "storage/points_repository.hpp"

#include <catch2/catch.hpp>

#include <SQLiteCpp/Transaction.h>

#include "bot/engine.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/demand_repository.hpp"
#include "storage/directory_repository.hpp"
#include "storage/ledger_export.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/outbox.hpp"
#include "storage/points_backfill.hpp"
#include "storage/sqlite_state.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::model;
using ledgerbot::storage::Database;
using ledgerbot::storage::PointsRepository;

PointEntry entry(std::int64_t visit, double points, std::int64_t at) {
    PointEntry e;
    e.at = at;
    e.recorded_at = at + 5;
    e.person_id = "zhangsan";
    e.person_name = "张三";
    e.department = "市场发展部";
    e.line = "业务一线";
    e.company_id = 1;
    e.company = "宁夏示例科技有限公司";
    e.visit_number = visit;
    e.item = "complete";
    e.axis = "truthfulness";
    e.rule = "scoring.truthfulness.complete";
    e.points = points;
    e.share = 0.5;
    e.detail = {{"cause", "earned"}};
    return e;
}

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "points.db"};
};

ledgerbot::config::Settings default_config() {
    return ledgerbot::config::load_default_settings(
        [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
}

}  // namespace

TEST_CASE("Journal entries are stored as given and can never be changed or deleted",
          "[storage][points]") {
    Fixture f;
    PointsRepository points(f.db.sql());
    points.append({entry(1, 2, 1000), entry(2, -1, 5000)});
    const auto stored = points.of_visits({1});
    REQUIRE(stored.size() == 1);
    PointEntry expected = entry(1, 2, 1000);
    expected.id = stored[0].id;
    CHECK(stored[0] == expected);
    CHECK(points.between(4000, 6000).size() == 1);
    CHECK_THROWS_WITH(f.db.sql().exec("UPDATE point_entries SET points = 7"),
                      Catch::Contains("never changed"));
    CHECK_THROWS_WITH(f.db.sql().exec("DELETE FROM point_entries"),
                      Catch::Contains("never deleted"));
    CHECK(points.count() == 2);
}

TEST_CASE("A published table is stored once and frozen", "[storage][points]") {
    Fixture f;
    PointsRepository points(f.db.sql());
    PublishedTable table{
        "2026-W47", "业务一线", "3fa2c901", nlohmann::json{{"rows", nlohmann::json::array()}},
        "zhengshi", 100,        200};
    CHECK(points.publish(table));
    PublishedTable again = table;
    again.version = "ffffffff";
    CHECK_FALSE(points.publish(again));
    CHECK(points.published("2026-W47", "业务一线") == table);
    CHECK_THROWS_WITH(f.db.sql().exec("UPDATE published_tables SET version = 'x'"),
                      Catch::Contains("never changed"));
    CHECK_THROWS_WITH(f.db.sql().exec("DELETE FROM published_tables"),
                      Catch::Contains("never deleted"));
}

TEST_CASE("An upgraded ledger gets its journal once, and the weeks already posted stay as posted",
          "[storage][points]") {
    Fixture f;
    ledgerbot::config::Settings config = default_config();
    const Engine engine(config.engine);
    const std::int64_t visit_time = 1795400000;  // 2026-11-23 10:13 (Monday of 2026-W48), Shanghai
    {
        SQLite::Transaction tx(f.db.sql());
        ledgerbot::storage::LedgerRepository ledger(f.db.sql());
        VisitRecord r;
        r.number = 1;
        r.visit_time = visit_time;
        r.company_name = "宁夏示例科技有限公司";
        r.reporter_id = "zhangsan";
        r.reporter_name = "张三";
        r.channel = "generic";
        r.chat_id = "room";
        r.source_event_id = "e1";
        r.reported_at = visit_time + 600;
        ledger.apply(VisitRecordCreated{r});
        // What a Monday post of the old version left in the outbox: the table's spreadsheet.
        Notice posted;
        posted.template_id = "score_table";
        posted.target = NoticeTarget{"generic", NoticeTarget::Kind::chat, "staff-room", ""};
        posted.fields = {{"week", "2026-W47"},
                         {"line", "业务一线"},
                         {"unreviewed", false},
                         {"attachment",
                          {{"kind", "score_table"},
                           {"rows", {{"1", "示例企业一", "市场发展部", "张三", "4", "3", "7"}}},
                           {"totals", {"4", "3", "7"}}}}};
        ledgerbot::storage::Outbox(f.db.sql()).enqueue(posted, std::nullopt, visit_time);
        tx.commit();
    }
    ledgerbot::storage::SqliteState state(f.db.sql());
    const auto built =
        ledgerbot::storage::build_points_journal_once(f.db.sql(), engine, state, visit_time + 7200);
    CHECK(built.built);
    CHECK(built.entries > 0);
    CHECK(built.published_tables == 1);
    PointsRepository points(f.db.sql());
    const auto entries = points.of_visits({1});
    REQUIRE(!entries.empty());
    for (const PointEntry& e : entries) {
        CHECK(e.at == visit_time);  // dated at the visit, not at the upgrade
        CHECK(e.adjusts_week.empty());
    }
    const auto w47 = points.published("2026-W47", "业务一线");
    REQUIRE(w47);
    CHECK(w47->table["rows"][0]["company"] == "示例企业一");
    CHECK(w47->table["totals"]["total"] == "7");
    CHECK(w47->approved_by == "(reviewed)");
    CHECK(f.db.sql()
              .execAndGet("SELECT COUNT(*) FROM audit_log WHERE action = "
                          "'points.journal_built'")
              .getInt() == 1);
    // Once: a second start changes nothing.
    const auto again =
        ledgerbot::storage::build_points_journal_once(f.db.sql(), engine, state, visit_time + 9000);
    CHECK_FALSE(again.built);
    CHECK(points.count() == static_cast<std::int64_t>(entries.size()));
}

TEST_CASE("A demand without a visit is stored, read back and exported with the ledger",
          "[storage][points]") {
    Fixture f;
    auto imported =
        ledgerbot::storage::DirectoryRepository(f.db.sql())
            .import_companies("full_name,account_manager\n银川星河新材料股份有限公司,lisi\n", 1000);
    REQUIRE(imported);
    Demand d;
    d.number = 1;
    d.company_id = f.db.sql().execAndGet("SELECT id FROM companies").getInt64();
    d.company_name = "银川星河新材料股份有限公司";
    d.summary = "服务协议（未经走访登记）";
    d.status = "contracted";
    d.collected_at = 5000;
    d.contracted_at = 4000;
    d.owner_id = "lisi";
    d.owner_name = "李四";
    d.channel = "wecom-app";
    {
        SQLite::Transaction tx(f.db.sql());
        ledgerbot::storage::LedgerRepository(f.db.sql()).apply(DemandCreated{d});
        tx.commit();
    }
    ledgerbot::storage::DemandRepository demands(f.db.sql());
    const auto stored = demands.without_visit();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].visit_number == 0);
    CHECK(stored[0].contracted_at == 4000);
    CHECK(stored[0].owner_id == "lisi");
    CHECK(stored[0].channel == "wecom-app");
    CHECK(
        f.db.sql().execAndGet("SELECT COUNT(*) FROM demands WHERE visit_number IS NULL").getInt() ==
        1);
    const auto ledger = ledgerbot::storage::read_ledger(f.db.sql());
    REQUIRE(ledger);
    REQUIRE(ledger.value().size() == 1);
    CHECK(ledger.value()[0].visit_number == 0);
    CHECK(ledger.value()[0].contract_signed);
    // Foreign keys still hold after the rebuild: a demand of a visit that does not exist is
    // refused.
    d.number = 2;
    d.visit_number = 99;
    CHECK_THROWS(ledgerbot::storage::LedgerRepository(f.db.sql()).apply(DemandCreated{d}));
}
