#include "storage/ledger_repository.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::bot::DemandCreated;
using ledgerbot::bot::LedgerChange;
using ledgerbot::bot::VisitRecordCreated;
using ledgerbot::bot::model::Demand;
using ledgerbot::bot::model::VisitField;
using ledgerbot::bot::model::VisitRecord;
using ledgerbot::storage::Database;
using ledgerbot::storage::LedgerRepository;

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "ledger.db"};
    LedgerRepository ledger{db.sql()};
    std::int64_t company_id = 0;

    Fixture() {
        auto imported = ledgerbot::storage::DirectoryRepository(db.sql()).import_companies(
            "full_name\n宁夏示例科技有限公司\n", 1000);
        REQUIRE(imported);
        REQUIRE(imported.value().ok());
        company_id = db.sql().execAndGet("SELECT id FROM companies").getInt64();
    }

    void apply(const std::vector<LedgerChange>& changes) {
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        for (const auto& change : changes) {
            ledger.apply(change);
        }
        tx.commit();
    }
};

VisitRecord full_record(std::int64_t number, std::int64_t company_id) {
    VisitRecord r;
    r.number = number;
    r.company_id = company_id;
    r.company_name = "宁夏示例科技有限公司";
    r.visit_time = 1782871200;
    r.mode = "实地走访";
    r.visitors = {"张三", "李四"};
    r.values = {{VisitField::company, "宁夏示例科技有限公司"},
                {VisitField::mode, "实地走访"},
                {VisitField::phone, "13812345678"},
                {VisitField::content, "了解融资计划\n第二行 & \"引号\""}};
    r.missing = {VisitField::feedback, VisitField::contact};
    r.reporter_id = "zhangsan";
    r.reporter_name = "张三";
    r.channel = "generic";
    r.chat_id = "group-1";
    r.source_event_id = "msg-1";
    r.reported_at = 1782878400;
    r.raw_text = "【走访记录】\n企业全称：宁夏示例科技有限公司";
    return r;
}

Demand demand(std::int64_t number, std::int64_t visit_number, const std::string& summary) {
    Demand d;
    d.number = number;
    d.visit_number = visit_number;
    d.company_name = "宁夏示例科技有限公司";
    d.summary = summary;
    d.status = "collected";
    d.collected_at = 1782878400;
    return d;
}

void check_same(const VisitRecord& a, const VisitRecord& b) {
    CHECK(a.number == b.number);
    CHECK(a.company_id == b.company_id);
    CHECK(a.company_name == b.company_name);
    CHECK(a.visit_time == b.visit_time);
    CHECK(a.mode == b.mode);
    CHECK(a.visitors == b.visitors);
    CHECK(a.values == b.values);
    CHECK(a.missing == b.missing);
    CHECK(a.reporter_id == b.reporter_id);
    CHECK(a.reporter_name == b.reporter_name);
    CHECK(a.channel == b.channel);
    CHECK(a.chat_id == b.chat_id);
    CHECK(a.source_event_id == b.source_event_id);
    CHECK(a.reported_at == b.reported_at);
    CHECK(a.raw_text == b.raw_text);
}

}  // namespace

TEST_CASE("A stored visit record reads back with every field", "[ledger]") {
    Fixture f;
    const VisitRecord record = full_record(1, f.company_id);
    f.apply({VisitRecordCreated{record}});

    auto found = f.ledger.find_visit(1);

    REQUIRE(found);
    REQUIRE(found.value().has_value());
    check_same(*found.value(), record);
    CHECK(f.db.sql().execAndGet("SELECT complete FROM visits WHERE number = 1").getInt() == 0);
}

TEST_CASE("A visit without a listed company or a time keeps both empty", "[ledger]") {
    Fixture f;
    VisitRecord record = full_record(3, f.company_id);
    record.company_id.reset();
    record.company_name.clear();
    record.visit_time.reset();
    record.visitors.clear();
    record.values.clear();
    record.missing.clear();
    f.apply({VisitRecordCreated{record}});

    auto found = f.ledger.find_visit(3);

    REQUIRE(found);
    REQUIRE(found.value().has_value());
    check_same(*found.value(), record);
    CHECK(f.db.sql().execAndGet("SELECT complete FROM visits WHERE number = 3").getInt() == 1);
}

TEST_CASE("Looking up a visit that does not exist finds nothing", "[ledger]") {
    Fixture f;
    auto found = f.ledger.find_visit(99);
    REQUIRE(found);
    CHECK_FALSE(found.value().has_value());
}

