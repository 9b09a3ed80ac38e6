#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <system_error>

#include <SQLiteCpp/Statement.h>

#include "config/config_loader.hpp"
#include "storage/backoff.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/event_processor.hpp"
#include "storage/inbox.hpp"
#include "storage/storage_error.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace bot = ledgerbot::bot;
namespace model = ledgerbot::bot::model;
using ledgerbot::storage::Database;
using ledgerbot::storage::EventProcessor;
using ledgerbot::storage::Inbox;

constexpr std::int64_t kMessageTime = 1782878400;  // 2026-07-01 12:00 Shanghai

const std::string kReport =
    "【走访记录】\n企业全称：示例科技\n走访时间：2026-07-01 10:00\n走访方式：实地走访\n"
    "走访人员：张三\n走访内容：了解融资计划\n客户反馈：希望对接\n企业联系人：王总\n"
    "联系电话：13812345678";

// What a state read does when it fails: the repository's result is read with .value(), which
// throws std::system_error with the storage error code.
enum class Fault { none, busy, ioerr, bug };

// The engine's state with faults injected into the first reads of the next record number.
class FaultyState final : public bot::State {
public:
    FaultyState(const bot::State& inner, Fault fault, int failures)
        : inner_(inner), fault_(fault), failures_left_(failures) {}

    int reads() const { return reads_; }

    const model::Directory& directory() const override { return inner_.directory(); }
    std::int64_t next_visit_number() const override {
        ++reads_;
        if (failures_left_ > 0) {
            --failures_left_;
            throw_fault();
        }
        return inner_.next_visit_number();
    }
    std::int64_t next_demand_number() const override { return inner_.next_demand_number(); }
    std::int64_t next_risk_number() const override { return inner_.next_risk_number(); }
    std::optional<model::VisitRecord> visit(std::int64_t n) const override {
        return inner_.visit(n);
    }
    std::optional<model::VisitRecord> latest_visit_by(const std::string& reporter,
                                                      const std::string& channel,
                                                      const std::string& chat) const override {
        return inner_.latest_visit_by(reporter, channel, chat);
    }
    std::int64_t evidence_count(std::int64_t n) const override { return inner_.evidence_count(n); }
    std::optional<model::EvidenceWait> evidence_wait(const std::string& by,
                                                     const std::string& channel,
                                                     const std::string& chat) const override {
        return inner_.evidence_wait(by, channel, chat);
    }
    std::optional<model::GroupView> group(std::string_view source,
                                          std::string_view chat) const override {
        return inner_.group(source, chat);
    }
    std::vector<model::GroupView> enforced_groups() const override {
        return inner_.enforced_groups();
    }
    std::optional<model::Demand> demand(std::int64_t n) const override { return inner_.demand(n); }
    std::vector<model::Demand> demands_awaiting_plan() const override {
        return inner_.demands_awaiting_plan();
    }
    std::vector<model::Demand> open_demands(std::int64_t company) const override {
        return inner_.open_demands(company);
    }
    std::vector<model::Demand> company_demands(std::int64_t company) const override {
        return inner_.company_demands(company);
    }
    std::vector<model::DemandHistoryEntry> demand_history(std::int64_t number) const override {
        return inner_.demand_history(number);
    }
    std::int64_t next_briefing_number() const override { return inner_.next_briefing_number(); }
    std::vector<model::Demand> all_open_demands() const override {
        return inner_.all_open_demands();
    }
    std::vector<std::int64_t> companies_visited(std::int64_t from, std::int64_t to) const override {
        return inner_.companies_visited(from, to);
    }
    std::vector<model::VisitRecord> visits_between(std::int64_t from,
                                                   std::int64_t to) const override {
        return inner_.visits_between(from, to);
    }
    std::map<std::int64_t, model::VisitScoringDetails> scoring_details(
        std::int64_t from, std::int64_t to) const override {
        return inner_.scoring_details(from, to);
    }
    std::optional<model::VisitVoid> visit_void(std::int64_t n) const override {
        return inner_.visit_void(n);
    }
    std::optional<model::ScoreReview> score_review(const std::string& week,
                                                   const std::string& line) const override {
        return inner_.score_review(week, line);
    }
    std::vector<model::VisitRecord> company_visits_between(const std::vector<std::int64_t>& c,
                                                           std::int64_t from,
                                                           std::int64_t to) const override {
        return inner_.company_visits_between(c, from, to);
    }
    std::map<std::int64_t, model::VisitScoringDetails> scoring_details_of(
        const std::vector<std::int64_t>& visits) const override {
        return inner_.scoring_details_of(visits);
    }
    std::vector<std::int64_t> companies_visited_before(const std::vector<std::int64_t>& c,
                                                       std::int64_t before) const override {
        return inner_.companies_visited_before(c, before);
    }
    std::vector<model::Demand> demands_without_visit() const override {
        return inner_.demands_without_visit();
    }
    std::vector<std::int64_t> omission_deadlines_between(std::int64_t from,
                                                         std::int64_t to) const override {
        return inner_.omission_deadlines_between(from, to);
    }
    std::vector<model::PointEntry> point_entries_of_visits(
        const std::vector<std::int64_t>& visits) const override {
        return inner_.point_entries_of_visits(visits);
    }
    std::vector<model::PointEntry> point_entries_between(std::int64_t from,
                                                         std::int64_t to) const override {
        return inner_.point_entries_between(from, to);
    }
    std::optional<model::PublishedTable> published_table(const std::string& week,
                                                         const std::string& line) const override {
        return inner_.published_table(week, line);
    }
    std::optional<std::int64_t> last_audited(const std::string& action,
                                             const std::string& subject) const override {
        return inner_.last_audited(action, subject);
    }
    std::optional<model::Risk> risk(std::int64_t n) const override { return inner_.risk(n); }
    std::vector<model::Risk> unacknowledged_notices() const override {
        return inner_.unacknowledged_notices();
    }
    std::vector<model::Risk> open_risks() const override { return inner_.open_risks(); }

private:
    void throw_fault() const {
        switch (fault_) {
            case Fault::busy:
                throw std::system_error(SQLITE_BUSY, ledgerbot::storage::sqlite_category());
            case Fault::ioerr:
                throw std::system_error(SQLITE_IOERR_READ, ledgerbot::storage::sqlite_category());
            case Fault::bug:
                throw std::logic_error("a deterministic engine failure");
            case Fault::none:
                return;
        }
    }

