#include "storage/ledger_repository.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using ledgerbot::bot::Demand;
using ledgerbot::bot::DemandCreated;
using ledgerbot::bot::LedgerChange;
using ledgerbot::bot::VisitField;
using ledgerbot::bot::VisitRecord;
using ledgerbot::bot::VisitRecordCreated;
using ledgerbot::storage::Database;
using ledgerbot::storage::LedgerRepository;

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "ledger.db"};
    LedgerRepository ledger{db.sql()};
    std::int64_t company_id = 0;

    Fixture() {
        auto imported = ledgerbot::storage::DirectoryRepository(db.sql())
                            .import_companies("full_name\n宁夏示例科技有限公司\n", 1000);
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