TEST_CASE("The demands of a visit come back in number order", "[ledger]") {
    Fixture f;
    f.apply({VisitRecordCreated{full_record(1, f.company_id)},
             VisitRecordCreated{full_record(2, f.company_id)}});
    Demand with_company = demand(5, 2, "上市辅导");
    with_company.company_id = f.company_id;
    f.apply({DemandCreated{demand(4, 1, "股权融资")}, DemandCreated{demand(6, 2, "债权融资")},
             DemandCreated{with_company}});

    auto of_two = f.ledger.demands_of_visit(2);

    REQUIRE(of_two);
    REQUIRE(of_two.value().size() == 2);
    CHECK(of_two.value()[0].number == 5);
    CHECK(of_two.value()[0].summary == "上市辅导");
    CHECK(of_two.value()[0].company_id == std::optional<std::int64_t>{f.company_id});
    CHECK(of_two.value()[0].visit_number == 2);
    CHECK(of_two.value()[0].status == "collected");
    CHECK(of_two.value()[0].collected_at == 1782878400);
    CHECK(of_two.value()[1].number == 6);
    CHECK_FALSE(of_two.value()[1].company_id.has_value());

    auto of_one = f.ledger.demands_of_visit(1);
    REQUIRE(of_one);
    REQUIRE(of_one.value().size() == 1);
    CHECK(of_one.value()[0].summary == "股权融资");

    auto of_none = f.ledger.demands_of_visit(7);
    REQUIRE(of_none);
    CHECK(of_none.value().empty());
}

TEST_CASE("Next numbers follow the highest stored number", "[ledger]") {
    Fixture f;
    CHECK(f.ledger.next_visit_number() == 1);
    CHECK(f.ledger.next_demand_number() == 1);
    f.apply({VisitRecordCreated{full_record(7, f.company_id)}, DemandCreated{demand(3, 7, "x")}});
    CHECK(f.ledger.next_visit_number() == 8);
    CHECK(f.ledger.next_demand_number() == 4);
}