    const bot::State& inner_;
    Fault fault_;
    mutable int failures_left_;
    mutable int reads_ = 0;
};

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "ledger.db"};
    bot::Engine engine{ledgerbot::config::load_default_settings([](std::string_view) {
                           return std::optional<std::string>{};
                       }).engine};
    FaultyState* faulty = nullptr;
    EventProcessor processor;

    Fixture(Fault fault, int failures)
        : processor(db.sql(), engine, {}, [this, fault, failures](const bot::State& inner) {
              auto state = std::make_unique<FaultyState>(inner, fault, failures);
              faulty = state.get();
              return state;
          }) {
        auto imported = ledgerbot::storage::DirectoryRepository(db.sql()).import_companies(
            "full_name,short_names\n宁夏示例科技有限公司,示例科技\n", 1000);
        REQUIRE(imported);
        REQUIRE(ledgerbot::storage::DirectoryRepository(db.sql()).import_staff(
            "id,name\nzhangsan,张三\n", 1000));
        model::InboundEvent event;
        event.id = "msg-1";
        event.source = "generic";
        event.type = model::EventType::message;
        event.time = kMessageTime;
        event.chat.id = "group-1";
        event.chat.kind = model::ChatKind::group;
        event.sender.id = "zhangsan";
        event.sender.name = "张三";
        event.text = kReport;
        const std::vector<model::InboundEvent> events{event};
        REQUIRE(Inbox(db.sql()).insert_batch(events, kMessageTime));
    }

    std::string status() {
        return db.sql().execAndGet("SELECT status FROM inbox WHERE id = 1").getString();
    }
    std::int64_t visits() { return db.sql().execAndGet("SELECT COUNT(*) FROM visits").getInt64(); }
};

}  // namespace

TEST_CASE("A state read failing with a transient error leaves the event pending until it passes",
          "[processor][transient]") {
    const Fault fault = GENERATE(Fault::busy, Fault::ioerr);
    Fixture f(fault, 2);

    for (int round = 1; round <= 2; ++round) {
        auto outcome = f.processor.process_pending(10, kMessageTime);
        INFO("round " << round);
        REQUIRE_FALSE(outcome);
        CHECK(ledgerbot::storage::is_transient(outcome.error()));
        CHECK(f.status() == "pending");
        CHECK(f.visits() == 0);
    }

    auto third = f.processor.process_pending(10, kMessageTime);
    REQUIRE(third);
    CHECK(third.value().processed == 1);
    CHECK(third.value().failed == 0);
    CHECK(f.status() == "done");
    CHECK(f.visits() == 1);
    CHECK(f.faulty->reads() == 3);
}

TEST_CASE("A deterministic engine failure parks the event as failed at once",
          "[processor][transient]") {
    Fixture f(Fault::bug, 1);

    auto outcome = f.processor.process_pending(10, kMessageTime);

    REQUIRE(outcome);
    CHECK(outcome.value().failed == 1);
    CHECK(f.status() == "failed");
    CHECK(f.db.sql().execAndGet("SELECT error FROM inbox WHERE id = 1").getString() ==
          "engine: a deterministic engine failure");
    CHECK(f.visits() == 0);
}

TEST_CASE("The retry delay doubles up to its cap and starts over after a success",
          "[processor][transient]") {
    using std::chrono::milliseconds;
    ledgerbot::storage::Backoff backoff(milliseconds(100), milliseconds(1000));
    CHECK(backoff.next() == milliseconds(100));
    CHECK(backoff.next() == milliseconds(200));
    CHECK(backoff.next() == milliseconds(400));
    CHECK(backoff.next() == milliseconds(800));
    CHECK(backoff.next() == milliseconds(1000));
    CHECK(backoff.next() == milliseconds(1000));
    backoff.reset();
    CHECK(backoff.next() == milliseconds(100));
}

TEST_CASE("Only busy, locked, I/O, full and similar SQLite errors are transient",
          "[processor][transient]") {
    using ledgerbot::storage::is_transient;
    const auto [code, transient] = GENERATE(table<int, bool>({
        {SQLITE_BUSY, true},
        {SQLITE_BUSY_SNAPSHOT, true},
        {SQLITE_LOCKED, true},
        {SQLITE_IOERR, true},
        {SQLITE_IOERR_FSYNC, true},
        {SQLITE_FULL, true},
        {SQLITE_CONSTRAINT, false},
        {SQLITE_CONSTRAINT_UNIQUE, false},
        {SQLITE_ERROR, false},
        {SQLITE_CORRUPT, false},
    }));
    INFO(code);
    CHECK(is_transient(std::error_code(code, ledgerbot::storage::sqlite_category())) == transient);
    CHECK_FALSE(is_transient(std::error_code(code, std::generic_category())));
}