TEST_CASE("A demand for a visit that does not exist is refused", "[ledger]") {
    Fixture f;
    SQLite::Transaction tx(f.db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK_THROWS_AS(f.ledger.apply(DemandCreated{demand(1, 42, "x")}), SQLite::Exception);
}

TEST_CASE("A visit number cannot be stored twice", "[ledger]") {
    Fixture f;
    f.apply({VisitRecordCreated{full_record(1, f.company_id)}});
    SQLite::Transaction tx(f.db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK_THROWS_AS(f.ledger.apply(VisitRecordCreated{full_record(1, f.company_id)}),
                    SQLite::Exception);
}

namespace {

using ledgerbot::bot::EvidenceAttached;
using ledgerbot::bot::VisitRecordSupplemented;
using ledgerbot::bot::model::Evidence;

VisitRecordSupplemented phone_and_company_supplement(const VisitRecord& before,
                                                     std::int64_t company_id) {
    VisitRecordSupplemented s;
    s.record = before;
    s.record.company_id = company_id;
    s.record.company_name = "宁夏示例科技有限公司";
    s.record.values[VisitField::phone] = "13912345678";
    s.record.values[VisitField::company] = "宁夏示例科技有限公司";
    s.record.values[VisitField::feedback] = "希望对接";
    s.record.values[VisitField::contact] = "王总";
    s.record.missing.clear();
    s.supplied = {{VisitField::phone, "13912345678"},
                  {VisitField::company, "宁夏示例科技有限公司"},
                  {VisitField::feedback, "希望对接"},
                  {VisitField::contact, "王总"}};
    s.previous = {{VisitField::phone, "13812345678"},
                  {VisitField::company, ""},
                  {VisitField::feedback, ""},
                  {VisitField::contact, ""}};
    s.by_id = "lisi";
    s.by_name = "李四";
    s.channel = "generic";
    s.event_id = "msg-2";
    s.at = 1782882000;
    return s;
}

Evidence evidence(std::int64_t visit_number, const std::string& event_id) {
    Evidence e;
    e.visit_number = visit_number;
    e.channel = "wecom-app";
    e.event_id = event_id;
    e.url = "https://img.example/" + event_id + ".png";
    e.media_id = "media-" + event_id;
    e.by_id = "zhangsan";
    e.at = 1782878700;
    return e;
}

}  // namespace

TEST_CASE("A supplement updates the visit and keeps what it wrote and what it replaced",
          "[ledger][supplement]") {
    Fixture f;
    VisitRecord before = full_record(1, f.company_id);
    before.company_id.reset();
    before.company_name.clear();
    f.apply({VisitRecordCreated{before}, DemandCreated{demand(1, 1, "股权融资")}});
    const VisitRecordSupplemented supplement = phone_and_company_supplement(before, f.company_id);

    f.apply({supplement});

    auto found = f.ledger.find_visit(1);
    REQUIRE(found);
    REQUIRE(found.value().has_value());
    check_same(*found.value(), supplement.record);
    CHECK(f.db.sql().execAndGet("SELECT complete FROM visits WHERE number = 1").getInt() == 1);
    // What the report said is still there as it was written.
    CHECK(found.value()->raw_text == before.raw_text);
    CHECK(found.value()->source_event_id == "msg-1");

    SQLite::Statement history(f.db.sql(),
                              "SELECT visit_number, channel, event_id, by_id, by_name, at, "
                              "fields_json, previous_json FROM visit_supplements");
    REQUIRE(history.executeStep());
    CHECK(history.getColumn(0).getInt64() == 1);
    CHECK(history.getColumn(1).getString() == "generic");
    CHECK(history.getColumn(2).getString() == "msg-2");
    CHECK(history.getColumn(3).getString() == "lisi");
    CHECK(history.getColumn(4).getString() == "李四");
    CHECK(history.getColumn(5).getInt64() == 1782882000);
    CHECK(nlohmann::json::parse(history.getColumn(6).getString()) ==
          nlohmann::json{{"company", "宁夏示例科技有限公司"},
                         {"contact", "王总"},
                         {"feedback", "希望对接"},
                         {"phone", "13912345678"}});
    CHECK(nlohmann::json::parse(history.getColumn(7).getString()) ==
          nlohmann::json{
              {"company", ""}, {"contact", ""}, {"feedback", ""}, {"phone", "13812345678"}});
    CHECK_FALSE(history.executeStep());

    // The visit's demands belong to the company it now names.
    auto demands = f.ledger.demands_of_visit(1);
    REQUIRE(demands);
    REQUIRE(demands.value().size() == 1);
    CHECK(demands.value()[0].company_id == std::optional<std::int64_t>{f.company_id});
    CHECK(demands.value()[0].company_name == "宁夏示例科技有限公司");
}

TEST_CASE("Each supplement of a visit is a row of its own", "[ledger][supplement]") {
    Fixture f;
    const VisitRecord before = full_record(1, f.company_id);
    f.apply({VisitRecordCreated{before}});
    VisitRecordSupplemented first = phone_and_company_supplement(before, f.company_id);
    VisitRecordSupplemented second = first;
    second.record.values[VisitField::phone] = "13700000000";
    second.supplied = {{VisitField::phone, "13700000000"}};
    second.previous = {{VisitField::phone, "13912345678"}};
    second.event_id = "msg-3";

    f.apply({first});
    f.apply({second});

    CHECK(f.db.sql().execAndGet("SELECT COUNT(*) FROM visit_supplements").getInt() == 2);
    CHECK(f.db.sql()
              .execAndGet("SELECT previous_json FROM visit_supplements WHERE event_id = 'msg-3'")
              .getString() == R"({"phone":"13912345678"})");
    CHECK(f.ledger.visit(1)->values.at(VisitField::phone) == "13700000000");
}

TEST_CASE("Supplementing a visit that does not exist is refused", "[ledger][supplement]") {
    Fixture f;
    SQLite::Transaction tx(f.db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const VisitRecordSupplemented supplement =
        phone_and_company_supplement(full_record(9, f.company_id), f.company_id);
    CHECK_THROWS_AS(f.ledger.apply(supplement), SQLite::Exception);
    CHECK(f.db.sql().execAndGet("SELECT COUNT(*) FROM visit_supplements").getInt() == 0);
}

TEST_CASE("Evidence rows are stored per image and counted per visit", "[ledger][evidence]") {
    Fixture f;
    f.apply({VisitRecordCreated{full_record(1, f.company_id)},
             VisitRecordCreated{full_record(2, f.company_id)}});
    CHECK(f.ledger.evidence_count(1) == 0);

    f.apply({EvidenceAttached{evidence(1, "img-1")}, EvidenceAttached{evidence(1, "img-2")},
             EvidenceAttached{evidence(2, "img-3")}});

    CHECK(f.ledger.evidence_count(1) == 2);
    CHECK(f.ledger.evidence_count(2) == 1);
    SQLite::Statement row(f.db.sql(),
                          "SELECT visit_number, channel, event_id, url, media_id, by_id, at "
                          "FROM visit_evidence WHERE event_id = 'img-2'");
    REQUIRE(row.executeStep());
    CHECK(row.getColumn(0).getInt64() == 1);
    CHECK(row.getColumn(1).getString() == "wecom-app");
    CHECK(row.getColumn(3).getString() == "https://img.example/img-2.png");
    CHECK(row.getColumn(4).getString() == "media-img-2");
    CHECK(row.getColumn(5).getString() == "zhangsan");
    CHECK(row.getColumn(6).getInt64() == 1782878700);

    SQLite::Transaction tx(f.db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    CHECK_THROWS_AS(f.ledger.apply(EvidenceAttached{evidence(42, "img-4")}), SQLite::Exception);
}

TEST_CASE("The latest visit of a reporter is looked up per channel and chat",
          "[ledger][evidence]") {
    Fixture f;
    VisitRecord other_chat = full_record(3, f.company_id);
    other_chat.chat_id = "group-2";
    VisitRecord other_reporter = full_record(4, f.company_id);
    other_reporter.reporter_id = "lisi";
    f.apply({VisitRecordCreated{full_record(1, f.company_id)},
             VisitRecordCreated{full_record(2, f.company_id)}, VisitRecordCreated{other_chat},
             VisitRecordCreated{other_reporter}});

    CHECK(f.ledger.latest_visit_by("zhangsan", "generic", "group-1")->number == 2);
    CHECK(f.ledger.latest_visit_by("zhangsan", "generic", "group-2")->number == 3);
    CHECK(f.ledger.latest_visit_by("lisi", "generic", "group-1")->number == 4);
    CHECK_FALSE(f.ledger.latest_visit_by("zhangsan", "wecom-bot", "group-1").has_value());
    CHECK_FALSE(f.ledger.latest_visit_by("wangwu", "generic", "group-1").has_value());
}
